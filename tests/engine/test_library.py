"""Peer learning across plans (nettonul.engine.plan.library): families of actions, how many
plans use each, effect sizes, cost per tonne, and the filter by the kind of municipality."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nettonul import examples_dir
from nettonul.engine.plan.compile import compile_plan
from nettonul.engine.plan.library import (
    LibraryAction,
    PlanActions,
    agriculture_share,
    compare,
    family_of,
    plan_actions,
)
from nettonul.engine.plan.scenario import evaluate, summarise
from nettonul.engine.plan.spec import load_plan


def _action(family: str, size: float, cost: float | None, reduction: float, title: str = "x") -> LibraryAction:
    kind = family.split(" / ")[1]
    return LibraryAction(title, family, kind, family.split(" / ")[0], size, "share", cost, reduction)


HEAT = "energy / switch / oil -> electricity"
FOREST = "lulucf / removal / afforestation"


def _plans() -> list[PlanActions]:
    return [
        PlanActions("101", "A", "Plan A", 0.05, (_action(HEAT, 0.8, 3000.0, 1000.0, "Varmepumper"),)),
        PlanActions("741", "B", "Plan B", 0.50, (_action(HEAT, 0.4, 1000.0, 500.0, "Heat pumps"),
                                                _action(FOREST, 0.1, None, 200.0, "Skovrejsning"))),
        PlanActions("860", "C", "Plan C", 0.45, (_action(HEAT, 0.6, 2000.0, 700.0),
                                                _action(FOREST, 0.3, 390.0, 600.0))),
        PlanActions("999", "D", "Plan D", None, (_action(FOREST, 0.2, 100.0, 100.0),)),
    ]


def test_families_count_plans_and_give_median_and_range_by_hand() -> None:
    heat, forest = compare(_plans())
    assert (heat.family, heat.plans, heat.organisations) == (HEAT, 3, ("101", "741", "860"))
    assert (heat.size.median, heat.size.low, heat.size.high) == (0.6, 0.4, 0.8)
    assert (heat.cost_per_t.median, heat.cost_per_t.low, heat.cost_per_t.high, heat.cost_per_t.n) == (
        2000.0, 1000.0, 3000.0, 3)
    assert heat.reduction_total_t == 2200.0
    assert heat.titles == ("Varmepumper", "Heat pumps", "x")
    # a cost only where the plan states one: two of the three forests
    assert forest.plans == 3
    assert (forest.cost_per_t.median, forest.cost_per_t.n) == (245.0, 2)


def test_the_agriculture_filter_keeps_only_rural_municipalities_with_a_known_share() -> None:
    found = {f.family: f for f in compare(_plans(), agriculture_above=0.30)}
    assert found[HEAT].organisations == ("741", "860")
    assert found[HEAT].size.median == pytest.approx(0.5)
    assert found[FOREST].organisations == ("741", "860")  # D's share is unknown: left out


def test_query_finds_a_family_by_any_of_its_titles() -> None:
    assert [f.family for f in compare(_plans(), query="varmepumper")] == [HEAT]
    assert [f.family for f in compare(_plans(), query="afforestation")] == [FOREST]
    assert compare(_plans(), query="brint") == []


def test_agriculture_share_counts_sub_sectors_and_gross_totals() -> None:
    assert agriculture_share({"energy": 300.0, "agriculture": 100.0, "agriculture.livestock": 100.0}) == 0.4
    # a removal does not shrink the total the share is of
    assert agriculture_share({"energy": 50.0, "agriculture": 50.0, "lulucf.forest": -40.0}) == 0.5
    assert agriculture_share({"lulucf.forest": -1.0}) is None


def test_the_shipped_example_plans_share_afforestation() -> None:
    entries = []
    for path in sorted((examples_dir() / "plans").glob("*.yaml")):
        plan = load_plan(path)
        result = evaluate(compile_plan(plan))
        entries.append(plan_actions(plan, summarise(plan, result), organisation=plan.organisation, name=plan.name,
                                    agriculture_share=None))
    for entry, path in zip(entries, sorted((examples_dir() / "plans").glob("*.yaml")), strict=True):
        plan = load_plan(path)
        assert len(entry.actions) == sum(not a.in_baseline for a in plan.actions)
        assert {a.family for a in entry.actions} == {family_of(a) for a in plan.actions if not a.in_baseline}
    shared = [f for f in compare(entries) if f.plans == 2]
    assert [f.family for f in shared] == [FOREST]


sizes = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@given(st.lists(st.tuples(sizes, st.one_of(st.none(), st.floats(-1e4, 1e5, allow_nan=False))), min_size=1,
                max_size=12))
def test_every_action_is_in_exactly_one_family_and_totals_add_up(rows: list[tuple[float, float | None]]) -> None:
    plans = [PlanActions(str(i), f"O{i}", f"P{i}", 0.5, (_action(HEAT if i % 2 else FOREST, s, c, 10.0 * (i + 1)),))
             for i, (s, c) in enumerate(rows)]
    families = compare(plans)
    assert sum(f.plans for f in families) == len(rows)
    assert sum(f.reduction_total_t for f in families) == pytest.approx(sum(10.0 * (i + 1) for i in range(len(rows))))
    for f in families:
        assert f.size is not None
        assert f.size.low <= f.size.median <= f.size.high
