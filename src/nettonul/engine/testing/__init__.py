"""Helpers for testing code that uses the engine: example fixtures and pathway comparisons.

For the project's own tests and for anyone who builds on the engine (a notebook, another
tool). :mod:`nettonul.engine.testing.strategies` adds shared hypothesis strategies (random
inventories, plans, organisation trees, panels); it needs ``hypothesis`` (the ``dev`` extra).

May import the engine's public modules and the shipped examples; nothing imports it but tests.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nettonul import examples_dir
from nettonul.engine.inventory.model import Inventory
from nettonul.engine.inventory.readers import read_inventory
from nettonul.engine.pathway.pathway import Pathway
from nettonul.engine.plan.spec import Plan, load_plan

__all__ = ["assert_pathway_close", "example_inventory", "example_path", "example_plan"]

#: The series of a :class:`Pathway` compared by :func:`assert_pathway_close` (org x year or org).
PATHWAY_SERIES = ("historical", "bau_total", "scenario", "gap", "shortfall", "budget", "used", "remaining",
                  "scenario_cumulative", "target_levels")


def example_path(*parts: str) -> Path:
    """A shipped example file, e.g. ``example_path("plans", "samsoe.yaml")``; an error if it is missing."""
    path = examples_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"no shipped example {'/'.join(parts)} (looked in {examples_dir()})")
    return path


def example_inventory(name: str = "eksempelby.csv") -> Inventory:
    """An example inventory from ``examples/inventories/`` (the illustrative town Eksempelby by default)."""
    return read_inventory(example_path("inventories", name))


def example_plan(name: str = "samsoe.yaml") -> Plan:
    """An example plan from ``examples/plans/`` (Samsø's by default), its file paths resolved."""
    return load_plan(example_path("plans", name))


def assert_pathway_close(actual: Pathway, expected: Pathway, *, rtol: float = 1e-9, atol: float = 1e-6) -> None:
    """Raise ``AssertionError`` naming the first series and organisation where two pathways differ.

    Compares the years, organisations and every series in :data:`PATHWAY_SERIES` plus the target
    path, NaN equal to NaN (years without data), tolerances as in :func:`numpy.isclose`.
    """
    if not np.array_equal(actual.years, expected.years):
        raise AssertionError(f"years differ: {actual.years[[0, -1]]} vs {expected.years[[0, -1]]}")
    if actual.history.orgs != expected.history.orgs:
        raise AssertionError(f"organisations differ: {actual.history.orgs} vs {expected.history.orgs}")
    pairs = [(name, getattr(actual, name), getattr(expected, name)) for name in PATHWAY_SERIES]
    pairs.append(("path", actual.path.values, expected.path.values))
    for name, a, e in pairs:
        a = np.asarray(a, dtype=np.float64)
        e = np.asarray(e, dtype=np.float64)
        if a.shape != e.shape:
            raise AssertionError(f"{name}: shapes differ, {a.shape} vs {e.shape}")
        close = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
        if not close.all():
            where = tuple(int(i) for i in np.argwhere(~close)[0])
            org = actual.history.orgs[where[0]] if a.ndim >= 1 and a.shape[0] == len(actual.history.orgs) else "-"
            year = (f", year {int(actual.years[where[-1]])}"
                    if a.ndim == 2 and a.shape[-1] == actual.years.size else "")
            raise AssertionError(f"{name} differs for organisation {org}{year}: {a[where]!r} vs {e[where]!r} "
                                 f"({int((~close).sum())} value(s) differ; rtol={rtol}, atol={atol})")
