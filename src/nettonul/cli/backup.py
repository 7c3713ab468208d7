"""``nettonul backup FILE`` and ``nettonul restore FILE``: the whole installation (database and
uploaded files) to one archive with a manifest of SHA-256 hashes, and back (see
:mod:`nettonul.web.backup`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from nettonul.cli.output import JSON_OPTION, console, err_console, handle_errors, print_json, table

ORDER = 85


@contextmanager
def _bar(enabled: bool) -> Iterator[Callable[[int, int, str], None]]:
    """A progress bar on stderr, one task per step (database, files, checking)."""
    if not enabled or not err_console.is_terminal:
        yield lambda _done, _total, _what: None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                  TimeElapsedColumn(), console=err_console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def update(done: int, total: int, what: str) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(what, total=max(total, 1))
            bar.update(tasks[what], completed=done, total=max(total, 1))

        yield update


def _print(result: dict[str, Any], verb: str) -> None:
    console.print(table(f"{verb}: {result['archive']}", ["Member", "Bytes", "SHA-256"],
                        [(e["name"], f"{e['bytes']:,}", e["sha256"][:16] + "…") for e in result["entries"]],
                        numeric_from=1))
    where = f"{result['engine']} database {result['database']}"
    counts = f": {result['tables']} tables, {result['rows']:,} rows" if result["tables"] else ""
    console.print(f"{verb} {where}{counts}", highlight=False)


@handle_errors
def backup(
    file: Path = typer.Argument(..., help="The archive to write (a .tar file)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Back up the database (SQLite's online backup, or pg_dump on PostgreSQL) and the uploaded
    files to FILE, with a manifest of SHA-256 hashes. The server may keep running."""
    from nettonul.web import backup as work
    from nettonul.web import setup

    setup()
    with _bar(not as_json) as progress:
        result = work.backup(file, progress).to_dict()
    if as_json:
        print_json({"ok": True, **result})
    else:
        _print(result, "backed up")


@handle_errors
def restore(
    file: Path = typer.Argument(..., help="An archive written by 'nettonul backup'."),
    replace: bool = typer.Option(False, "--replace", help="Overwrite a database that is not empty."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Restore FILE into the configured database (an empty one unless --replace), after
    checking every member against the manifest's SHA-256. Stop the server first."""
    from nettonul.web import backup as work
    from nettonul.web import setup

    setup()
    with _bar(not as_json) as progress:
        result = work.restore(file, replace=replace, progress=progress).to_dict()
    if result["skipped"]:
        if as_json:
            print_json({"ok": False, **result})
        else:
            err_console.print(f"[yellow]skipped:[/] {result['skipped']}", highlight=False)
        raise typer.Exit(1)
    if as_json:
        print_json({"ok": True, **result})
    else:
        _print(result, "restored")


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)
