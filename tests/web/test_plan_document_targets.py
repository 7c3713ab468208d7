"""Every quantified target of a stored plan reaches the engine's plan document and scenario."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from nettonul.engine.plan.compile import compile_plan
from nettonul.engine.plan.scenario import evaluate
from nettonul.engine.plan.spec import parse_plan
from nettonul.web.engine.plans import plan_document


def test_per_capita_and_sector_targets_are_handed_to_the_scenario() -> None:
    plan = SimpleNamespace(
        title="Targets", organisation=SimpleNamespace(code="410"), framework="dk-municipal", gwp_set="AR5",
        published=False,
        model={"horizon": 2035, "baseline": {"method": "constant"},
               "inventory": {"source": "inline", "year": 2023, "emissions": {"energy": 1000.0, "transport": 600.0}}})
    targets = [SimpleNamespace(kind="per_capita", year=2030, value=0.02, against=None, sector=""),
               SimpleNamespace(kind="absolute", year=2030, value=450.0, against=None, sector="transport"),
               SimpleNamespace(kind="qualitative", year=2040, value=None, against=None, sector="")]
    doc = plan_document(plan, targets, [])
    assert doc["targets"] == [{"kind": "per_capita", "year": 2030, "value": 0.02},
                              {"kind": "absolute", "year": 2030, "value": 450.0, "sector": "transport"}]
    result = evaluate(compile_plan(parse_plan(doc)))
    # 0.02 t x 40,625 inhabitants (1 January 2026, held flat) = 812.5 t against a flat 1,600 t
    assert result.gap()[0].tolist() == pytest.approx([1600.0 - 812.5])
    # transport stays at 600 t without actions: 150 t above its own 450 t target
    assert result.sector_gaps()["transport"][0].tolist() == pytest.approx([150.0])
