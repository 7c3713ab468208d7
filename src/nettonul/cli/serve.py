"""The web application from the command line: ``nettonul serve``, ``nettonul migrate`` and
``nettonul demo``.

``serve`` creates and migrates the database on first run (SQLite in the user data
directory, or PostgreSQL from ``DATABASE_URL``), loads the demo data with ``--demo``,
prints the address and the demo logins, and serves with waitress (a threaded WSGI server;
16 threads by default, so 16 browsers are served at once). With ``--workers N`` (N > 1) it
serves from N processes with gunicorn's threaded workers on one listening socket: set
``NETTONUL_REDIS_URL`` then, so the processes share one cache (docs/deploy.md). gunicorn is
the well-kept pre-forking server of the Python world; its workers are restarted if they die,
which waitress (one process) does not need.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import socket
import sys
from typing import Any

import typer

from nettonul.cli.output import JSON_OPTION, console, err_console, handle_errors, print_json, table
from nettonul.engine.core.errors import NettonulError

ORDER = 80

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")


def _stop(signum: int, frame: Any) -> None:
    """SIGTERM (a service manager stopping nettonul) ends the server as Ctrl+C does: cleanly."""
    raise KeyboardInterrupt


class _Processes:
    """``workers`` gunicorn processes with ``threads`` threads each, accepting on ``listener``
    (already bound, so the address printed is listening; gunicorn takes it over). The database
    connections the set-up opened are closed first: each process opens its own."""

    def __init__(self, application: Any, listener: socket.socket, *, workers: int, threads: int) -> None:
        from django.db import connections
        from gunicorn.app.base import BaseApplication

        connections.close_all()
        listener.set_inheritable(True)
        descriptor = listener.detach()  # gunicorn owns the socket from here, and closes it
        options = {"bind": [f"fd://{descriptor}"], "workers": workers, "threads": threads,
                   "worker_class": "gthread", "proc_name": "nettonul", "timeout": 300, "graceful_timeout": 20,
                   "accesslog": None, "errorlog": "-", "loglevel": "warning"}

        class Server(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
            def load_config(self) -> None:
                for key, value in options.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                return application

        self.server = Server()

    def run(self) -> None:
        self.server.run()

    def close(self) -> None:
        """Nothing to do: gunicorn's master closes the socket when it stops."""


def _split(address: str) -> tuple[str, int]:
    host, sep, port = address.rpartition(":")
    if not sep:
        host, port = "127.0.0.1", address
    host = host.strip("[]") or "127.0.0.1"
    try:
        number = int(port)
    except ValueError:
        raise NettonulError(f"'{address}' is not HOST:PORT (e.g. 127.0.0.1:8000)") from None
    if not 0 < number < 65536:
        raise NettonulError(f"port {number} is outside 1-65535")
    return host, number


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _prepare_environment(host: str) -> list[str]:
    """Settings the server needs before Django starts; returns warnings to print."""
    warnings = []
    if "NETTONUL_ALLOWED_HOSTS" not in os.environ:
        wildcard = host in ("0.0.0.0", "::")
        hosts = ["*"] if wildcard else [host, "127.0.0.1", "localhost", "[::1]"]
        os.environ["NETTONUL_ALLOWED_HOSTS"] = ",".join(dict.fromkeys(hosts))
    if not _is_loopback(host) and "NETTONUL_SECURE_COOKIES" not in os.environ and "NETTONUL_HTTPS" not in os.environ:
        # Browsers drop Secure cookies over plain HTTP except on loopback: without this a
        # login on a network address would silently fail.
        os.environ["NETTONUL_SECURE_COOKIES"] = "0"
        warnings.append("serving plain HTTP on a network address: cookies are not marked Secure. For real use put "
                        "nettonul behind HTTPS and set NETTONUL_HTTPS=1.")
    return warnings


def _setup() -> None:
    from nettonul.web import setup

    setup()


def _migrate() -> dict[str, Any]:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    call_command("migrate", interactive=False, verbosity=0)
    db = settings.DATABASES["default"]
    where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"{db.get('HOST')}:{db.get('PORT')}/{db['NAME']}"
    return {"database": str(where), "engine": db["ENGINE"].rsplit(".", 1)[-1], "migrations_applied": len(pending)}


def _load_demo(only: list[str] | None = None) -> dict[str, Any]:
    from nettonul.web.demo import load_demo

    return load_demo(codes=only or None).to_dict()


def _warm() -> None:
    """Render the national overview once, so the shipped data and the engine are loaded
    before the first visitor arrives rather than on their request."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from nettonul.web.site.views import overview

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    overview(request)


def _logins() -> list[dict[str, str]]:
    from nettonul.web.demo import demo_logins

    return demo_logins()


def _print_logins(logins: list[dict[str, str]]) -> None:
    if logins:
        console.print(table("Demo logins", ["User", "Password", "Role"],
                            [(x["username"], x["password"], x["role"]) for x in logins], numeric_from=3))


@handle_errors
def serve(
    address: str = typer.Argument("127.0.0.1:8000", help="HOST:PORT to listen on."),
    demo: bool = typer.Option(False, "--demo", help="Load the demo data first (idempotent)."),
    threads: int = typer.Option(16, "--threads", min=1, max=256,
                                help="Threads per process (concurrent requests per process)."),
    workers: int = typer.Option(1, "--workers", min=1, max=64,
                                help="Server processes. More than one needs a shared cache: set NETTONUL_REDIS_URL "
                                     "(see docs/deploy.md)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Start the web application: migrate on first run, optionally load demo data, print the
    address and the demo logins, and serve."""
    host, port = _split(address)
    warnings = _prepare_environment(host)
    _setup()
    migrated = _migrate()
    loaded = _load_demo() if demo else None
    _warm()
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{port}/"
    logins = _logins()

    from django.core.wsgi import get_wsgi_application
    from waitress import create_server

    from nettonul.web.config.staticfiles import SecureStaticFilesHandler

    application = SecureStaticFilesHandler(get_wsgi_application())
    if workers > 1 and not os.environ.get("NETTONUL_REDIS_URL"):
        warnings.append(f"{workers} processes without NETTONUL_REDIS_URL: each keeps its own cache "
                        "(correct, but every process computes each page once)")
    # Bind first, then print: the printed address is already listening.
    try:
        if workers > 1:
            listener = socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET,
                                            backlog=2048)
            server: Any = _Processes(application, listener, workers=workers, threads=threads)
        else:
            server = create_server(application, host=host, port=port, threads=threads, ident="nettonul")
    except OSError as exc:
        raise NettonulError(f"cannot listen on {address}: {exc.strerror or exc}") from None
    if as_json:
        print_json({"address": url, "database": migrated, "demo": loaded, "logins": logins, "warnings": warnings,
                    "processes": workers, "threads": threads})
    else:
        for w in warnings:
            err_console.print(f"[yellow]warning:[/] {w}", highlight=False)
        console.print(f"nettonul database: {migrated['database']} ({migrated['engine']})", highlight=False)
        if loaded:
            console.print(f"demo data: {loaded['organisations_created']} organisations, "
                          f"{loaded['inventories_created']} inventories, {loaded['plans_created']} plans added",
                          highlight=False)
        _print_logins(logins)
        console.print(f"nettonul is running at [bold]{url}[/]  (Ctrl+C to stop)", highlight=False)
    sys.stdout.flush()
    if workers == 1:  # gunicorn's master handles its own signals
        signal.signal(signal.SIGTERM, _stop)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


@handle_errors
def migrate(as_json: bool = JSON_OPTION) -> None:
    """Create or update the database (SQLite in the data directory, or DATABASE_URL)."""
    _setup()
    result = _migrate()
    if as_json:
        print_json(result)
    else:
        console.print(f"{result['database']} ({result['engine']}): {result['migrations_applied']} migrations applied",
                      highlight=False)


@handle_errors
def demo(
    only: list[str] = typer.Option([], "--only", help="Only these kommunekoder (repeatable); all 98 by default."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Load the demo data: the 98 municipalities with their Energi- og CO2-regnskab
    inventories, the example plans and a demo user per role (idempotent)."""
    _setup()
    _migrate()
    result = _load_demo(list(only))
    if as_json:
        print_json(result)
        return
    console.print(f"added {result['organisations_created']} organisations, {result['inventories_created']} "
                  f"inventories ({result['records_created']} records), {result['plans_created']} plans, "
                  f"{result['users_created']} users", highlight=False)
    for note in result["notes"]:
        console.print(f"note: {note}", highlight=False)
    _print_logins(result["logins"])


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("migrate")(migrate)
    app.command("demo")(demo)
