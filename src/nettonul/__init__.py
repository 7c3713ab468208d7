"""nettonul: plan, check and carry out climate action plans.

Packages:
- ``nettonul.engine``: the pure computational core (inventories, pathways, actions).
- ``nettonul.documents``: pure document reading and target/commitment extraction.
- ``nettonul.web``: the Django web application and REST API.
- ``nettonul.reports``: the yearly report, built from plain inputs and rendered to PDF and Excel.
- ``nettonul.cli``: the ``nettonul`` command line.
- ``nettonul.errors``: the one root of every error nettonul raises on purpose.

The example plans, inventories and ministry files (``examples/`` in a checkout is a link to
them) ship inside the package, so ``nettonul serve --demo`` works from an installed wheel.
"""

from pathlib import Path

__version__ = "0.1.0"  # the one place the version is written; pyproject.toml reads it


def examples_dir() -> Path:
    """The folder of shipped example files: ``check/``, ``inventories/``, ``ministry/``, ``plans/``."""
    return Path(__file__).resolve().with_name("examples")
