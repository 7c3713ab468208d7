"""Evaluate a compiled plan: emissions of business as usual and of the plan, wedges and gap.

The physical model, per row (sector x carrier) and year::

    activity = base-year emissions x share / factor x (1 + trend)^t      (x BAU index if unsplit)
    1. demand reductions  multiply the activity of their rows by (1 - reduction x adoption)
    2. switches / shifts  move share x adoption of the source row's activity to the target row,
                          times the efficiency ratio, in the order the plan lists them
    3. factor changes     multiply the factor of their rows by (1 - reduction x adoption)
    4. removals           add amount x adoption x (-rate) on their own row
    emissions = activity x factor (the target row's factor for switched activity)

Each action's strength is scaled by a *level* (1 = as planned, 0 = not done); emissions are
a multilinear function of the levels, which is what makes the exact attribution of
:mod:`nettonul.engine.attribution` possible. Every array is vectorised over a leading batch
axis (draws, or level vectors) and over organisations; Python loops only run over the
plan's actions, never over years or draws.

Two equivalent kernels: :func:`row_emissions` runs the steps forward on activity and keeps
every row (for tables and charts); :func:`totals` runs them backward on emission intensities
("what one unit of the original activity of this row ends up emitting"), which needs no
organisation axis, and then applies all organisations in one batched matrix product.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from nettonul.engine.compile import CompiledPlan
from nettonul.engine.costs import action_cost, macc
from nettonul.engine.plan import Plan

FloatArray = npt.NDArray[np.float64]


def _batch(cp: CompiledPlan, theta: FloatArray | None, levels: FloatArray | None) -> tuple[FloatArray, FloatArray, int]:
    th = cp.theta[None, :] if theta is None else np.atleast_2d(np.asarray(theta, dtype=np.float64))
    k = len(cp.action_ids)
    lv = np.ones((1, k)) if levels is None else np.atleast_2d(np.asarray(levels, dtype=np.float64))
    return th, lv, max(th.shape[0], lv.shape[0])


def _strength(cp: CompiledPlan, th: FloatArray, lv: FloatArray, step_mag: int, action: int) -> FloatArray:
    """(N, Y) effective magnitude of a step: value x level x adoption."""
    out: FloatArray = (th[:, step_mag] * lv[:, action])[:, None] * cp.adoption[action][None, :]
    return out


def _row_values(cp: CompiledPlan, th: FloatArray, index: Any, default: float) -> FloatArray:
    """theta values of a per-row parameter index array, ``default`` where the index is -1."""
    out: FloatArray = np.where(index[None, :] >= 0, th[:, np.maximum(index, 0)], default)
    return out


def _trend(cp: CompiledPlan, th: FloatArray) -> FloatArray:
    """(N, R, Y) activity trend factor (1 + g)^t."""
    g = _row_values(cp, th, cp.row_trend, 0.0)
    t = (cp.years - cp.years[0]).astype(np.float64)
    out: FloatArray = np.power(1.0 + g[:, :, None], t[None, None, :])
    return out


def intensities(cp: CompiledPlan, theta: FloatArray | None = None, levels: FloatArray | None = None) -> FloatArray:
    """(N, R, Y) t CO2e per t of base-year emissions of each row's sector (per unit for
    removal rows): the backward kernel. ``totals = sum_r base[o, r, y] x W[n, r, y]``."""
    th, lv, n = _batch(cp, theta, levels)
    ef0 = _row_values(cp, th, cp.row_ef, 1.0)  # (N|1, R)
    w = np.broadcast_to(ef0[:, :, None] * cp.row_ef_index[None], (n, len(cp.rows), cp.years.size)).copy()
    steps = cp.steps
    for s in steps:
        if s.kind == "factor":
            w[:, s.rows, :] *= (1.0 - _strength(cp, th, lv, s.mag, s.action))[:, None, :]
    for s in reversed(steps):
        if s.kind == "transfer":
            f = _strength(cp, th, lv, s.mag, s.action)
            src = int(s.rows[0])
            w[:, src, :] = (1.0 - f) * w[:, src, :] + f * th[:, s.ratio][:, None] * w[:, s.dst, :]
    for s in steps:
        if s.kind == "demand":
            w[:, s.rows, :] *= (1.0 - _strength(cp, th, lv, s.mag, s.action))[:, None, :]
    w *= (cp.row_share[None, :] / ef0)[:, :, None] * _trend(cp, th)
    for s in steps:
        if s.kind == "removal":
            w[:, int(s.rows[0]), :] = -_strength(cp, th, lv, s.mag, s.action) * th[:, s.ratio][:, None]
    return w


def totals_from_intensities(cp: CompiledPlan, w: FloatArray) -> FloatArray:
    """(Y, O, N) totals: one batched matrix product over years."""
    out: FloatArray = np.matmul(cp.base.transpose(2, 0, 1), w.transpose(2, 1, 0))
    return out


def totals(cp: CompiledPlan, theta: FloatArray | None = None, levels: FloatArray | None = None) -> FloatArray:
    """(N, O, Y) total emissions, t CO2e."""
    out: FloatArray = totals_from_intensities(cp, intensities(cp, theta, levels)).transpose(2, 1, 0)
    return out


def row_emissions(cp: CompiledPlan, theta: FloatArray | None = None, levels: FloatArray | None = None) -> FloatArray:
    """(N, O, R, Y) emissions by row where they occur: the forward kernel."""
    th, lv, n = _batch(cp, theta, levels)
    ef0 = _row_values(cp, th, cp.row_ef, 1.0)
    act = cp.base[None] * ((cp.row_share[None, :] / ef0)[:, :, None] * _trend(cp, th))[:, None]
    act = np.broadcast_to(act, (n, *cp.base.shape)).copy()
    ef = np.broadcast_to(ef0[:, :, None] * cp.row_ef_index[None], (n, len(cp.rows), cp.years.size)).copy()
    for s in cp.steps:
        if s.kind == "demand":
            act[:, :, s.rows, :] *= (1.0 - _strength(cp, th, lv, s.mag, s.action))[:, None, None, :]
        elif s.kind == "transfer":
            src = int(s.rows[0])
            moved = act[:, :, src, :] * _strength(cp, th, lv, s.mag, s.action)[:, None, :]
            act[:, :, src, :] -= moved
            act[:, :, s.dst, :] += moved * th[:, s.ratio][:, None, None]
        elif s.kind == "factor":
            ef[:, s.rows, :] *= (1.0 - _strength(cp, th, lv, s.mag, s.action))[:, None, :]
        else:
            r = int(s.rows[0])
            scale = lv[:, s.action][:, None] * cp.adoption[s.action]  # (N, Y)
            act[:, :, r, :] = th[:, s.mag][:, None, None] * scale[:, None, :]
            ef[:, r, :] = -th[:, s.ratio][:, None]
    out: FloatArray = act * ef[:, None]
    return out


# --------------------------------------------------------------------------- deterministic scenario
@dataclass(frozen=True)
class ScenarioResult:
    """A plan against business as usual, for every organisation of the compiled plan."""

    cp: CompiledPlan
    bau_rows: FloatArray  # (O, R, Y)
    plan_rows: FloatArray  # (O, R, Y)
    wedges: FloatArray  # (O, K, Y) reduction attributed to each action; sums to bau - plan
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def bau(self) -> FloatArray:
        out: FloatArray = self.bau_rows.sum(axis=1)
        return out

    @property
    def plan(self) -> FloatArray:
        out: FloatArray = self.plan_rows.sum(axis=1)
        return out

    def by_sector(self, rows: FloatArray) -> FloatArray:
        """(O, S, Y) from (O, R, Y)."""
        onehot = (self.cp.row_sector[:, None] == np.arange(len(self.cp.sectors))[None, :]).astype(np.float64)
        out: FloatArray = np.einsum("ory,rs->osy", rows, onehot)
        return out

    def gap(self) -> FloatArray:
        """(O, J) plan emissions minus the target level in each target year (> 0: short of it)."""
        idx = self.cp.target_years - self.cp.years[0]
        out: FloatArray = self.plan[:, idx] - self.cp.target_levels
        return out


def evaluate(cp: CompiledPlan, theta: FloatArray | None = None) -> ScenarioResult:
    """BAU, plan and wedges for the central values (or one given ``theta``)."""
    from nettonul.engine.attribution import wedges  # attribution builds on this module

    k = len(cp.action_ids)
    both = row_emissions(cp, theta, np.stack([np.zeros(k), np.ones(k)]))
    return ScenarioResult(cp, both[0], both[1], wedges(cp, theta))


def summarise(plan: Plan, result: ScenarioResult, org: int = 0, macc_year: int | None = None) -> dict[str, Any]:
    """Everything a user reads about one organisation's scenario, as plain data: emissions by
    year, the wedges, the gap to each target, and each action's costs and MACC bar."""
    cp = result.cp
    years = cp.years
    yi = {int(y): i for i, y in enumerate(years)}
    if macc_year is None:
        macc_year = int(cp.target_years[0]) if cp.target_years.size else int(years[-1])
    actions: list[dict[str, Any]] = []
    macc_input: list[tuple[str, str, float | None, float]] = []
    for k, a in enumerate(plan.actions):
        w = result.wedges[org, k]
        w = np.where(np.abs(w) < 1e-9, 0.0, w)  # rounding noise of the quadrature, not a wedge
        item: dict[str, Any] = {
            "id": a.id, "title": a.title, "type": a.effect.type, "sector": a.effect.sector,
            "start": a.schedule.start, "full": a.schedule.full_year, "curve": a.schedule.curve,
            "reduction_t_co2e": w.tolist(), "reduction_in_macc_year_t_co2e": float(w[yi[macc_year]]),
            "cumulative_reduction_t_co2e": float(w.sum()), "assumptions": dict(a.assumptions),
            "sources": dict(a.sources), "cost": None,
        }
        if a.cost is not None:
            c = action_cost(a.id, a.cost, cp.adoption[k], w, years, plan.discount_rate)
            item["cost"] = c.to_dict()
            macc_input.append((a.id, a.title, c.cost_per_t, float(w[yi[macc_year]])))
        actions.append(item)
    gaps = result.gap()[org]
    return {
        "plan": plan.name, "organisation": cp.orgs[org], "currency": plan.currency,
        "discount_rate": plan.discount_rate, "years": years.tolist(), "unit": "t_CO2e", "gwp": plan.gwp,
        "bau_t_co2e": result.bau[org].tolist(), "plan_t_co2e": result.plan[org].tolist(),
        "target_path_t_co2e": cp.target_path[org].tolist(),
        "sectors": {s: {"bau": result.by_sector(result.bau_rows)[org, i].tolist(),
                        "plan": result.by_sector(result.plan_rows)[org, i].tolist()}
                    for i, s in enumerate(cp.sectors)},
        "actions": actions,
        "targets": [{"target": lab, "year": int(y), "target_t_co2e": float(cp.target_levels[org, j]),
                     "plan_t_co2e": float(result.plan[org, yi[int(y)]]), "gap_t_co2e": float(gaps[j]),
                     "met": bool(gaps[j] <= 1e-6)}
                    for j, (lab, y) in enumerate(zip(cp.target_labels, cp.target_years, strict=True))],
        "macc_year": macc_year,
        "macc": [b.to_dict() for b in macc(macc_input)],
        "notes": list(cp.notes) + list(plan.notes),
        "sources": list(cp.sources),
        "assumptions_note": ("Numbers marked as assumptions in the plan file are illustrative; see each "
                             "action's 'assumptions'."),
    }
