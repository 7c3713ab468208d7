"""Attribution invariants on random plans: the parts always add up to the whole, the order of
the actions does not matter, and the fast method equals the Shapley value's definition."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from nettonul.engine.plan.attribution import shapley_by_subsets, wedges
from nettonul.engine.plan.compile import compile_plan
from nettonul.engine.plan.kernels import row_emissions, totals
from nettonul.engine.plan.spec import parse_plan
from nettonul.engine.testing.strategies import plans


def _scale(doc: dict[str, Any]) -> float:
    return 1.0 + sum(abs(v) for v in doc["inventory"]["emissions"].values()) + 1000.0


@given(plans())
def test_wedges_add_up_to_the_total_reduction(doc: dict[str, Any]) -> None:
    cp = compile_plan(parse_plan(doc))
    k = len(cp.action_ids)
    both = totals(cp, None, np.stack([np.zeros(k), np.ones(k)]))[:, 0]
    w = wedges(cp)[0]
    np.testing.assert_allclose(w.sum(axis=0), both[0] - both[1], rtol=1e-9, atol=1e-9 * _scale(doc))


@given(plans(), st.randoms(use_true_random=False))
def test_wedges_do_not_depend_on_the_order_of_independent_listing(doc: dict[str, Any], rnd: Any) -> None:
    # Only the order among switches/shifts is physical (they move activity in turn); keep that
    # order and shuffle everything else.
    transfers = [a for a in doc["actions"] if a["effect"]["type"] in ("switch", "shift")]
    others = [a for a in doc["actions"] if a["effect"]["type"] not in ("switch", "shift")]
    rnd.shuffle(others)
    shuffled = dict(doc, actions=others + transfers)
    a = dict(zip(compile_plan(parse_plan(doc)).action_ids, wedges(compile_plan(parse_plan(doc)))[0], strict=True))
    cp_b = compile_plan(parse_plan(shuffled))
    b = dict(zip(cp_b.action_ids, wedges(cp_b)[0], strict=True))
    for key, value in a.items():
        np.testing.assert_allclose(b[key], value, rtol=1e-9, atol=1e-9 * _scale(doc))


@given(plans(max_actions=5))
def test_fast_attribution_equals_the_shapley_definition(doc: dict[str, Any]) -> None:
    cp = compile_plan(parse_plan(doc))

    def f(levels: np.ndarray) -> np.ndarray:
        return totals(cp, None, levels)[:, 0]

    exact = -shapley_by_subsets(f, len(cp.action_ids))
    np.testing.assert_allclose(wedges(cp)[0], exact, rtol=1e-9, atol=1e-8 * _scale(doc))


@given(plans())
def test_forward_and_backward_kernels_agree(doc: dict[str, Any]) -> None:
    cp = compile_plan(parse_plan(doc))
    levels = np.random.default_rng(0).uniform(0, 1, size=(3, len(cp.action_ids)))
    np.testing.assert_allclose(totals(cp, None, levels), row_emissions(cp, None, levels).sum(axis=2),
                               rtol=1e-10, atol=1e-9 * _scale(doc))
