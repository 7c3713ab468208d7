"""Shared behaviour of every CLI command: ``--json`` output, rich tables, progress bars,
and exit codes (0 ok, 1 failure, 2 bad input)."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nettonul.engine.core import i18n, jsondata
from nettonul.engine.core.errors import NettonulError, ValidationError

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2

console = Console()
err_console = Console(stderr=True)

JSON_OPTION = typer.Option(False, "--json", help="Print machine-readable JSON instead of tables.")

T = TypeVar("T")


def print_json(data: Any) -> None:
    """``data`` as JSON on stdout, NaN and infinities as null."""
    sys.stdout.write(jsondata.dumps(data, indent=2) + "\n")


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]],
          caption: str | None = None, numeric_from: int = 1) -> Table:
    """A rich table; columns from ``numeric_from`` on are right-aligned."""
    t = Table(title=title, caption=caption, caption_justify="left")
    for i, c in enumerate(columns):
        t.add_column(c, justify="right" if i >= numeric_from else "left")
    for r in rows:
        t.add_row(*[str(x) for x in r])
    return t


def fmt(value: float | None, digits: int = 0) -> str:
    """A number for a table: thousands separators, '-' for missing."""
    return i18n.number(value, "en", digits)


@contextmanager
def progress(description: str, total: int, enabled: bool = True) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr (hidden for --json or when not a terminal); yields advance(n)."""
    if not enabled or total <= 1:
        def _noop(n: int = 1) -> None:
            return None
        yield _noop
        return
    with Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err_console, transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)

        def _advance(n: int = 1) -> None:
            bar.advance(task, n)

        yield _advance


def finite_non_negative(value: float | None) -> float | None:
    """An option callback: a number that is finite and not negative (``nan``, ``inf`` and
    ``-5`` are refused with exit 2)."""
    if value is not None and not (math.isfinite(value) and value >= 0):
        raise typer.BadParameter(f"{value} is not a finite number of at least 0")
    return value


def handle_errors(func: Callable[..., T]) -> Callable[..., T]:
    """Turn nettonul's errors into a clear message and exit code 2 (bad input) or 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        as_json = bool(kwargs.get("as_json"))
        try:
            return func(*args, **kwargs)
        except ValidationError as exc:
            _fail(as_json, exc.args[0].splitlines()[0],
                  [{"file": p.file, "row": p.row, "column": p.column, "reason": p.reason}
                   for p in exc.problems], EXIT_BAD_INPUT)
        except (NettonulError, FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError) as exc:
            _fail(as_json, str(exc), None, EXIT_BAD_INPUT)
        except UnicodeDecodeError as exc:
            _fail(as_json, f"the file is not text in the expected encoding ({exc.reason} at byte {exc.start})",
                  None, EXIT_BAD_INPUT)
        except RecursionError:
            _fail(as_json, "the input is nested too deeply to read", None, EXIT_BAD_INPUT)
        raise AssertionError("unreachable")

    return wrapper


def _fail(as_json: bool, message: str, problems: list[dict[str, Any]] | None, code: int) -> None:
    if as_json:
        payload: dict[str, Any] = {"ok": False, "error": message}
        if problems is not None:
            payload["problems"] = problems
        print_json(payload)
    else:
        err_console.print(f"[bold red]error:[/] {message}", highlight=False)
        for p in problems or []:
            where = p["file"] + (f", row {p['row']}" if p["row"] is not None else "")
            where += f", column '{p['column']}'" if p["column"] else ""
            err_console.print(f"  - {where}: {p['reason']}", highlight=False)
    raise typer.Exit(code)
