"""Plan files: validation with every problem named by its path and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from nettonul.engine.core.errors import ValidationError
from nettonul.engine.inventory.model import Inventory
from nettonul.engine.plan.compile import compile_plan
from nettonul.engine.plan.scenario import evaluate
from nettonul.engine.plan.spec import load_plan, parse_plan, unmarked_numbers, with_inventory

GOOD = """\
name: Test plan
organisation: "741"
inventory: {source: shipped:klimaregnskab, year: 2023}
activity:
  energy:
    - {carrier: oil, share: 0.4, factor: 0.266, assumption: true, reason: test}
    - {carrier: electricity, share: 0.6, factor: br18.electricity, source: BR18}
targets:
  - {kind: reduction, year: 2030, value: 0.7, against: 1990}
actions:
  - id: heat-pumps
    title: Heat pumps
    effect: {type: switch, sector: energy, from: oil, to: electricity, share: 0.9, efficiency_ratio: 0.3}
    schedule: {start: 2025, full: 2030, curve: logistic}
    cost: {capex: 1.0e6, opex_per_year: -1.0e4, lifetime_years: 20}
    uncertainty: {share: {triangular: [0.6, 0.9, 1.0]}}
    sources: {effect.share: plan text}
    assumptions: {effect.efficiency_ratio: COP 3, cost: illustrative}
"""


def write(tmp_path: Path, text: str, name: str = "plan.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def problems(tmp_path: Path, text: str) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(ValidationError) as err:
        load_plan(write(tmp_path, text))
    return [(p.row, p.column, p.reason) for p in err.value.problems]


def test_a_good_plan_loads(tmp_path: Path) -> None:
    plan = load_plan(write(tmp_path, GOOD))
    assert plan.actions[0].effect.type == "switch"
    assert plan.actions[0].uncertainty["share"].kind == "triangular"
    assert plan.currency == "DKK"
    assert unmarked_numbers(plan) == []


def test_json_plans_load_too(tmp_path: Path) -> None:
    import json

    import yaml

    plan = load_plan(write(tmp_path, json.dumps(yaml.safe_load(GOOD)), "plan.json"))
    assert plan.actions[0].id == "heat-pumps"


def test_errors_name_the_path_and_line(tmp_path: Path) -> None:
    bad = GOOD.replace("share: 0.9, efficiency_ratio", "share: 1.9, efficiency_ratio")
    found = problems(tmp_path, bad)
    assert found == [(13, "actions[0].effect.share", "Input should be less than or equal to 1")]


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    bad = (GOOD.replace("curve: logistic", "curve: sigmoid").replace("title: Heat pumps", "titel: Heat pumps")
           .replace("{triangular: [0.6, 0.9, 1.0]}", "{triangular: [0.9, 0.6]}"))
    found = {(c, r) for _, c, r in problems(tmp_path, bad)}
    assert ("actions[0].title", "required field is missing") in found
    assert ("actions[0].titel", "unknown field (check its spelling)") in found
    assert any(c == "actions[0].schedule.curve" for c, _ in found)
    assert ("actions[0].uncertainty.share", "triangular takes 3 numbers, got 2") in found


def test_document_level_checks(tmp_path: Path) -> None:
    bad = GOOD.replace("to: electricity", "to: heat_pump").replace("share: 0.6, factor", "share: 0.5, factor")
    found = {(c, r) for _, c, r in problems(tmp_path, bad)}
    assert ("activity.energy", "the shares of the rows add up to 0.9, not 1") in found
    assert ("actions[0].effect.to", "sector 'energy' has no row 'heat_pump' (it has electricity, oil)") in found


def test_removals_need_a_sector_that_can_be_negative(tmp_path: Path) -> None:
    bad = GOOD + """  - id: forest
    title: Forest
    effect: {type: removal, sector: energy, activity: forest, amount: 10, unit: ha, rate: 5}
    schedule: {start: 2026}
"""
    found = problems(tmp_path, bad)
    assert found[0][1] == "actions[1].effect.sector"
    assert found[0][0] == 21


def test_plan_level_uncertainty_errors_point_at_their_line(tmp_path: Path) -> None:
    bad = GOOD + """uncertainty:
  actions.heat-pumps.share: {triangular: [1.0, 0.9]}
"""
    found = problems(tmp_path, bad)
    assert found == [(20, "uncertainty.actions.heat-pumps.share", "triangular takes 3 numbers, got 2")]


def test_rows_must_say_where_their_numbers_come_from(tmp_path: Path) -> None:
    bad = GOOD.replace("assumption: true, reason: test", "assumption: true")
    found = problems(tmp_path, bad)
    assert found[0][1] == "activity.energy[0]"
    assert "assumption: true' with a 'reason'" in found[0][2]


def test_unmarked_numbers_are_found() -> None:
    import yaml

    doc = yaml.safe_load(GOOD)
    doc["actions"][0]["assumptions"] = {}
    assert unmarked_numbers(parse_plan(doc)) == [
        "actions[0].effect.efficiency_ratio", "actions[0].cost.capex", "actions[0].cost.opex_per_year",
        "actions[0].cost.lifetime_years"]


def test_not_yaml_at_all(tmp_path: Path) -> None:
    found = problems(tmp_path, "name: [unclosed\n")
    assert found[0][2].startswith("not valid YAML")


def test_a_plan_reads_an_inventory_held_in_memory() -> None:
    inventory = Inventory.from_columns("dk-municipal", "AR5", {
        "org": ["999"] * 2, "year": [2020, 2022], "sector": ["energy", "energy"], "gas": ["CO2e"] * 2,
        "amount": [80.0, 60.0], "unit": ["t_CO2e"] * 2, "co2e": [80.0, 60.0], "source": ["memory"] * 2})
    doc = {"name": "x", "organisation": "999", "horizon": 2030, "baseline": {"method": "constant"},
           "inventory": {"source": "file", "path": "never read"}}
    plan = with_inventory(parse_plan(doc, "plan"), inventory, "stored inventory of 999")
    assert plan.inventory.path == "stored inventory of 999"
    cp = compile_plan(plan)
    assert cp.years[0] == 2022  # the latest year of the records in memory
    assert evaluate(cp).bau[0, 0] == pytest.approx(60.0)
    assert parse_plan(doc, "plan").inventory.records is None
