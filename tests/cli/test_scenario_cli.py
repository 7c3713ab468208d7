"""``nettonul scenario`` and ``nettonul simulate`` on the shipped example plans."""

from __future__ import annotations

import json
from pathlib import Path

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
