"""nettonul: plan, check and carry out climate action plans.

Packages:
- ``nettonul.engine``: the pure computational core (inventories, pathways, actions).
- ``nettonul.documents``: pure document reading and target/commitment extraction.
- ``nettonul.web``: the Django web application and REST API.
- ``nettonul.cli``: the ``nettonul`` command line.

The example plans, inventories and ministry files (``examples/`` in a checkout is a link to
them) ship inside the package, so ``nettonul serve --demo`` works from an installed wheel.
"""

from pathlib import Path

__version__ = "0.1.0"  # the one place the version is written; pyproject.toml reads it


def examples_dir() -> Path:
    """The folder of shipped example files: ``check/``, ``inventories/``, ``ministry/``, ``plans/``."""
    return Path(__file__).resolve().with_name("examples")
