"""``nettonul inventory validate`` and ``nettonul inventory show``: output, units, sources, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nettonul.cli.main import app

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "inventories"


def test_validate_a_good_file_prints_a_summary_with_units_and_sources() -> None:
    result = runner.invoke(app, ["inventory", "validate", str(EXAMPLES / "eksempelby.csv"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] is True
    assert data["records"] == 16
    assert data["activity_records"] == 8
    assert data["organisations"] == ["eksempelby"]
    assert data["years"] == [2022, 2023]
    totals = data["totals_by_sector"]
    assert totals["unit"] == "t_CO2e"
    assert totals["gwp_set"] == "AR5"
    assert any("Illustrative" in s for s in totals["sources"])
    energy = next(r for r in totals["rows"] if r["key"] == "energy")
    # 2022 by hand: 42,000 MWh x 0.187 + 65,000 MWh x 0.105 (kg/kWh = t/MWh) + 90,000 GJ x 74 t/TJ
    assert energy["values"]["2022"] == pytest.approx(42_000 * 0.187 + 65_000 * 0.105 + 90 * 74)
    assert energy["estimated"]["2023"] is True  # the 2023 oil figure is marked as an estimate


def test_validate_table_shows_unit_source_and_estimate_marker() -> None:
    result = runner.invoke(app, ["inventory", "validate", str(EXAMPLES / "eksempelby.yaml")])
    assert result.exit_code == 0, result.output
    assert "t CO2e" in result.stdout
    assert "Source: " in result.stdout
    assert "3,000 *" in result.stdout
    assert "* = estimate" in result.stdout


def test_validate_a_bad_file_lists_every_problem_and_exits_2() -> None:
    result = runner.invoke(app, ["inventory", "validate", str(EXAMPLES / "with-errors.csv"), "--json"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert [(p["row"], p["column"]) for p in data["problems"]] == [
        (3, "sector"), (4, "amount"), (5, "amount"), (6, "unit"), (7, "year"), (8, None), (9, "sector"),
        (10, "gas"),
    ]
    assert all(p["file"] == "with-errors.csv" for p in data["problems"])


def test_validate_problems_as_text_on_stderr() -> None:
    result = runner.invoke(app, ["inventory", "validate", str(EXAMPLES / "with-errors.csv")])
    assert result.exit_code == 2
    assert "8 problems; nothing was imported" in result.stderr
    assert "with-errors.csv, row 7, column 'year': year 1890 is outside 1990-2100" in result.stderr


def test_validate_unreadable_and_missing_files_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "inventory.docx"
    bad.write_bytes(b"PK")
    assert runner.invoke(app, ["inventory", "validate", str(bad)]).exit_code == 2
    assert runner.invoke(app, ["inventory", "validate", str(tmp_path / "absent.csv")]).exit_code == 2


def test_validate_with_the_municipality_registry(tmp_path: Path) -> None:
    path = tmp_path / "inv.csv"
    path.write_text("kommune,år,sektor,gas,mængde,enhed\nKøbenhavn,2020,waste,CO2e,5,t CO2e\n"
                    "Gotham,2020,waste,CO2e,5,t CO2e\n", encoding="utf-8")
    result = runner.invoke(app, ["inventory", "validate", str(path), "--municipalities", "--json"])
    assert result.exit_code == 2
    assert [(p["row"], p["column"]) for p in json.loads(result.stdout)["problems"]] == [(3, "kommune")]


def test_show_the_shipped_inventory_by_code_and_by_name() -> None:
    by_code = runner.invoke(app, ["inventory", "show", "101", "--json"])
    by_name = runner.invoke(app, ["inventory", "show", "København", "--json"])
    assert by_code.exit_code == 0, by_code.output
    assert json.loads(by_code.stdout) == json.loads(by_name.stdout)
    view = json.loads(by_code.stdout)["views"]["sector"]
    energy = next(r for r in view["rows"] if r["key"] == "energy")
    assert energy["values"]["2018"] == 1_279_927.9  # Energi- og CO2-regnskab, København 2018
    assert view["years"] == [2018, 2019, 2020, 2021, 2022, 2023]
    assert view["total"]["2023"] == sum(r["values"]["2023"] for r in view["rows"])
    assert "Energistyrelsen" in view["sources"][0]


def test_show_table_has_danish_names_unit_and_source() -> None:
    result = runner.invoke(app, ["inventory", "show", "101", "--year", "2018"])
    assert result.exit_code == 0, result.output
    assert "København (101)" in result.stdout
    assert "Affald og spildevand" in result.stdout
    assert "1,279,928" in result.stdout  # never cut short with an ellipsis
    assert "Unit: t CO2e (GWP AR5" in result.stdout
    assert "Source: Energistyrelsen" in result.stdout


def test_show_a_file_by_gas_and_with_explicit_gap_filling(tmp_path: Path) -> None:
    path = tmp_path / "inv.csv"
    path.write_text("organisation,year,sector,gas,amount,unit\nx,2020,waste,CH4,1,t\nx,2022,waste,CH4,3,t\n",
                    encoding="utf-8")
    gas = json.loads(runner.invoke(app, ["inventory", "show", "x", "--file", str(path), "--by", "gas",
                                         "--json"]).stdout)
    assert gas["views"]["gas"]["rows"][0]["values"] == {"2020": 28.0, "2021": None, "2022": 84.0}
    filled = runner.invoke(app, ["inventory", "show", "x", "--file", str(path), "--fill-gaps", "linear", "--json"])
    view = json.loads(filled.stdout)["views"]["sector"]
    assert view["rows"][0]["values"]["2021"] == 56.0
    assert view["rows"][0]["estimated"]["2021"] is True
    assert any("linear interpolation" in n for n in view["notes"])


def test_show_scope_on_a_ghgp_file_gives_both_scope2_views(tmp_path: Path) -> None:
    path = tmp_path / "ministry.yaml"
    path.write_text(
        "organisation: ministry\nframework: ghgp-corporate\nrecords:\n"
        "  - {year: 2023, sector: scope1.mobile, gas: CO2, amount: 50, unit: t}\n"
        "  - {year: 2023, sector: scope2_location.electricity, gas: CO2e, amount: 120, unit: t CO2e}\n"
        "  - {year: 2023, sector: scope2_market.electricity, gas: CO2e, amount: 30, unit: t CO2e}\n",
        encoding="utf-8")
    result = runner.invoke(app, ["inventory", "show", "ministry", "--file", str(path), "--by", "scope", "--json"])
    assert result.exit_code == 0, result.output
    views = json.loads(result.stdout)["views"]
    assert views["scope, location-based"]["total"]["2023"] == 170
    assert views["scope, market-based"]["total"]["2023"] == 80


def test_show_errors_exit_2() -> None:
    assert runner.invoke(app, ["inventory", "show", "Atlantis"]).exit_code == 2
    assert runner.invoke(app, ["inventory", "show", "101", "--by", "scope"]).exit_code == 2  # dk-municipal: no scopes
    assert runner.invoke(app, ["inventory", "show", "101", "--year", "1990"]).exit_code == 2
    missing = runner.invoke(app, ["inventory", "show", "101", "--file", str(EXAMPLES / "eksempelby.csv"), "--json"])
    assert missing.exit_code == 2
    assert "its organisations are eksempelby" in json.loads(missing.stdout)["error"]


def test_show_every_level_says_the_rows_overlap() -> None:
    result = runner.invoke(app, ["inventory", "show", "eksempelby", "--file", str(EXAMPLES / "eksempelby.csv"),
                                 "--level", "all", "--year", "2022"])
    assert result.exit_code == 0, result.output
    assert "El (energy.electricity)" in result.stdout
    assert "Rows overlap; they are not added up." in result.stdout
    assert "Total / I alt" not in result.stdout


def test_validate_reports_how_the_file_was_read_and_reads_danish_numbers(tmp_path: Path) -> None:
    danish = tmp_path / "samsø.csv"
    danish.write_text("organisation;year;sector;gas;amount;unit\n741;2024;energy;CO2e;10.250,5;t CO2e\n"
                      "741;2024;transport;CO2e;15.100;t CO2e\n", encoding="utf-8")
    result = runner.invoke(app, ["inventory", "validate", str(danish), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["number_convention"] == "da"
    assert "semicolon-separated" in data["read"]
    assert "Danish (1.234,5) convention" in data["read"]
    rows = {r["key"]: r["values"]["2024"] for r in data["totals_by_sector"]["rows"]}
    assert (rows["energy"], rows["transport"]) == (10_250.5, 15_100.0)
    english = tmp_path / "english.csv"
    english.write_text("organisation,year,sector,gas,amount,unit\n741,2024,transport,CO2e,15.100,t CO2e\n",
                       encoding="utf-8")
    result = runner.invoke(app, ["inventory", "validate", str(english)])
    assert result.exit_code == 0, result.output
    shown = " ".join(result.stdout.split())
    assert "numbers read in the English (1,234.5) convention (','-separated file)" in shown
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("organisation;year;sector;gas;amount;unit\n741;2024;energy;CO2e;1.234,5;t CO2e\n"
                     "741;2024;waste;CO2e;0.187;t CO2e\n", encoding="utf-8")
    result = runner.invoke(app, ["inventory", "validate", str(mixed)])
    assert result.exit_code == 2
    output = " ".join(result.output.split())
    assert "row 2 amount '1.234,5'" in output
    assert "row 3 amount '0.187'" in output
