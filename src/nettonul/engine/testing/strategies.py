"""Shared hypothesis strategies for the engine's property tests.

Random inventories, plan documents (as data, before validation), organisation trees and
inventory panels: the inputs whose invariants the engine promises (sector sums equal totals,
attributions add up to the reduction, a unit's total is its own plus its children's).
Needs ``hypothesis`` (the ``dev`` extra).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nettonul.engine.core.frameworks import get_framework
from nettonul.engine.core.panel import Panel
from nettonul.engine.footprint.orgunits import OrgTree, OrgUnit
from nettonul.engine.inventory.model import Inventory

__all__ = ["effects", "inventories", "panels", "plans", "trees"]

ORGS = ("101", "147", "eksempelby")
COUNTRIES = ("DK", "VN", "FR")
share = st.floats(0.0, 1.0)
year = st.integers(2025, 2030)


def inventories(framework: str = "dk-municipal", sectors: tuple[str, ...] | None = None,
                orgs: tuple[str, ...] = ORGS, max_records: int = 40) -> st.SearchStrategy[Inventory]:
    """Random inventories of up to ``max_records`` records (every sector of the framework by default)."""
    codes = sectors if sectors is not None else tuple(s.code for s in get_framework(framework))
    record = st.tuples(st.sampled_from(orgs), st.integers(2015, 2020), st.sampled_from(codes),
                       st.sampled_from(("CO2", "CH4", "N2O", "CO2e")),
                       st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False), st.booleans())

    def build(records: list[tuple[str, int, str, str, float, bool]]) -> Inventory:
        columns: dict[str, list[Any]] = {"org": [r[0] for r in records], "year": [r[1] for r in records],
                   "sector": [r[2] for r in records], "gas": [r[3] for r in records],
                   "co2e": [r[4] for r in records], "amount": [r[4] for r in records],
                   "unit": ["t_CO2e"] * len(records), "estimated": [r[5] for r in records]}
        return Inventory.from_columns(framework, "AR5", columns)

    return st.lists(record, min_size=1, max_size=max_records).map(build)


MARK = {"assumption": True, "reason": "test figure"}
CARRIERS = {"energy": ["oil", "gas", "electricity"], "transport": ["cars", "bus"]}

@st.composite
def effects(draw: st.DrawFn) -> dict[str, Any]:
    """One action effect of a random kind, as plan-file data."""
    kind = draw(st.sampled_from(["demand", "switch", "shift", "factor", "removal"]))
    if kind in ("demand", "factor"):
        sector = draw(st.sampled_from(["energy", "transport", "agriculture"]))
        carriers = (draw(st.lists(st.sampled_from(CARRIERS[sector]), min_size=1, max_size=2, unique=True))
                    if sector in CARRIERS and draw(st.booleans()) else None)
        return {"type": kind, "sector": sector, "carriers": carriers, "reduction": draw(share)}
    if kind == "switch":
        src, dst = draw(st.permutations(CARRIERS["energy"]))[:2]
        return {"type": "switch", "sector": "energy", "from": src, "to": dst, "share": draw(share),
                "efficiency_ratio": draw(st.floats(0.1, 3.0))}
    if kind == "shift":
        src, dst = draw(st.permutations(CARRIERS["transport"]))
        if draw(st.booleans()):
            return {"type": "shift", "sector": "transport", "from": src, "to": "electricity", "to_sector": "energy",
                    "share": draw(share), "ratio": draw(st.floats(0.0, 2.0))}
        return {"type": "shift", "sector": "transport", "from": src, "to": dst, "share": draw(share),
                "ratio": draw(st.floats(0.0, 2.0))}
    return {"type": "removal", "sector": "lulucf", "activity": "forest", "amount": draw(st.floats(0, 100)),
            "unit": "ha", "rate": draw(st.floats(0, 10))}


@st.composite
def plans(draw: st.DrawFn, max_actions: int = 6) -> dict[str, Any]:
    """Plan-file data with an inline inventory and up to ``max_actions`` random actions."""
    drawn = draw(st.lists(effects(), min_size=1, max_size=max_actions))
    actions = []
    for i, e in enumerate(drawn):
        start = draw(year)
        actions.append({"id": f"a{i}", "title": f"a{i}", "effect": e,
                        "schedule": {"start": start, "full": start + draw(st.integers(0, 4)),
                                     "curve": draw(st.sampled_from(["step", "linear", "logistic"]))}})
    return {
        "name": "random", "organisation": "test", "horizon": 2036, "baseline": {"method": "constant"},
        "inventory": {"source": "inline", "year": 2024,
                      "emissions": {"energy": draw(st.floats(0, 1e6)), "transport": draw(st.floats(0, 1e5)),
                                    "agriculture": draw(st.floats(-1e3, 1e5))}},
        "activity": {
            "energy": [{"carrier": "oil", "share": 0.5, "factor": 0.266, **MARK},
                       {"carrier": "gas", "share": 0.2, "factor": "br18.grid_gas", **MARK},
                       {"carrier": "electricity", "share": 0.3, "factor": "br18.electricity", **MARK}],
            "transport": [{"carrier": "cars", "share": 0.9, "factor": 0.264, **MARK},
                          {"carrier": "bus", "share": 0.1, "factor": 0.266, **MARK}]},
        "actions": actions,
    }


@st.composite
def trees(draw: st.DrawFn, max_units: int = 12) -> OrgTree:
    """Random trees: unit i's parent is any earlier unit."""
    n = draw(st.integers(1, max_units))
    parents = [None] + [draw(st.integers(0, i - 1)) for i in range(1, n)]
    units = [OrgUnit(f"u{i}", f"Unit {i}", "ministry" if p is None else "embassy",
                     draw(st.sampled_from(COUNTRIES)), None if p is None else f"u{p}",
                     employees=draw(st.floats(1, 500)))
             for i, p in enumerate(parents)]
    order = draw(st.permutations(units))  # file order must not matter
    return OrgTree(order)


SECTORS = ("energy", "transport", "agriculture", "waste", "industry")


@st.composite
def panels(draw: st.DrawFn) -> Panel:
    """Inventory panels of one to three municipalities over random year ranges since 2008."""
    n_orgs = draw(st.integers(1, 3))
    first = draw(st.integers(2008, 2020))  # population (the frozen driver) starts in 2008
    last = draw(st.integers(first, 2023))
    shape = (n_orgs, len(SECTORS), last - first + 1)
    values = draw(arrays(np.float64, shape, elements=st.floats(-1e4, 1e6, allow_nan=False)))
    return Panel(("101", "147", "825")[:n_orgs], SECTORS, np.arange(first, last + 1, dtype=np.int64),
                 values)
