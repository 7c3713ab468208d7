"""The numeric kernels of a compiled plan: emissions by row and in total, for any batch of
parameter draws and action levels.

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
:mod:`nettonul.engine.plan.attribution` possible. Every array is vectorised over a leading batch
axis (draws, or level vectors) and over organisations; Python loops only run over the
plan's actions, never over years or draws.

Two equivalent kernels: :func:`row_emissions` runs the steps forward on activity and keeps
every row (for tables and charts); :func:`totals` runs them backward on emission intensities
("what one unit of the original activity of this row ends up emitting"), which needs no
organisation axis, and then applies all organisations in one batched matrix product.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nettonul.engine.core.arrays import FloatArray
from nettonul.engine.plan.compile import CompiledPlan


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
