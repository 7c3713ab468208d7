"""``nettonul migrate`` and ``nettonul serve`` (nettonul/cli/serve.py), end to end in a
fresh data directory: first-run migration, SQLite in WAL mode, 16 concurrent clients, and
16 simultaneous saves of the same version of which exactly one wins (no lost update, no
"database is locked")."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from nettonul.cli.serve import _is_loopback, _split
from nettonul.engine.core.errors import NettonulError

CLI = [sys.executable, "-c", "from nettonul.cli.main import main; main()"]
RACE_SETUP = """
from nettonul.web import setup
setup()
from django.contrib.auth import get_user_model
from nettonul.web.api.services import create_token
from nettonul.web.organisations.models import Organisation
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services
plan = services.create_plan(SYSTEM, Organisation.objects.get(code="101"), title="Race")
action = services.add_action(SYSTEM, plan, title="Contested")
print(action.pk, create_token(get_user_model().objects.get(username="editor-kbh@demo"), "race")[1])
"""


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "NETTONUL_TEST_DATABASE")}
    env["NETTONUL_DATA_DIR"] = str(data_dir)
    return env


def test_addresses() -> None:
    assert _split("127.0.0.1:8000") == ("127.0.0.1", 8000)
    assert _split("[::1]:9000") == ("::1", 9000)
    assert _split("8080") == ("127.0.0.1", 8080)
    with pytest.raises(NettonulError):
        _split("localhost:http")
    assert _is_loopback("127.0.0.2")
    assert not _is_loopback("192.168.1.10")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
@pytest.mark.parametrize("processes", [1, 2])
def test_first_run_migrates_and_serves_sixteen_clients(tmp_path: Path, processes: int) -> None:
    """One process (waitress, 16 threads) or two (``--workers 2``, gunicorn, 8 threads each, one
    socket): the same 16 clients, and of 16 simultaneous saves exactly one wins."""
    env = _env(tmp_path)
    out = subprocess.run([*CLI, "migrate", "--json"], env=env, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    assert result["engine"] == "sqlite3"
    assert result["migrations_applied"] > 0
    with sqlite3.connect(tmp_path / "nettonul.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    subprocess.run([*CLI, "demo", "--only", "101", "--json"], env=env, capture_output=True, text=True, check=True)
    made = subprocess.run([sys.executable, "-c", RACE_SETUP], env=env, capture_output=True, text=True, check=True)
    action_id, token = made.stdout.split()

    port = _free_port()
    options = [] if processes == 1 else ["--workers", str(processes), "--threads", "8"]
    server = subprocess.Popen([*CLI, "serve", f"127.0.0.1:{port}", *options], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        printed = []
        deadline = time.monotonic() + 120
        assert server.stdout is not None
        while time.monotonic() < deadline:
            line = server.stdout.readline()
            printed.append(line)
            if "running at" in line:
                break
        text = "".join(printed)
        assert f"http://127.0.0.1:{port}/" in text, text
        assert "editor-kbh@demo" in text  # the demo logins are printed

        def fetch(path: str) -> int:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120) as response:
                return int(response.status)

        paths = ["/", "/organisations/1/", "/api/organisations", "/static/nettonul/base.css"] * 4
        with ThreadPoolExecutor(16) as pool:
            assert list(pool.map(fetch, paths)) == [200] * 16

        def edit(i: int) -> int:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/actions/{action_id}", method="PATCH",
                data=json.dumps({"version": 1, "owner": f"writer {i}"}).encode(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    return int(response.status)
            except urllib.error.HTTPError as exc:
                return int(exc.code)

        # 16 simultaneous saves of the same version: exactly one wins, the others are told.
        with ThreadPoolExecutor(16) as pool:
            statuses = sorted(pool.map(edit, range(16)))
        assert statuses == [200] + [409] * 15
        stored = urllib.request.Request(f"http://127.0.0.1:{port}/api/actions/{action_id}",
                                        headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(stored, timeout=60) as response:
            action = json.loads(response.read())
        assert action["version"] == 2
        assert action["owner"].startswith("writer ")
        if processes > 1:
            import psutil

            assert len(psutil.Process(server.pid).children()) == processes
    finally:
        server.terminate()
        assert server.wait(timeout=30) == 0
        if server.stdout is not None:
            server.stdout.close()
