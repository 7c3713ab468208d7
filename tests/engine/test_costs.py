"""Costs: equivalent annual cost, net present cost and cost per tonne, worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from nettonul.engine.plan.costs import Cost, action_cost, capital_recovery_factor, macc


def test_capital_recovery_factor_by_hand() -> None:
    # r = 5 %, L = 10: 0.05 / (1 - 1.05^-10) = 0.05 / (1 - 0.613913) = 0.129505
    assert capital_recovery_factor(0.05, 10) == pytest.approx(0.129505, abs=1e-6)
    assert capital_recovery_factor(0.0, 4) == 0.25


def test_net_present_cost_and_cost_per_tonne_by_hand() -> None:
    # capex 1,000 DKK, life 2 years, r = 10 %: CRF = 0.1 / (1 - 1/1.21) = 0.576190;
    # yearly cost = 576.1905 + opex 100 = 676.1905 in each of 3 fully adopted years;
    # NPC = 676.1905 x (1 + 1/1.1 + 1/1.21) = 676.1905 x 2.735537 = 1849.744;
    # abatement 10 t a year, discounted 27.35537 t -> 67.619 DKK/t.
    cost = Cost(capex=1000.0, opex_per_year=100.0, lifetime_years=2, discount_rate=0.10)
    years = np.arange(2025, 2028)
    r = action_cost("a", cost, np.ones(3), np.full(3, 10.0), years, default_rate=0.03)
    assert r.discount_rate == 0.10
    assert r.npc == pytest.approx(1849.744, abs=0.001)
    assert r.discounted_abatement_t == pytest.approx(27.35537, abs=1e-5)
    assert r.cost_per_t == pytest.approx(67.619, abs=1e-3)
    assert r.abatement_t == 30.0
    # the cost by year is undiscounted: 676.1905 in each fully adopted year
    assert r.annual == pytest.approx((676.1905,) * 3, abs=1e-4)
    assert r.to_dict()["annual_costs"] == pytest.approx([676.1905] * 3, abs=1e-4)


def test_costs_follow_adoption_and_the_plan_rate() -> None:
    cost = Cost(capex=0.0, opex_per_year=-50.0)  # savings only
    r = action_cost("a", cost, np.array([0.0, 0.5, 1.0]), np.array([0.0, 5.0, 10.0]), np.arange(2025, 2028), 0.0)
    assert r.npc == pytest.approx(-75.0)
    assert r.cost_per_t == pytest.approx(-5.0)
    assert r.annual == pytest.approx((0.0, -25.0, -50.0))  # savings grow with adoption


def test_no_abatement_means_no_cost_per_tonne() -> None:
    r = action_cost("a", Cost(capex=10.0), np.ones(2), np.zeros(2), np.arange(2025, 2027), 0.03)
    assert r.cost_per_t is None


def test_macc_orders_cheapest_first_and_stacks_widths() -> None:
    bars = macc([("b", "B", 300.0, 5.0), ("a", "A", -20.0, 10.0), ("c", "C", None, 3.0), ("d", "D", 50.0, 0.0)])
    assert [b.action for b in bars] == ["a", "b"]
    assert [b.x0 for b in bars] == [0.0, 10.0]
