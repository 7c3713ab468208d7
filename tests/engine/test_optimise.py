"""Cheapest portfolio: worked by hand on independent actions, and exact on interacting ones."""

from __future__ import annotations

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
