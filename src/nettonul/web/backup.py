"""Backup and restore of a whole nettonul installation: the database and the uploaded files.

A backup is one tar archive:

``manifest.json``
    the format, nettonul's version, when it was made, the database engine, the last migration
    of every app, and for every other member its size and SHA-256;
``database.sqlite3``
    on SQLite: a consistent copy made with SQLite's online backup API
    (:meth:`sqlite3.Connection.backup`), so the server may keep running while it is made;
``database.pgdump``
    on PostgreSQL: ``pg_dump --format=custom`` (restored with ``pg_restore``);
``files/...``
    the uploaded files kept on disk under ``MEDIA_ROOT``, when the settings name one (nettonul
    keeps uploads in the database, so normally there are none).

A restore checks every member's hash against the manifest before it writes anything, refuses
a backup of a newer schema than the installed code knows, and writes into an empty database
only, unless told to replace what is there. Timestamps and every other value round-trip exactly,
unlike ``dumpdata`` (which cuts timestamps to milliseconds).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from nettonul import __version__
from nettonul.errors import NettonulError

FORMAT = "nettonul-backup/1"
#: Pages SQLite copies per step of the online backup (each step reports progress).
SQLITE_PAGES_PER_STEP = 256
_CHUNK = 1 << 20

#: progress(done, total, what): called as the work advances.
Progress = Callable[[int, int, str], None]


class BackupError(NettonulError):
    """A backup cannot be made or restored (a damaged archive, a missing tool, a database in use)."""


@dataclass
class Result:
    """What a backup or a restore did, for the CLI's table and ``--json``."""

    archive: str
    engine: str
    database: str
    entries: list[dict[str, Any]] = field(default_factory=list)
    tables: int = 0
    rows: int = 0
    skipped: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"archive": self.archive, "engine": self.engine, "database": self.database, "entries": self.entries,
                "tables": self.tables, "rows": self.rows, "skipped": self.skipped}


def _none(_done: int, _total: int, _what: str) -> None:
    return None


def _db() -> dict[str, Any]:
    from django.conf import settings

    db: dict[str, Any] = settings.DATABASES["default"]
    return db


def _engine(db: dict[str, Any]) -> str:
    return "sqlite" if db["ENGINE"].endswith("sqlite3") else "postgresql"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_root() -> Path | None:
    from django.conf import settings

    root = getattr(settings, "MEDIA_ROOT", "") or ""
    path = Path(root) if root else None
    return path if path is not None and path.is_dir() else None


def _media_files(root: Path | None) -> Iterator[Path]:
    if root is None:
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _migrations() -> dict[str, str]:
    """The last applied migration of every app."""
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    applied = MigrationRecorder(connection).applied_migrations()
    last: dict[str, str] = {}
    for app, name in sorted(applied):
        last[app] = max(last.get(app, ""), name)
    return last


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return args, env


def _tool(name: str) -> str | None:
    return shutil.which(name)


# ----------------------------------------------------------------------------- backup
def backup(target: Path, progress: Progress = _none) -> Result:
    """Write a backup of the configured database (and uploaded files) to ``target``."""
    db = _db()
    engine = _engine(db)
    target = Path(target)
    if target.is_dir():
        raise BackupError(f"{target} is a directory; name the backup file to write")
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist")
    result = Result(archive=str(target), engine=engine, database=str(db["NAME"]))
    with tempfile.TemporaryDirectory(prefix="nettonul-backup-") as tmp:
        work = Path(tmp)
        members: list[tuple[str, Path]] = []
        if engine == "sqlite":
            copy = work / "database.sqlite3"
            _sqlite_copy(Path(db["NAME"]), copy, progress)
            members.append(("database.sqlite3", copy))
            result.tables, result.rows = _sqlite_counts(copy)
        else:
            pg_dump = _tool("pg_dump")
            if pg_dump is None:
                raise BackupError("pg_dump is not installed: install the PostgreSQL client tools (the version of "
                                  "the server or newer) to back up a PostgreSQL database")
            dump = work / "database.pgdump"
            args, env = _pg_env(db)
            progress(0, 1, "pg_dump")
            done = subprocess.run([pg_dump, "--format=custom", "--no-owner", "--file", str(dump), *args],
                                  env=env, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
            progress(1, 1, "pg_dump")
            members.append(("database.pgdump", dump))
        root = _media_root()
        files = list(_media_files(root))
        for i, path in enumerate(files, 1):
            assert root is not None
            members.append(("files/" + path.relative_to(root).as_posix(), path))
            progress(i, len(files), "files")
        result.entries = [{"name": name, "bytes": path.stat().st_size, "sha256": _sha256(path)}
                          for name, path in members]
        manifest = {"format": FORMAT, "nettonul": __version__,
                    "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "engine": engine,
                    "migrations": _migrations(), "tables": result.tables, "rows": result.rows,
                    "entries": result.entries}
        partial = target.with_name(target.name + ".partial")
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds every account
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as tar:
                data = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mtime, info.mode = len(data), int(dt.datetime.now().timestamp()), 0o600
                tar.addfile(info, io.BytesIO(data))
                for name, path in members:
                    tar.add(path, arcname=name, recursive=False)
                raw.flush()
                os.fsync(raw.fileno())
            partial.replace(target)  # a backup is there whole or not at all
        finally:
            partial.unlink(missing_ok=True)
    return result


def _sqlite_copy(source: Path, target: Path, progress: Progress) -> None:
    """A consistent copy of a live SQLite database through the online backup API."""
    _online_copy(source, target, progress, "PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal


def _online_copy(source: Path, target: Path, progress: Progress, then: str) -> None:
    """Copy ``source`` over ``target`` page by page with SQLite's online backup API, then run
    the SQL ``then`` on the target."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        def step(_status: int, remaining: int, total: int) -> None:
            progress(total - remaining, total, "database")

        src.backup(dst, pages=SQLITE_PAGES_PER_STEP, progress=step)
        dst.executescript(then)
    finally:
        dst.close()
        src.close()


def _sqlite_counts(path: Path) -> tuple[int, int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        rows = sum(con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables)
        return len(tables), rows
    finally:
        con.close()


# ----------------------------------------------------------------------------- restore
def read_manifest(archive: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive, mode="r:") as tar:
            member = tar.extractfile("manifest.json")
            if member is None:
                raise KeyError("manifest.json")
            manifest: dict[str, Any] = json.loads(member.read())
    except FileNotFoundError:
        raise BackupError(f"{archive} does not exist") from None
    except (tarfile.TarError, KeyError, ValueError, OSError) as exc:
        raise BackupError(f"{archive} is not a nettonul backup ({type(exc).__name__}: {exc})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is a backup in format {manifest.get('format')!r}; this nettonul reads {FORMAT}")
    return manifest


def _extract_checked(archive: Path, manifest: dict[str, Any], into: Path, progress: Progress) -> dict[str, Path]:
    """Every member named by the manifest, extracted and checked against its hash."""
    wanted = {e["name"]: e for e in manifest["entries"]}
    found: dict[str, Path] = {}
    with tarfile.open(archive, mode="r:") as tar:
        for i, (name, entry) in enumerate(wanted.items(), 1):
            parts = PurePosixPath(name).parts
            if PurePosixPath(name).is_absolute() or ".." in parts:
                raise BackupError(f"the backup names an unsafe path: {name}")
            try:
                member = tar.getmember(name)
            except KeyError:
                raise BackupError(f"the backup is incomplete: {name} is missing") from None
            source = tar.extractfile(member)
            if source is None:
                raise BackupError(f"the backup's {name} is not a file")
            path = into / name
            path.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with path.open("wb") as out:
                for chunk in iter(lambda: source.read(_CHUNK), b""):  # noqa: B023 (consumed in the loop)
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != entry["sha256"]:
                raise BackupError(f"the backup is damaged: {name} does not match its SHA-256 in the manifest")
            found[name] = path
            progress(i, len(wanted), "checking")
    return found


def _check_schema(manifest: dict[str, Any]) -> None:
    from django.db.migrations.loader import MigrationLoader

    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = sorted(f"{app}.{name}" for app, name in manifest.get("migrations", {}).items()
                     if (app, name) not in known)
    if unknown:
        raise BackupError("the backup was made by a newer nettonul (migrations unknown here: "
                          + ", ".join(unknown[:5]) + "); upgrade nettonul first")


def _has_data(engine: str, db: dict[str, Any]) -> bool:
    if engine == "sqlite":
        path = Path(db["NAME"])
        if not path.exists() or path.stat().st_size == 0:
            return False
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return con.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0] > 0
        finally:
            con.close()
    from django.db import connection

    return bool(connection.introspection.table_names())


def restore(archive: Path, replace: bool = False, progress: Progress = _none) -> Result:
    """Restore ``archive`` into the configured database (and ``MEDIA_ROOT``): into an empty
    database, or over the existing one with ``replace``."""
    archive = Path(archive)
    manifest = read_manifest(archive)
    db = _db()
    engine = _engine(db)
    if manifest["engine"] != engine:
        raise BackupError(f"the backup is of a {manifest['engine']} database; the configured database is {engine} "
                          "(set or unset DATABASE_URL to match)")
    _check_schema(manifest)
    if _has_data(engine, db) and not replace:
        raise BackupError(f"the database {db['NAME']} is not empty; restore into an empty data directory or "
                          "database, or pass --replace to overwrite it")
    result = Result(archive=str(archive), engine=engine, database=str(db["NAME"]), entries=manifest["entries"])
    with tempfile.TemporaryDirectory(prefix="nettonul-restore-") as tmp:
        found = _extract_checked(archive, manifest, Path(tmp), progress)
        if engine == "sqlite":
            if "database.sqlite3" not in found:
                raise BackupError("the backup holds no SQLite database")
            from django.db import connections

            connections.close_all()
            _sqlite_restore(found["database.sqlite3"], Path(db["NAME"]), progress)
            result.tables, result.rows = _sqlite_counts(Path(db["NAME"]))
        else:
            pg_restore = _tool("pg_restore")
            if pg_restore is None:
                result.skipped = ("pg_restore is not installed: install the PostgreSQL client tools to restore "
                                  "a PostgreSQL backup")
                return result
            if "database.pgdump" not in found:
                raise BackupError("the backup holds no PostgreSQL dump")
            from django.db import connections

            connections.close_all()
            args, env = _pg_env(db)
            progress(0, 1, "pg_restore")
            done = subprocess.run([pg_restore, "--clean", "--if-exists", "--no-owner", "--exit-on-error",
                                   "--single-transaction", *args, str(found["database.pgdump"])],
                                  env=env, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
            progress(1, 1, "pg_restore")
        files = {name: path for name, path in found.items() if name.startswith("files/")}
        if files:
            from django.conf import settings

            root = Path(getattr(settings, "MEDIA_ROOT", "") or "")
            if not str(root) or str(root) == ".":
                raise BackupError("the backup holds uploaded files but MEDIA_ROOT is not set")
            for name, path in files.items():
                dest = root / name.removeprefix("files/")
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, dest)
    return result


def _sqlite_restore(source: Path, target: Path, progress: Progress) -> None:
    """Copy the backed-up database over ``target`` with the online backup API (page by page,
    in one transaction on the target), keeping the target owner-only."""
    from nettonul.web.config.settings import SQLITE_INIT, sqlite_file

    sqlite_file(target)
    _online_copy(source, target, progress, SQLITE_INIT.replace("; ", ";\n") + ";")
