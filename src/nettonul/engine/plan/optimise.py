"""The cheapest way to reach the targets with the plan's actions (HiGHS linear programming).

Each action gets a level ``x_k`` between 0 (not done) and 1 (as planned) that scales both its
effect and its costs. The problem is::

    minimise   sum_k NPC_k x_k + penalty * sum_j s_j
    subject to E_j(x) - s_j <= target_j        for every target year j
               0 <= x_k <= 1,  s_j >= 0

``E_j(x)`` (emissions in target year j) is multilinear in the levels, not linear, so the
problem is solved by successive linear programming: linearise ``E`` at the current levels
with its exact partial derivatives (``E`` is affine in each level), solve the linear
programme with HiGHS (``scipy.optimize.linprog(method="highs")``), move, repeat. The result is
always re-evaluated with the full model; the reported emissions and gaps are exact, the
optimality is that of the last linearisation. ``s_j`` is the part of a target the actions
cannot reach (the remaining gap), priced at ``penalty`` per tonne so it is used only when
needed. Only actions with a cost take part; the others stay at their planned level.

With ``year`` only that target year is constrained. With ``budget`` the question turns
round: the most reduction in ``year`` for a net present cost of at most ``budget``::

    minimise   E_year(x)   subject to   sum_k NPC_k x_k <= budget,  0 <= x_k <= 1

solved by the same successive linearisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import linprog

from nettonul.engine.core.arrays import FloatArray
from nettonul.engine.core.errors import SpecError
from nettonul.engine.plan.compile import CompiledPlan
from nettonul.engine.plan.costs import action_cost
from nettonul.engine.plan.kernels import totals
from nettonul.engine.plan.spec import Plan

#: Price of a tonne of remaining gap; far above any abatement cost, so it is a last resort.
PENALTY = 1e7


@dataclass(frozen=True)
class Portfolio:
    levels: dict[str, float]
    cost: float  # net present cost of the chosen levels
    emissions: dict[int, float]  # exact emissions in each target year
    gaps: dict[int, float]  # exact emissions minus target, > 0 where a target is missed
    iterations: int
    currency: str
    budget: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"levels": self.levels, "net_present_cost": self.cost, "currency": self.currency,
                "emissions_t_co2e": self.emissions, "gap_t_co2e": self.gaps, "iterations": self.iterations,
                "budget": self.budget}


def cheapest_portfolio(plan: Plan, cp: CompiledPlan, max_iterations: int = 20, *, year: int | None = None,
                       budget: float | None = None) -> Portfolio:
    """Action levels that meet the targets of the first organisation at least cost; with
    ``year`` only that target year's; with ``budget`` the most reduction in ``year`` (default:
    the first target year) within that net present cost."""
    if cp.target_years.size == 0:
        raise SpecError("the plan has no targets to optimise for")
    keep = np.ones(cp.target_years.size, dtype=bool)
    if year is not None:
        keep = cp.target_years == year
        if not keep.any():
            raise SpecError(f"the plan has no target in {year}; its target years are "
                            f"{', '.join(str(int(y)) for y in cp.target_years)}")
    elif budget is not None:
        keep = np.arange(cp.target_years.size) == 0
    if budget is not None and budget < 0:
        raise SpecError("the budget must not be negative")
    k = len(cp.action_ids)
    rate = plan.discount_rate
    # costs scale with the level; an action's wedge does not enter its cost, so any abatement works
    npc = np.array([action_cost(a.id, a.cost, cp.adoption[i], np.zeros(cp.years.size), cp.years, rate).npc
                    if a.cost is not None else 0.0 for i, a in enumerate(plan.actions)])
    free = np.array([a.cost is not None for a in plan.actions])
    target_years = cp.target_years[keep]
    ty = target_years - cp.years[0]
    target = cp.target_levels[0][keep]
    j = ty.size

    def emissions(levels: FloatArray) -> FloatArray:
        """(N, J) exact emissions in the target years for a batch of level vectors."""
        out: FloatArray = totals(cp, None, levels)[:, 0, :][:, ty]
        return out

    x = np.ones(k)
    it = 0
    for it in range(1, max_iterations + 1):  # noqa: B007  (the count is reported)
        ones, zeros = np.repeat(x[None], k, 0), np.repeat(x[None], k, 0)
        ones[np.arange(k), np.arange(k)] = 1.0
        zeros[np.arange(k), np.arange(k)] = 0.0
        grad = (emissions(ones) - emissions(zeros)).T  # (J, K): exact, E is affine in each level
        e0 = emissions(x[None])[0]
        # E(x') ~ e0 + grad (x' - x) <= target + s   ->   grad x' - s <= target - e0 + grad x
        bounds = [(0.0, 1.0) if free[i] else (1.0, 1.0) for i in range(k)]
        if budget is None:
            a_ub = np.hstack([grad, -np.eye(j)])
            b_ub = target - e0 + grad @ x
            res = linprog(np.concatenate([npc, np.full(j, PENALTY)]), A_ub=a_ub, b_ub=b_ub,
                          bounds=bounds + [(0.0, None)] * j, method="highs")
        else:
            # the most reduction in the year; a tiny cost term picks the cheaper of equal cuts
            res = linprog(grad[0] + 1e-9 * npc, A_ub=npc[None, :], b_ub=[budget + float(npc[~free].sum())],
                          bounds=bounds, method="highs")
        if res.status != 0:
            raise SpecError(f"the optimisation failed: {res.message}")
        new = np.clip(res.x[:k], 0.0, 1.0)
        if np.max(np.abs(new - x)) < 1e-7:
            x = new
            break
        x = new
    final = emissions(x[None])[0]
    years = [int(y) for y in target_years]
    return Portfolio(
        levels={a: float(v) for a, v in zip(cp.action_ids, x, strict=True)}, cost=float(npc @ x),
        emissions=dict(zip(years, final.tolist(), strict=True)),
        gaps=dict(zip(years, (final - target).tolist(), strict=True)), iterations=it, currency=plan.currency,
        budget=budget,
    )
