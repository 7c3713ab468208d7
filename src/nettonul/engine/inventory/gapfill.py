"""Explicit gap-filling of a panel: only missing (NaN) cells, always flagged and explained.

Nothing in nettonul fills gaps silently; a caller asks for :func:`fill_gaps` by name, the
filled cells are marked ``estimated`` and the panel gains a note saying what was filled and
how. Back-casting to a base year before the first inventory is a different method and lives
in :mod:`nettonul.engine.inventory.backcast`.

Methods, per organisation and sector along the years:

* ``linear``: straight line between the nearest reported years on each side; cells before
  the first or after the last reported year stay missing (no extrapolation).
* ``carry_forward``: the last reported value, repeated until the next one.
* ``carry_backward``: the next reported value, repeated back to the previous one.

To carry values past the panel's last year, extend it first with ``Panel.reindex_years``.

:func:`fill_years` completes an organisation's own inventory with another series (by
default the shipped Energi- og CO2-regnskab) in the years the inventory does not cover,
and says so in notes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

import numpy as np

from nettonul.engine.core.arrays import BoolArray, FloatArray, IntArray
from nettonul.engine.core.errors import NettonulError, SpecError
from nettonul.engine.core.panel import Panel
from nettonul.engine.inventory.model import Inventory
from nettonul.engine.reference import datasets

GapMethod = Literal["linear", "carry_forward", "carry_backward"]
GAP_METHODS: tuple[GapMethod, ...] = ("linear", "carry_forward", "carry_backward")
METHODS: dict[str, str] = {
    "linear": "linear interpolation between the nearest reported years",
    "carry_forward": "the last reported value carried forward",
    "carry_backward": "the next reported value carried backward",
}
_LISTED = 8  # how many filled series a note names before summarising


def _previous_known(known: BoolArray) -> IntArray:
    """For each cell, the index of the nearest known cell at or before it along the last axis (-1: none)."""
    idx = np.where(known, np.arange(known.shape[-1]), -1)
    out: IntArray = np.maximum.accumulate(idx, axis=-1)
    return out


def _next_known(known: BoolArray) -> IntArray:
    """For each cell, the index of the nearest known cell at or after it (size: none)."""
    n = known.shape[-1]
    idx = np.where(known, np.arange(n), n)
    out: IntArray = np.minimum.accumulate(idx[..., ::-1], axis=-1)[..., ::-1]
    return out


def fill_gaps(panel: Panel, method: GapMethod = "linear") -> Panel:
    """A copy of ``panel`` with missing cells filled by ``method``, marked as estimates and
    described in ``notes``. Reported values are never changed."""
    if method not in METHODS:
        raise SpecError(f"unknown gap-filling method '{method}'; choose one of {', '.join(METHODS)}")
    values = panel.values
    known = ~np.isnan(values)
    n = values.shape[-1]
    prev, nxt = _previous_known(known), _next_known(known)
    prev_value = np.take_along_axis(values, np.clip(prev, 0, max(n - 1, 0)), axis=-1)
    next_value = np.take_along_axis(values, np.clip(nxt, 0, max(n - 1, 0)), axis=-1)
    has_prev, has_next = prev >= 0, nxt < n
    filled: FloatArray
    if method == "linear":
        span = np.where(has_prev & has_next & (nxt > prev), nxt - prev, 1)
        t = np.arange(n) - prev
        filled = np.where(has_prev & has_next, prev_value + (next_value - prev_value) * t / span, np.nan)
    elif method == "carry_forward":
        filled = np.where(has_prev, prev_value, np.nan)
    else:
        filled = np.where(has_next, next_value, np.nan)
    new = ~known & ~np.isnan(filled)
    count = int(new.sum())
    if count == 0:
        return panel
    return replace(panel, values=np.where(new, filled, values), estimated=panel.estimated | new,
                   notes=(*panel.notes, _note(panel, new, method)))


def _note(panel: Panel, new: BoolArray, method: str) -> str:
    series = np.argwhere(new.any(axis=-1))
    parts = []
    for o, s in series[:_LISTED].tolist():
        parts.append(f"{panel.orgs[o]} {panel.sectors[s]} {_years_text(panel.years[new[o, s]].tolist())}")
    more = f" and {len(series) - _LISTED} more series" if len(series) > _LISTED else ""
    count = int(new.sum())
    return (f"gap-filled {count} missing value{'s' if count != 1 else ''} by {METHODS[method]} "
            f"({'; '.join(parts)}{more}); these are estimates, not reported data")


def _years_text(years: list[int]) -> str:
    """2019 | 2019-2021 | 2019, 2021."""
    if len(years) == 1:
        return str(years[0])
    if years[-1] - years[0] == len(years) - 1:
        return f"{years[0]}-{years[-1]}"
    return ", ".join(map(str, years))


# ----------------------------------------------------------------------------- years from another series
#: Inventory.from_columns column -> Inventory attribute.
_COLUMNS = {"org": "org", "year": "year", "sector": "sector", "gas": "gas", "amount": "amount", "unit": "unit",
            "co2e": "co2e", "activity": "activity", "ef": "ef", "ef_unit": "ef_unit", "source": "source",
            "quality": "quality", "notation": "notation", "estimated": "estimated", "note": "note"}


def fill_years(inventory: Inventory, org: str, series: Panel | None = None,
               label: str = "the shipped Energi- og CO2-regnskab") -> tuple[Inventory, list[str]]:
    """``inventory`` with ``series`` (one organisation's top-level sector totals; by default
    the shipped Energi- og CO2-regnskab of municipality ``org``) added for ``org`` in every
    year the inventory has no records of ``org``, and notes saying which years come from
    where (``label`` names the series). Reported records are never changed.

    Without a series for ``org`` (an organisation outside the shipped data), in another
    framework, or without any own records, the inventory is returned alone."""
    own = sorted({int(y) for y in inventory.year[inventory.org == org]})
    if series is None:
        try:
            series = datasets.klimaregnskab_panel([datasets.find_municipality(org).code])
        except (NettonulError, LookupError):
            series = None
        source = datasets.SOURCES["klimaregnskab"].citation()
    else:
        source = "; ".join(series.sources) or label
    if series is None or inventory.framework != series.framework or not own:
        return inventory, []
    values = series.values[0]  # (sector, year)
    keep = ~np.isnan(values) & ~np.isin(series.years, own)[None, :]
    sector_idx, year_idx = np.nonzero(keep)
    n = int(sector_idx.size)
    if n == 0:
        return inventory, []
    added: dict[str, list[object]] = {
        "org": [org] * n, "year": series.years[year_idx].tolist(), "sector": [series.sectors[i] for i in sector_idx],
        "gas": ["CO2e"] * n, "amount": values[sector_idx, year_idx].tolist(), "unit": ["t_CO2e"] * n,
        "co2e": values[sector_idx, year_idx].tolist(), "activity": [""] * n, "ef": [np.nan] * n, "ef_unit": [""] * n,
        "source": [source] * n, "quality": [""] * n, "notation": [""] * n, "estimated": [False] * n, "note": [""] * n,
    }
    columns = {col: [*getattr(inventory, attr).tolist(), *added[col]] for col, attr in _COLUMNS.items()}
    merged = Inventory.from_columns(inventory.framework, inventory.gwp_set, columns, sources=inventory.sources,
                                    notes=inventory.notes)
    filled = sorted({int(y) for y in series.years[year_idx]})
    return merged, [f"Emissions {_span(own)} are the organisation's stored inventory; {_span(filled)}, which it "
                    f"does not cover, are from {label}."]


def _span(years: list[int]) -> str:
    """``[2018, 2019, 2020, 2024]`` -> ``2018-2020, 2024``."""
    parts: list[list[int]] = []
    for y in years:
        if parts and y == parts[-1][-1] + 1:
            parts[-1].append(y)
        else:
            parts.append([y])
    return ", ".join(str(p[0]) if len(p) == 1 else f"{p[0]}-{p[-1]}" for p in parts)
