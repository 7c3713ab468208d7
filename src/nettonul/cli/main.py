"""The ``nettonul`` command line.

Each command group lives in its own module in this package and adds itself through
``register(app)``; a module-level ``ORDER`` number places it in ``--help``. Modules are
found by scanning the package, so adding a command never means editing this file.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import typer

import nettonul.cli
from nettonul import __version__

app = typer.Typer(
    name="nettonul",
    help=(
        "nettonul: climate action plans you can check and carry out. Inventories, "
        "pathways to net zero, actions, plan checks, monitoring and document import.\n\n"
        "Every command takes --json for scripting. Exit codes: 0 ok, 1 failure, 2 bad input."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nettonul {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """nettonul command line."""


def _command_modules() -> list[ModuleType]:
    modules: list[ModuleType] = []
    for info in pkgutil.iter_modules(nettonul.cli.__path__):
        if info.name in ("main", "output") or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"nettonul.cli.{info.name}")
        if hasattr(module, "register"):
            modules.append(module)
    return sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


for _module in _command_modules():
    _module.register(app)


def main() -> None:
    app()
