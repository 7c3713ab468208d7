"""A plan's own documented base-year figure overrides the back-cast 1990 estimate (methodology
§9.2, early movers), in the target levels, the target path and the check, and is shown as the
plan's own number.

Hand figures: Samsø's example plan targets -70 % in 2030 against 1990. With its own 1990 figure
of 60,000 t CO2e (a test value, not Samsø's) the 2030 level is 0.3 x 60,000 = 18,000 t; without
it, 0.3 x the back-cast estimate.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from nettonul.cli.main import app
from nettonul.engine.check import run_check
from nettonul.engine.check.context import build_context
from nettonul.engine.core.errors import ValidationError
from nettonul.engine.plan.compile import compile_plan
from nettonul.engine.plan.scenario import evaluate, summarise
from nettonul.engine.plan.sections import CapfPlan
from nettonul.engine.plan.spec import load_plan, parse_plan

SAMSOE = Path(__file__).resolve().parents[2] / "examples" / "plans" / "samsoe.yaml"
OWN = {"year": 1990, "emissions_t": 60_000.0, "source": "test figure, not Samsø's"}


def _with_own(tmp_path: Path) -> Path:
    data = yaml.safe_load(SAMSOE.read_text("utf-8"))
    data.setdefault("baseline", {})["reference"] = OWN
    path = tmp_path / "samsoe_own_1990.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_plan_s_own_1990_figure_sets_the_target_levels(tmp_path: Path) -> None:
    estimate = compile_plan(load_plan(SAMSOE))
    own = compile_plan(load_plan(_with_own(tmp_path)))
    j = list(own.target_years).index(2030)
    assert own.target_levels[0, j] == pytest.approx(0.3 * 60_000)
    assert estimate.reference is not None
    assert not estimate.reference.plan_figure
    assert estimate.target_levels[0, j] == pytest.approx(0.3 * estimate.reference.value[0])
    assert own.reference is not None
    assert own.reference.plan_figure
    assert own.reference.estimate[0] == pytest.approx(estimate.reference.value[0])
    # the target path reaches the plan's own level in 2030
    assert own.target_path[0, list(own.years).index(2030)] == pytest.approx(18_000)
    assert any("the plan's own figure of 60,000 t CO2e" in n for n in own.notes)


def test_the_check_and_the_summary_show_the_plan_s_number(tmp_path: Path) -> None:
    plan = load_plan(_with_own(tmp_path))
    summary = summarise(plan, evaluate(compile_plan(plan)))
    assert summary["reference"]["plan_figure"] is True
    assert summary["reference"]["t_co2e"] == 60_000
    ctx = build_context(CapfPlan.of(plan, "samsoe_own_1990.yaml"))
    tgt3 = run_check(ctx.capf, context=ctx).get("TGT-3")
    ev = {e["label"]: e["value"] for e in tgt3.evidence}
    assert ev["Emissions 1990 (the plan's own figure: test figure, not Samsø's)"] == 60_000
    assert ev["Reduction 2030 vs 1990"] == 70.0
    assert run_check(ctx.capf, context=ctx).get("INV-3").result == "pass"


def test_the_cli_labels_the_plan_s_own_figure(tmp_path: Path) -> None:
    path = _with_own(tmp_path)
    result = CliRunner().invoke(app, ["scenario", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert "Base year 1990: 60,000 t CO2e, the plan's own figure (test figure, not Samsø's)" in flat
    data = json.loads(CliRunner().invoke(app, ["scenario", str(path), "--json"]).stdout)
    assert data["reference"]["source"] == "test figure, not Samsø's"


def test_a_base_year_figure_needs_a_source_and_a_positive_value() -> None:
    data = yaml.safe_load(SAMSOE.read_text("utf-8"))
    data.setdefault("baseline", {})["reference"] = {"year": 1990, "emissions_t": -1}
    with pytest.raises(ValidationError) as err:
        parse_plan(data, "plan.yaml")
    columns = {p.column for p in err.value.problems}
    assert {"baseline.reference.emissions_t", "baseline.reference.source"} <= columns
