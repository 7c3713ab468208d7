"""``nettonul rollup`` and ``nettonul optimise`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
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


def test_rollup_with_plans_and_bands() -> None:
    result = runner.invoke(app, ["rollup", "--plans", str(EXAMPLES / "plans"), "--draws", "500", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    sources = {m["code"]: m["source"] for m in data["municipalities"]}
    assert (sources["741"], sources["860"], sources["101"]) == ("published plan", "published plan",
                                                                 "business as usual")
    u = data["uncertainty"]
    assert u["draws"] == 500
    assert u["synthetic"] is False
    band = u["reduction_vs_1990"]
    assert band["P5"] < data["headlines"]["covered_reduction"] < band["P95"]
    gap = u["gap_to_target_mt"]
    assert gap["P5"] < data["headlines"]["gap_mt"] < gap["P95"]
    assert {p["name"]: p["scope"] for p in u["parameters"]}["sector_trend"] == "national"
    assert len(u["cities"]) == 98
    shown = runner.invoke(app, ["rollup", "--plans", str(EXAMPLES / "plans"), "--draws", "300"])
    assert "With the plans as published (2 plan(s)" in shown.stdout
    assert "P5-P95" in shown.stdout


def test_rollup_of_synthetic_cities_is_labelled_synthetic() -> None:
    result = runner.invoke(app, ["rollup", "--synthetic", "30", "--actions", "4", "--draws", "200",
                                 "--scope", "activity=national", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "SYNTHETIC" in data["label"]
    assert data["synthetic"] is True
    assert all(c["code"].startswith("SYN-") for c in data["cities"])
    shown = runner.invoke(app, ["rollup", "--synthetic", "10", "--actions", "2", "--draws", "50"])
    assert shown.exit_code == 0, shown.output
    assert "SYNTHETIC" in shown.stdout
    for bad in (["--scope", "activity=regional"], ["--sd", "grid=0.1"], ["--sd", "activity"]):
        assert runner.invoke(app, ["rollup", "--draws", "10", *bad]).exit_code == 2


def test_optimise_a_municipality_and_the_nation() -> None:
    plans = str(EXAMPLES / "plans")
    one = runner.invoke(app, ["optimise", "Samsø", "--plans", plans, "--target", "2030", "--json"])
    assert one.exit_code == 0, one.output
    data = json.loads(one.stdout)
    assert data["plan"].startswith("Samsø")
    exact = data["emissions_t_co2e"]["2030"]
    assert abs(data["estimate_t_co2e"]["2030"] - exact) <= 0.01 * exact
    assert {a["action"] for a in data["actions"]} >= {"biogas-ferries", "new-forest"}
    nation = runner.invoke(app, ["optimise", "all", "--plans", plans, "--json"])
    assert nation.exit_code == 0, nation.output
    n = json.loads(nation.stdout)
    assert set(n["by_organisation"]) == {"741", "860"}
    assert abs(n["estimate_t_co2e"] - n["emissions_t_co2e"]) <= 0.01 * n["emissions_t_co2e"]
    assert abs(n["emissions_t_co2e"] - n["cap_t_co2e"] - n["gap_t_co2e"]) < 1e-3
    shown = runner.invoke(app, ["optimise", "all", "--plans", plans])
    assert "The national question" in shown.stdout
    assert runner.invoke(app, ["optimise", "all"]).exit_code == 2
    assert runner.invoke(app, ["optimise", "Aarhus", "--plans", plans]).exit_code == 2


def test_scheduler_option_and_environment_run_on_a_dask_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    distributed = pytest.importorskip("distributed")
    args = ["rollup", "--draws", "300", "--chunk-cities", "20", "--json"]
    serial = json.loads(runner.invoke(app, args).stdout)["uncertainty"]
    plan = str(EXAMPLES / "plans" / "samsoe.yaml")
    alone = json.loads(runner.invoke(app, ["simulate", plan, "--draws", "500", "--json"]).stdout)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None,
                                  silence_logs=40) as cluster:
        on = runner.invoke(app, [*args, "--scheduler", cluster.scheduler_address])
        assert on.exit_code == 0, on.output
        dask_run = json.loads(on.stdout)["uncertainty"]
        monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", cluster.scheduler_address)
        via_env = json.loads(runner.invoke(app, ["simulate", plan, "--draws", "500", "--json"]).stdout)
    assert "dask.distributed" in dask_run["executor"]
    for d in (serial, dask_run):
        d.pop("executor")
        d.pop("memory_per_worker_mib")
    assert dask_run == serial
    assert via_env == alone
