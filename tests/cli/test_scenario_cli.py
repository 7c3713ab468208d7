"""``nettonul scenario`` and ``nettonul simulate`` on the shipped example plans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nettonul.cli.main import app

runner = CliRunner()
PLANS = Path(__file__).resolve().parents[2] / "examples" / "plans"


def test_scenario_json_wedges_add_up_and_targets_have_a_gap(tmp_path: Path) -> None:
    chart, macc = tmp_path / "wedges.svg", tmp_path / "macc.svg"
    result = runner.invoke(app, ["scenario", str(PLANS / "samsoe.yaml"), "--chart", str(chart),
                                 "--macc-chart", str(macc), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["organisation"] == "741"
    assert data["years"][0] == 2023
    assert abs(data["bau_t_co2e"][0] - 30913.4) < 1e-6  # Energi- og CO2-regnskab 2023, Samsø
    for i in range(len(data["years"])):
        total = sum(a["reduction_t_co2e"][i] for a in data["actions"])
        assert abs(total - (data["bau_t_co2e"][i] - data["plan_t_co2e"][i])) < 1e-6
    assert [t["year"] for t in data["targets"]] == [2030, 2050]
    assert all(t["gap_t_co2e"] == t["plan_t_co2e"] - t["target_t_co2e"] for t in data["targets"])
    costs = [b["cost_per_t_co2e"] for b in data["macc"]]
    assert costs == sorted(costs)
    assert data["unmarked_numbers"] == []
    assert chart.read_text(encoding="utf-8").startswith("<?xml")
    assert "<svg" in macc.read_text(encoding="utf-8")


def test_scenario_table_names_actions_and_labels_assumptions() -> None:
    result = runner.invoke(app, ["scenario", str(PLANS / "hjoerring.yaml")])
    assert result.exit_code == 0, result.output
    assert "Ilbro Enge" in result.stdout
    assert "Gap to the targets" in result.stdout
    assert "illustrative" in result.stdout


def test_simulate_json_is_reproducible_with_a_seed() -> None:
    args = ["simulate", str(PLANS / "samsoe.yaml"), "--draws", "500", "--seed", "4", "--json"]
    first, second = runner.invoke(app, args), runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    org = data["organisations"][0]
    assert data["draws"] == 500
    assert all(a <= b <= c for a, b, c in zip(org["percentiles"]["P5"], org["percentiles"]["P50"],
                                              org["percentiles"]["P95"], strict=True))
    assert 0.0 <= org["targets"][0]["probability"] <= 1.0


def test_simulate_table() -> None:
    result = runner.invoke(app, ["simulate", str(PLANS / "hjoerring.yaml"), "--draws", "250", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "Probability of meeting each target" in result.stdout
    assert "P95" in result.stdout


def test_a_bad_plan_exits_2_with_the_path_of_the_problem(tmp_path: Path) -> None:
    text = (PLANS / "samsoe.yaml").read_text(encoding="utf-8").replace("reduction: 0.90}", "reduction: 1.5}")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["scenario", str(bad), "--json"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["problems"][0]["column"] == "actions[0].effect.reduction"
    assert data["problems"][0]["row"] is not None


# --------------------------------------------------------------------------- one plan document
CHECK_PLAN = Path(__file__).resolve().parents[2] / "examples" / "check" / "middelfart_plan.yaml"
#: Middelfart's 2023 sectors in the shipped Energi- og CO2-regnskab (energi, transport,
#: landbrug, affald, industri), t CO2e.
MIDDELFART_2023 = 62693.6 + 108730.1 + 85660.7 + 3626.8 + 2448.8
#: Land use from the plan's illustrative land-use inventory middelfart-land-use.csv: lowland soils
#: 800 ha x 30 t/ha, forest -9,000 t, mineral soils 1,000 t.
MIDDELFART_LAND_USE = 800 * 30.0 - 9_000 + 1_000


def test_scenario_reads_the_plan_with_its_capf_sections() -> None:
    result = runner.invoke(app, ["scenario", str(CHECK_PLAN), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["organisation"] == "410"
    assert data["years"][0] == 2023
    assert data["years"][-1] == 2050
    assert data["bau_t_co2e"][0] == pytest.approx(MIDDELFART_2023 + MIDDELFART_LAND_USE)  # 279,160.0
    # no action starts before 2024, so the plan is business as usual in the inventory year
    assert data["plan_t_co2e"][0] == pytest.approx(MIDDELFART_2023 + MIDDELFART_LAND_USE)
    by_year = {t["year"]: t for t in data["targets"]}
    assert sorted(by_year) == [2025, 2030, 2050]
    # -50 % and -70 % against the same 1990 level: the 2030 level is 0.3/0.5 of the 2025 one
    assert by_year[2030]["target_t_co2e"] == pytest.approx(by_year[2025]["target_t_co2e"] * 0.3 / 0.5)
    assert by_year[2050]["target_t_co2e"] == 0.0
    for t in data["targets"]:
        assert t["gap_t_co2e"] == pytest.approx(t["plan_t_co2e"] - t["target_t_co2e"])
        assert t["plan_t_co2e"] == data["plan_t_co2e"][data["years"].index(t["year"])]
    assert len(data["actions"]) == 10


def test_simulate_reads_the_same_plan() -> None:
    scenario = json.loads(runner.invoke(app, ["scenario", str(CHECK_PLAN), "--json"]).stdout)
    result = runner.invoke(app, ["simulate", str(CHECK_PLAN), "--draws", "250", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    org = data["organisations"][0]
    assert data["parameters"] == []  # the example gives no ranges: every draw is the central plan
    assert org["percentiles"]["P50"] == pytest.approx(scenario["plan_t_co2e"])
    assert org["percentiles"]["P5"] == pytest.approx(scenario["plan_t_co2e"])
    met = {t["year"]: t["met"] for t in scenario["targets"]}
    assert {t["year"]: t["probability"] for t in org["targets"]} == {y: (1.0 if m else 0.0) for y, m in met.items()}


def test_an_unknown_field_in_a_capf_section_is_located(tmp_path: Path) -> None:
    text = CHECK_PLAN.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("governance:"))
    lines.insert(at + 1, "  lead_unti: Klima og Miljø")
    bad = tmp_path / "plan.yaml"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for command in ("scenario", "simulate", "check"):
        result = runner.invoke(app, [command, str(bad), "--json"])
        assert result.exit_code == 2, (command, result.output)
        problem = json.loads(result.stdout)["problems"][0]
        assert problem["file"] == str(bad)
        assert problem["row"] == at + 2
        assert problem["column"] == "governance.lead_unti"
        assert "unknown field" in problem["reason"]
