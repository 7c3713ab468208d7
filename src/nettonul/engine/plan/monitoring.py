"""Monitoring an adopted plan: indicators, progress updates and the statuses derived from them.

Nobody types a status in. From the recorded data, as of a date:

* an **action** is *late* when its scheduled start year has passed with no more than
  ``min_percent_after_start`` per cent done, or its full-effect year has passed before
  100 %; *stale* when its last update is more than ``stale_after_months`` calendar months
  old (exactly that many months is not yet stale); *completed* at 100 % or status completed;
  otherwise *on track* (or *not started* before its start year);
* an **indicator** is *on track*, *at risk* or *off track*: a straight line fitted to its
  observations is extended to the end of the target year; off track when the line misses
  the target, at risk when it meets it but its prediction interval does not (or there are
  only two observations), on track when the whole interval meets it;
* **emissions** are on track or not the same way, from the latest inventory years against
  the target level (:func:`emissions_outlook`, vectorised over organisations).

The monitoring file (``examples/check/monitoring_2025.yaml``) holds indicators with unit,
direction and target values by year, observations (value, date, source) and progress
updates (status, percent, comment, evidence link); it is validated all-or-nothing.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pydantic
from pydantic import BaseModel, ConfigDict, Field, model_validator

from nettonul.engine.core import i18n
from nettonul.engine.core.arrays import FloatArray
from nettonul.engine.core.errors import Problem, ValidationError
from nettonul.engine.core.i18n import N_
from nettonul.engine.core.jsondata import finite
from nettonul.engine.io.problems import load_document, pydantic_problems
from nettonul.engine.io.tables import read_text_file
from nettonul.engine.pathway.trajectory import target_path

ActionState = Literal["completed", "cancelled", "late", "stale", "on_track", "not_started"]
TrendState = Literal["on_track", "at_risk", "off_track", "insufficient_data"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Indicator(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    name: str
    unit: str
    direction: Literal["decrease", "increase"] = Field(description="Which way is better.")
    targets: dict[int, float] = Field(default_factory=dict, description="Target value by year (end of that year).")
    action: str | None = Field(None, description="The action the indicator follows, if any.")
    source: str | None = None


class Observation(_Strict):
    indicator: str
    value: float
    date: date
    source: str = Field(min_length=1)


class ProgressUpdate(_Strict):
    action: str
    date: date
    status: Literal["not_started", "in_progress", "completed", "paused", "cancelled"]
    percent: float = Field(ge=0.0, le=100.0)
    comment: str | None = None
    evidence: str | None = Field(None, description="Link to a decision, a report or a photo.")


class MonitoringSettings(_Strict):
    stale_after_months: int | None = Field(None, ge=1, le=120, description="Default: the plan's monitoring section.")
    min_percent_after_start: float = Field(0.0, ge=0.0, lt=100.0)
    fit_years: int = Field(5, ge=2, le=30, description="Inventory years the emissions trend is fitted to.")
    confidence: float = Field(0.9, gt=0.0, lt=1.0, description="Coverage of the prediction interval.")


class MonitoringData(_Strict):
    organisation: str | None = None
    as_of: date
    illustrative: bool = False
    note: str | None = None
    settings: MonitoringSettings = Field(default_factory=lambda: MonitoringSettings.model_validate({}))
    indicators: list[Indicator] = Field(default_factory=list)
    observations: list[Observation] = Field(default_factory=list)
    updates: list[ProgressUpdate] = Field(default_factory=list)

    @model_validator(mode="after")
    def _refs(self) -> MonitoringData:
        ids = [i.id for i in self.indicators]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"indicator ids used more than once: {', '.join(dup)}")
        return self


def parse_monitoring(data: Any, file: str = "<monitoring>", action_ids: set[str] | None = None) -> MonitoringData:
    """Validated monitoring data; a ValidationError lists every problem (dangling references,
    future dates, unknown fields) and nothing is loaded."""
    if not isinstance(data, dict):
        raise ValidationError([Problem(file, None, None, "monitoring data must be a mapping")], what="monitoring")
    try:
        m = MonitoringData.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ValidationError(pydantic_problems(exc, file), what="monitoring") from None
    problems = []
    known = {i.id for i in m.indicators}
    for n, o in enumerate(m.observations):
        if o.indicator not in known:
            problems.append(Problem(file, n + 1, f"observations[{n}].indicator", f"no indicator '{o.indicator}'"))
        if o.date > m.as_of:
            problems.append(Problem(file, n + 1, f"observations[{n}].date", f"{o.date} is after as_of {m.as_of}"))
    for n, u in enumerate(m.updates):
        if action_ids is not None and u.action not in action_ids:
            problems.append(Problem(file, n + 1, f"updates[{n}].action", f"the plan has no action '{u.action}'"))
        if u.date > m.as_of:
            problems.append(Problem(file, n + 1, f"updates[{n}].date", f"{u.date} is after as_of {m.as_of}"))
    if problems:
        raise ValidationError(problems, what="monitoring")
    return m


def load_monitoring(path: str | Path, action_ids: set[str] | None = None) -> MonitoringData:
    p = Path(path)
    text, _ = read_text_file(p, what="monitoring")
    data = load_document(text, str(p), json_format=p.suffix == ".json", what="monitoring")
    return parse_monitoring(data, str(p), action_ids)


# --------------------------------------------------------------------------- actions
def add_months(d: date, months: int) -> date:
    """``d`` plus calendar months; the day is clipped to the month's length (31 Jan + 1 = 28/29 Feb)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, monthrange(year, month)[1]))


def months_between(a: date, b: date) -> int:
    """Whole calendar months from ``a`` to ``b`` (b >= a)."""
    n = (b.year - a.year) * 12 + b.month - a.month
    return n - 1 if add_months(a, n) > b else n


@dataclass(frozen=True)
class ActionStatus:
    action: str
    state: ActionState
    late: bool
    stale: bool
    percent: float
    last_update: date | None
    months_since_update: int | None
    reasons: tuple[str, ...]
    #: The reasons as catalogue keys with their arguments, to word them in any language.
    reason_keys: tuple[tuple[str, Mapping[str, Any]], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "state": self.state, "late": self.late, "stale": self.stale,
                "percent": self.percent, "last_update": self.last_update.isoformat() if self.last_update else None,
                "months_since_update": self.months_since_update, "reasons": list(self.reasons),
                "reason_keys": [{"key": k, "args": dict(a)} for k, a in self.reason_keys]}


def _reason_args(args: Mapping[str, Any], language: str | None) -> dict[str, Any]:
    """A reason's arguments as they read in ``language``: percentages ``:g`` with the decimal
    comma in Danish, dates in the language's form."""
    out = dict(args)
    if "percent" in out:
        text = f"{float(out['percent']):g}"
        out["percent"] = text.replace(".", ",") if i18n.language_of(language) == "da" else text
    if "date" in out:
        out["date"] = i18n.day(out["date"], language)
    return out


def word_reason(key: str, args: Mapping[str, Any], language: str | None = "en") -> str:
    """One reason of an action's status (:attr:`ActionStatus.reason_keys`) in ``language``."""
    return i18n.text(key, language, **_reason_args(args, language))


def worded_reasons(row: Mapping[str, Any], language: str | None = "en") -> list[str]:
    """The reasons of an action status row (:meth:`ActionStatus.to_dict`) in ``language``; a
    row without keys (written before they were kept) keeps its English reasons."""
    keys = row.get("reason_keys")
    if not keys:
        return list(row.get("reasons") or [])
    return [word_reason(k["key"], k["args"], language) for k in keys]


def action_status(action: str, start: int, end: int, updates: list[ProgressUpdate], as_of: date,
                  stale_after_months: int, min_percent_after_start: float = 0.0) -> ActionStatus:
    """The derived status of one action scheduled ``start``-``end`` (years) as of ``as_of``."""
    mine = sorted((u for u in updates if u.action == action and u.date <= as_of), key=lambda u: u.date)
    last = mine[-1] if mine else None
    percent = last.percent if last else 0.0
    keyed: list[tuple[str, Mapping[str, Any]]] = []
    late = False
    if as_of.year > start and percent <= min_percent_after_start:
        late = True
        keyed.append((N_("status.start_passed"), {"start": start, "percent": percent}))
    if as_of.year > end and percent < 100.0:
        late = True
        keyed.append((N_("status.end_passed"), {"end": end, "percent": percent}))
    months = months_between(last.date, as_of) if last else None
    stale = last is None or add_months(last.date, stale_after_months) < as_of
    if stale:
        keyed.append((N_("status.never_updated"), {}) if last is None else
                     (N_("status.last_updated"), {"date": last.date.isoformat(), "months": months,
                                                  "limit": stale_after_months}))
    reasons = [word_reason(k, a) for k, a in keyed]
    state: ActionState
    if last is not None and (last.status == "completed" or percent >= 100.0):
        state, late, stale, reasons, keyed = "completed", False, False, [], []
    elif last is not None and last.status == "cancelled":
        state = "cancelled"
    elif late:
        state = "late"
    elif stale and as_of.year >= start:
        state = "stale"
    elif as_of.year < start and percent == 0.0:
        state = "not_started"
    else:
        state = "on_track"
    return ActionStatus(action, state, late, stale, percent, last.date if last else None, months, tuple(reasons),
                        tuple(keyed))


def action_statuses(schedules: Mapping[str, tuple[int, int]], data: MonitoringData,
                    default_stale_months: int = 12) -> list[ActionStatus]:
    """Statuses of every scheduled action (id -> (start, full-effect year))."""
    months = data.settings.stale_after_months or default_stale_months
    return [action_status(a, s, e, data.updates, data.as_of, months, data.settings.min_percent_after_start)
            for a, (s, e) in schedules.items()]


# --------------------------------------------------------------------------- trends
def decimal_year(d: date) -> float:
    """1 January of Y is Y.0; 31 December is just under Y + 1."""
    days = 366 if monthrange(d.year, 2)[1] == 29 else 365
    return d.year + (d.timetuple().tm_yday - 1) / days


@dataclass(frozen=True)
class Forecast:
    """A linear trend extended to ``at`` (decimal year) with a prediction interval, per series."""

    at: float
    value: FloatArray
    lower: FloatArray
    upper: FloatArray
    slope: FloatArray  # per year
    n: npt.NDArray[np.int64]


def linear_forecast(x: FloatArray, y: FloatArray, at: float, confidence: float = 0.9) -> Forecast:
    """OLS line per row of ``y`` (S, N) over ``x`` (S, N) or (N,), NaN = missing, and the
    two-sided prediction interval for a new value at ``at`` (Student t, n - 2 dof; NaN for
    fewer than three points)."""
    from scipy import stats  # imported here: scipy takes a second to load
    y = np.atleast_2d(np.asarray(y, dtype=np.float64))
    x = np.broadcast_to(np.asarray(x, dtype=np.float64), y.shape)
    ok = ~np.isnan(y) & ~np.isnan(x)
    n = ok.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        xm = np.where(ok, x, 0.0).sum(axis=1) / n
        ym = np.where(ok, y, 0.0).sum(axis=1) / n
        dx = np.where(ok, x - xm[:, None], 0.0)
        dy = np.where(ok, y - ym[:, None], 0.0)
        sxx = (dx * dx).sum(axis=1)
        slope = (dx * dy).sum(axis=1) / sxx
        value = ym + slope * (at - xm)
        resid = np.where(ok, dy - slope[:, None] * dx, 0.0)
        dof = n - 2
        s2 = (resid * resid).sum(axis=1) / np.where(dof > 0, dof, np.nan)
        se = np.sqrt(s2 * (1.0 + 1.0 / n + (at - xm) ** 2 / sxx))
        t = stats.t.ppf(0.5 + confidence / 2.0, np.where(dof > 0, dof, np.nan))
    half = np.asarray(t * se, dtype=np.float64)
    return Forecast(at, value, value - half, value + half, slope, n.astype(np.int64))


def trend_state(forecast: Forecast, target: FloatArray, direction: str) -> list[TrendState]:
    """on_track / at_risk / off_track per series against ``target`` (same length)."""
    sign = 1.0 if direction == "decrease" else -1.0
    meets = sign * (forecast.value - target) <= 0
    worst = forecast.upper if direction == "decrease" else forecast.lower
    robust = sign * (worst - target) <= 0  # NaN (two points) compares False: at risk at best
    out: list[TrendState] = []
    for k in range(target.size):
        if forecast.n[k] < 2 or not np.isfinite(forecast.value[k]):
            out.append("insufficient_data")
        elif not meets[k]:
            out.append("off_track")
        else:
            out.append("on_track" if robust[k] else "at_risk")
    return out


@dataclass(frozen=True)
class IndicatorStatus:
    indicator: Indicator
    state: TrendState
    target_year: int | None
    target: float | None
    latest: Observation | None
    forecast: float | None
    lower: float | None
    upper: float | None

    def to_dict(self) -> dict[str, Any]:
        i = self.indicator
        return {"id": i.id, "name": i.name, "unit": i.unit, "direction": i.direction, "state": self.state,
                "target_year": self.target_year, "target": self.target,
                "latest": None if self.latest is None else
                {"value": self.latest.value, "date": self.latest.date.isoformat(), "source": self.latest.source},
                "forecast": self.forecast, "lower": self.lower, "upper": self.upper}


def indicator_statuses(data: MonitoringData) -> list[IndicatorStatus]:
    """Each indicator's trend against its next target (the first target year not before the
    as-of year, else the last one)."""
    out: list[IndicatorStatus] = []
    for ind in data.indicators:
        obs = sorted((o for o in data.observations if o.indicator == ind.id and o.date <= data.as_of),
                     key=lambda o: o.date)
        latest = obs[-1] if obs else None
        upcoming = sorted(y for y in ind.targets if y >= data.as_of.year) or sorted(ind.targets)[-1:]
        if not upcoming:
            out.append(IndicatorStatus(ind, "insufficient_data", None, None, latest, None, None, None))
            continue
        year = upcoming[0]
        target = ind.targets[year]
        x = np.asarray([decimal_year(o.date) for o in obs], dtype=np.float64)
        y = np.asarray([o.value for o in obs], dtype=np.float64)
        fc = linear_forecast(x, y[None, :], float(year + 1), data.settings.confidence)
        state = trend_state(fc, np.asarray([target]), ind.direction)[0] if obs else "insufficient_data"
        out.append(IndicatorStatus(ind, state, year, target, latest, finite(fc.value[0]), finite(fc.lower[0]),
                                   finite(fc.upper[0])))
    return out


# --------------------------------------------------------------------------- emissions
@dataclass(frozen=True)
class EmissionsOutlook:
    """Emissions against the target path, per organisation (arrays over orgs)."""

    last_year: int
    latest: FloatArray  # t CO2e in the last inventory year
    path_latest: FloatArray  # the target path in that year
    target_year: int
    target: FloatArray
    forecast: Forecast
    state: list[TrendState]
    fit_from: int
    confidence: float

    def to_dict(self, o: int = 0) -> dict[str, Any]:
        return {"last_year": self.last_year, "latest": float(self.latest[o]),
                "path_latest": finite(self.path_latest[o]), "on_path": bool(self.latest[o] <= self.path_latest[o]),
                "target_year": self.target_year, "target": float(self.target[o]),
                "forecast": finite(self.forecast.value[o]), "lower": finite(self.forecast.lower[o]),
                "upper": finite(self.forecast.upper[o]), "slope_per_year": finite(self.forecast.slope[o]),
                "state": self.state[o], "fit_years": [self.fit_from, self.last_year],
                "confidence": self.confidence}


def adopted_path(years: npt.NDArray[np.int64], base_year: int, base_level: FloatArray,
                 milestone_years: npt.NDArray[np.int64], milestone_levels: FloatArray) -> FloatArray:
    """(org, year) the target path as adopted: a straight line from the base-year level through
    the plan's milestones, never rising to a milestone already passed; NaN before the base year.

    Monitoring judges the latest inventory against this path. A path re-started at the
    latest inventory would always say "on the path".
    """
    keep = np.asarray(milestone_years) > base_year
    tp = target_path(years, base_year, np.asarray(base_level, dtype=np.float64),
                     np.asarray(milestone_years)[keep], np.asarray(milestone_levels, dtype=np.float64)[:, keep],
                     no_rise=True)
    out: FloatArray = np.where(years[None, :] < base_year, np.nan, tp.values)
    return out


def emissions_outlook(years: npt.NDArray[np.int64], totals: FloatArray, path: FloatArray, target_year: int,
                      target: FloatArray, fit_years: int = 5, confidence: float = 0.9) -> EmissionsOutlook:
    """Latest inventory against the path, and a linear trend of the last ``fit_years``
    inventory years (values at mid-year) extended to the end of ``target_year``.

    ``totals`` and ``path`` are (org, year) over ``years``; totals are NaN after the last
    inventory year.
    """
    have = ~np.isnan(totals).all(axis=0)
    if not have.any():
        raise ValueError("no inventory year to monitor")
    last_i = int(np.nonzero(have)[0][-1])
    first_i = max(0, last_i - fit_years + 1)
    x = years[first_i:last_i + 1].astype(np.float64) + 0.5
    fc = linear_forecast(x, totals[:, first_i:last_i + 1], float(target_year + 1), confidence)
    target = np.asarray(target, dtype=np.float64)
    return EmissionsOutlook(int(years[last_i]), totals[:, last_i], path[:, last_i], target_year, target, fc,
                            trend_state(fc, target, "decrease"), int(years[first_i]), confidence)
