"""Attribution: how much of the total reduction each action achieves, every year.

Method (``docs/architecture/attribution.md``): the Shapley value of the actions, computed
exactly and cheaply from the structure of the model. Emissions ``f(t)`` are a multilinear
function of the action levels ``t`` (each action multiplies activity or a factor by an
expression that is affine in its own level, see :mod:`nettonul.engine.plan.scenario`). For a
multilinear function the Shapley value equals Owen's diagonal formula::

    phi_k = integral_0^1  [ f(tau, ..., t_k = 1, ..., tau) - f(tau, ..., t_k = 0, ..., tau) ] dtau

and the integrand is a polynomial of degree at most K - 1 in ``tau``, so Gauss-Legendre
quadrature with ceil(K / 2) nodes integrates it exactly. The parts therefore add up to the
whole (``sum_k phi_k = f(1) - f(0)``) up to floating-point rounding, do not depend on the
order in which actions are listed, give nothing to an action that changes nothing, and treat
two identical actions alike. Cost: ``K x ceil(K/2) x 2`` evaluations in one vectorised
batch, instead of the ``2^K`` of the definition.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations
from math import factorial

import numpy as np

from nettonul.engine.core.arrays import FloatArray
from nettonul.engine.plan.compile import CompiledPlan
from nettonul.engine.plan.kernels import totals

#: Level vectors evaluated per batch, to bound memory for plans with many actions.
BATCH = 4096


def _evaluate_batched(f: Callable[[FloatArray], FloatArray], levels: FloatArray) -> FloatArray:
    parts = [f(levels[i:i + BATCH]) for i in range(0, levels.shape[0], BATCH)]
    return np.concatenate(parts, axis=0)


def shapley_multilinear(f: Callable[[FloatArray], FloatArray], k: int) -> FloatArray:
    """Shapley values (K, ...) of the players of a multilinear ``f``.

    ``f`` maps a batch of level vectors (N, K) to outputs (N, ...); the value of a coalition
    S is ``f(1_S)``. Each ``phi_k`` is the contribution of player k to ``f(1) - f(0)``.
    """
    if k == 0:
        return np.zeros((0, *f(np.zeros((1, 0))).shape[1:]))
    m = (k + 1) // 2
    x, wts = np.polynomial.legendre.leggauss(m)
    tau, wts = (x + 1.0) / 2.0, wts / 2.0
    levels = np.repeat(tau[:, None, None, None], 2, axis=1) * np.ones((1, 1, k, k))  # (m, 2, k, k)
    eye = np.eye(k, dtype=bool)
    levels[:, 0][:, eye] = 1.0
    levels[:, 1][:, eye] = 0.0
    vals = _evaluate_batched(f, levels.reshape(m * 2 * k, k))
    vals = vals.reshape(m, 2, k, *vals.shape[1:])
    out: FloatArray = np.tensordot(wts, vals[:, 0] - vals[:, 1], axes=(0, 0))
    return out


def shapley_by_subsets(f: Callable[[FloatArray], FloatArray], k: int) -> FloatArray:
    """The Shapley value from its definition (all 2^K coalitions): a reference for tests."""
    coalitions = [c for r in range(k + 1) for c in combinations(range(k), r)]
    levels = np.zeros((len(coalitions), k))
    for i, c in enumerate(coalitions):
        levels[i, list(c)] = 1.0
    vals = f(levels)
    value = dict(zip(coalitions, vals, strict=True))
    out = np.zeros((k, *vals.shape[1:]))
    for j in range(k):
        for c in coalitions:
            if j in c:
                continue
            weight = factorial(len(c)) * factorial(k - len(c) - 1) / factorial(k)
            out[j] += weight * (value[tuple(sorted((*c, j)))] - value[c])
    return out


def wedges(cp: CompiledPlan, theta: FloatArray | None = None) -> FloatArray:
    """(O, K, Y) reduction attributed to each action (BAU minus plan, split exactly)."""
    th = None if theta is None else np.atleast_2d(theta)

    def f(levels: FloatArray) -> FloatArray:
        return totals(cp, th, levels)  # (N, O, Y)

    phi = shapley_multilinear(f, len(cp.action_ids))  # (K, O, Y): contribution to plan - bau
    out: FloatArray = -phi.transpose(1, 0, 2)
    return out
