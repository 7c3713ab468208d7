"""Peer comparison: footprint intensity and change of several organisations side by side.

A foreign ministry compares its footprint per employee with peer organisations. Peers come
as a table with one row per organisation and year (scope totals as published by each peer,
with the source) and, optionally, the organisation's own computed footprint. The comparison
is arrays over organisation x year: totals with location- or market-based scope 2, intensity
per FTE and per m2, change against a base year, and a rank by intensity (1 = lowest).

Peer table template::

    organisation, year, scope1, scope2_location, scope2_market, scope3, employees,
    floor_area_m2, source, note

scope2_market may be empty (the location value is then used as the market value, as the
Scope 2 Guidance prescribes where no market instruments exist); scope3 may be empty when a
peer does not report it, which the comparison shows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import field_validator

from nettonul.engine.core.arrays import FloatArray, IntArray
from nettonul.engine.core.errors import Problem, SpecError, ValidationError
from nettonul.engine.footprint.factors import ILLUSTRATIVE_MARK
from nettonul.engine.footprint.result import SUMMARY, FootprintResult
from nettonul.engine.io.columns import (
    NonNegativeNumber,
    RowModel,
    Text,
    Year,
    headers_of,
    required,
    validate_table_rows,
)
from nettonul.engine.io.tables import Source, read_table

TEMPLATE_COLUMNS = ("organisation", "year", "scope1", "scope2_location", "scope2_market", "scope3", "employees",
                    "floor_area_m2", "source", "note")
BASES = ("location", "market")


@dataclass(frozen=True)
class PeerFootprint:
    """One organisation's footprint in one year (t CO2e)."""

    organisation: str
    year: int
    scope1: float
    scope2_location: float
    scope2_market: float
    scope3: float
    employees: float
    floor_area_m2: float = float("nan")
    source: str = ""
    note: str = ""

    def total(self, basis: str = "market") -> float:
        scope2 = self.scope2_market if basis == "market" else self.scope2_location
        return self.scope1 + scope2 + (0.0 if math.isnan(self.scope3) else self.scope3)

    @property
    def illustrative(self) -> bool:
        return ILLUSTRATIVE_MARK in self.source.lower()


def peers_from_result(result: FootprintResult, unit: str | None = None, name: str = "") -> list[PeerFootprint]:
    """The organisation's own footprint (or one subtree's) as peer rows, one per year."""
    i = result.tree.index(unit or result.tree.root.id)
    summary, emp, area = result.summary(True)[i], result.employees(True)[i], result.floor_area(True)[i]
    k = {s: SUMMARY.index(s) for s in SUMMARY}
    label = name or (result.tree.unit(unit).name if unit else result.tree.organisation)
    source = "computed by nettonul from " + ", ".join(result.factor_files or ("imported factors",))
    if result.illustrative:
        source = "ILLUSTRATIVE - " + source
    return [
        PeerFootprint(label, int(y), float(summary[k["scope1"], j]), float(summary[k["scope2_location"], j]),
                      float(summary[k["scope2_market"], j]), float(summary[k["scope3"], j]), float(emp[j]),
                      float(area[j]), source)
        for j, y in enumerate(result.years.tolist())
    ]


NUMERIC_COLUMNS = ("year", "scope1", "scope2_location", "scope2_market", "scope3", "employees", "floor_area_m2")
REQUIRED_COLUMNS = ("organisation", "year", "scope1", "scope2_location", "employees", "source")
_VALUE = "a value is required"


class PeerRow(RowModel):
    """A valid row of a peer table (t CO2e by scope as the peer publishes them)."""

    organisation: Text = required("name the organisation")
    year: Year = required("a year is required")
    scope1: NonNegativeNumber = required(_VALUE)
    scope2_location: NonNegativeNumber = required(_VALUE)
    scope2_market: NonNegativeNumber | None = None
    scope3: NonNegativeNumber = math.nan
    employees: NonNegativeNumber = required(_VALUE)
    floor_area_m2: NonNegativeNumber = math.nan
    source: Text = required("say where the peer's figures are published")
    note: Text = ""

    @field_validator("employees")
    @classmethod
    def _some_employees(cls, value: float) -> float:
        if value == 0:
            raise ValueError("0 employees gives no intensity")
        return value

    def footprint(self) -> PeerFootprint:
        """The peer's footprint; without a market-based figure scope 2 is the location-based one."""
        market = self.scope2_location if self.scope2_market is None else self.scope2_market
        return PeerFootprint(self.organisation, self.year, self.scope1, self.scope2_location, market, self.scope3,
                             self.employees, self.floor_area_m2, self.source, self.note)


def load_peers(source: Source, *, name: str | None = None) -> tuple[PeerFootprint, ...]:
    """Read and validate a peer table (CSV/Excel); all-or-nothing.

    ``source`` is a path, bytes or a binary file object; ``name`` is the file name shown in
    messages and decides the format for bytes and file objects.
    """
    table = read_table(source, name=name)
    file = table.info.name
    header = [c.lower() for c in table.header]
    problems = [Problem(file, None, c, "required column is missing") for c in REQUIRED_COLUMNS if c not in header]
    problems += [Problem(file, None, c, "unknown column; the template's columns are " + ", ".join(TEMPLATE_COLUMNS))
                 for c in header if c not in TEMPLATE_COLUMNS]
    rows, number_problems = table.keyed_rows(lambda c: c in NUMERIC_COLUMNS)
    problems += number_problems
    if problems:
        raise ValidationError(problems, what=f"peer footprints ({file})")
    headers = headers_of(table)
    checked = validate_table_rows(PeerRow, rows, file=file, headers=headers)
    problems = checked.problems
    out: list[PeerFootprint] = []
    seen: dict[tuple[str, int], int] = {}
    for row, peer in zip(rows, checked.models, strict=True):
        if peer is None:
            continue
        if (peer.organisation, peer.year) in seen:
            problems.append(Problem(file, row.number, headers.get("year", "year"),
                                    f"{peer.organisation} {peer.year} is already on row "
                                    f"{seen[(peer.organisation, peer.year)]}"))
            continue
        seen[(peer.organisation, peer.year)] = row.number
        out.append(peer.footprint())
    if not rows:
        problems.append(Problem(file, None, None, "no peer rows"))
    if problems:
        raise ValidationError(problems, what=f"peer footprints ({file})")
    return tuple(out)


@dataclass(frozen=True)
class PeerComparison:
    """Organisations x years, with the comparison year and base year chosen."""

    organisations: tuple[str, ...]
    years: IntArray
    totals: FloatArray
    employees: FloatArray
    floor_area: FloatArray
    scope3_reported: npt.NDArray[np.bool_]
    sources: tuple[str, ...]
    basis: str
    year: int
    base_year: int

    def _col(self, year: int) -> int:
        return int(np.flatnonzero(self.years == year)[0])

    def per_employee(self) -> FloatArray:
        """t CO2e per FTE, (organisation, year)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            out: FloatArray = self.totals / self.employees
        return out

    def per_m2(self) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            out: FloatArray = self.totals / self.floor_area
        return out

    def change(self, values: FloatArray) -> FloatArray:
        """Relative change from base year to comparison year, per organisation."""
        base, now = values[:, self._col(self.base_year)], values[:, self._col(self.year)]
        with np.errstate(divide="ignore", invalid="ignore"):
            out: FloatArray = np.where(base > 0, now / base - 1.0, np.nan)
        return out

    def rank(self) -> FloatArray:
        """1 = lowest t CO2e per FTE in the comparison year; NaN where there is no value."""
        v = self.per_employee()[:, self._col(self.year)]
        order = np.argsort(np.where(np.isnan(v), np.inf, v), kind="stable")
        ranks = np.empty(v.size)
        ranks[order] = np.arange(1, v.size + 1)
        out: FloatArray = np.where(np.isnan(v), np.nan, ranks)
        return out

    def rows(self) -> list[dict[str, Any]]:
        j = self._col(self.year)
        per_fte, per_m2, rank = self.per_employee(), self.per_m2(), self.rank()
        ch_total, ch_fte = self.change(self.totals), self.change(per_fte)
        return [
            {"organisation": o, "year": self.year, "total_t_co2e": float(self.totals[i, j]),
             "employees": float(self.employees[i, j]), "t_per_employee": float(per_fte[i, j]),
             "kg_per_m2": float(per_m2[i, j] * 1000), "change_total_vs_base": float(ch_total[i]),
             "change_t_per_employee_vs_base": float(ch_fte[i]), "rank_t_per_employee": float(rank[i]),
             "scope3_reported": bool(self.scope3_reported[i, j]), "source": self.sources[i]}
            for i, o in enumerate(self.organisations)
        ]

    @property
    def illustrative(self) -> bool:
        return any(ILLUSTRATIVE_MARK in s.lower() for s in self.sources)

    def to_dict(self) -> dict[str, Any]:
        return {"basis": f"total with {self.basis}-based scope 2", "year": self.year, "base_year": self.base_year,
                "unit": "t_CO2e", "illustrative": self.illustrative, "peers": self.rows()}


def compare_peers(records: Sequence[PeerFootprint], year: int | None = None, base_year: int | None = None,
                  basis: str = "market") -> PeerComparison:
    """Side-by-side intensities; ``year`` defaults to the latest year every peer reports,
    ``base_year`` to the earliest year in the data."""
    if basis not in BASES:
        raise SpecError(f"basis '{basis}' is not one of {', '.join(BASES)}")
    if not records:
        raise SpecError("no peer footprints to compare")
    orgs = tuple(dict.fromkeys(r.organisation for r in records))
    years = np.array(sorted({r.year for r in records}), dtype=np.int64)
    shape = (len(orgs), years.size)
    totals, emp, area = np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan)
    s3 = np.zeros(shape, dtype=bool)
    oi = np.array([orgs.index(r.organisation) for r in records])
    yi = np.searchsorted(years, np.array([r.year for r in records]))
    totals[oi, yi] = [r.total(basis) for r in records]
    emp[oi, yi] = [r.employees for r in records]
    area[oi, yi] = [r.floor_area_m2 for r in records]
    s3[oi, yi] = [not math.isnan(r.scope3) for r in records]
    common = years[~np.isnan(totals).any(axis=0)]
    chosen = int(year) if year is not None else int(common[-1] if common.size else years[-1])
    base = int(base_year) if base_year is not None else int(years[0])
    for label, y in (("year", chosen), ("base year", base)):
        if y not in years:
            raise SpecError(f"no peer reports {y} (the {label}); the data covers {', '.join(map(str, years))}")
    sources = tuple("; ".join(dict.fromkeys(r.source for r in records if r.organisation == o)) for o in orgs)
    return PeerComparison(orgs, years, totals, emp, area, s3, sources, basis, chosen, base)
