"""Business-as-usual (BAU) projection from the last inventory year to an end year.

Two methods, both over organisation x sector x year at once:

* ``kf25`` (default): each sector follows the national 'with existing measures' projection
  of KF25 (Energistyrelsen), ``E_m[s, y] = E_m[s, y_last] * N[s, y] / N[s, y_last]`` with
  ``N`` the national sector series (``datasets.national_sector_series``). The municipality
  keeps its share of the national sector.
* ``frozen`` (frozen technology): emissions per unit of a driver stay constant,
  ``E_m[s, y] = E_m[s, y_last] * D_m[y] / D_m[y_last]``. The default driver is the population
  (Danmarks Statistik); after the last observed population year it is held flat, which the
  notes say. A caller may pass its own driver for all sectors or per sector.

Optional activity trends (% per year, per sector) multiply either method by
``(1 + g)^(y - y_last)``; with ``kf25`` they are an adjustment on top of the national
projection, so use them knowingly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from nettonul.engine.core.arrays import FloatArray, IntArray
from nettonul.engine.core.errors import SpecError
from nettonul.engine.core.panel import Panel
from nettonul.engine.inventory.backcast import national_index
from nettonul.engine.reference import datasets

BaselineMethod = Literal["kf25", "frozen"]
METHODS: tuple[BaselineMethod, ...] = ("kf25", "frozen")


@dataclass(frozen=True)
class Baseline:
    """BAU emissions by organisation x sector x year, from the last inventory year on.

    The first year is the last inventory year itself (equal to the inventory), so the BAU
    line joins the history without a step.
    """

    panel: Panel
    method: BaselineMethod
    start_year: int

    @property
    def years(self) -> IntArray:
        return self.panel.years

    def total(self) -> FloatArray:
        """(org, year) BAU total over sectors."""
        return self.panel.total()


def last_inventory_year(panel: Panel) -> int:
    """The last year in which any organisation has a value."""
    has = ~np.all(np.isnan(panel.values), axis=(0, 1))
    if not has.any():
        raise SpecError("the inventory has no values")
    return int(panel.years[np.nonzero(has)[0][-1]])


def first_inventory_year(panel: Panel) -> int:
    """The first year in which any organisation has a value that is not an estimate."""
    has = ~np.all(np.isnan(panel.values) | panel.estimated, axis=(0, 1))
    if not has.any():
        raise SpecError("the inventory has no values")
    return int(panel.years[np.nonzero(has)[0][0]])


def population_matrix(orgs: tuple[str, ...], years: IntArray, hold_after: bool = False) -> FloatArray:
    """Population (persons, 1 January) by org x year; NaN where unknown.

    With ``hold_after`` the last observed value is carried forward to later years.
    """
    pop = datasets.population()
    index = {c: i for i, c in enumerate(pop.codes)}
    rows = np.asarray([index.get(o, -1) for o in orgs], dtype=np.int64)
    first, last = int(pop.years[0]), int(pop.years[-1])
    cols = np.clip(years - first, 0, last - first)
    out = pop.values[np.clip(rows, 0, None)][:, cols]
    known = (years >= first) & ((years <= last) | hold_after)
    out = np.where(known[None, :] & (rows >= 0)[:, None], out, np.nan)
    return out


def project_baseline(
    panel: Panel,
    end_year: int,
    method: BaselineMethod = "kf25",
    *,
    activity_trends: Mapping[str, float] | None = None,
    driver: FloatArray | Mapping[str, FloatArray] | None = None,
) -> Baseline:
    """BAU for every organisation and sector of ``panel`` from its last inventory year.

    ``activity_trends`` maps sector -> % change per year. ``driver`` (``frozen`` only) is an
    (org, year) array over the BAU years, or a mapping sector -> such an array; sectors not
    in the mapping use population.
    """
    if method not in METHODS:
        raise SpecError(f"baseline method '{method}' is unknown; use one of {', '.join(METHODS)}")
    start = last_inventory_year(panel)
    if end_year <= start:
        raise SpecError(f"end year {end_year} must be after the last inventory year {start}")
    years = np.arange(start, end_year + 1, dtype=np.int64)
    last = panel.values[:, :, panel.year_index(start)]  # (org, sector)
    notes: list[str] = []
    sources = list(panel.sources)

    if method == "kf25":
        series = datasets.national_sector_series(panel.framework)
        ref = np.full((len(panel.orgs), len(panel.sectors)), start, dtype=np.int64)
        ratio, invalid = national_index(series, panel.sectors, years, ref)
        values = last[:, :, None] * ratio
        notes.append(
            f"BAU {start + 1}-{end_year}: each sector follows the KF25 national 'with existing "
            f"measures' projection, indexed to {start} (E[y] = E[{start}] x N[y]/N[{start}]); "
            "KF25 projection years are normal years, the inventory year is an actual year."
        )
        if invalid.any():
            bad = sorted({panel.sectors[s] for s in np.nonzero(invalid.any(axis=(0, 2)))[0]})
            notes.append(f"BAU left empty for {', '.join(bad)}: the national series is zero or changes sign.")
        sources.append(series.source.citation())
    else:
        pop = population_matrix(panel.orgs, years, hold_after=True)
        pop_first, pop_last = int(datasets.population().years[0]), int(datasets.population().years[-1])
        ratio = np.broadcast_to((pop / pop[:, :1])[:, None, :], (*last.shape, years.size)).copy()
        uses_population = set(panel.sectors)
        if driver is not None:
            drivers = driver if isinstance(driver, Mapping) else dict.fromkeys(panel.sectors, driver)
            for sector, d in drivers.items():
                d = np.asarray(d, dtype=np.float64)
                if d.shape != (len(panel.orgs), years.size):
                    raise SpecError(f"driver for {sector} has shape {d.shape}, expected "
                                    f"{(len(panel.orgs), years.size)} (org x {start}-{end_year})")
                ratio[:, panel.sector_index(sector), :] = d / d[:, :1]
                uses_population.discard(sector)
            notes.append(f"Frozen technology with a supplied driver for {', '.join(sorted(drivers))}.")
        if uses_population:
            missing = [o for o, ok in zip(panel.orgs, np.isfinite(pop[:, 0]), strict=True) if not ok]
            if start < pop_first:
                raise SpecError(f"population is known from {pop_first}; the last inventory year {start} is "
                                "earlier, so the frozen-technology baseline needs a supplied driver")
            if missing:
                raise SpecError(f"no population for {', '.join(missing[:5])}: supply a driver for the "
                                "frozen-technology baseline")
            notes.append(
                f"Frozen technology: emissions per inhabitant stay at their {start} level "
                f"({', '.join(s for s in panel.sectors if s in uses_population)}); population is "
                f"observed to {pop_last} and held flat after {pop_last} (an assumption)."
            )
            sources.append(datasets.SOURCES["population"].citation())
        values = last[:, :, None] * ratio

    if activity_trends:
        g = np.zeros(len(panel.sectors))
        for sector, pct in activity_trends.items():
            g[panel.sector_index(sector)] = pct / 100.0
            notes.append(f"Activity trend for {sector}: {pct:+g} % per year from {start} (assumed).")
        values = values * np.power(1.0 + g[:, None], (years - start)[None, :])[None, :, :]

    bau = replace(
        panel, years=years, values=values, estimated=np.zeros(values.shape, dtype=bool),
        sources=tuple(dict.fromkeys(sources)), notes=tuple(notes),
    )
    return Baseline(bau, method, start)
