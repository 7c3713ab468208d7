"""Cheapest portfolio: worked by hand on independent actions, and exact on interacting ones."""

from __future__ import annotations

import math
from typing import Any

import pytest

from nettonul.engine.core.errors import SpecError
from nettonul.engine.plan.compile import compile_plan
from nettonul.engine.plan.optimise import cheapest_portfolio
from nettonul.engine.plan.spec import parse_plan


def doc(target: float) -> dict[str, Any]:
    """Transport 100 t and waste 100 t; a: -40 % transport for 400 (10/t), b: -40 % waste for
    1,200 (30/t); target: `target` t in 2026. No discounting, one year of cost."""
    def action(i: str, sector: str, capex: float) -> dict[str, Any]:
        return {"id": i, "title": i, "schedule": {"start": 2026, "curve": "step"},
                "effect": {"type": "demand", "sector": sector, "reduction": 0.4},
                "cost": {"capex": capex, "lifetime_years": 1, "discount_rate": 0.0}}

    return {"name": "t", "organisation": "test", "horizon": 2026, "discount_rate": 0.0,
            "baseline": {"method": "constant"},
            "inventory": {"source": "inline", "year": 2025, "emissions": {"transport": 100.0, "waste": 100.0}},
            "targets": [{"kind": "absolute", "year": 2026, "value": target}],
            "actions": [action("a", "transport", 400.0), action("b", "waste", 1200.0)]}


def test_cheapest_first_by_hand() -> None:
    # 150 t needs 50 t of cuts: all 40 t of a (400) and 10 t of b (a quarter of 1,200 = 300)
    plan = parse_plan(doc(150.0))
    p = cheapest_portfolio(plan, compile_plan(plan))
    assert p.levels == pytest.approx({"a": 1.0, "b": 0.25})
    assert p.cost == pytest.approx(700.0)
    assert p.gaps[2026] == pytest.approx(0.0, abs=1e-6)


def test_an_unreachable_target_leaves_an_exact_gap() -> None:
    plan = parse_plan(doc(100.0))
    p = cheapest_portfolio(plan, compile_plan(plan))
    assert p.levels == pytest.approx({"a": 1.0, "b": 1.0})
    assert p.gaps[2026] == pytest.approx(20.0)


def test_interacting_actions_meet_the_target_exactly() -> None:
    d = doc(150.0)
    d["actions"][1]["effect"]["sector"] = "transport"  # both on transport: they interact
    plan = parse_plan(d)
    p = cheapest_portfolio(plan, compile_plan(plan))
    # transport must fall to 50 t: 100 (1 - 0.4 a)(1 - 0.4 b) <= 50. a is cheaper per tonne,
    # so a = 1 (60 t left) and 60 (1 - 0.4 b) = 50 gives b = 5/12; cost 400 + 500 = 900
    assert p.levels == pytest.approx({"a": 1.0, "b": 5 / 12}, abs=1e-6)
    assert p.emissions[2026] == pytest.approx(150.0)
    assert p.cost == pytest.approx(900.0)


def test_most_reduction_within_a_budget_by_hand() -> None:
    # 1,000 buys all of a (400 for 40 t) and half of b (600 of 1,200 for 20 t): 200 - 60 = 140 t
    plan = parse_plan(doc(150.0))
    p = cheapest_portfolio(plan, compile_plan(plan), year=2026, budget=1000.0)
    assert p.levels == pytest.approx({"a": 1.0, "b": 0.5}, abs=1e-6)
    assert p.cost == pytest.approx(1000.0)
    assert p.emissions[2026] == pytest.approx(140.0)
    with pytest.raises(SpecError, match="no target in 2030"):
        cheapest_portfolio(plan, compile_plan(plan), year=2030)


def test_the_estimate_is_within_one_percent_of_the_engine_and_costs_per_tonne_by_hand() -> None:
    d = doc(150.0)
    d["actions"][1]["effect"]["sector"] = "transport"  # interacting: the linearisation is not exact
    plan = parse_plan(d)
    cp = compile_plan(plan)
    p = cheapest_portfolio(plan, cp)
    assert p.estimate is not None
    assert p.estimate[2026] == pytest.approx(p.emissions[2026], rel=0.01)
    assert p.gaps[2026] <= 1e-6  # the target holds on re-evaluation
    a, b = p.actions
    # a at full level cuts 40 % of what b leaves: 100 (1 - 0.4 x 5/12) x 0.4 = 33.33 t for 400
    assert a.cut == pytest.approx(100 * (1 - 0.4 * 5 / 12) * 0.4)
    assert a.cost_per_tonne == pytest.approx(400 / (100 * (1 - 0.4 * 5 / 12) * 0.4))
    assert b.cost == pytest.approx(1200 * 5 / 12)
    assert p.infeasible == ()


def test_a_missed_target_says_why() -> None:
    d = doc(100.0)
    d["actions"].append({"id": "c", "title": "free bikes", "schedule": {"start": 2026, "curve": "step"},
                         "effect": {"type": "demand", "sector": "transport", "reduction": 0.1}})
    plan = parse_plan(d)
    p = cheapest_portfolio(plan, compile_plan(plan))
    # transport 100 x 0.6 x 0.9 = 54, waste 60: 114 t, 14 t above the target
    assert p.gaps[2026] == pytest.approx(14.0)
    assert len(p.infeasible) == 1
    assert "14 t CO2e" in p.infeasible[0]
    assert "free bikes" in p.infeasible[0]
    bikes = p.actions[2]
    assert not bikes.costed
    assert bikes.cut == pytest.approx(100 * 0.6 * 0.1)  # 10 % of what a leaves of transport
    assert math.isnan(bikes.cost_per_tonne)  # no cost, no price per tonne


def test_the_national_question_by_hand() -> None:
    from nettonul.engine.plan.optimise import cheapest_national

    # two municipalities, each transport 100 t and waste 100 t; x has only the cheap action a
    # (10 DKK/t), y only b (30 DKK/t). Outside the plans 50 t; the cap is 400 t: 50 t to cut.
    # All of x's 40 t (400) and 10 t of y's (a quarter of 1,200 = 300): 700.
    dx, dy = doc(1000.0), doc(1000.0)
    dx["organisation"], dy["organisation"] = "x", "y"
    dx["actions"], dy["actions"] = dx["actions"][:1], dy["actions"][1:]
    px, py = parse_plan(dx), parse_plan(dy)
    n = cheapest_national([("x", px, compile_plan(px)), ("y", py, compile_plan(py))], 2026, cap=400.0, other=50.0)
    assert n.cost == pytest.approx(700.0)
    assert [(c.org, c.action, c.level) for c in n.actions] == [("x", "a", pytest.approx(1.0)),
                                                                ("y", "b", pytest.approx(0.25))]
    assert n.emissions == pytest.approx(400.0)
    assert n.estimate == pytest.approx(n.emissions, rel=0.01)
    assert n.by_org["x"]["cut"] == pytest.approx(40.0)
    assert n.infeasible == ()
    short = cheapest_national([("x", px, compile_plan(px)), ("y", py, compile_plan(py))], 2026, cap=300.0, other=50.0)
    assert short.gap == pytest.approx(70.0)  # 450 - 80 = 370 at best, 70 above the cap
    assert "national cap" in short.infeasible[0]
    within = cheapest_national([("x", px, compile_plan(px)), ("y", py, compile_plan(py))], 2026, cap=0.0,
                               other=50.0, budget=700.0)
    assert within.emissions == pytest.approx(400.0)
    with pytest.raises(SpecError, match="covers"):
        cheapest_national([("x", px, compile_plan(px))], 2030, cap=0.0, other=0.0)
