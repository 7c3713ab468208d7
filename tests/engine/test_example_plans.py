"""The shipped example plans load, mark every assumed number and start from the shipped data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nettonul.engine.plan.compile import compile_plan
from nettonul.engine.plan.scenario import evaluate
from nettonul.engine.plan.spec import load_plan, unmarked_numbers
from nettonul.engine.reference import datasets

PLANS_DIR = Path(__file__).resolve().parents[2] / "examples" / "plans"
PLANS = [PLANS_DIR / "hjoerring.yaml", PLANS_DIR / "samsoe.yaml"]
#: Land use from each plan's illustrative land-use inventory, t CO2e in 2023 (Hjørring: 3,000 ha x 30 t/ha).
LAND_USE = {"hjoerring": 3_000 * 30.0, "samsoe": 0.0}


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_example_plan(path: Path) -> None:
    plan = load_plan(path)
    assert unmarked_numbers(plan) == []
    for rows in plan.activity.values():
        assert all(r.source or (r.assumption and r.reason) for r in rows)
    cp = compile_plan(plan)
    code = datasets.find_municipality(plan.organisation).code
    k = datasets.klimaregnskab()
    published = k.values[k.codes.index(code), :, -1].sum()
    result = evaluate(cp)
    assert result.bau[0, 0] == pytest.approx(published + LAND_USE[path.stem])
    assert np.all(result.plan[0] <= result.bau[0] + 1e-6)
    # DK2020: -70 % in 2030 against 1990, net zero 2050 (methodology Appendix A)
    assert cp.target_labels == ("-70% in 2030 vs 1990", "net zero in 2050")


def test_the_two_municipal_example_plans_are_shipped() -> None:
    assert all(p.is_file() for p in PLANS)
