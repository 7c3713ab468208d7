"""``nettonul library``: the actions of many plans compared, with the agriculture filter."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nettonul.cli.main import app

runner = CliRunner()
PLANS = Path(__file__).resolve().parents[2] / "examples" / "plans"


def test_library_compares_the_example_plans() -> None:
    result = runner.invoke(app, ["library", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {p["organisation"] for p in data["plans"]} == {"741", "860"}
    forest = next(f for f in data["families"] if f["family"] == "lulucf / removal / afforestation")
    assert forest["plans"] == 2
    assert sorted(forest["organisations"]) == ["741", "860"]
    # each family's reductions are the plans' own wedges in the comparison year, and add up
    assert abs(forest["reduction_total_t"] - sum(u["reduction_t"] for u in forest["users"])) < 1e-6
    shares = {p["organisation"]: p["agriculture_share"] for p in data["plans"]}
    assert 0.4 < shares["860"] < shares["741"] < 0.5  # both rural: agriculture near half the total


def test_the_agriculture_filter_and_the_query(tmp_path: Path) -> None:
    both = json.loads(runner.invoke(app, ["library", str(PLANS), "--json"]).stdout)
    shares = sorted(p["agriculture_share"] for p in both["plans"])
    between = (shares[0] + shares[1]) / 2 * 100
    only = json.loads(runner.invoke(app, ["library", "--agriculture-above", f"{between}", "--json"]).stdout)
    assert {o for f in only["families"] for o in f["organisations"]} == {"741"}
    found = json.loads(runner.invoke(app, ["library", "--query", "forest", "--json"]).stdout)
    assert [f["family"] for f in found["families"]] == ["lulucf / removal / afforestation"]
    table = runner.invoke(app, ["library"])
    assert table.exit_code == 0
    assert "Action families across the plans" in table.stdout


def test_bad_input_exits_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["library", str(tmp_path / "missing")]).exit_code == 2
    assert runner.invoke(app, ["library", str(tmp_path)]).exit_code == 2  # a folder without plans
    assert runner.invoke(app, ["library", "--agriculture-above", "140"]).exit_code == 2
