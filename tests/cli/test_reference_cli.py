"""``nettonul municipalities``: table and JSON output."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from nettonul.cli.main import app

runner = CliRunner()


def test_municipalities_json_lists_all_98() -> None:
    result = runner.invoke(app, ["municipalities", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert len(data["municipalities"]) == 98
    assert data["municipalities"][0] == {
        "code": "101", "name": "København", "region": "Region Hovedstaden",
        "population_2026": 671714, "area_km2": 90.9,
    }


def test_municipalities_table_filters_by_region() -> None:
    result = runner.invoke(app, ["municipalities", "--region", "Nordjylland"])
    assert result.exit_code == 0
    assert "Læsø" in result.stdout
    assert "København" not in result.stdout
