"""``nettonul rollup`` and ``nettonul optimise`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nettonul.cli.main import app

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_rollup_json_regions_add_up_to_the_nation() -> None:
    result = runner.invoke(app, ["rollup", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["national"]["base_1990_excl_lulucf_mt"] == 72.47
    assert len(data["municipalities"]) == 98
    total = sum(r["rollup_2030_t"] for r in data["regions"].values())
    assert abs(total - data["covered"]["rollup_2030_t"]) < 1e-3
    n = data["national"]
    assert abs(n["rollup_2030_excl_lulucf_mt"] - n["target_excl_lulucf_mt"] - n["gap_to_target_excl_lulucf_mt"]) < 1e-9


def test_rollup_region_and_table(tmp_path: Path) -> None:
    targets = tmp_path / "targets.csv"
    targets.write_text("municipality,targets\nSamsø,2030:-70%@1990; netzero:2050\n", encoding="utf-8")
    result = runner.invoke(app, ["rollup", "--region", "Midtjylland", "--targets", str(targets), "--json"])
    data = json.loads(result.stdout)
    assert data["headlines"]["municipalities"] == 19
    assert data["headlines"]["with_target"] == 1
    assert [m["source"] for m in data["municipalities"] if m["code"] == "741"] == ["stated target"]
    shown = runner.invoke(app, ["rollup", "--region", "Hovedstaden"])
    assert shown.exit_code == 0
    assert "Remaining gap to -70 %" in shown.stdout
    bad = runner.invoke(app, ["rollup", "--region", "Atlantis"])
    assert bad.exit_code == 2


def test_optimise_cli_budget_and_target() -> None:
    plan = str(EXAMPLES / "plans" / "samsoe.yaml")
    result = runner.invoke(app, ["optimise", plan, "--target", "2030", "--budget", "5e7", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["net_present_cost"] <= 5e7 * (1 + 1e-9)
    assert list(data["emissions_t_co2e"]) == ["2030"]
    assert "HiGHS" in data["solver"]
    missing = runner.invoke(app, ["optimise", plan, "--target", "2040"])
    assert missing.exit_code == 2
