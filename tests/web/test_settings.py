"""Settings and security (nettonul/web/config): database from the environment, the secret
key kept in the data directory, security headers and cookie flags."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from nettonul.web.config import settings as config


def test_database_url_is_parsed(tmp_path: Path) -> None:
    db = config.database("postgresql://nn:s%40cret@db.example:6543/plans?sslmode=require", tmp_path)
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql", "plans", "nn", "s@cret", "db.example", "6543")
    assert db["OPTIONS"] == {"sslmode": "require"}
    with pytest.raises(ImproperlyConfigured):
        config.database("mysql://x@y/z", tmp_path)


def test_default_database_is_sqlite_in_the_data_dir_with_wal(tmp_path: Path) -> None:
    db = config.database(None, tmp_path)
    assert db["NAME"] == str(tmp_path / "nettonul.sqlite3")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]


def test_data_directory_and_database_files_are_owner_only(tmp_path: Path, monkeypatch: Any) -> None:
    import sqlite3

    shared = tmp_path / "data"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    monkeypatch.setenv("NETTONUL_DATA_DIR", str(shared))
    assert config.data_dir() == shared
    assert stat.S_IMODE(shared.stat().st_mode) == 0o700  # an existing, readable folder is tightened
    fresh = tmp_path / "new" / "dir"
    monkeypatch.setenv("NETTONUL_DATA_DIR", str(fresh))
    assert stat.S_IMODE(config.data_dir().stat().st_mode) == 0o700
    db = Path(config.database(None, shared)["NAME"])
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    with sqlite3.connect(db) as conn:  # SQLite's WAL and shared-memory files follow the database file
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (1)")
        for extra in ("-wal", "-shm"):
            assert stat.S_IMODE(Path(f"{db}{extra}").stat().st_mode) == 0o600
    db.chmod(0o644)  # a file left readable by an earlier version is tightened on the next start
    config.database(None, shared)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_secret_key_is_generated_once_and_private(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = config.secret_key(tmp_path)
    assert len(first) >= 50
    assert config.secret_key(tmp_path) == first
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    monkeypatch.setenv("SECRET_KEY", "given")
    assert config.secret_key(tmp_path) == "given"


def test_security_headers_and_cookie_flags(client: Any, users: dict[str, Any], settings: Any) -> None:
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SECURE
    assert settings.CSRF_COOKIE_SECURE


def test_login_needs_csrf(users: dict[str, Any]) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/login/", {"username": "editor-kbh@demo", "password": "x"})
    assert response.status_code == 403


def test_redis_url_gives_both_caches_one_shared_server_apart_by_prefix() -> None:
    found = config.caches("redis://127.0.0.1:6379/3", None)
    assert set(found) == {"default", "responses"}
    for name, cache in found.items():
        assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert cache["LOCATION"] == "redis://127.0.0.1:6379/3"
        assert cache["KEY_PREFIX"] == f"nettonul-{name}"
        assert cache["OPTIONS"]["socket_timeout"] > 0


def test_without_redis_the_caches_are_per_process_or_a_shared_directory(tmp_path: Path) -> None:
    found = config.caches(None, None)
    assert found["default"]["BACKEND"].endswith("LocMemCache")
    assert found["responses"]["BACKEND"].endswith("LocMemCache")
    found = config.caches("", str(tmp_path))
    assert found["default"]["BACKEND"].endswith("FileBasedCache")
    assert found["default"]["LOCATION"] == str(tmp_path)


def test_the_running_caches_are_the_configured_ones() -> None:
    """The suite runs once with NETTONUL_REDIS_URL (scripts/test's PostgreSQL run): then every
    cache the site uses is the shared Redis server, and what one process keeps another reads."""
    import os

    from django.core.cache import caches

    url = os.environ.get("NETTONUL_REDIS_URL")
    backend = "RedisCache" if url else "LocMemCache"
    assert type(caches["responses"]).__name__ == backend
    assert type(caches["default"]).__name__ in (backend, "FileBasedCache")
    if url:
        import redis

        caches["default"].set("shared-probe", 42, 30)
        keys = redis.Redis.from_url(url).keys("nettonul-default:*shared-probe")
        assert len(keys) == 1
