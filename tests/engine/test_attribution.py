"""Attribution: the hand-worked two-action case, order independence, and the definition."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from nettonul.engine.plan.attribution import shapley_by_subsets, shapley_multilinear, wedges
from nettonul.engine.plan.compile import compile_plan
from nettonul.engine.plan.kernels import totals
from nettonul.engine.plan.scenario import evaluate
from nettonul.engine.plan.spec import parse_plan

MARK = {"assumption": True, "reason": "test figure"}


def two_actions() -> dict[str, Any]:
    """100 t from oil (0.25 t/MWh, so 400 MWh); insulation -20 %; half of the oil heat
    moved to heat pumps at 0.3 MWh electricity per MWh oil, electricity at 0.1 t/MWh."""
    return {
        "name": "hand example", "organisation": "test", "horizon": 2026,
        "inventory": {"source": "inline", "year": 2025, "emissions": {"energy": 100.0}},
        "baseline": {"method": "constant"},
        "activity": {"energy": [
            {"carrier": "oil", "share": 1.0, "factor": 0.25, **MARK},
            {"carrier": "electricity", "share": 0.0, "factor": 0.1, **MARK}]},
        "actions": [
            {"id": "insulation", "title": "Insulation", "schedule": {"start": 2025, "curve": "step"},
             "effect": {"type": "demand", "sector": "energy", "carriers": ["oil"], "reduction": 0.2}},
            {"id": "heat-pumps", "title": "Heat pumps", "schedule": {"start": 2025, "curve": "step"},
             "effect": {"type": "switch", "sector": "energy", "from": "oil", "to": "electricity",
                        "share": 0.5, "efficiency_ratio": 0.3}},
        ],
    }


def test_two_action_case_worked_by_hand() -> None:
    # v({}) = 100; v({ins}) = 80; v({hp}) = 50 + 6 = 56; v({ins, hp}) = 40 + 4.8 = 44.8.
    # Shapley: insulation = ((100 - 80) + (56 - 44.8)) / 2 = 15.6,
    #          heat pumps = ((100 - 56) + (80 - 44.8)) / 2 = 39.6; 15.6 + 39.6 = 55.2 = 100 - 44.8.
    result = evaluate(compile_plan(parse_plan(two_actions())))
    assert result.bau[0].tolist() == pytest.approx([100.0, 100.0])
    assert result.plan[0].tolist() == pytest.approx([44.8, 44.8])
    assert result.wedges[0, :, 0].tolist() == pytest.approx([15.6, 39.6], abs=1e-12)


def test_listing_order_does_not_change_the_wedges() -> None:
    doc = two_actions()
    swapped = copy.deepcopy(doc)
    swapped["actions"].reverse()
    a = evaluate(compile_plan(parse_plan(doc))).wedges[0, :, 0]
    b = evaluate(compile_plan(parse_plan(swapped))).wedges[0, :, 0]
    assert b[::-1].tolist() == pytest.approx(a.tolist(), abs=1e-12)


def test_quadrature_equals_the_definition_on_a_plan() -> None:
    cp = compile_plan(parse_plan(two_actions()))

    def f(levels: np.ndarray) -> np.ndarray:
        return totals(cp, None, levels)

    np.testing.assert_allclose(shapley_multilinear(f, 2), shapley_by_subsets(f, 2), atol=1e-12)
    assert -shapley_multilinear(f, 2)[:, 0, 0] == pytest.approx(wedges(cp)[0, :, 0])


@pytest.mark.parametrize("k", [1, 2, 5, 8])
def test_quadrature_is_exact_for_random_multilinear_functions(k: int) -> None:
    rng = np.random.default_rng(k)
    coef = rng.normal(size=2 ** k)
    masks = np.array([[(m >> j) & 1 for j in range(k)] for m in range(2 ** k)], dtype=bool)

    def f(t: np.ndarray) -> np.ndarray:
        terms = np.prod(np.where(masks[None], t[:, None, :], 1.0), axis=2)  # (N, 2^k)
        return (terms @ coef)[:, None]

    exact = shapley_by_subsets(f, k)
    np.testing.assert_allclose(shapley_multilinear(f, k), exact, atol=1e-10)
    assert exact.sum() == pytest.approx(float(f(np.ones((1, k)))[0, 0] - f(np.zeros((1, k)))[0, 0]))


def test_an_action_that_changes_nothing_gets_nothing() -> None:
    doc = two_actions()
    doc["actions"].append({"id": "nothing", "title": "No effect", "schedule": {"start": 2025},
                           "effect": {"type": "demand", "sector": "energy", "reduction": 0.0}})
    w = evaluate(compile_plan(parse_plan(doc))).wedges[0, :, 0]
    assert w.tolist() == pytest.approx([15.6, 39.6, 0.0], abs=1e-12)
