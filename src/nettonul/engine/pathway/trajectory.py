"""Target paths through milestones, carbon budgets and required reduction rates.

All functions work on arrays over organisations at once (methodology section 2.2):

* a path starts at an anchor ``(t0, E0)`` (normally the last inventory year and its
  emissions) and runs through the milestones ``(t1, E1), (t2, E2), ...``, segment by segment,
  either **linear** ``E(t) = E1 + (E2 - E1)(t - t1)/(t2 - t1)`` or at a **constant annual
  rate** ``E(t) = E1 (E2/E1)^((t - t1)/(t2 - t1))``, i.e. ``k = 1 - (E2/E1)^(1/(t2 - t1))``;
* a constant rate cannot reach zero or cross it, so a segment whose ends are not both
  positive is drawn linear (the usual case: the last segment to net zero), and the result
  says which segments fell back;
* every milestone is hit exactly: at a milestone year the path value *is* the milestone value
  (optionally a milestone already beaten is replaced by the level reached, ``no_rise``);
* after the last milestone the path stays at the last milestone value, and before the
  anchor it is undefined (NaN);
* the cumulative budget is the sum of the path over the years (or the trapezoid rule).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from nettonul.engine.core.arrays import BoolArray, FloatArray, IntArray
from nettonul.engine.core.errors import SpecError
from nettonul.engine.pathway.targets import Absolute, NetZero, PerCapita, Reduction, Target

Shape = Literal["linear", "constant-rate"]
SHAPES: tuple[Shape, ...] = ("linear", "constant-rate")
BudgetMethod = Literal["sum", "trapezoid"]


@dataclass(frozen=True)
class TargetPath:
    """A target path for every organisation over ``years``.

    ``values`` (org, year) is NaN before the anchor year. ``points_years`` are the anchor year
    followed by the milestone years; ``points`` (org, point) the values there.
    ``linear_fallback`` (org, segment) is True where a constant-rate segment had to be
    drawn linear because an end was not positive.
    """

    years: IntArray
    values: FloatArray
    points_years: IntArray
    points: FloatArray
    shape: Shape
    linear_fallback: BoolArray


def target_path(
    years: IntArray,
    anchor_year: int,
    anchor: FloatArray,
    milestone_years: Sequence[int] | IntArray,
    milestones: FloatArray,
    shape: Shape = "linear",
    no_rise: bool = False,
) -> TargetPath:
    """The path from ``anchor`` (org,) in ``anchor_year`` through ``milestones`` (org, m).

    ``milestone_years`` must be strictly increasing and after the anchor year. With
    ``no_rise`` a milestone above the level already reached (the anchor or an earlier
    milestone) is lowered to that level, so the path never climbs back up to a target that
    is already met; ``points`` then holds the lowered values, which the path hits exactly.
    """
    if shape not in SHAPES:
        raise SpecError(f"path shape '{shape}' is unknown; use one of {', '.join(SHAPES)}")
    my = np.asarray(milestone_years, dtype=np.int64)
    if my.size == 0:
        raise SpecError(f"no target after the anchor year {anchor_year}: a path needs at least one milestone")
    if np.any(np.diff(my) <= 0):
        raise SpecError(f"milestone years must increase: {my.tolist()}")
    if my[0] <= anchor_year:
        raise SpecError(f"milestone {int(my[0])} is not after the anchor year {anchor_year}")
    anchor = np.asarray(anchor, dtype=np.float64)
    milestones = np.asarray(milestones, dtype=np.float64).reshape(anchor.size, my.size)
    py = np.concatenate(([anchor_year], my)).astype(np.int64)
    pv = np.concatenate((anchor[:, None], milestones), axis=1)
    if no_rise:
        pv = np.minimum.accumulate(pv, axis=1)  # NaN propagates: no level known, no path

    y = np.asarray(years, dtype=np.int64)
    # Segment of each year; a year equal to a point starts the next segment with fraction 0,
    # so the milestone value is returned exactly rather than recomputed.
    seg = np.clip(np.searchsorted(py, y, side="right") - 1, 0, py.size - 2)
    t1, t2 = py[seg], py[seg + 1]
    frac = np.clip((y - t1) / (t2 - t1), 0.0, None)
    e1, e2 = pv[:, seg], pv[:, seg + 1]
    values = e1 + (e2 - e1) * frac
    fallback = np.zeros((anchor.size, py.size - 1), dtype=bool)
    if shape == "constant-rate":
        positive = (pv[:, :-1] > 0) & (pv[:, 1:] > 0)
        fallback = ~positive
        ok = positive[:, seg]
        # E1 * (E2/E1)^f computed as E1 * exp(f * (ln E2 - ln E1)): the ratio itself can overflow
        # for extreme ends, its logarithm cannot, and f = 0 still gives E1 exactly. Years past
        # the last point are overwritten below; their exponentials may overflow harmlessly.
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            log_ratio = np.where(ok, np.log(np.where(ok, e2, 1.0)) - np.log(np.where(ok, e1, 1.0)), 0.0)
            geometric = e1 * np.exp(log_ratio * frac)
        values = np.where(ok, geometric, values)
    values = np.where(y >= py[-1], pv[:, -1:], values)
    # Without an anchor value there is no path at all, not even after a later milestone.
    values = np.where((y < anchor_year) | np.isnan(anchor)[:, None], np.nan, values)
    return TargetPath(y, values, py, pv, shape, fallback)


def milestone_levels(
    targets: Sequence[Target],
    reference: Callable[[int], FloatArray],
    population: Callable[[int], FloatArray],
    default_against: int,
) -> tuple[IntArray, FloatArray]:
    """Milestone years and values (org, m) for targets on one series (the total or one sector).

    ``reference(year)`` gives the emissions the reductions are measured against,
    ``population(year)`` the inhabitants for per-capita targets.
    """
    ordered = sorted(targets, key=lambda t: t.year)
    cols: list[FloatArray] = []
    for t in ordered:
        if isinstance(t, Reduction):
            against = t.against if t.against is not None else default_against
            cols.append(reference(against) * (1.0 - t.fraction))
        elif isinstance(t, NetZero):
            cols.append(np.zeros_like(reference(default_against)))
        elif isinstance(t, Absolute):
            cols.append(np.full_like(reference(default_against), t.value))
        elif isinstance(t, PerCapita):
            cols.append(population(t.year) * t.value)
    years = np.asarray([t.year for t in ordered], dtype=np.int64)
    if not cols:
        return years, np.zeros((0, 0))
    return years, np.stack(cols, axis=1)


# --------------------------------------------------------------------------- budgets and rates
def cumulative(
    values: FloatArray, years: IntArray, first: int, last: int, method: BudgetMethod = "sum"
) -> FloatArray:
    """Cumulative emissions over ``first..last`` inclusive, per organisation.

    ``sum`` adds the annual values; ``trapezoid`` adds ``(E(t) + E(t+1))/2`` over the
    ``last - first`` intervals. NaN years count as missing and make the result NaN.
    """
    lo, hi = first - int(years[0]), last - int(years[0])
    if lo < 0 or hi >= years.size or lo > hi:
        raise SpecError(f"budget period {first}-{last} is outside {int(years[0])}-{int(years[-1])}")
    window = values[..., lo:hi + 1]
    if method == "sum":
        out: FloatArray = window.sum(axis=-1)
        return out
    if method == "trapezoid":
        out = ((window[..., 1:] + window[..., :-1]) / 2.0).sum(axis=-1)
        return out
    raise SpecError(f"budget method '{method}' is unknown; use sum or trapezoid")


def required_rate(start: FloatArray, end: FloatArray, years: int | FloatArray) -> FloatArray:
    """Constant annual reduction rate ``k = 1 - (end/start)^(1/years)`` (0.05 = 5 %/yr).

    NaN where it does not exist: an end of zero or below (net zero needs a linear last step)
    or a start that is not positive.
    """
    start = np.asarray(start, dtype=np.float64)
    end = np.asarray(end, dtype=np.float64)
    ok = (start > 0) & (end > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        k = 1.0 - np.power(np.where(ok, end / np.where(ok, start, 1.0), 1.0), 1.0 / np.asarray(years))
    out: FloatArray = np.where(ok, k, np.nan)
    return out


def linear_reduction(start: FloatArray, end: FloatArray, years: int | FloatArray) -> FloatArray:
    """The constant yearly reduction in t CO2e that takes ``start`` to ``end`` in ``years`` years."""
    out: FloatArray = (np.asarray(start) - np.asarray(end)) / np.asarray(years)
    return out
