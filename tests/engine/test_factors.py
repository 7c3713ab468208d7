"""Imported emission-factor tables: template, validation, unit parsing and lookups."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from nettonul.engine.core.errors import UnitError, ValidationError
from nettonul.engine.footprint.factors import (
    TEMPLATE_COLUMNS,
    FactorTable,
    MissingFactorError,
    load_factor_tables,
    parse_factor_unit,
)

HEADER = "factor_id,category,country,name,distance_band,cabin_class,value,unit,gas,year,source,valid_from,valid_to"
SRC = "Test agency: test factors 2024"
GOOD = [
    f"grid-dk-23,electricity_grid,DK,,,,0.2,kg CO2e/kWh,,2023,{SRC},,",
    f"grid-dk-24,electricity_grid,DK,,,,0.18,kg CO2e/kWh,,2024,{SRC},,",
    f"grid-vn,electricity_grid,VN,,,,500,g CO2e/kWh,,2024,{SRC},,",
    f"diesel,fuel,,diesel,,,2.5,kg CO2e/litre,,2024,{SRC},2020-01-01,2030-12-31",
    f"diesel-se,fuel,SE,diesel,,,2.0,kg CO2e/litre,,2024,{SRC},2020-01-01,2030-12-31",
    f"gas-co2,fuel,,natural gas,,,2.0,kg CO2/m3,CO2,2024,{SRC},,",
    f"gas-ch4,fuel,,natural gas,,,0.01,kg CH4/m3,CH4,2024,{SRC},,",
    f"it,spend,,IT,,,0.05,kg CO2e/DKK,,2024,{SRC},,",
]


def write(tmp_path: Path, rows: list[str], name: str = "factors.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def table(tmp_path: Path) -> FactorTable:
    return load_factor_tables(write(tmp_path, GOOD))


def test_units_parse_to_kilograms_per_activity_unit() -> None:
    assert parse_factor_unit("g CO2/kWh").kg_per_written == pytest.approx(0.001)
    assert parse_factor_unit("g CO2/kWh").gas == "CO2"
    assert parse_factor_unit("t CO2e/TJ").kg_per_written == 1000.0
    assert parse_factor_unit("kgCO2e/m3").per == "m**3"
    dkk = parse_factor_unit("kg CO2e per DKK")
    assert (dkk.per, dkk.currency) == ("DKK", True)
    for bad in ("kg/kWh", "kg CO2e/kwh", "CO2e/kWh", "kg CO2e"):
        with pytest.raises(UnitError):
            parse_factor_unit(bad)


def test_lookup_by_country_and_year(table: FactorTable) -> None:
    match = table.find("electricity_grid", 2024, country="DK")
    assert [f.factor_id for f in match.factors] == ["grid-dk-24"]
    assert match.kg_co2e_per_unit("AR5") == pytest.approx(0.18)
    # 500 g/kWh is 0.5 kg/kWh
    assert table.find("electricity_grid", 2024, country="VN").kg_co2e_per_unit("AR5") == pytest.approx(0.5)
    assert match.factors[0].source == SRC


def test_missing_grid_factor_names_country_and_year(table: FactorTable) -> None:
    with pytest.raises(MissingFactorError) as info:
        table.find("electricity_grid", 2024, country="NO")
    assert str(info.value).startswith("no location-based grid factor for country NO in 2024 in the imported tables")
    assert "DK 2023" in str(info.value)  # says what the tables do cover
    with pytest.raises(MissingFactorError, match="no residual-mix factor for country DK in 2024"):
        table.find("electricity_residual_mix", 2024, country="DK")


def test_earlier_year_is_used_with_a_note_unless_exact_years(table: FactorTable) -> None:
    match = table.find("electricity_grid", 2026, country="DK")
    assert match.year == 2024
    assert "factor for 2024 used for 2026" in match.year_note
    with pytest.raises(MissingFactorError):
        table.find("electricity_grid", 2026, country="DK", exact_year=True)
    with pytest.raises(MissingFactorError):  # no factor from a later year is ever used
        table.find("electricity_grid", 2022, country="DK")


def test_validity_window_and_generic_country(table: FactorTable) -> None:
    assert table.find("fuel", 2027, country="KE", name="Diesel").factors[0].factor_id == "diesel"
    assert table.find("fuel", 2027, country="SE", name="diesel").factors[0].factor_id == "diesel-se"
    with pytest.raises(MissingFactorError):
        table.find("fuel", 2031, name="diesel")  # outside the window: no fallback


def test_single_gas_rows_are_summed_with_the_gwp_set(table: FactorTable) -> None:
    match = table.find("fuel", 2024, name="natural gas")
    # by hand: 2.0 kg CO2 + 0.01 kg CH4 x 28 (AR5) = 2.28 kg CO2e; AR4 CH4 = 25 -> 2.25
    assert match.kg_co2e_per_unit("AR5") == pytest.approx(2.28)
    assert match.kg_co2e_per_unit("AR4") == pytest.approx(2.25)


def test_every_problem_is_reported_and_nothing_imported(tmp_path: Path) -> None:
    rows = [
        "a,electricity_grid,DK,,,,0.2,kg CO2e/kWh,,2024,,,",            # row 2: no source
        f"b,electricity_grid,DK,,,,0.2,kg CO2e/kwh,,2024,{SRC},,",       # row 3: unit does not parse
        f"c,electricity_grid,DK,,,,0.3,kg CO2e/kWh,,2024,{SRC},,",       # row 4: fine
        f"d,electricity_grid,DK,,,,0.3,kg CO2e/kWh,,2024,{SRC},,",       # row 5: duplicate of row 4
        f"e,flight,,,long-haul,,0.15,kg CO2e/passenger_km,,2024,{SRC},,",  # row 6: no cabin class
        f"f,fuel,,oil,,,-1,kg CO2e/litre,,twenty,{SRC},,",               # row 7: negative, bad year
        f"c,electricity_grid,Denmark,,,,0.3,kg CO2e/kWh,,2024,{SRC},,",  # row 8: bad country
        f"h,fuel,,gas,,,2,kg CO2e/m3,,2024,{SRC},,",                     # row 9: CO2e ...
        f"i,fuel,,gas,,,2,kg CO2/m3,,2024,{SRC},,",                      # row 10: ... and CO2 for one key
    ]
    with pytest.raises(ValidationError) as info:
        load_factor_tables(write(tmp_path, rows))
    found = {(p.row, p.column) for p in info.value.problems}
    assert {(2, "source"), (3, "unit"), (6, "cabin_class"), (7, "value"), (7, "year"), (8, "country")} <= found
    reasons = " | ".join(str(p) for p in info.value.problems)
    assert "row 5: duplicate factor: same category, keys, gas and year as c" in reasons
    assert "row 10, column 'gas': a total CO2e row and single-gas rows" in reasons


def test_missing_and_unknown_columns(tmp_path: Path) -> None:
    path = write(tmp_path, [f"grid,DK,0.2,kg CO2e/kWh,2024,{SRC},x"],
                 header="category,country,value,unit,year,source,colour")
    with pytest.raises(ValidationError) as info:
        load_factor_tables(path)
    assert [(p.column, p.reason.split(";")[0]) for p in info.value.problems] == [("colour", "unknown column")]
    path = write(tmp_path, ["electricity_grid,DK,0.2,kg CO2e/kWh,2024"], header="category,country,value,unit,year")
    with pytest.raises(ValidationError, match="column 'source': required column is missing"):
        load_factor_tables(path)


def test_several_files_are_one_table_and_duplicates_across_files_fail(tmp_path: Path) -> None:
    a = write(tmp_path, GOOD[:2], "a.csv")
    b = write(tmp_path, GOOD[2:3], "b.csv")
    table = load_factor_tables([a, b])
    assert table.files == ("a.csv", "b.csv")
    assert len(table) == 3
    c = write(tmp_path, [GOOD[0].replace("grid-dk-23", "other")], "c.csv")
    with pytest.raises(ValidationError, match=r"c\.csv, row 2: duplicate factor"):
        load_factor_tables([a, c])


def test_excel_table_reads_like_csv(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Category", "Country", "Value", "Unit", "Year", "Source"])
    sheet.append(["electricity_grid", "DK", 0.18, "kg CO2e/kWh", 2024, SRC])
    sheet.append(["electricity_grid", "DE", 0.35, "kg CO2e/kWh", 2024.0, ""])
    path = tmp_path / "factors.xlsx"
    book.save(path)
    with pytest.raises(ValidationError) as info:
        load_factor_tables(path)
    # the column is named as the file writes its header
    assert [(p.file, p.row, p.column) for p in info.value.problems] == [("factors.xlsx", 3, "Source")]
    sheet.delete_rows(3)
    book.save(path)
    assert load_factor_tables(path).find("electricity_grid", 2024, country="DK").factors[0].value == 0.18


def test_illustrative_sources_are_flagged(tmp_path: Path) -> None:
    table = load_factor_tables(write(tmp_path, [
        "g,electricity_grid,DK,,,,0.2,kg CO2e/kWh,,2024,ILLUSTRATIVE - not a published factor,,",
    ]))
    assert table.factors[0].illustrative
    assert table.illustrative_sources() == ("ILLUSTRATIVE - not a published factor",)


def test_template_columns_are_documented() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "organisational-footprint.md").read_text(encoding="utf-8")
    for column in TEMPLATE_COLUMNS:
        assert f"`{column}`" in doc


def test_a_row_with_more_cells_than_columns_is_rejected(tmp_path: Path) -> None:
    # an unquoted comma in the source shifts the cells to the right
    path = write(tmp_path, ["g,electricity_grid,DK,,,,0.2,kg CO2e/kWh,,2024,Agency, edition 2024,2020-01-01,2030-12-31"
                            ])
    with pytest.raises(ValidationError, match="row 2: the row has 14 cells but the header has 13 columns"):
        load_factor_tables(path)
