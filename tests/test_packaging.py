"""The wheel: built without packaging warnings, typed, one version, and a demo that runs from it.

The demo reads its example plans and ministry files from the package itself, so an installed
wheel (no checkout beside it) serves ``nettonul serve --demo``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import nettonul

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-cache-dir",
         "--disable-pip-version-check", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, check=True)
    (built,) = out.glob("nettonul-*.whl")
    return built, proc.stdout + proc.stderr


def test_wheel_builds_without_packaging_warnings(wheel: tuple[Path, str]) -> None:
    _, log = wheel
    lowered = log.lower()
    assert "deprecat" not in lowered, log
    assert "warning" not in lowered, log


def test_wheel_metadata_has_the_one_version_and_the_licence(wheel: tuple[Path, str]) -> None:
    built, _ = wheel
    assert built.name.startswith(f"nettonul-{nettonul.__version__}-")
    with zipfile.ZipFile(built) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        text = zf.read(meta).decode()
        names = set(zf.namelist())
    assert f"Version: {nettonul.__version__}\n" in text
    assert "License-Expression: MIT\n" in text
    assert "nettonul/py.typed" in names
    for example in ("plans/samsoe.yaml", "plans/hjoerring.yaml", "check/middelfart_plan.yaml",
                    "ministry/units.yaml", "ministry/illustrative_activities.csv"):
        assert f"nettonul/examples/{example}" in names
    # Only what the core needs is required; benchmark and cluster packages are extras.
    requires = [line for line in text.splitlines() if line.startswith("Requires-Dist:")]
    core = [r for r in requires if "extra ==" not in r]
    assert not any(name in r for r in core for name in ("pandas", "highspy", "dask", "psutil"))
    assert any("dask" in r and 'extra == "cluster"' in r for r in requires)


def test_demo_runs_from_the_unpacked_wheel_without_a_checkout(wheel: tuple[Path, str], tmp_path: Path) -> None:
    built, _ = wheel
    site = tmp_path / "site"
    with zipfile.ZipFile(built) as zf:
        zf.extractall(site)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DATABASE_URL")}
    env.update(PYTHONPATH=str(site), NETTONUL_DATA_DIR=str(tmp_path / "data"))
    code = ("import nettonul, sys; from nettonul.cli.main import main; "
            "assert nettonul.__file__.startswith(sys.argv[1]), nettonul.__file__; sys.argv[1:] = sys.argv[2:]; main()")
    proc = subprocess.run(
        [sys.executable, "-c", code, str(site), "demo", "--only", "741", "--only", "410", "--only", "860", "--json"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["notes"] == []
    assert result["organisations_created"] == 3
    assert result["plans_created"] == 3  # Samsø, Hjørring and Middelfart's CAPF example, read from the wheel
