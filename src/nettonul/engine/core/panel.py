"""The engine's labelled core: values over organisation x sector x year.

A :class:`Panel` is a thin label set around one numpy array of shape
``(org, sector, year)``. Everything the engine computes for many organisations at once is a
panel or an array aligned with one, so whole-country work is a handful of numpy operations
and never a Python loop over organisations or years. Alongside the values a panel carries a
boolean mask of estimated cells (back-cast or gap-filled) so estimates are never silent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from nettonul.engine.core.arrays import BoolArray, FloatArray, IntArray
from nettonul.engine.core.errors import SpecError


@dataclass(frozen=True)
class Panel:
    """Values by organisation x sector x year; NaN where there is no value.

    ``years`` are sorted and contiguous. ``estimated`` marks cells that were back-cast or
    gap-filled; ``notes`` says how, in words a user can read next to the numbers.
    """

    orgs: tuple[str, ...]
    sectors: tuple[str, ...]
    years: IntArray
    values: FloatArray
    estimated: BoolArray = field(default_factory=lambda: np.zeros((0, 0, 0), dtype=bool))
    unit: str = "t_CO2e"
    gwp_set: str = "AR5"
    framework: str = "dk-municipal"
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        shape = (len(self.orgs), len(self.sectors), int(self.years.size))
        if self.values.shape != shape:
            raise SpecError(f"panel values have shape {self.values.shape}, labels say {shape}")
        if self.estimated.shape != shape:
            object.__setattr__(self, "estimated", np.zeros(shape, dtype=bool))
        if self.years.size > 1 and not np.all(np.diff(self.years) == 1):
            raise SpecError("panel years must be sorted and contiguous")

    # ----------------------------------------------------------------- lookup
    def org_index(self, code: str) -> int:
        try:
            return self.orgs.index(code)
        except ValueError:
            raise SpecError(f"organisation '{code}' is not in this panel") from None

    def sector_index(self, code: str) -> int:
        try:
            return self.sectors.index(code)
        except ValueError:
            raise SpecError(f"sector '{code}' is not in this panel") from None

    def year_index(self, year: int) -> int:
        i = int(year) - int(self.years[0])
        if not 0 <= i < self.years.size:
            raise SpecError(f"year {year} is outside {self.years[0]}-{self.years[-1]}")
        return i

    # ----------------------------------------------------------------- views
    def total(self) -> FloatArray:
        """Sum over sectors, shape (org, year); NaN where no sector has a value."""
        any_value = ~np.all(np.isnan(self.values), axis=1)
        return np.where(any_value, np.nansum(self.values, axis=1), np.nan)

    def total_estimated(self) -> BoolArray:
        """(org, year): True where any sector of the total is an estimate."""
        out: BoolArray = np.any(self.estimated, axis=1)
        return out

    def select(self, orgs: Sequence[str] | None = None) -> Panel:
        """A panel with only the given organisations, in the given order."""
        if orgs is None:
            return self
        idx = [self.org_index(o) for o in orgs]
        return replace(self, orgs=tuple(orgs), values=self.values[idx], estimated=self.estimated[idx])

    def reindex_years(self, first: int, last: int) -> Panel:
        """The same panel over ``first..last``; new cells are NaN and not estimated."""
        years = np.arange(first, last + 1, dtype=np.int64)
        values = np.full((len(self.orgs), len(self.sectors), years.size), np.nan)
        estimated = np.zeros(values.shape, dtype=bool)
        lo, hi = max(first, int(self.years[0])), min(last, int(self.years[-1]))
        if lo <= hi:
            src = slice(lo - int(self.years[0]), hi - int(self.years[0]) + 1)
            dst = slice(lo - first, hi - first + 1)
            values[:, :, dst] = self.values[:, :, src]
            estimated[:, :, dst] = self.estimated[:, :, src]
        return replace(self, years=years, values=values, estimated=estimated)

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per non-missing cell: org, sector, year, value, unit, estimated."""
        o, s, y = np.nonzero(~np.isnan(self.values))
        return [
            {"org": self.orgs[i], "sector": self.sectors[j], "year": int(self.years[k]),
             "value": float(self.values[i, j, k]), "unit": self.unit,
             "estimated": bool(self.estimated[i, j, k])}
            for i, j, k in zip(o.tolist(), s.tolist(), y.tolist(), strict=True)
        ]
