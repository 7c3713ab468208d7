"""Faults in the middle of a write leave nothing half-written (docs/deploy.md, "When something
fails"): an import killed with SIGKILL while its rows are being written, and an import whose
disk fills up (SQLite's ``max_page_count``, which fails a write exactly as a full disk does:
"database or disk is full"). Each runs in its own process on a database of its own, then the
database is opened again and counted."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CLI = [sys.executable, "-c", "from nettonul.cli.main import main; main()"]

WRITER = """
import json, sys
from nettonul.web import setup
setup()
from django.db import connection
from nettonul.web.inventory import services
from nettonul.web.inventory.models import InventoryVersion
from nettonul.web.engine.inventories import RECORD_COLUMNS
from nettonul.web.organisations.models import Organisation
from nettonul.web.organisations.permissions import SYSTEM

fault = sys.argv[1]
kbh = Organisation.objects.get(code="101")
base = InventoryVersion.objects.get(organisation=kbh, is_current=True)
rows = list(base.records.values(*RECORD_COLUMNS))
if fault == "kill":
    # Many rows, so the writes take long enough to be killed among them.
    records = rows * max(1, 150_000 // len(rows))
    print("writing", len(records), flush=True)
    services.store(SYSTEM, kbh, records, framework=base.framework, gwp_set=base.gwp_set, title="killed")
    print("finished", flush=True)
else:
    # The file (the current sectors for every year 1990-2100, with a note on each row, as a
    # Danish export writes it) is read and checked first; the disk fills while its rows are written.
    kinds = sorted({(r["sector"], r["gas"]) for r in rows})
    note = "Anslået ud fra kommunens energiregnskab og BBR-data. " * 5
    lines = ["organisation;year;sector;gas;amount;unit;note"]
    lines += [f"101;{year};{sector};{gas};{1000 + year},5;t CO2e;{note}"
              for year in range(1990, 2101) for sector, gas in kinds]
    data = "\\n".join(lines).encode("utf-8")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")  # no free pages left for the new rows to reuse
        pages = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages + 2}")
    try:
        services.import_file(SYSTEM, kbh, data, filename="fuld-disk.csv", mode="all")
    except Exception as exc:
        print(json.dumps({"error": type(exc).__name__, "message": str(exc)}), flush=True)
    else:
        print(json.dumps({"error": None}), flush=True)
"""


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("faults")
    subprocess.run([*CLI, "demo", "--only", "101", "--json"], env=_env(path), capture_output=True, check=True)
    return path


def _env(path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "NETTONUL_TEST_DATABASE",
                        "NETTONUL_REDIS_URL")}
    env["NETTONUL_DATA_DIR"] = str(path)
    return env


def _counts(path: Path) -> tuple[int, int, int]:
    with sqlite3.connect(path / "nettonul.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        versions = db.execute("SELECT count(*) FROM inventory_inventoryversion").fetchone()[0]
        records = db.execute("SELECT count(*) FROM inventory_emissionrecord").fetchone()[0]
        audited = db.execute("SELECT count(*) FROM audit_changerecord").fetchone()[0]
    return versions, records, audited


def test_an_import_killed_while_writing_leaves_no_rows(data_dir: Path) -> None:
    before = _counts(data_dir)
    wal = data_dir / "nettonul.sqlite3-wal"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, "kill"], env=_env(data_dir), stdout=subprocess.PIPE,
                              text=True)
    assert writer.stdout is not None
    assert writer.stdout.readline().startswith("writing")
    start = wal.stat().st_size if wal.exists() else 0
    deadline = time.monotonic() + 120
    # Kill once the rows are reaching the database file's log, before the transaction ends.
    while time.monotonic() < deadline and (not wal.exists() or wal.stat().st_size < start + 2_000_000):
        assert writer.poll() is None, "the import finished before it could be killed: make it larger"
        time.sleep(0.02)
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    writer.stdout.close()
    assert writer.returncode == -signal.SIGKILL
    assert _counts(data_dir) == before


def test_a_full_disk_during_an_import_stores_nothing(data_dir: Path) -> None:
    before = _counts(data_dir)
    out = subprocess.run([sys.executable, "-c", WRITER, "full"], env=_env(data_dir), capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["error"] == "OperationalError"
    assert "full" in result["message"]
    assert _counts(data_dir) == before
