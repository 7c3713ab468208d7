"""The file toolkit: one table reader, one number rule for every kind of user file, one
converter from pydantic and YAML errors to located problems."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pydantic
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from nettonul.engine.core.errors import ValidationError
from nettonul.engine.core.units import gas_mass
from nettonul.engine.footprint.activities import load_activities
from nettonul.engine.footprint.factors import load_factor_tables
from nettonul.engine.footprint.orgunits import OrgTree, OrgUnit, load_org_tree
from nettonul.engine.footprint.peers import load_peers
from nettonul.engine.inventory.readers import read_inventory
from nettonul.engine.io.cells import DANISH, ENGLISH, Convention, parse_bool, parse_date, parse_number
from nettonul.engine.io.problems import pydantic_problems, yaml_node, yaml_problem
from nettonul.engine.io.tables import read_table

SRC = "Test agency, test factors (illustrative)"
TREE = OrgTree([OrgUnit("hq", "Headquarters", "ministry", "DK")], source="units")

# Each file kind: a header and two rows holding the same two numbers in one column, as
# cells; the reader; and how to get those two numbers back from what it returns.


def _inventory(source: Any, name: str) -> list[float]:
    return read_inventory(source, name=name).co2e.tolist()


def _factors(source: Any, name: str) -> list[float]:
    return [f.value for f in load_factor_tables(source, name=name).factors]


def _activities(source: Any, name: str) -> list[float]:
    return [float(r.amount or 0) for r in load_activities(source, TREE, name=name)]


def _units(source: Any, name: str) -> list[float]:
    tree = load_org_tree(source, name=name)
    return [u.floor_area_m2 for u in tree.units if u.floor_area_m2 is not None]


def _peers(source: Any, name: str) -> list[float]:
    return [p.scope1 for p in load_peers(source, name=name)]


KINDS: dict[str, tuple[list[str], Callable[[Any, Any], list[Any]], Callable[[Any, str], list[float]]]] = {
    "inventory": (["organisation", "year", "sector", "gas", "amount", "unit"],
                  lambda a, b: [["999", 2020, "transport", "CO2e", a, "t CO2e"],
                                ["999", 2020, "waste", "CO2e", b, "t CO2e"]], _inventory),
    "factor table": (["category", "country", "value", "unit", "year", "source"],
                     lambda a, b: [["electricity_grid", "DK", a, "kg CO2e/kWh", 2024, SRC],
                                   ["electricity_grid", "SE", b, "kg CO2e/kWh", 2024, SRC]], _factors),
    "footprint activities": (["org_unit", "year", "activity", "amount", "amount_unit"],
                             lambda a, b: [["hq", 2024, "electricity", a, "kWh"],
                                           ["hq", 2023, "electricity", b, "kWh"]], _activities),
    "organisation tree": (["id", "name", "kind", "country", "parent", "floor_area_m2"],
                          lambda a, b: [["mfa", "Ministry", "ministry", "DK", None, a],
                                        ["hq", "Headquarters", "department", "DK", "mfa", b]], _units),
    "peer table": (["organisation", "year", "scope1", "scope2_location", "employees", "source"],
                   lambda a, b: [["Peer A", 2024, a, 1, 10, SRC], ["Peer B", 2024, b, 1, 10, SRC]], _peers),
}


def _csv(header: Sequence[str], rows: Sequence[Sequence[Any]], sep: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else str(v) for v in r] for r in rows)
    return out.getvalue().encode("utf-8")


def _xlsx(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for r in rows:
        sheet.append(list(r))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_same_danish_cells_give_the_same_numbers_in_every_file_kind(kind: str, tmp_path: Path) -> None:
    header, rows, read = KINDS[kind]
    danish = rows("1.234,5", "15.100")
    # a ';' CSV file as a path and as bytes, an Excel file with the text cells, and one with numbers
    path = tmp_path / "file.csv"
    path.write_bytes(_csv(header, danish, ";"))
    assert read(path, "file.csv") == [1234.5, 15100.0]
    assert read(_csv(header, danish, ";"), "file.csv") == [1234.5, 15100.0]
    assert read(io.BytesIO(_xlsx(header, danish)), "file.xlsx") == [1234.5, 15100.0]
    assert read(_xlsx(header, rows(1234.5, 15100)), "file.xlsx") == [1234.5, 15100.0]


@pytest.mark.parametrize("kind", list(KINDS))
def test_15_100_is_fifteen_point_one_in_an_english_comma_file(kind: str) -> None:
    header, rows, read = KINDS[kind]
    assert read(_csv(header, rows("1234.5", "15.100"), ","), "file.csv") == [1234.5, 15.1]
    # A ';' file whose other cell is only English decides English too: the cells outweigh the hint.
    assert read(_csv(header, rows("0.5", "15.100"), ";"), "file.csv") == [0.5, 15.1]


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_file_that_mixes_conventions_is_refused_with_the_cells_listed(kind: str) -> None:
    header, rows, read = KINDS[kind]
    with pytest.raises(ValidationError) as info:
        read(_csv(header, rows("1.234,5", "0.187"), ";"), "mixed.csv")
    (problem,) = info.value.problems
    assert problem.file == "mixed.csv"
    assert "two conventions" in problem.reason
    assert "row 2" in problem.reason
    assert "'1.234,5'" in problem.reason
    assert "row 3" in problem.reason
    assert "'0.187'" in problem.reason


def test_ambiguous_numbers_nothing_decides_are_refused() -> None:
    header, rows, read = KINDS["factor table"]
    with pytest.raises(ValidationError) as info:
        read(_xlsx(header, rows("15.100", "2.500")), "book.xlsx")
    (problem,) = info.value.problems
    assert "cannot tell" in problem.reason
    assert "15100" in problem.reason
    assert "15.1" in problem.reason


# ----------------------------------------------------------------------------- table reader
def test_separator_and_encoding_are_detected_and_reported() -> None:
    danish = "kommune;år;mængde\n101;2020;1,5\n".encode("cp1252")
    table = read_table(danish, name="excel.csv")
    assert (table.info.separator, table.info.encoding) == (";", "cp1252")
    assert table.header == ("kommune", "år", "mængde")
    rule, problems = table.number_rule(["mængde"])
    assert (rule.convention, problems) == (DANISH, [])
    assert table.info.describe() == ("excel.csv: CSV, semicolon-separated, cp1252; numbers read in the "
                                     "Danish (1.234,5) convention (decided by row 2 mængde '1,5')")
    tabbed = read_table(io.BytesIO("\ufeffa\tb\n1\t2\n".encode()), name="x.tsv")
    assert (tabbed.info.separator, tabbed.info.encoding) == ("\t", "utf-8-sig")
    assert tabbed.rows[0].cells == {"a": "1", "b": "2"}
    commas = read_table(b"# illustrative numbers\na,b\n\n1,2\n", name="c.csv")
    assert (commas.info.separator, commas.info.encoding, commas.rows[0].number) == (",", "utf-8", 4)


def test_excel_sheet_by_name_or_index_keeps_numbers_as_numbers() -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Readme"
    data = book.create_sheet("Data")
    data.append(["a", "b"])
    data.append([15100, "15.100"])
    out = io.BytesIO()
    book.save(out)
    by_name = read_table(out.getvalue(), name="b.xlsx", sheet="Data")
    by_index = read_table(out.getvalue(), name="b.xlsx", sheet=1)
    assert by_name.rows == by_index.rows
    assert by_name.rows[0].cells == {"a": 15100, "b": "15.100"}
    assert by_name.info.sheet == "Data"
    assert by_name.file == "b.xlsx (sheet 'Data')"
    with pytest.raises(ValidationError, match="no sheet 'Nope'"):
        read_table(out.getvalue(), name="b.xlsx", sheet="Nope")


# ----------------------------------------------------------------------------- cell parsers
@st.composite
def _formatted(draw: st.DrawFn) -> tuple[float, str, Convention]:
    cents = draw(st.integers(min_value=-10**12, max_value=10**12))
    convention: Convention = draw(st.sampled_from([DANISH, ENGLISH]))
    grouped = draw(st.booleans())
    text = f"{abs(cents) / 100:,.2f}" if grouped else f"{abs(cents) / 100:.2f}"
    if convention == DANISH:
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return cents / 100, ("-" if cents < 0 else "") + text, convention


@given(_formatted())
def test_a_number_formatted_in_a_convention_reads_back(case: tuple[float, str, Convention]) -> None:
    value, text, convention = case
    assert parse_number(text, convention) == pytest.approx(value, abs=1e-9)


@given(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([DANISH, ENGLISH]))
def test_numbers_that_are_numbers_are_never_reparsed(value: float, convention: Convention) -> None:
    assert parse_number(value, convention) == value


def test_cell_parsers_by_hand() -> None:
    assert parse_number("1 234,5", DANISH) == 1234.5
    assert parse_number("0,187", DANISH) == 0.187
    assert parse_number("1,234.5", ENGLISH) == 1234.5
    assert "Danish" in str(parse_number("1.5", DANISH))
    assert [parse_bool(t) for t in ("Ja", "j", "SAND", "yes", "true", "1")] == [True] * 6
    assert [parse_bool(t) for t in ("Nej", "n", "falsk", "No", "FALSE", "0")] == [False] * 6
    assert isinstance(parse_bool("måske"), str)
    dates = [parse_date(t) for t in ("2024-03-31", "31-03-2024", "31.03.2024", 45382)]
    assert {d.isoformat() for d in dates if not isinstance(d, str)} == {"2024-03-31"}
    assert isinstance(parse_date("31/31/2024"), str)


@pytest.mark.parametrize(("unit", "tonnes", "gas"), [
    ("kg CO2e", 0.001, "CO2e"), ("t CO2e", 1.0, "CO2e"), ("ton CO2e", 1.0, "CO2e"), ("tCO2e", 1.0, "CO2e"),
    ("kt CO2-eq", 1000.0, "CO2e"), ("g CH4", 1e-6, "CH4"), ("t", 1.0, None),
])
def test_one_parser_of_gas_mass_units(unit: str, tonnes: float, gas: str | None) -> None:
    assert (gas_mass(unit).tonnes, gas_mass(unit).gas) == (pytest.approx(tonnes), gas)


# ----------------------------------------------------------------------------- problem converters
class _Doc(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    name: str
    items: list[int]


def test_pydantic_errors_become_problems_on_their_yaml_lines() -> None:
    text = "name: x\nitems:\n  - 1\n  - two\ncolour: red\n"
    with pytest.raises(pydantic.ValidationError) as info:
        _Doc.model_validate(yaml.safe_load(text))
    problems = pydantic_problems(info.value, "doc.yaml", node=yaml_node(text))
    assert [(p.row, p.column) for p in problems] == [(4, "items[1]"), (5, "colour")]
    assert problems[1].reason == "unknown field (check its spelling)"


def test_pydantic_errors_of_a_table_row_name_the_row_and_header() -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        _Doc.model_validate({"items": []})
    (problem,) = pydantic_problems(info.value, "t.csv", row=7, columns={"name": "Navn"})
    assert (problem.file, problem.row, problem.column, problem.reason) == (
        "t.csv", 7, "Navn", "required field is missing")


def test_yaml_syntax_errors_become_a_problem_on_their_line() -> None:
    with pytest.raises(yaml.YAMLError) as info:
        yaml.safe_load("a: 1\nb: [2\nc: 3\n")
    problem = yaml_problem(info.value, "x.yaml")
    assert (problem.file, problem.row) == ("x.yaml", 3)  # where the unclosed list runs into 'c:'
    assert problem.reason.startswith("not valid YAML: ")
