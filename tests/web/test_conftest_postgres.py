"""The PostgreSQL run of the web tests: skipped with a visible notice when the server is not
reachable, and an error in CI (tests/web/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(ci: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(NETTONUL_TEST_DATABASE="postgres",
               NETTONUL_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:9/nettonul")  # nothing listens there
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-q",
         "tests/web/test_settings.py::test_database_url_is_parsed"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


@pytest.mark.slow
def test_unreachable_postgres_is_skipped_with_a_notice() -> None:
    out = _run(ci=False)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "NOTICE: PostgreSQL is not reachable on 127.0.0.1:9" in out.stdout
    assert "1 skipped" in out.stdout


@pytest.mark.slow
def test_unreachable_postgres_fails_in_ci() -> None:
    out = _run(ci=True)
    assert out.returncode != 0
    assert "mandatory" in out.stdout + out.stderr
