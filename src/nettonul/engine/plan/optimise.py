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

The national question (:func:`cheapest_national`): the plans of several municipalities share
one constraint, the nation's emissions in the year::

    minimise   sum_i sum_k NPC_ik x_ik + penalty * s
    subject to C + sum_i E_i(x_i) - s <= cap

``C`` is what the plans do not cover (the other municipalities at their roll-up value and the
national categories outside municipal reach) and ``cap`` the national target; each ``E_i``
is one plan's emissions, evaluated by its own compiled model. Each result carries the last
linear programme's estimate of the constrained emissions next to the exact re-evaluation,
the cost per tonne of each action (its net present cost over the tonnes it cuts in the year,
exact: ``E`` is affine in each level) and the reasons a target is missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import linprog

from nettonul.engine.core.arrays import BoolArray, FloatArray, IntArray
from nettonul.engine.core.errors import SpecError
from nettonul.engine.plan.compile import CompiledPlan
from nettonul.engine.plan.costs import action_cost
from nettonul.engine.plan.kernels import row_emissions, totals
from nettonul.engine.plan.spec import Plan

#: Price of a tonne of remaining gap; far above any abatement cost, so it is a last resort.
PENALTY = 1e7


@dataclass(frozen=True)
class ActionChoice:
    """One action in a chosen portfolio."""

    org: str
    action: str
    title: str
    level: float  # 0 = not done, 1 = as planned
    costed: bool  # without a cost the action stays as planned
    npc: float  # net present cost at full level
    cut: float  # t CO2e the action cuts in the year at the chosen level (exact)
    cut_full: float  # t CO2e it would cut at full level with the others as chosen

    @property
    def cost(self) -> float:
        return self.npc * self.level

    @property
    def cost_per_tonne(self) -> float:
        """Net present cost per tonne cut in the year (NaN without a cost or where it cuts nothing)."""
        return self.npc / self.cut_full if self.costed and self.cut_full > 1e-9 else float("nan")

    def to_dict(self) -> dict[str, Any]:
        return {"org": self.org, "action": self.action, "title": self.title, "level": self.level,
                "costed": self.costed, "net_present_cost_full": self.npc, "net_present_cost": self.cost,
                "cut_t_co2e": self.cut, "cost_per_tonne": self.cost_per_tonne}


@dataclass(frozen=True)
class Portfolio:
    levels: dict[str, float]
    cost: float  # net present cost of the chosen levels
    emissions: dict[int, float]  # exact emissions in each target year
    gaps: dict[int, float]  # exact emissions minus target, > 0 where a target is missed
    iterations: int
    currency: str
    budget: float | None = None
    estimate: dict[int, float] | None = None  # the last linear programme's emissions estimate
    actions: tuple[ActionChoice, ...] = ()
    infeasible: tuple[str, ...] = ()  # why a target is missed

    def to_dict(self) -> dict[str, Any]:
        return {"levels": self.levels, "net_present_cost": self.cost, "currency": self.currency,
                "emissions_t_co2e": self.emissions, "gap_t_co2e": self.gaps, "iterations": self.iterations,
                "budget": self.budget, "estimate_t_co2e": self.estimate,
                "actions": [a.to_dict() for a in self.actions], "infeasible": list(self.infeasible)}


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
    npc, free = _costs(plan, cp)
    target_years = cp.target_years[keep]
    ty = target_years - cp.years[0]
    target = cp.target_levels[0][keep]
    j = ty.size

    x = np.ones(k)
    it = 0
    estimate = np.full(j, np.nan)
    for it in range(1, max_iterations + 1):  # noqa: B007  (the count is reported)
        grad, e0 = _linearise(cp, ty, x)
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
        estimate = e0 + grad @ (new - x)
        if np.max(np.abs(new - x)) < 1e-7:
            x = new
            break
        x = new
    final = _emissions(cp, ty, x[None])[0]
    years = [int(y) for y in target_years]
    gaps = final - target
    choices = _choices(plan, cp, ty[0], x, npc, free, cp.orgs[0] if cp.orgs else "")
    why = [] if budget is not None else [
        _why_missed(f"the target in {y}", gap, choices, plan.currency) for y, gap in zip(years, gaps, strict=True)
        if gap > 0.5]
    return Portfolio(
        levels={a: float(v) for a, v in zip(cp.action_ids, x, strict=True)}, cost=float(npc @ x),
        emissions=dict(zip(years, final.tolist(), strict=True)),
        gaps=dict(zip(years, gaps.tolist(), strict=True)), iterations=it, currency=plan.currency,
        budget=budget, estimate=dict(zip(years, estimate.tolist(), strict=True)), actions=choices,
        infeasible=tuple(why),
    )


# --------------------------------------------------------------------------- shared steps
def _costs(plan: Plan, cp: CompiledPlan) -> tuple[FloatArray, BoolArray]:
    """Net present cost of each action at full level, and which actions have a cost."""
    # costs scale with the level; an action's wedge does not enter its cost, so any abatement works
    npc = np.array([action_cost(a.id, a.cost, cp.adoption[i], np.zeros(cp.years.size), cp.years,
                                plan.discount_rate).npc
                    if a.cost is not None else 0.0 for i, a in enumerate(plan.actions)], dtype=np.float64)
    free = np.array([a.cost is not None for a in plan.actions], dtype=bool)
    return npc, free


def _emissions(cp: CompiledPlan, ty: IntArray, levels: FloatArray, rows: BoolArray | None = None) -> FloatArray:
    """(N, J) exact emissions of the first organisation in the years ``ty`` for a batch of
    levels; with ``rows`` only those rows (e.g. without LULUCF)."""
    if rows is not None:
        part: FloatArray = row_emissions(cp, None, levels)[:, 0][:, rows][:, :, ty].sum(axis=1)
        return part
    out: FloatArray = totals(cp, None, levels)[:, 0, :][:, ty]
    return out


def _linearise(cp: CompiledPlan, ty: IntArray, x: FloatArray,
               rows: BoolArray | None = None) -> tuple[FloatArray, FloatArray]:
    """(J, K) exact partial derivatives of E at ``x`` (E is affine in each level) and E(x)."""
    k = x.size
    ones, zeros = np.repeat(x[None], k, 0), np.repeat(x[None], k, 0)
    ones[np.arange(k), np.arange(k)] = 1.0
    zeros[np.arange(k), np.arange(k)] = 0.0
    grad: FloatArray = (_emissions(cp, ty, ones, rows) - _emissions(cp, ty, zeros, rows)).T
    return grad, _emissions(cp, ty, x[None], rows)[0]


def without_lulucf(cp: CompiledPlan) -> BoolArray:
    """The rows of a compiled plan outside LULUCF."""
    out: BoolArray = np.array([cp.sectors[int(j)] != "lulucf" for j in cp.row_sector], dtype=bool)
    return out


def _choices(plan: Plan, cp: CompiledPlan, yi: int, x: FloatArray, npc: FloatArray, free: BoolArray,
             org: str, rows: BoolArray | None = None) -> tuple[ActionChoice, ...]:
    grad, _ = _linearise(cp, np.asarray([yi], dtype=np.int64), x, rows)
    return tuple(
        ActionChoice(org, a, t, float(x[i]), bool(free[i]), float(npc[i]), float(-grad[0, i] * x[i]),
                     float(-grad[0, i]))
        for i, (a, t) in enumerate(zip(cp.action_ids, cp.action_titles, strict=True)))


def _why_missed(what: str, gap: float, choices: tuple[ActionChoice, ...], currency: str) -> str:
    uncosted = [c.title for c in choices if not c.costed]
    text = (f"{what} is missed by {gap:,.0f} t CO2e with every costed action at its full level: the actions "
            "cannot cut more")
    if uncosted:
        text += f"; {len(uncosted)} action(s) without a cost stay as planned ({', '.join(uncosted[:5])})"
    return text + "."


# --------------------------------------------------------------------------- the national question
@dataclass(frozen=True)
class NationalPortfolio:
    """The cheapest actions across several plans that keep the nation under ``cap`` in ``year``."""

    year: int
    cap: float  # t CO2e the constrained emissions must stay under
    other: float  # t CO2e outside the plans (other municipalities, national categories)
    emissions: float  # exact national emissions with the chosen levels
    estimate: float  # the last linear programme's estimate of the same
    gap: float  # emissions - cap, > 0 where the cap is missed
    cost: float
    currency: str
    iterations: int
    actions: tuple[ActionChoice, ...]
    by_org: dict[str, dict[str, float]]  # org -> {"cost", "cut", "emissions"}
    infeasible: tuple[str, ...]
    budget: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "cap_t_co2e": self.cap, "outside_plans_t_co2e": self.other,
                "emissions_t_co2e": self.emissions, "estimate_t_co2e": self.estimate, "gap_t_co2e": self.gap,
                "net_present_cost": self.cost, "currency": self.currency, "iterations": self.iterations,
                "budget": self.budget, "by_organisation": self.by_org,
                "actions": [a.to_dict() for a in self.actions], "infeasible": list(self.infeasible)}


def cheapest_national(plans: Sequence[tuple[str, Plan, CompiledPlan]], year: int, cap: float, other: float,
                      *, budget: float | None = None, max_iterations: int = 20,
                      lulucf: bool = True) -> NationalPortfolio:
    """The least-cost levels of all plans' costed actions that keep ``other`` plus the plans'
    emissions in ``year`` at most ``cap`` (t CO2e); with ``budget`` the most national reduction
    in ``year`` for that net present cost. ``plans`` holds (org, plan, compiled plan). With
    ``lulucf=False`` the plans' LULUCF rows are left out (for a cap without LULUCF)."""
    if not plans:
        raise SpecError("no plans to optimise across")
    if budget is not None and budget < 0:
        raise SpecError("the budget must not be negative")
    currencies = {p.currency for _, p, _ in plans}
    if len(currencies) > 1:
        raise SpecError(f"the plans use different currencies ({', '.join(sorted(currencies))})")
    tys: list[IntArray] = []
    for org, _plan, cp in plans:
        if not int(cp.years[0]) <= year <= int(cp.years[-1]):
            raise SpecError(f"the plan of {org} covers {int(cp.years[0])}-{int(cp.years[-1])}, not {year}")
        tys.append(np.asarray([year - int(cp.years[0])], dtype=np.int64))
    masks = [None if lulucf else without_lulucf(cp) for _, _, cp in plans]
    costs = [_costs(plan, cp) for _, plan, cp in plans]
    npc = np.concatenate([c[0] for c in costs])
    free = np.concatenate([c[1] for c in costs])
    sizes = [len(cp.action_ids) for _, _, cp in plans]
    cuts = np.cumsum([0, *sizes])
    x = np.ones(int(cuts[-1]))
    bounds = [(0.0, 1.0) if f else (1.0, 1.0) for f in free]
    it = 0
    estimate = float("nan")
    for it in range(1, max_iterations + 1):  # noqa: B007  (the count is reported)
        parts = [_linearise(cp, ty, x[cuts[i]:cuts[i + 1]], masks[i])
                 for i, ((_, _, cp), ty) in enumerate(zip(plans, tys, strict=True))]
        grad = np.concatenate([g[0] for g, _ in parts])
        e0 = other + float(sum(e[0] for _, e in parts))
        if budget is None:
            res = linprog(np.concatenate([npc, [PENALTY]]), A_ub=np.concatenate([grad, [-1.0]])[None, :],
                          b_ub=[cap - e0 + grad @ x], bounds=[*bounds, (0.0, None)], method="highs")
        else:
            res = linprog(grad + 1e-9 * npc, A_ub=npc[None, :], b_ub=[budget + float(npc[~free].sum())],
                          bounds=bounds, method="highs")
        if res.status != 0:
            raise SpecError(f"the optimisation failed: {res.message}")
        new = np.clip(res.x[:x.size], 0.0, 1.0)
        estimate = float(e0 + grad @ (new - x))
        if np.max(np.abs(new - x)) < 1e-7:
            x = new
            break
        x = new
    choices: list[ActionChoice] = []
    by_org: dict[str, dict[str, float]] = {}
    exact = other
    for i, ((org, plan, cp), ty) in enumerate(zip(plans, tys, strict=True)):
        xi = x[cuts[i]:cuts[i + 1]]
        e = float(_emissions(cp, ty, xi[None], masks[i])[0, 0])
        exact += e
        mine = _choices(plan, cp, int(ty[0]), xi, npc[cuts[i]:cuts[i + 1]], free[cuts[i]:cuts[i + 1]], org, masks[i])
        choices.extend(mine)
        by_org[org] = {"cost": float(sum(c.cost for c in mine)), "cut": float(sum(c.cut for c in mine)),
                       "emissions": e}
    gap = exact - cap
    why = (_why_missed(f"the national cap in {year}", gap, tuple(choices), plans[0][1].currency),) \
        if gap > 0.5 and budget is None else ()
    return NationalPortfolio(year, cap, other, exact, estimate, gap, float(npc @ x), plans[0][1].currency, it,
                             tuple(choices), by_org, why, budget)
