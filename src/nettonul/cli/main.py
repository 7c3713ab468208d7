"""The ``nettonul`` command line. Each command group lives in its own module and adds
itself to the application through ``register(app)``."""

from __future__ import annotations

import importlib

import typer

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

#: Command modules, in the order their commands appear in --help.
COMMAND_MODULES = (
    "nettonul.cli.reference",
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


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    app()
