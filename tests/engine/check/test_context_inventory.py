"""The check reads the same inventory as the scenario: a plan's own file, not the shipped data."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nettonul.engine.check.context import build_context
from nettonul.engine.plan.sections import load_capf_plan

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "check" / "middelfart_plan.yaml"
# Invented figures for the test (t CO2e, 2023): agriculture is 100,000 of 200,000 = 50 %.
SECTORS = {"energy": 60_000.0, "transport": 30_000.0, "agriculture": 100_000.0, "waste": 5_000.0,
           "industry": 5_000.0}


def test_a_file_inventory_is_what_the_check_measures(tmp_path: Path) -> None:
    rows = ["organisation,year,sector,gas,amount,unit,source"]
    rows += [f"410,2023,{s},CO2e,{v},t CO2e,test figures" for s, v in SECTORS.items()]
    (tmp_path / "inventory.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    plan = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    plan["inventory"] = {"source": "file", "path": "inventory.csv", "year": 2023}
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")

    ctx = build_context(load_capf_plan(path))

    assert ctx.inventory_by_sector == pytest.approx(SECTORS)
    # A single-year file is back-cast to 1990 with the national sector index; the value is an estimate.
    assert ctx.reference_1990_estimated is True
    assert ctx.reference_1990 is not None
    assert ctx.reference_1990 > 0
