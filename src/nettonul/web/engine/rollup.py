"""The national roll-up and the cheapest portfolio for the support bodies' pages and the API.

The plans in the database are the roll-up's first source: each municipality's current
published plan (the one a support body sees) with actions gives its scenario; a plan with
targets only gives stated targets, drawn as a path; the other municipalities are at business
as usual (:mod:`nettonul.engine.pathway.rollup`). The band comes from the engine's correlated
ensemble (:mod:`nettonul.engine.pathway.rollup_ensemble`). Results are kept under the key of
the engine inputs (:mod:`.cache`): every plan's engine document with its inventory, the
targets, the year and the draws. Nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from nettonul.engine.core.errors import EngineError
from nettonul.engine.core.jsondata import plain
from nettonul.engine.pathway.rollup import MT, rollup
from nettonul.engine.pathway.rollup_ensemble import Cities, simulate_rollup
from nettonul.engine.pathway.targets import Target
from nettonul.engine.plan.compile import compile_plan
from nettonul.engine.plan.optimise import cheapest_national, cheapest_portfolio
from nettonul.engine.plan.sources import plan_scenario
from nettonul.engine.plan.spec import Plan as EnginePlan
from nettonul.engine.reference import datasets
from nettonul.web.engine import cache
from nettonul.web.engine.plans import engine_plan, targets_of

#: Draws of the roll-up's band on the page and by default in the API.
DRAWS = 2000
YEAR = 2030
SOLVER = "HiGHS (scipy.optimize.linprog, method='highs'), successive linear programming"


def sources(plans: Iterable[Any]) -> tuple[dict[str, EnginePlan], dict[str, tuple[Target, ...]], list[str]]:
    """The engine inputs of the roll-up from the current published plans of municipalities:
    code -> engine plan (plans with actions), code -> stated targets (plans with targets
    only), and the problems of plans the engine cannot use (left at business as usual)."""
    municipal = {m.code for m in datasets.municipalities()}
    specs: dict[str, EnginePlan] = {}
    targets: dict[str, tuple[Target, ...]] = {}
    problems: list[str] = []
    for plan in plans:
        code = plan.organisation.code
        if code not in municipal or code in specs or code in targets:
            continue
        rows = list(plan.targets.all())
        actions = [a for a in plan.actions.all() if a.effect and a.status != "cancelled"]
        try:
            if actions:
                specs[code] = engine_plan(plan, rows, actions)
            elif rows:
                targets[code] = targets_of(rows)
        except EngineError as exc:
            problems.append(f"{plan.organisation.name}: {exc}")
    return specs, targets, problems


def national(specs: dict[str, EnginePlan], targets: dict[str, tuple[Target, ...]], *, year: int = YEAR,
             draws: int = DRAWS, seed: int = 0, region: str | None = None) -> dict[str, Any]:
    """The roll-up as plain data (``Rollup.to_dict``, of ``region`` when given) with
    ``uncertainty`` (the ensemble's national bands) and ``plans`` (code -> plan name); kept
    under the key of its inputs."""

    def compute() -> dict[str, Any]:
        scenarios = {code: plan_scenario(spec, year) for code, spec in specs.items()}
        r = rollup(targets, plans=scenarios, year=year)
        data = r.to_dict(region)
        ens = simulate_rollup(Cities.from_rollup(r), draws, seed) if draws >= 2 else None
        data["uncertainty"] = ens.to_dict() if ens is not None else None
        data["plans"] = {code: spec.name for code, spec in specs.items()}
        out: dict[str, Any] = plain(data, strict=False)
        return out

    return cache.cached("rollup", (specs, targets, year, draws, seed, region), compute)[1]


def plan_optimum(spec: EnginePlan, year: int | None = None, budget: float | None = None) -> dict[str, Any]:
    """The cheapest portfolio of one plan (``Portfolio.to_dict``), kept under its inputs."""

    def compute() -> dict[str, Any]:
        cp = compile_plan(spec)
        p = cheapest_portfolio(spec, cp, year=year, budget=budget)
        data = p.to_dict()
        data.update(plan=spec.name, solver=SOLVER, sources=list(cp.sources))
        out: dict[str, Any] = plain(data, strict=False)
        return out

    return cache.cached("plan-optimum", (spec, year, budget), compute)[1]


def national_optimum(specs: dict[str, EnginePlan], targets: dict[str, tuple[Target, ...]], year: int = YEAR,
                     budget: float | None = None) -> dict[str, Any]:
    """Which municipalities' actions keep Denmark (without LULUCF) at -70 % in ``year`` most
    cheaply (``NationalPortfolio.to_dict``), over the plans with actions."""

    def compute() -> dict[str, Any]:
        compiled = {c: compile_plan(s) for c, s in specs.items()}
        r = rollup(targets, plans={c: plan_scenario(specs[c], year, compiled[c]) for c in specs}, year=year)
        in_plans = sum(float(r.rolled[r.codes.index(c)].sum()) for c in specs)
        n = cheapest_national([(c, specs[c], compiled[c]) for c in specs], year, r.national_target_excl_lulucf * MT,
                              r.national_year * MT - in_plans, budget=budget, lulucf=False)
        data = n.to_dict()
        data["names"] = {c: r.names[r.codes.index(c)] for c in specs}
        data["solver"] = SOLVER
        out: dict[str, Any] = plain(data, strict=False)
        return out

    if not specs:
        raise EngineError("no published plan with actions to optimise across")
    return cache.cached("national-optimum", (specs, targets, year, budget), compute)[1]
