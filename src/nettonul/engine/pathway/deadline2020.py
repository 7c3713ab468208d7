"""A Deadline-2020-style reference check (C40/Arup 2016; methodology sections 2.1 and 2.2).

* :func:`cc_reference` - contraction & convergence per capita: from ``e0`` in ``t0`` the
  per-capita emissions converge linearly to a common level ``ē`` in ``tc``,
  ``e(t) = e0 + (ē - e0)(t - t0)/(tc - t0)``, then decline, either linearly to zero in a
  zero year or at a common constant rate ``ē (1 - k)^(t - tc)``; the reference emissions are
  ``P(t) e(t)`` and the city budget ``B = Σ_t P(t) e(t)``.
* :func:`solve_group_rate` - the common rate ``k`` for which a group of cities uses exactly a
  given group budget.
* :func:`path_within_reference` - "plan path <= reference trajectory in every year".
* :func:`peaked` - C40's peak definition: the maximum lies at least 5 years back and current
  emissions are at least 10 % below it.
* :func:`classify` - the four trajectory types by GDP and emissions per capita;
* :func:`check_pathway` - all of it applied to a computed pathway.

All parameters live in ``data/reference/deadline2020.yaml``; the ones the methodology marks
uncertain carry ``verified: false`` there and :attr:`Deadline2020Parameters.unverified` lists
them so every output can say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import numpy as np
import yaml

from nettonul.engine.core.arrays import BoolArray, FloatArray, IntArray
from nettonul.engine.core.errors import SpecError
from nettonul.engine.pathway.baseline import population_matrix
from nettonul.engine.pathway.pathway import Pathway

Decline = Literal["linear_to_zero", "constant_rate"]


@dataclass(frozen=True)
class Deadline2020Parameters:
    min_years_since_peak: int
    min_reduction_below_peak: float
    common_level: float  # t CO2e per inhabitant
    convergence_year: int
    decline: Decline
    zero_year: int
    gdp_threshold_usd: float
    emissions_threshold_t: float
    types: dict[str, str]
    unverified: tuple[str, ...]
    source: str


def _value(section: dict[str, Any], key: str, path: str, unverified: list[str]) -> Any:
    item = section[key]
    if not item.get("verified", False):
        unverified.append(f"{path}.{key}")
    return item["value"]


@lru_cache(maxsize=1)
def parameters() -> Deadline2020Parameters:
    """The parameters from ``deadline2020.yaml``."""
    text = (resources.files("nettonul.engine") / "data" / "reference" / "deadline2020.yaml").read_text(
        encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    u: list[str] = []
    peak, cc, cl = data["peak"], data["contraction_convergence"], data["classification"]
    decline = _value(cc, "decline", "contraction_convergence", u)
    if decline not in ("linear_to_zero", "constant_rate"):
        raise SpecError(f"deadline2020.yaml: decline '{decline}' is unknown")
    if not cl.get("types_verified", False):
        u.append("classification.types")
    return Deadline2020Parameters(
        min_years_since_peak=int(_value(peak, "min_years_since_peak", "peak", u)),
        min_reduction_below_peak=float(_value(peak, "min_reduction_below_peak", "peak", u)),
        common_level=float(_value(cc, "common_level_t_per_capita", "contraction_convergence", u)),
        convergence_year=int(_value(cc, "convergence_year", "contraction_convergence", u)),
        decline=decline,
        zero_year=int(_value(cc, "zero_year", "contraction_convergence", u)),
        gdp_threshold_usd=float(_value(cl, "gdp_per_capita_threshold_usd", "classification", u)),
        emissions_threshold_t=float(_value(cl, "emissions_per_capita_threshold_t", "classification", u)),
        types={str(k): str(v) for k, v in cl["types"].items()},
        unverified=tuple(u),
        source=" ".join(str(data["source"]).split()),
    )


# --------------------------------------------------------------------------- contraction & convergence
def cc_per_capita(
    e0: FloatArray, years: IntArray, t0: int, tc: int, level: float,
    decline: Decline = "linear_to_zero", zero_year: int = 2050, rate: float = 0.0,
) -> FloatArray:
    """Reference per-capita emissions (org, year); NaN before ``t0``."""
    if tc <= t0:
        raise SpecError(f"the convergence year {tc} must be after the start year {t0}")
    e0 = np.asarray(e0, dtype=np.float64)[:, None]
    y = np.asarray(years, dtype=np.float64)[None, :]
    converging = e0 + (level - e0) * (y - t0) / (tc - t0)
    if decline == "linear_to_zero":
        if zero_year <= tc:
            raise SpecError(f"the zero year {zero_year} must be after the convergence year {tc}")
        contracting = level * np.clip((zero_year - y) / (zero_year - tc), 0.0, None)
    elif decline == "constant_rate":
        contracting = level * np.power(1.0 - rate, np.maximum(y - tc, 0.0))
    else:
        raise SpecError(f"decline '{decline}' is unknown; use linear_to_zero or constant_rate")
    out: FloatArray = np.where(y < t0, np.nan, np.where(y <= tc, converging, contracting))
    return out


def cc_reference(
    e0: FloatArray, population: FloatArray, years: IntArray, t0: int,
    params: Deadline2020Parameters | None = None, rate: float = 0.0,
) -> tuple[FloatArray, FloatArray]:
    """Reference emissions (org, year) = population x per-capita reference, and each
    organisation's budget over ``t0..years[-1]`` (NaN years are skipped)."""
    p = params or parameters()
    per_capita = cc_per_capita(e0, years, t0, p.convergence_year, p.common_level, p.decline, p.zero_year, rate)
    reference = population * per_capita
    budget: FloatArray = np.nansum(reference, axis=1)
    return reference, budget


def solve_group_rate(
    e0: FloatArray, population: FloatArray, years: IntArray, t0: int, tc: int, level: float, group_budget: float,
) -> float:
    """The common annual decline rate ``k`` after ``tc`` for which the group's summed
    reference emissions over ``years`` equal ``group_budget``."""
    from scipy.optimize import brentq  # imported here: scipy takes a second to load
    def used(k: float) -> float:
        pc = cc_per_capita(e0, years, t0, tc, level, "constant_rate", rate=k)
        return float(np.nansum(population * pc)) - group_budget

    lo, hi = used(0.0), used(1.0)
    if lo < 0:
        raise SpecError(f"the group budget {group_budget:,.0f} is larger than the emissions with no decline "
                        f"after {tc} ({lo + group_budget:,.0f}); no rate is needed")
    if hi > 0:
        raise SpecError(f"the group budget {group_budget:,.0f} is smaller than the convergence phase alone "
                        f"uses ({hi + group_budget:,.0f}); no rate can meet it")
    return float(brentq(used, 0.0, 1.0, xtol=1e-12))


# --------------------------------------------------------------------------- checks
@dataclass(frozen=True)
class WithinReference:
    """Per organisation: whether the plan path stays at or below the reference in every year
    where both exist, the first year it does not, and the largest exceedance (t CO2e)."""

    ok: BoolArray
    first_exceeding_year: IntArray  # -1 where none
    max_exceedance: FloatArray


def path_within_reference(path: FloatArray, reference: FloatArray, years: IntArray,
                          tolerance: float = 1e-6) -> WithinReference:
    both = np.isfinite(path) & np.isfinite(reference)
    over = both & (path > reference + tolerance)
    first = np.where(over.any(axis=1), np.asarray(years)[np.argmax(over, axis=1)], -1)
    excess = np.where(both, path - reference, -np.inf).max(axis=1, initial=-np.inf)
    any_over: BoolArray = np.asarray(over.any(axis=1), dtype=bool)
    return WithinReference(~any_over, first.astype(np.int64), np.where(excess > tolerance, excess, 0.0))


@dataclass(frozen=True)
class Peak:
    peaked: BoolArray
    peak_year: IntArray
    below_peak: FloatArray  # fraction below the peak in the current year


def peaked(emissions: FloatArray, years: IntArray, current_year: int | None = None,
           params: Deadline2020Parameters | None = None) -> Peak:
    """C40's peak test on (org, year) emissions up to ``current_year`` (default: last year)."""
    p = params or parameters()
    years = np.asarray(years, dtype=np.int64)
    current = int(years[-1]) if current_year is None else int(current_year)
    window = np.where(years[None, :] <= current, emissions, np.nan)
    filled = np.where(np.isnan(window), -np.inf, window)
    peak_idx = np.argmax(filled, axis=1)
    peak_value = np.take_along_axis(filled, peak_idx[:, None], axis=1)[:, 0]
    now = emissions[:, current - int(years[0])]
    with np.errstate(divide="ignore", invalid="ignore"):
        below = np.where(peak_value > 0, 1.0 - now / peak_value, np.nan)
    peak_year = years[peak_idx]
    ok = (current - peak_year >= p.min_years_since_peak) & (below >= p.min_reduction_below_peak)
    return Peak(ok, peak_year, below)


def classify(gdp_per_capita: FloatArray, emissions_per_capita: FloatArray,
             params: Deadline2020Parameters | None = None) -> list[str]:
    """Trajectory type per city from GDP per capita (USD) and emissions per capita (t CO2e)."""
    p = params or parameters()
    rich = np.asarray(gdp_per_capita) >= p.gdp_threshold_usd
    high = np.asarray(emissions_per_capita) >= p.emissions_threshold_t
    keys = np.where(rich, "high_gdp_", "low_gdp_").astype(object) + np.where(high, "high_emissions",
                                                                            "low_emissions")
    return [p.types[str(k)] for k in keys]


# --------------------------------------------------------------------------- applied to a pathway
@dataclass(frozen=True)
class ReferenceCheck:
    """The reference check of a :class:`~nettonul.engine.pathway.pathway.Pathway`, per organisation."""

    start_year: int
    per_capita_start: FloatArray  # (org,) t CO2e per inhabitant in the start year
    reference: FloatArray  # (org, year) t CO2e, NaN before the start year
    reference_budget: FloatArray  # (org,) t CO2e, start year to end year
    within: WithinReference
    peak: Peak
    params: Deadline2020Parameters
    notes: tuple[str, ...]


def check_pathway(pathway: Pathway, params: Deadline2020Parameters | None = None) -> ReferenceCheck:
    """Compare a pathway's target path with the contraction & convergence reference from its
    last inventory year, and apply the C40 peak test to its inventory."""
    p = params or parameters()
    start = pathway.last_inventory_year
    years = pathway.years
    population = population_matrix(pathway.orgs, years, hold_after=True)
    i = start - int(years[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        e0 = pathway.historical[:, i] / population[:, i]
    population = np.where(years[None, :] >= start, population, np.nan)
    reference, budget = cc_reference(e0, population, years, start, p)
    notes = [
        f"Contraction & convergence reference from {start}: per-capita emissions converge linearly to "
        f"{p.common_level:g} t CO2e in {p.convergence_year}, then {p.decline.replace('_', ' ')}"
        + (f" in {p.zero_year}" if p.decline == "linear_to_zero" else "")
        + "; population held flat after the last observed year.",
        "Peak test (C40): the highest year at least "
        f"{p.min_years_since_peak} years back and emissions at least {p.min_reduction_below_peak:.0%} below "
        "it; years before the first inventory year are back-cast estimates.",
    ]
    if p.unverified:
        notes.append("Unverified parameters (methodology [U]): " + ", ".join(p.unverified) + ".")
    return ReferenceCheck(
        start_year=start, per_capita_start=e0, reference=reference, reference_budget=budget,
        within=path_within_reference(pathway.path.values, reference, years),
        peak=peaked(pathway.historical, years, current_year=start, params=p),
        params=p, notes=tuple(notes),
    )
