"""The result of an organisational footprint: lines, arrays, roll-ups and intensities.

:class:`FootprintResult` holds every computed line (traceable to its activity row and factor
rows) and the array ``own[unit, category, year]`` in t CO2e on the ``ghgp-corporate``
categories. Everything a report shows is derived from that array with matrix products: the
roll-up up the unit tree, the scope summary (one 0/1 matrix from categories to scope totals)
and the intensities per employee and per m2. Scope 2 location-based and market-based stay
separate; the two totals each use one of them and are never added together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from nettonul.engine.core.arrays import FloatArray, IntArray
from nettonul.engine.core.errors import SpecError
from nettonul.engine.core.gwp import DEFAULT_GWP_SET
from nettonul.engine.footprint.factors import ILLUSTRATIVE_MARK, EmissionFactor
from nettonul.engine.footprint.orgunits import OrgTree

#: The rows of a footprint summary, in display order.
SUMMARY = ("scope1", "scope2_location", "scope2_market", "scope3", "total_location", "total_market")
#: Scope 2 market-based rules, best first (Scope 2 Guidance, table 6.3 quality hierarchy).
MARKET_RULES = {
    "contractual_instrument": (1, "energy attribute certificate or direct contract"),
    "supplier_specific": (2, "supplier-specific emission rate"),
    "residual_mix": (3, "residual mix"),
    "location_fallback": (4, "no instrument or residual mix imported: location-based factor used"),
}


@dataclass(frozen=True)
class FootprintOptions:
    """How to compute: GWP set, radiative forcing for flights, factor-year matching."""

    gwp: str = DEFAULT_GWP_SET
    radiative_forcing: bool = False
    rf_multiplier: float | None = None
    rf_source: str = ""
    exact_factor_years: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"gwp": self.gwp, "radiative_forcing": self.radiative_forcing,
                "rf_multiplier": self.rf_multiplier, "rf_source": self.rf_source,
                "exact_factor_years": self.exact_factor_years}


@dataclass(frozen=True)
class FootprintLine:
    """One computed line, traceable to its activity row and its factor rows."""

    file: str
    row: int
    org_unit: str
    year: int
    category: str
    activity: str
    amount: float
    per: str
    kg_co2e_per_unit: float
    multiplier: float
    t_co2e: float
    t_biogenic_co2: float
    method: str = ""
    rule: str = ""
    factors: tuple[EmissionFactor, ...] = ()
    extra_sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    illustrative: bool = False

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*(f.source for f in self.factors), *self.extra_sources]))

    def to_dict(self) -> dict[str, Any]:
        quality = MARKET_RULES[self.rule][0] if self.rule else None
        return {
            "file": self.file, "row": self.row, "org_unit": self.org_unit, "year": self.year,
            "category": self.category, "scope2_method": self.method or None, "activity": self.activity,
            "amount": self.amount, "amount_unit": self.per, "kg_co2e_per_unit": self.kg_co2e_per_unit,
            "multiplier": self.multiplier, "t_co2e": self.t_co2e, "t_biogenic_co2": self.t_biogenic_co2,
            "market_rule": self.rule or None, "market_quality_rank": quality,
            # a refrigerant leak without an imported row is priced with the GWP set, named in the notes
            "factors": [f.reference() for f in self.factors] or [n for n in self.notes if n.startswith("GWP")],
            "factor_years": sorted({f.year for f in self.factors}),
            "sources": list(self.sources), "notes": list(self.notes), "illustrative": self.illustrative,
        }


_SUMMARY_PARTS = {
    "scope1": ("scope1.",), "scope2_location": ("scope2_location.",), "scope2_market": ("scope2_market.",),
    "scope3": ("scope3.",), "total_location": ("scope1.", "scope2_location.", "scope3."),
    "total_market": ("scope1.", "scope2_market.", "scope3."),
}


@dataclass(frozen=True, eq=False)
class FootprintResult:
    """Emissions (t CO2e) by unit x ghgp-corporate category x year, with their lines."""

    tree: OrgTree
    years: IntArray
    categories: tuple[str, ...]
    own: FloatArray
    biogenic_own: FloatArray
    lines: tuple[FootprintLine, ...]
    options: FootprintOptions = field(default_factory=FootprintOptions)
    rf_note: str = ""
    factor_files: tuple[str, ...] = ()
    unit: str = "t_CO2e"

    # ------------------------------------------------------------------ arrays
    @cached_property
    def summary_matrix(self) -> FloatArray:
        """(summary row, category) 0/1: which categories each scope total adds up."""
        return np.array([[1.0 if c.startswith(_SUMMARY_PARTS[s]) else 0.0 for c in self.categories]
                         for s in SUMMARY])

    @cached_property
    def rolled(self) -> FloatArray:
        """Each unit plus everything below it: (unit, category, year)."""
        return self.tree.rollup(self.own)

    def by_category_array(self, rolled: bool = True) -> FloatArray:
        return self.rolled if rolled else self.own

    def summary(self, rolled: bool = True) -> FloatArray:
        """(unit, summary row, year) in the order of :data:`SUMMARY`."""
        out: FloatArray = np.einsum("sc,ucy->usy", self.summary_matrix, self.by_category_array(rolled))
        return out

    def biogenic(self, rolled: bool = True) -> FloatArray:
        """Biogenic CO2 (t), outside the scopes: (unit, year)."""
        return self.tree.rollup(self.biogenic_own) if rolled else self.biogenic_own

    def employees(self, rolled: bool = True) -> FloatArray:
        """FTE by (unit, year); rolled up over each subtree, NaN where no unit gives one."""
        own = np.stack([self.tree.employees(int(y)) for y in self.years], axis=1) if self.years.size else \
            np.zeros((len(self.tree), 0))
        return self.tree.rollup_known(own) if rolled else own

    def floor_area(self, rolled: bool = True) -> FloatArray:
        """Floor area m2 by (unit, year); rolled up like :meth:`employees`."""
        own = np.stack([self.tree.floor_area(int(y)) for y in self.years], axis=1) if self.years.size else \
            np.zeros((len(self.tree), 0))
        return self.tree.rollup_known(own) if rolled else own

    def intensity(self, per: str = "employee", rolled: bool = True) -> FloatArray:
        """t CO2e per FTE or per m2: (unit, [location total, market total], year); NaN without a divisor."""
        divisor = self.employees(rolled) if per == "employee" else self.floor_area(rolled)
        totals = self.summary(rolled)[:, 4:6, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            out: FloatArray = np.where(divisor[:, None, :] > 0, totals / divisor[:, None, :], np.nan)
        return out

    def year_index(self, year: int | None) -> int:
        if not self.years.size:
            raise SpecError("the footprint has no years: the activity data is empty")
        if year is None:
            return int(self.years.size - 1)
        hits = np.flatnonzero(self.years == year)
        if not hits.size:
            raise SpecError(f"no activity data for {year}; the data covers {', '.join(map(str, self.years))}")
        return int(hits[0])

    # ------------------------------------------------------------------ views
    def by_unit(self, year: int | None = None, rolled: bool = True) -> list[dict[str, Any]]:
        """One row per unit (parents first) with the scope summary, FTE and intensities."""
        y = self.year_index(year)
        summary, emp, area = self.summary(rolled)[:, :, y], self.employees(rolled)[:, y], self.floor_area(rolled)[:, y]
        per_fte, per_m2 = self.intensity("employee", rolled)[:, :, y], self.intensity("m2", rolled)[:, :, y]
        bio = self.biogenic(rolled)[:, y]
        return [
            {"unit": u.id, "name": u.name, "kind": u.kind, "country": u.country, "parent": u.parent,
             "depth": int(self.tree.depth[i]), **{s: float(summary[i, k]) for k, s in enumerate(SUMMARY)},
             "biogenic_co2": float(bio[i]), "employees": float(emp[i]), "floor_area_m2": float(area[i]),
             "t_per_employee_location": float(per_fte[i, 0]), "t_per_employee_market": float(per_fte[i, 1]),
             "kg_per_m2_location": float(per_m2[i, 0] * 1000), "kg_per_m2_market": float(per_m2[i, 1] * 1000)}
            for i, u in enumerate(self.tree.units)
        ]

    def by_scope(self, year: int | None = None, unit: str | None = None) -> dict[str, float]:
        """The scope summary of one unit's subtree (default: the whole organisation)."""
        i, y = self.tree.index(unit or self.tree.root.id), self.year_index(year)
        values = self.summary(True)[i, :, y]
        return {s: float(values[k]) for k, s in enumerate(SUMMARY)}

    def by_category(self, year: int | None = None, unit: str | None = None) -> dict[str, float]:
        """t CO2e per ghgp-corporate category for one subtree; categories with nothing are left out."""
        i, y = self.tree.index(unit or self.tree.root.id), self.year_index(year)
        values = self.rolled[i, :, y]
        used = {ln.category for ln in self.lines}
        return {c: float(values[k]) for k, c in enumerate(self.categories) if c in used}

    # ------------------------------------------------------------------ provenance
    def factor_rows(self) -> tuple[EmissionFactor, ...]:
        seen: dict[tuple[str, int], EmissionFactor] = {}
        for line in self.lines:
            for f in line.factors:
                seen.setdefault((f.file, f.row), f)
        return tuple(seen.values())

    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for line in self.lines for s in line.sources))

    @property
    def illustrative(self) -> bool:
        return (self.tree.illustrative or any(line.illustrative for line in self.lines)
                or ILLUSTRATIVE_MARK in self.options.rf_source.lower())

    def warnings(self) -> tuple[str, ...]:
        out: list[str] = []
        if self.illustrative:
            out.append("ILLUSTRATIVE: some factors, activity figures or unit data are marked illustrative; "
                       "these are not real emissions of the organisation")
        fallback = sum(1 for ln in self.lines if ln.rule == "location_fallback" and ln.category.endswith("electricity"))
        if fallback:
            out.append(f"{fallback} market-based electricity line(s) use the location-based factor: no contractual "
                       "instrument and no residual mix was imported for them")
        earlier = sum(1 for ln in self.lines if any("latest earlier year" in n for n in ln.notes))
        if earlier:
            out.append(f"{earlier} line(s) use a factor from an earlier year than the activity")
        return tuple(out)

    def radiative_forcing(self) -> str:
        if not self.options.radiative_forcing:
            return "radiative-forcing uplift for flights: off"
        return f"radiative-forcing uplift for flights: on, {self.rf_note or 'no flights'}"

    def to_dict(self, lines: bool = True) -> dict[str, Any]:
        years = [int(y) for y in self.years]
        units: list[dict[str, Any]] = []
        rolled_rows = {y: self.by_unit(y, rolled=True) for y in years}
        own_rows = {y: self.by_unit(y, rolled=False) for y in years}
        for i, u in enumerate(self.tree.units):
            units.append({
                "id": u.id, "name": u.name, "kind": u.kind, "country": u.country, "parent": u.parent,
                "years": {str(y): {"own": _numbers(own_rows[y][i]), "total": _numbers(rolled_rows[y][i])}
                          for y in years},
            })
        out: dict[str, Any] = {
            "organisation": self.tree.organisation, "framework": "ghgp-corporate", "unit": self.unit,
            "gwp_set": self.options.gwp, "options": self.options.to_dict(),
            "radiative_forcing": self.radiative_forcing(), "years": years, "illustrative": self.illustrative,
            "warnings": list(self.warnings()), "summary_rows": list(SUMMARY),
            "note": "total_location and total_market each contain one view of scope 2; never add them",
            "units": units,
            "categories": {str(y): self.by_category(y) for y in years},
            "biogenic_co2_outside_scopes": {str(y): float(self.biogenic(True)[0, k]) for k, y in enumerate(years)},
            "sources": [{"source": s, "illustrative": ILLUSTRATIVE_MARK in s.lower()} for s in self.sources()],
            "factor_files": list(self.factor_files),
        }
        if lines:
            out["lines"] = [ln.to_dict() for ln in self.lines]
        return out


def _numbers(row: dict[str, Any]) -> dict[str, Any]:
    keep = (*SUMMARY, "biogenic_co2", "employees", "floor_area_m2", "t_per_employee_location",
            "t_per_employee_market", "kg_per_m2_location", "kg_per_m2_market")
    return {k: row[k] for k in keep}


def summary_index(name: str) -> int:
    return SUMMARY.index(name)


__all__: Sequence[str] = ("MARKET_RULES", "SUMMARY", "FootprintLine", "FootprintOptions", "FootprintResult")
