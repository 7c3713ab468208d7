"""The pathway of an organisation: history, business as usual, target path, gap and budget.

:func:`compute_pathway` is the one entry point. For every organisation of a :class:`Panel`
at once (arrays over org x year, and org x sector x year by sector) it

1. back-casts the inventory to the base year with the national sector index (estimates are
   flagged, :mod:`nettonul.engine.inventory.backcast`);
2. projects business as usual from the last inventory year (:mod:`nettonul.engine.pathway.baseline`);
3. draws the target path from the anchor year through the target milestones
   (:mod:`nettonul.engine.pathway.trajectory`), and one path per sector that has a sector target;
4. takes the gap ("manko") ``gap(t) = scenario(t) - path(t)`` with ``scenario`` the inventory
   where it exists and BAU after it (signed: negative = below the path), and the shortfall
   ``max(0, gap)``;
5. sums the carbon budget of the path from the anchor year to the end year, what was used
   up to the last inventory year, the remainder, and the constant annual rate needed from the
   last inventory year to each milestone.

Everything is in t CO2e (the panel's GWP set) and carries its sources and notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from nettonul.engine.core.arrays import BoolArray, FloatArray, IntArray
from nettonul.engine.core.errors import SpecError
from nettonul.engine.core.panel import Panel
from nettonul.engine.inventory.backcast import METHOD, BackcastBand, backcast_with_band
from nettonul.engine.pathway.baseline import (
    BaselineMethod,
    first_inventory_year,
    last_inventory_year,
    population_matrix,
    project_baseline,
)
from nettonul.engine.pathway.targets import PerCapita, Reduction, Target, check_consistent, default_targets
from nettonul.engine.pathway.trajectory import (
    BudgetMethod,
    Shape,
    TargetPath,
    cumulative,
    linear_reduction,
    milestone_levels,
    required_rate,
    target_path,
)
from nettonul.engine.reference import datasets


@dataclass(frozen=True)
class PathwaySpec:
    """What to compute. ``anchor_year`` defaults to the last inventory year.

    Unless ``allow_increase``, a target level above what an organisation has already reached
    does not pull the path up: the path holds the level reached (the target counts as met).
    """

    targets: tuple[Target, ...] = field(default_factory=default_targets)
    base_year: int = 1990
    end_year: int = 2050
    baseline: BaselineMethod = "kf25"
    shape: Shape = "linear"
    anchor_year: int | None = None
    budget_method: BudgetMethod = "sum"
    activity_trends: tuple[tuple[str, float], ...] = ()
    allow_increase: bool = False


@dataclass(frozen=True)
class SectorPath:
    """The path, scenario and gap of one sector that has its own targets, (org, year)."""

    sector: str
    targets: tuple[Target, ...]
    path: TargetPath
    gap: FloatArray


@dataclass(frozen=True)
class Pathway:
    """Result of :func:`compute_pathway` for every organisation; arrays are (org, year)
    over ``years`` unless named otherwise. Units: ``unit`` (t CO2e); rates are fractions per
    year (0.05 = 5 %/yr); population in persons."""

    spec: PathwaySpec
    years: IntArray
    history: Panel  # org x sector x year, NaN after the last inventory year; estimated mask
    bau: Panel  # org x sector x year, NaN before the last inventory year
    first_inventory_year: int
    last_inventory_year: int
    anchor_year: int
    historical: FloatArray
    historical_estimated: BoolArray
    bau_total: FloatArray
    scenario: FloatArray
    path: TargetPath
    gap: FloatArray
    shortfall: FloatArray
    milestone_targets: tuple[Target, ...]
    past_targets: tuple[Target, ...]
    budget: FloatArray  # (org,) path from anchor to end year
    used: FloatArray  # (org,) inventory from anchor to last inventory year
    remaining: FloatArray  # (org,) budget - used
    scenario_cumulative: FloatArray  # (org,) inventory then BAU, anchor to end year
    target_levels: FloatArray  # (org, milestone) the targets' own levels
    required_rate: FloatArray  # (org, milestone) from the last inventory year; NaN to net zero
    required_reduction: FloatArray  # (org, milestone) t CO2e per year, linear
    population: FloatArray
    sectors_paths: tuple[SectorPath, ...]
    base_band: BackcastBand  # the base-year back-cast and its spread over single-year anchors
    unit: str
    gwp_set: str
    sources: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def orgs(self) -> tuple[str, ...]:
        return self.history.orgs

    @property
    def sectors(self) -> tuple[str, ...]:
        return self.history.sectors

    def per_capita(self, values: FloatArray) -> FloatArray:
        """t CO2e per inhabitant where the population of that year is known, else NaN."""
        with np.errstate(divide="ignore", invalid="ignore"):
            out: FloatArray = values / self.population
        return out

    def at(self, values: FloatArray, year: int) -> FloatArray:
        """The (org,) column of an (org, year) array for one year."""
        out: FloatArray = values[:, int(year) - int(self.years[0])]
        return out

    def summary(self) -> dict[str, Any]:
        """Per-organisation key figures, as lists aligned with ``orgs``."""
        last = self.last_inventory_year
        out: dict[str, Any] = {
            "orgs": list(self.orgs), "unit": self.unit, "last_inventory_year": last,
            f"emissions_{last}": self.at(self.historical, last),
            f"emissions_{self.spec.base_year}": self.at(self.historical, self.spec.base_year),
            f"emissions_{self.spec.base_year}_estimated": self.historical_estimated[:, 0],
            "remaining_budget": self.remaining, "budget": self.budget,
            "scenario_cumulative": self.scenario_cumulative,
        }
        for i, t in enumerate(self.milestone_targets):
            out[f"gap_{t.year}"] = self.at(self.gap, t.year)
            out[f"required_rate_to_{t.year}"] = self.required_rate[:, i]
            out[f"already_met_{t.year}"] = self.path.points[:, i + 1] < self.target_levels[:, i]
        return out

    def base_year_estimate(self, o: int) -> dict[str, Any]:
        """The base-year value of organisation index ``o``, whether it is estimated, and if so its
        uncertainty band: the least and greatest value over single-year anchors."""
        band = self.base_band
        estimated = bool(np.isfinite(band.value[o]))
        return {
            "year": self.spec.base_year,
            "value": float(self.at(self.historical, self.spec.base_year)[o]),
            "estimated": estimated,
            "method": METHOD if estimated else "inventory",
            "low": float(band.low[o]) if estimated else None,
            "high": float(band.high[o]) if estimated else None,
            "anchor_years": list(band.anchor_years) if estimated else [],
        }

    def to_dict(self, org: str | None = None) -> dict[str, Any]:
        """Everything about one organisation, JSON-ready (NaN stays float NaN; the CLI's JSON
        writer turns it into null). Without ``org``: the only organisation, or
        ``{"organisations": [...]}`` with one such dict each."""
        if org is None:
            if len(self.orgs) == 1:
                return self.to_dict(self.orgs[0])
            return {"organisations": [self.to_dict(code) for code in self.orgs]}
        o = self.history.org_index(org)
        pop = self.population[o]
        milestones = [
            {"year": t.year, "target": t.describe(), "target_level": float(self.target_levels[o, i]),
             "path_value": float(self.path.points[o, i + 1]),
             "gap": float(self.at(self.gap, t.year)[o]),
             "required_rate": float(self.required_rate[o, i]),
             "required_reduction_per_year": float(self.required_reduction[o, i])}
            for i, t in enumerate(self.milestone_targets)
        ]
        return {
            "organisation": org, "unit": self.unit, "gwp_set": self.gwp_set,
            "years": self.years.tolist(),
            "first_inventory_year": self.first_inventory_year,
            "last_inventory_year": self.last_inventory_year,
            "anchor_year": self.anchor_year,
            "historical": {
                "total": self.historical[o].tolist(),
                "estimated": self.historical_estimated[o].tolist(),
                "by_sector": {s: self.history.values[o, j].tolist() for j, s in enumerate(self.sectors)},
            },
            "bau": {
                "method": self.spec.baseline, "total": self.bau_total[o].tolist(),
                "by_sector": {s: self.bau.values[o, j].tolist() for j, s in enumerate(self.sectors)},
            },
            "target_path": {"shape": self.spec.shape, "values": self.path.values[o].tolist(),
                            "linear_fallback": self.path.linear_fallback[o].tolist(),
                            "milestones": milestones},
            "base_year_estimate": self.base_year_estimate(o),
            "past_targets": [t.describe() for t in self.past_targets],
            "gap": self.gap[o].tolist(),
            "shortfall": self.shortfall[o].tolist(),
            "budget": {"method": self.spec.budget_method, "from": self.anchor_year, "to": self.spec.end_year,
                       "path": float(self.budget[o]), "used": float(self.used[o]),
                       "used_to": self.last_inventory_year, "remaining": float(self.remaining[o]),
                       "scenario": float(self.scenario_cumulative[o])},
            "population": pop.tolist(),
            "per_capita": {"historical": self.per_capita(self.historical)[o].tolist(),
                           "bau": self.per_capita(self.bau_total)[o].tolist(),
                           "target_path": self.per_capita(self.path.values)[o].tolist(),
                           "unit": f"{self.unit}/person"},
            "sector_targets": [
                {"sector": sp.sector, "targets": [t.describe() for t in sp.targets],
                 "path": sp.path.values[o].tolist(), "gap": sp.gap[o].tolist()}
                for sp in self.sectors_paths
            ],
            "targets": [t.describe() for t in self.spec.targets],
            "sources": list(self.sources), "notes": list(self.notes),
        }


def _year_getter(values: FloatArray, years: IntArray, what: str) -> Any:
    def get(year: int) -> FloatArray:
        i = int(year) - int(years[0])
        if not 0 <= i < years.size:
            raise SpecError(f"{what} for {year} is needed but the pathway covers {years[0]}-{years[-1]}")
        out: FloatArray = values[..., i]
        return out
    return get


def compute_pathway(panel: Panel, spec: PathwaySpec | None = None) -> Pathway:
    """History, BAU, target path, gap and budget for every organisation of ``panel``."""
    spec = spec or PathwaySpec()
    # A reduction without its own reference year is against the base year: say which.
    spec = replace(spec, targets=tuple(
        replace(t, against=spec.base_year) if isinstance(t, Reduction) and t.against is None else t
        for t in spec.targets))
    check_consistent(spec.targets)
    last = last_inventory_year(panel)
    if not spec.base_year <= last < spec.end_year:
        raise SpecError(f"the last inventory year {last} must lie between the base year {spec.base_year} "
                        f"and the end year {spec.end_year}")
    anchor = last if spec.anchor_year is None else spec.anchor_year
    if not spec.base_year <= anchor <= last:
        raise SpecError(f"anchor year {anchor} must lie between the base year {spec.base_year} and the "
                        f"last inventory year {last}")
    years = np.arange(spec.base_year, spec.end_year + 1, dtype=np.int64)
    first = first_inventory_year(panel)

    history, base_band = backcast_with_band(panel, spec.base_year)
    history = history.reindex_years(spec.base_year, spec.end_year)
    after = years > last
    history_values = np.where(after[None, None, :], np.nan, history.values)
    history = Panel(history.orgs, history.sectors, years, history_values, history.estimated & ~after,
                    history.unit, history.gwp_set, history.framework, history.sources, history.notes)
    baseline = project_baseline(panel, spec.end_year, spec.baseline, activity_trends=dict(spec.activity_trends))
    bau = baseline.panel.reindex_years(spec.base_year, spec.end_year)

    historical = history.total()
    historical_estimated = history.total_estimated() & ~np.isnan(historical)
    bau_total = bau.total()
    scenario = np.where(years[None, :] <= last, historical, bau_total)
    population = population_matrix(panel.orgs, years)
    population_held = population_matrix(panel.orgs, years, hold_after=True)
    notes = list(history.notes) + [n for n in baseline.panel.notes if n not in history.notes]

    total_targets = tuple(t for t in spec.targets if t.sector is None)
    future = tuple(sorted((t for t in total_targets if t.year > anchor), key=lambda t: t.year))
    past = tuple(t for t in total_targets if t.year <= anchor)
    if past:
        notes.append("Targets not on the path because their year is not after the anchor year "
                     f"{anchor}: {'; '.join(t.describe() for t in past)}.")
    if any(t.year > spec.end_year for t in spec.targets):
        raise SpecError(f"a target year is after the end year {spec.end_year}")
    if any(isinstance(t, PerCapita) for t in spec.targets):
        notes.append("Per-capita targets use the population of the target year; after the last observed "
                     "population year it is held flat (an assumption).")

    pop_get = _year_getter(population_held, years, "population")
    m_years, m_values = milestone_levels(future, _year_getter(historical, years, "emissions"), pop_get,
                                         spec.base_year)
    anchor_values = historical[:, anchor - spec.base_year]
    missing = np.nonzero(np.isnan(anchor_values))[0]
    if missing.size:
        codes = ", ".join(panel.orgs[i] for i in missing[:5]) + (" ..." if missing.size > 5 else "")
        notes.append(f"No inventory value in {anchor} for {codes}: no target path, gap or budget for them.")
    path = target_path(years, anchor, anchor_values, m_years, m_values, spec.shape,
                       no_rise=not spec.allow_increase)
    already = np.nonzero(np.any(path.points[:, 1:] < m_values, axis=1))[0]
    if already.size:
        codes = ", ".join(panel.orgs[i] for i in already[:5]) + (" ..." if already.size > 5 else "")
        notes.append(
            f"Already below a target level in {anchor} ({already.size}: {codes}): the path holds the level "
            "reached instead of rising to the target."
        )
    if spec.shape == "constant-rate" and path.linear_fallback.any():
        notes.append("A constant annual rate cannot reach zero: segments ending at or below zero "
                     "(e.g. the last one to net zero) are drawn linear.")
    gap = scenario - path.values

    sector_paths = _sector_paths(spec, history, bau, years, last, anchor, pop_get)

    # The budget follows the lower of the target path and the projected emissions each year
    # (methodology §9.4): a target already met holds the path flat, and a flat path above BAU
    # is not a budget.
    budget_path = np.where(np.isnan(scenario), path.values, np.fmin(path.values, scenario))
    lowered = np.nonzero(np.nansum(path.values - budget_path, axis=1) > 0.5)[0]
    if lowered.size:
        codes = ", ".join(panel.orgs[i] for i in lowered[:5]) + (" ..." if lowered.size > 5 else "")
        notes.append(f"Carbon budget ({lowered.size}: {codes}): the lower of the target path and the projected "
                     "emissions (inventory, then BAU) each year, because BAU falls below the path there.")
    net_zero = [t for t in future if t.kind == "net_zero"]
    if net_zero and "lulucf" not in panel.sectors:
        notes.append("Net zero means gross emissions minus removals in the same boundary reach zero. This "
                     "inventory has no land use (LULUCF), so the path is drawn on gross emissions: residual "
                     "emissions in the net-zero year need removals counted inside the same boundary.")
    budget = cumulative(budget_path, years, anchor, spec.end_year, spec.budget_method)
    used = cumulative(historical, years, anchor, last, spec.budget_method)
    last_values = historical[:, last - spec.base_year]
    spans = (m_years - last).astype(np.float64)[None, :]
    return Pathway(
        spec=spec, years=years, history=history, bau=bau,
        first_inventory_year=first, last_inventory_year=last, anchor_year=anchor,
        historical=historical, historical_estimated=historical_estimated,
        bau_total=bau_total, scenario=scenario, path=path, gap=gap, shortfall=np.maximum(gap, 0.0),
        milestone_targets=future, past_targets=past,
        budget=budget, used=used, remaining=budget - used,
        scenario_cumulative=cumulative(scenario, years, anchor, spec.end_year, spec.budget_method),
        target_levels=m_values,
        required_rate=required_rate(last_values[:, None], path.points[:, 1:], spans),
        required_reduction=linear_reduction(last_values[:, None], path.points[:, 1:], spans),
        population=population, sectors_paths=sector_paths, base_band=base_band,
        unit=panel.unit, gwp_set=panel.gwp_set,
        sources=tuple(dict.fromkeys((*history.sources, *baseline.panel.sources,
                                     *([datasets.SOURCES["population"].citation()]
                                       if np.isfinite(population).any() else [])))),
        notes=tuple(notes),
    )


def _sector_paths(spec: PathwaySpec, history: Panel, bau: Panel, years: IntArray, last: int, anchor: int,
                  pop_get: Any) -> tuple[SectorPath, ...]:
    by_sector: dict[str, list[Target]] = {}
    for t in spec.targets:
        if t.sector is not None:
            by_sector.setdefault(t.sector, []).append(t)
    out: list[SectorPath] = []
    for sector, targets in by_sector.items():
        s = history.sector_index(sector)
        future = [t for t in targets if t.year > anchor]
        hist = history.values[:, s]
        m_years, m_values = milestone_levels(future, _year_getter(hist, years, f"{sector} emissions"),
                                             pop_get, spec.base_year)
        path = target_path(years, anchor, hist[:, anchor - spec.base_year], m_years, m_values, spec.shape)
        # A sector target says nothing about the years after it: leave them empty.
        values = np.where(years[None, :] > m_years[-1], np.nan, path.values)
        path = TargetPath(path.years, values, path.points_years, path.points, path.shape, path.linear_fallback)
        scen = np.where(years[None, :] <= last, hist, bau.values[:, s])
        out.append(SectorPath(sector, tuple(targets), path, scen - values))
    return tuple(out)
