"""Reading inventory files: every validation problem one by one, with its exact location,
and CSV, Excel and YAML giving the same inventory."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest

from nettonul.engine.core.errors import InventoryValidationError, Problem
from nettonul.engine.inventory.readers import inventory_from_records, read_inventory, read_table
from nettonul.engine.reference import datasets

HEADER = ["organisation", "year", "sector", "gas", "amount", "unit"]
GOOD = ["999", "2020", "transport", "CO2e", "500", "t CO2e"]


def write_csv(path: Path, rows: list[list[Any]], header: list[str] = HEADER, delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def problems(path: Path, **options: Any) -> list[Problem]:
    with pytest.raises(InventoryValidationError) as info:
        read_inventory(path, **options)
    return list(info.value.problems)


def only_problem(path: Path, **options: Any) -> Problem:
    found = problems(path, **options)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- one error at a time
def test_missing_required_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [["999", "2020", "CO2e", "5", "t CO2e"]],
                     header=["organisation", "year", "gas", "amount", "unit"])
    p = only_problem(path)
    assert (p.file, p.row, p.column) == ("inv.csv", None, "sector")
    assert "missing required column 'sector'" in p.reason


def test_missing_column_names_the_headers_not_understood(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [["999", "2020", "waste", "CO2e", "5", "t CO2e"]],
                     header=["organisation", "year", "sektr", "gas", "amount", "unit"])
    assert "columns not understood: sektr" in only_problem(path).reason


def test_empty_required_cell(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [GOOD, ["999", "2020", "waste", "CO2e", "5", ""]])
    p = only_problem(path)
    assert (p.file, p.row, p.column) == ("inv.csv", 3, "unit")
    assert p.reason == "empty required cell"


def test_non_numeric_cell(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [["999", "2020", "waste", "CO2e", "12 t", "t CO2e"]])
    p = only_problem(path)
    assert (p.row, p.column, p.reason) == (2, "amount", "'12 t' is not a number")


def test_unknown_sector_suggests_close_codes(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [["999", "2020", "transprot", "CO2e", "5", "t CO2e"]])
    p = only_problem(path)
    assert (p.row, p.column) == (2, "sector")
    assert "unknown sector 'transprot'" in p.reason
    assert "did you mean transport" in p.reason


def test_unknown_gas(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [["999", "2020", "waste", "CH5", "5", "t"]])
    p = only_problem(path)
    assert (p.row, p.column) == (2, "gas")
    assert "gas 'CH5' has no GWP in AR5" in p.reason


def test_unknown_unit(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [["999", "2020", "waste", "CO2e", "5", "bananas"]])
    p = only_problem(path)
    assert (p.row, p.column, p.reason) == (2, "unit", "unknown unit 'bananas'")


def test_unit_of_the_wrong_dimension_for_an_emission(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [["999", "2020", "energy", "CO2e", "5", "MWh"]])
    p = only_problem(path)
    assert (p.row, p.column) == (2, "unit")
    assert "'MWh' is not a mass of a gas" in p.reason
    assert "emission_factor" in p.reason


def test_activity_unit_that_does_not_convert_to_the_factor(tmp_path: Path) -> None:
    header = [*HEADER, "activity", "emission_factor", "ef_unit"]
    path = write_csv(tmp_path / "inv.csv",
                     [["999", "2020", "energy.electricity", "CO2e", "1000", "km", "electricity", "0.187",
                       "kg CO2e/kWh"]], header=header)
    p = only_problem(path)
    assert (p.row, p.column) == (2, "unit")
    assert "'km' does not convert to the emission factor's 'kWh'" in p.reason


def test_negative_amount_outside_removal_sectors(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [["999", "2020", "waste", "CO2e", "-5", "t CO2e"],
                                            ["999", "2020", "lulucf", "CO2e", "-50", "t CO2e"]])
    p = only_problem(path)
    assert (p.row, p.column) == (2, "amount")
    assert "negative amount in sector 'waste'" in p.reason


def test_duplicate_key(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [GOOD, ["999", "2021", "transport", "CO2e", "1", "t CO2e"], GOOD])
    p = only_problem(path)
    assert (p.row, p.column) == (4, None)
    assert p.reason.startswith("duplicate of row 2: same organisation, year, sector, gas")


def test_parent_and_child_for_the_same_key_is_a_double_count(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [["999", "2020", "transport.road", "CO2e", "400", "t CO2e"], GOOD])
    p = only_problem(path)
    assert (p.row, p.column) == (3, "sector")
    assert "'transport' is given together with its sub-sector(s) transport.road (row 2)" in p.reason


def test_parent_in_co2e_and_child_in_one_gas_overlap(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [["999", "2020", "agriculture.livestock", "CH4", "10", "t"],
                                            ["999", "2020", "agriculture", "CO2e", "900", "t CO2e"]])
    assert only_problem(path).row == 3


def test_year_out_of_range_default_and_configured(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [["999", "1989", "waste", "CO2e", "5", "t CO2e"]])
    p = only_problem(path)
    assert (p.row, p.column, p.reason) == (2, "year", "year 1989 is outside 1990-2100")
    assert len(read_inventory(path, years=(1980, 2050))) == 1


def test_year_must_be_whole(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [["999", "2020.5", "waste", "CO2e", "5", "t CO2e"]])
    assert only_problem(path).reason == "'2020.5' is not a whole year"


def test_mixed_gwp_sets_in_one_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [[*GOOD, "AR5"], ["999", "2020", "waste", "CH4", "1", "t", "AR4"]],
                     header=[*HEADER, "gwp"])
    p = only_problem(path)
    assert (p.row, p.column) == (3, "gwp")
    assert "GWP set AR4 differs from AR5" in p.reason


def test_gwp_of_the_file_must_match_the_one_asked_for(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [[*GOOD, "AR4"]], header=[*HEADER, "gwp"])
    p = only_problem(path, gwp="AR5")
    assert "uses GWP set AR4 but AR5 was asked for" in p.reason
    assert read_inventory(path).gwp_set == "AR4"


def test_unknown_organisation_when_a_registry_is_given(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [["København", "2020", "waste", "CO2e", "5", "t CO2e"],
                                            ["Atlantis", "2020", "waste", "CO2e", "5", "t CO2e"]])

    def resolve(name: str) -> str:
        return datasets.find_municipality(name).code

    p = only_problem(path, resolve_organisation=resolve)
    assert (p.row, p.column) == (3, "organisation")
    assert "no Danish municipality matches 'Atlantis'" in p.reason
    assert len(read_inventory(path)) == 2  # without a registry any organisation id is accepted


def test_notation_key_and_amount_together(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [["999", "2020", "waste", "CO2e", "5", "t CO2e", "NO"],
                                            ["999", "2020", "transport", "", "", "", "NE"],
                                            ["999", "2020", "industry", "", "", "", "XX"]],
                     header=[*HEADER, "notation"])
    found = problems(path)
    assert [(p.row, p.column) for p in found] == [(2, "amount"), (4, "notation")]


def test_estimate_needs_a_note(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [[*GOOD, "yes", ""]], header=[*HEADER, "estimated", "note"])
    p = only_problem(path)
    assert (p.row, p.column) == (2, "note")


def test_framework_stated_in_the_file_must_match(tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text("framework: gpc\nrecords:\n  - {organisation: x, year: 2020, sector: I.1.1, gas: CO2, "
                    "amount: 1, unit: t}\n", encoding="utf-8")
    assert read_inventory(path).framework == "gpc"
    p = only_problem(path, framework="dk-municipal")
    assert (p.row, p.column) == (None, "framework")


# --------------------------------------------------------------------------- all problems at once
def test_a_file_with_five_different_errors_reports_all_five(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "five.csv", [
        GOOD,
        ["999", "2020", "energi", "CO2e", "5", "t CO2e"],         # a Danish name is accepted: fine
        ["999", "2020", "nowhere", "CO2e", "5", "t CO2e"],        # unknown sector
        ["999", "2020", "waste", "CO2e", "five", "t CO2e"],       # non-numeric
        ["999", "1900", "industry", "CO2e", "5", "t CO2e"],       # year out of range
        ["999", "2021", "waste", "CO2e", "5", "furlongs"],        # unknown unit
        GOOD,                                                     # duplicate of row 2
    ])
    found = problems(path)
    assert [(p.file, p.row, p.column) for p in found] == [
        ("five.csv", 4, "sector"), ("five.csv", 5, "amount"), ("five.csv", 6, "year"),
        ("five.csv", 7, "unit"), ("five.csv", 8, None),
    ]


def test_nothing_partial_is_returned_for_a_file_with_one_bad_row(tmp_path: Path) -> None:
    rows = [["999", str(y), "waste", "CO2e", "5", "t CO2e"] for y in range(2000, 2020)]
    rows[-1][4] = "x"
    with pytest.raises(InventoryValidationError, match="nothing was imported"):
        read_inventory(write_csv(tmp_path / "inv.csv", rows))


# --------------------------------------------------------------------------- unreadable files
def test_unsupported_extension_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF-1.4")
    p = only_problem(path)
    assert (p.file, p.row, p.column) == ("plan.pdf", None, None)
    assert "nettonul reads .csv, .xlsx, .yaml and .yml" in p.reason


def test_corrupt_xlsx_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    p = only_problem(path)
    assert p.file == "broken.xlsx"
    assert "cannot read the file as an Excel .xlsx workbook" in p.reason


def test_binary_file_named_csv_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(b"\x00\x01\x02binary")
    assert "not a text CSV file" in only_problem(path).reason


def test_invalid_yaml_is_one_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("records:\n  - {year: 2020\n  - oops: [\n", encoding="utf-8")
    p = only_problem(path)
    assert p.file == "bad.yaml"
    assert "not valid YAML" in p.reason


def test_missing_file_raises_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_inventory(tmp_path / "absent.csv")


# --------------------------------------------------------------------------- formats
def test_csv_xlsx_and_yaml_give_the_same_inventory(tmp_path: Path) -> None:
    rows = [["999", 2020, "transport", "CO2e", 500, "t CO2e"], ["999", 2021, "waste", "CH4", 2.5, "t"]]
    from_csv = read_inventory(write_csv(tmp_path / "inv.csv", rows))
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Opgørelse"
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    wb.save(tmp_path / "inv.xlsx")
    from_xlsx = read_inventory(tmp_path / "inv.xlsx")
    (tmp_path / "inv.yaml").write_text(
        "organisation: '999'\nrecords:\n"
        "  - {year: 2020, sector: transport, gas: CO2e, amount: 500, unit: t CO2e}\n"
        "  - {year: 2021, sector: waste, gas: CH4, amount: 2.5, unit: t}\n", encoding="utf-8")
    from_yaml = read_inventory(tmp_path / "inv.yaml")
    for inv in (from_xlsx, from_yaml):
        assert inv.org.tolist() == from_csv.org.tolist() == ["999", "999"]
        np.testing.assert_array_equal(inv.co2e, from_csv.co2e)
    assert from_csv.co2e.tolist() == [500.0, 2.5 * 28]  # CH4 at the AR5 GWP of 28


def test_xlsx_rows_are_numbered_as_excel_shows_them_with_the_sheet(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Data"
    # The header is the first non-empty row (Excel row 3); row 5 is left blank.
    for row, values in ((3, HEADER), (4, ["999", 2020, "waste", "CO2e", 5, "t CO2e"]),
                        (6, ["999", 2021, "waste", "CO2e", "n/a", "t CO2e"])):
        for column, value in enumerate(values, start=1):
            ws.cell(row=row, column=column, value=value)
    wb.save(tmp_path / "inv.xlsx")
    p = only_problem(tmp_path / "inv.xlsx")
    assert (p.file, p.row, p.column) == ("inv.xlsx (sheet 'Data')", 6, "amount")


def test_xlsx_named_sheet(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    first.title = "Readme"
    first.append(["This workbook is illustrative."])
    data = wb.create_sheet("Inventory")
    data.append(HEADER)
    data.append(["999", 2020, "waste", "CO2e", 5, "t CO2e"])
    wb.save(tmp_path / "book.xlsx")
    assert read_inventory(tmp_path / "book.xlsx", sheet="Inventory").co2e.tolist() == [5.0]
    assert "no sheet 'Nope'" in only_problem(tmp_path / "book.xlsx", sheet="Nope").reason


def test_danish_headers_semicolons_and_decimal_commas(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dk.csv", [["101", "2020", "Vejtransport", "CO2e", "1.234,5", "t CO2e"]],
                     header=["Kommune", "År", "Sektor", "Gas", "Mængde", "Enhed"], delimiter=";")
    inv = read_inventory(path)
    assert inv.sector.tolist() == ["transport.road"]
    assert inv.co2e.tolist() == [1234.5]


def test_windows_1252_csv(tmp_path: Path) -> None:
    text = "kommune;år;sektor;gas;mængde;enhed\n101;2020;affald;CO2e;5;t CO2e\n"
    path = tmp_path / "excel.csv"
    path.write_bytes(text.encode("cp1252"))
    # "affald" is not a sector name ("Affald og spildevand" is), so this shows the file was decoded.
    p = only_problem(path)
    assert "unknown sector 'affald'" in p.reason
    assert read_table(path).headers["year"] == "år"


# --------------------------------------------------------------------------- activity x emission factor
@pytest.mark.parametrize(
    ("amount", "unit", "ef", "ef_unit", "gas", "expected_t_co2e"),
    [
        (1000, "MWh", 0.187, "kg CO2e/kWh", "CO2e", 187.0),          # 1,000,000 kWh x 0.187 kg
        (2000, "GJ", 56.1, "t CO2/TJ", "CO2", 112.2),                # 2 TJ x 56.1 t
        (10000, "km", 120, "g/km", "CO2", 1.2),                      # 1,200,000 g
        (100, "head", 120, "kg CH4/head", "", 100 * 0.120 * 28),     # 12 t CH4 x GWP 28 (AR5)
        (3, "t", 10, "kg N2O/t", "N2O", 0.03 * 265),                 # 30 kg N2O x GWP 265
    ],
)
def test_activity_times_emission_factor(amount: float, unit: str, ef: float, ef_unit: str, gas: str,
                                        expected_t_co2e: float) -> None:
    inv = inventory_from_records([{"organisation": "999", "year": 2020, "sector": "energy", "gas": gas,
                                   "activity": "x", "amount": amount, "unit": unit, "emission_factor": ef,
                                   "ef_unit": ef_unit}])
    assert inv.co2e[0] == pytest.approx(expected_t_co2e)
    assert bool(inv.is_activity[0])


def test_activity_gwp_follows_the_inventory_set() -> None:
    record = {"organisation": "999", "year": 2020, "sector": "agriculture.livestock", "activity": "cows",
              "amount": 100, "unit": "head", "emission_factor": 120, "ef_unit": "kg CH4/head", "gwp": "AR6"}
    inv = inventory_from_records([record])
    assert inv.gwp_set == "AR6"
    assert inv.co2e[0] == pytest.approx(12 * 27.9)  # AR6 WG1 Table 7.SM.7


def test_activity_record_needs_its_factor_and_activity_name(tmp_path: Path) -> None:
    header = [*HEADER, "activity", "emission_factor", "ef_unit"]
    path = write_csv(tmp_path / "inv.csv", [["999", "2020", "energy", "CO2e", "10", "MWh", "", "0.2", "kg CO2e/kWh"],
                                            ["999", "2021", "energy", "CO2e", "10", "MWh", "el", "", "kg CO2e"]],
                     header=header)
    assert [(p.row, p.column) for p in problems(path)] == [(2, "activity"), (3, "emission_factor"), (3, "ef_unit")]


def test_registry_as_a_set_of_known_ids(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [["embassy-oslo", "2020", "waste", "CO2e", "5", "t CO2e"],
                                            ["embassy-olso", "2020", "waste", "CO2e", "5", "t CO2e"]])
    p = only_problem(path, resolve_organisation={"embassy-oslo", "embassy-paris"})
    assert (p.row, p.column) == (3, "organisation")
    assert p.reason == "unknown organisation 'embassy-olso'; did you mean embassy-oslo?"


def test_an_upload_stored_under_a_temporary_name_is_reported_under_its_own_name(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "tmp4f9a2", [["999", "2020", "waste", "CO2e", "x", "t CO2e"]])
    p = only_problem(path, name="Klimaregnskab 2024.csv")
    assert (p.file, p.row, p.column) == ("Klimaregnskab 2024.csv", 2, "amount")


# --------------------------------------------------------------------------- the row model
def test_a_row_reports_every_problem_it_has_under_the_headers_as_written(tmp_path: Path) -> None:
    header = ["Kommune", "År", "Sektor", "Gas", "Mængde", "Enhed", "Kvalitet", "Estimeret", "Note"]
    path = write_csv(tmp_path / "inv.csv", [["999", "1989", "waste", "CO2e", "5", "bananas", "superb", "ja", ""]],
                     header=header)
    found = problems(path)
    assert [(p.row, p.column) for p in found] == [(2, "År"), (2, "Enhed"), (2, "Kvalitet"), (2, "Note")]
    assert [p.reason for p in found] == [
        "year 1989 is outside 1990-2100", "unknown unit 'bananas'",
        "unknown data quality 'superb'; use high, medium or low (H/M/L)",
        "an estimated value needs a note saying how it was estimated"]


def test_a_row_failing_on_another_cell_still_counts_for_duplicates(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [[*GOOD, "high"], [*GOOD, "superb"]], header=[*HEADER, "quality"])
    found = problems(path)
    assert [(p.row, p.column) for p in found] == [(3, "quality"), (3, None)]
    assert found[1].reason.startswith("duplicate of row 2")


def test_the_gwp_set_of_a_failing_row_still_counts(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "inv.csv", [[*GOOD, "AR5"], ["999", "2021", "waste", "CH4", "x", "t", "AR4"]],
                     header=[*HEADER, "gwp"])
    found = problems(path)
    assert [(p.row, p.column) for p in found] == [(3, "amount"), (3, "gwp")]
    assert "GWP set AR4 differs from AR5" in found[1].reason


def test_inventory_row_reads_a_row_with_the_file_context() -> None:
    from nettonul.engine.core.frameworks import get_framework
    from nettonul.engine.inventory.records import InventoryRow, inventory_context

    context = inventory_context(get_framework("dk-municipal"), convention="da", years=(2000, 2030),
                                defaults={"organisation": "101"})
    row = InventoryRow.model_validate({"year": 2024.0, "sector": "Vejtransport", "amount": "1.234,5",
                                       "unit": "kt", "gas": "co2-eq", "quality": "Høj"}, context=context)
    assert (row.organisation, row.year, row.sector, row.amount, row.gas, row.quality) == (
        "101", 2024, "transport.road", 1234.5, "CO2e", "high")
    assert not row.activity_record


@pytest.mark.parametrize("language", ["en", "da"])
def test_every_template_header_is_read_as_its_column(language: str) -> None:
    from nettonul.engine.inventory.readers import TEMPLATE_HEADERS

    names = TEMPLATE_HEADERS[language]
    text = ";".join(names.values()) + "\n" + ";".join(
        {"organisation": "101", "year": "2024", "sector": "energy", "gas": "CO2e", "amount": "1,5",
         "unit": "t CO2e", "source": "x", "estimated": "nej"}.get(c, "") for c in names) + "\n"
    table = read_table(text.encode("utf-8"), name="template.csv")
    assert set(table.headers) == set(names)  # every header names its own template column
