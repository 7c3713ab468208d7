"""``nettonul backup`` and ``nettonul restore`` (nettonul/web/backup.py) end to end: the demo is
backed up, restored into an empty data directory and every table's rows are identical; a
damaged archive, a non-empty target and a backup of another engine are refused with exit 2."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from typing import Any

import pytest

CLI = [sys.executable, "-c", "from nettonul.cli.main import main; main()"]
POSTGRES = os.environ.get("NETTONUL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/nettonul")


def _env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "NETTONUL_TEST_DATABASE")}
    env["NETTONUL_DATA_DIR"] = str(data_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=600, check=False)


def _rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}
    finally:
        con.close()


@pytest.fixture(scope="module")
def demo_backup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    source = tmp_path_factory.mktemp("source")
    done = _run(_env(source), "demo", "--only", "741", "--only", "410", "--json")
    assert done.returncode == 0, done.stderr
    archive = tmp_path_factory.mktemp("archive") / "nettonul.tar"
    done = _run(_env(source), "backup", str(archive), "--json")
    assert done.returncode == 0, done.stderr
    return source, archive


@pytest.mark.slow
def test_the_demo_round_trips_exactly(demo_backup: tuple[Path, Path], tmp_path: Path) -> None:
    source, archive = demo_backup
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["format"] == "nettonul-backup/1"
    assert manifest["engine"] == "sqlite"
    assert [e["name"] for e in manifest["entries"]] == ["database.sqlite3"]
    assert manifest["migrations"]["api"] == "0002_token_expiry"
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    target = tmp_path / "empty"
    done = _run(_env(target), "restore", str(archive), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    before, after = _rows(source / "nettonul.sqlite3"), _rows(target / "nettonul.sqlite3")
    assert set(before) == set(after)
    for name in before:
        assert before[name] == after[name], name  # every row, every value, timestamps to the microsecond
    ours = {t: r for t, r in before.items() if not t.startswith("sqlite_")}
    assert result["rows"] == sum(len(r) for r in ours.values()) > 300
    assert result["tables"] == len(ours)
    counts = {t: len(r) for t, r in after.items()}
    assert counts["organisations_organisation"] >= 2
    assert counts["auth_user"] >= 5
    assert counts["inventory_emissionrecord"] > 0
    # The restored installation works: the demo users log in with their passwords (the list of
    # generated demo passwords lives beside the database, not in it).
    (target / "demo-logins.json").write_bytes((source / "demo-logins.json").read_bytes())
    check = subprocess.run([sys.executable, "-c", (
        "from nettonul.web import setup; setup()\n"
        "from django.contrib.auth import authenticate\n"
        "from nettonul.web.demo import demo_logins\n"
        "print(sum(authenticate(username=x['username'], password=x['password']) is not None "
        "for x in demo_logins()))")], env=_env(target), capture_output=True, text=True, timeout=300, check=False)
    assert check.returncode == 0, check.stderr
    assert int(check.stdout.strip()) >= 5


@pytest.mark.slow
def test_a_damaged_backup_is_refused_before_anything_is_written(demo_backup: tuple[Path, Path],
                                                                tmp_path: Path) -> None:
    _source, archive = demo_backup
    damaged = tmp_path / "damaged.tar"
    data = bytearray(archive.read_bytes())
    with tarfile.open(archive) as tar:
        offset = tar.getmember("database.sqlite3").offset_data
    data[offset + 5000] ^= 0xFF
    damaged.write_bytes(bytes(data))
    target = tmp_path / "target"
    done = _run(_env(target), "restore", str(damaged), "--json")
    assert done.returncode == 2
    assert "does not match its SHA-256" in json.loads(done.stdout)["error"]
    assert not (target / "nettonul.sqlite3").exists() or (target / "nettonul.sqlite3").stat().st_size == 0


@pytest.mark.slow
def test_restore_refuses_a_database_that_is_not_empty(demo_backup: tuple[Path, Path], tmp_path: Path) -> None:
    source, archive = demo_backup
    done = _run(_env(source), "restore", str(archive), "--json")
    assert done.returncode == 2
    message = json.loads(done.stdout)["error"]
    assert "is not empty" in message
    assert "--replace" in message
    done = _run(_env(source), "restore", str(archive), "--replace", "--json")
    assert done.returncode == 0, done.stderr


def test_not_a_backup_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar file at all")
    done = _run(_env(tmp_path / "d"), "restore", str(junk), "--json")
    assert done.returncode == 2
    assert "is not a nettonul backup" in json.loads(done.stdout)["error"]
    done = _run(_env(tmp_path / "d"), "restore", str(tmp_path / "missing.tar"), "--json")
    assert done.returncode == 2
    assert "does not exist" in json.loads(done.stdout)["error"]


def _postgres_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect(POSTGRES.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
    except Exception:
        return False
    return True


def _pg_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    import psycopg

    with psycopg.connect(url) as con:
        tables = [r[0] for r in con.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname='public' ORDER BY tablename")]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}


@pytest.mark.postgres
@pytest.mark.slow
def test_postgresql_round_trips_with_pg_dump(tmp_path: Path) -> None:
    if not _postgres_reachable():
        pytest.skip("NOTICE: PostgreSQL is not reachable: the PostgreSQL backup test is SKIPPED")
    import psycopg

    base = POSTGRES.rsplit("/", 1)[0]
    names = [f"nettonul_backup_{uuid.uuid4().hex[:8]}_{n}" for n in ("a", "b")]
    with psycopg.connect(base + "/postgres", autocommit=True) as con:
        for name in names:
            con.execute(f'CREATE DATABASE "{name}"')
    try:
        source, target = (f"{base}/{n}" for n in names)
        done = _run(_env(tmp_path / "a", source), "demo", "--only", "741", "--json")
        assert done.returncode == 0, done.stderr
        archive = tmp_path / "pg.tar"
        done = _run(_env(tmp_path / "a", source), "backup", str(archive), "--json")
        assert done.returncode == 0, done.stderr
        assert [e["name"] for e in json.loads(done.stdout)["entries"]] == ["database.pgdump"]
        done = _run(_env(tmp_path / "b", target), "restore", str(archive), "--json")
        assert done.returncode == 0, done.stderr
        before, after = _pg_rows(source), _pg_rows(target)
        assert set(before) == set(after)
        assert sum(len(r) for r in before.values()) > 100
        for name in before:
            assert before[name] == after[name], name
    finally:
        with psycopg.connect(base + "/postgres", autocommit=True) as con:
            for name in names:
                con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
