"""Checks of the inventory that would be stored, not only of the file being read.

An upload is merged with the inventory already stored before anything is written, and the
merged result must be free of double counts just like one file is: a sector given together
with one of its sub-sectors for the same organisation, year and gas (CO2e overlaps every gas)
counts those emissions twice, whether both rows come from one file or one from the file and
one from an earlier version. :func:`double_counts` finds every such pair in one inventory and
returns them as data (record indices), so the caller can say where each record came from in
its own words and language. :func:`sector_year_totals` gives the per-sector, per-year totals
a preview compares between the stored inventory and the merged one.

May import: :mod:`~nettonul.engine.core` (via the inventory model) and the standard library.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nettonul.engine.inventory.model import Inventory


@dataclass(frozen=True)
class DoubleCount:
    """A parent sector record and a sub-sector record that overlap (same organisation and
    year, the same gas or CO2e on either side): their indices in the inventory's records."""

    org: str
    year: int
    parent: str
    child: str
    parent_index: int
    child_index: int


def double_counts(inventory: Inventory) -> list[DoubleCount]:
    """Every (parent record, sub-sector record) pair of ``inventory`` that would count the same
    emissions twice, ordered by organisation, year, parent and child record."""
    fw = inventory.framework_tree
    by_key: dict[tuple[str, int, str], list[int]] = {}
    for i, (org, year, sector) in enumerate(zip(inventory.org.tolist(), inventory.year.tolist(),
                                                inventory.sector.tolist(), strict=True)):
        by_key.setdefault((org, int(year), sector), []).append(i)
    gas = inventory.gas.tolist()
    out: list[DoubleCount] = []
    for (org, year, sector), children in by_key.items():
        for parent in fw.ancestors(sector):
            for p in by_key.get((org, year, parent), ()):
                for c in children:
                    if gas[p] == gas[c] or "CO2e" in (gas[p], gas[c]):
                        out.append(DoubleCount(org, year, parent, sector, p, c))
    return sorted(out, key=lambda d: (d.org, d.year, d.parent_index, d.child_index))


def sector_year_totals(inventory: Inventory | None) -> dict[tuple[str, int], float]:
    """t CO2e per (top-level sector, year) of ``inventory`` (records without a number, such as
    notation keys, add nothing); empty for None."""
    if inventory is None or not len(inventory):
        return {}
    fw = inventory.framework_tree
    top = {code: fw.top_level(code) for code in set(inventory.sector.tolist())}
    out: dict[tuple[str, int], float] = {}
    for sector, year, value in zip(inventory.sector.tolist(), inventory.year.tolist(), inventory.co2e.tolist(),
                                   strict=True):
        if value is None or math.isnan(value):
            continue
        key = (top[sector], int(year))
        out[key] = out.get(key, 0.0) + float(value)
    return out


@dataclass(frozen=True)
class Change:
    """One sector and year of a comparison: the stored and the new t CO2e (None where absent)
    and the relative change (None when either side is absent or the old value is zero)."""

    sector: str
    year: int
    old: float | None
    new: float | None

    @property
    def change(self) -> float | None:
        if self.old is None or self.new is None or self.old == 0:
            return None
        return self.new / self.old - 1.0

    def is_large(self, threshold: float) -> bool:
        """A change of at least ``threshold`` (a fraction), or a sector-year that appears or vanishes."""
        if self.old is None or self.new is None:
            return (self.old or 0.0) != (self.new or 0.0)
        if self.old == 0:
            return self.new != 0
        return abs(self.new / self.old - 1.0) >= threshold


def compare(old: Inventory | None, new: Inventory, years: set[int] | None = None) -> list[Change]:
    """Per top-level sector and year, the stored (``old``) and the new totals; only ``years``
    when given (the years an upload touches), ordered by year and the framework's sector order."""
    before, after = sector_year_totals(old), sector_year_totals(new)
    keys = set(before) | set(after)
    if years is not None:
        keys = {k for k in keys if k[1] in years}
    order = {code: i for i, code in enumerate(new.framework_tree.top_level_codes())}
    changes = [Change(s, y, before.get((s, y)), after.get((s, y))) for s, y in keys]
    return sorted(changes, key=lambda c: (c.year, order.get(c.sector, len(order)), c.sector))


def years_of(inventory: Inventory) -> set[int]:
    """The years ``inventory`` has records for."""
    return {int(y) for y in np.unique(inventory.year).tolist()}
