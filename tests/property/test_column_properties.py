"""Invariants of the shared column types of user tables (``nettonul.engine.io.columns``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nettonul.engine.io.cells import FALSE_WORDS, TRUE_WORDS, Convention
from nettonul.engine.io.columns import (
    YEARS,
    Country,
    Date,
    Flag,
    GasUnit,
    NonNegativeNumber,
    Number,
    RowModel,
    Text,
    Year,
    required,
    row_context,
    validate_rows,
)


class Cells(RowModel):
    number: Number | None = None
    positive: NonNegativeNumber | None = None
    year: Year | None = None
    flag: Flag | None = None
    date: Date | None = None
    country: Country | None = None
    unit: GasUnit | None = None


def cell(field: str, value: Any, convention: Convention = "en", **context: Any) -> Any:
    return getattr(Cells.model_validate({field: value}, context=row_context(convention, **context)), field)


def reason(field: str, value: Any, convention: Convention = "en", **context: Any) -> str:
    with pytest.raises(pydantic.ValidationError) as info:
        cell(field, value, convention, **context)
    (error,) = info.value.errors()
    return str(error["msg"]).removeprefix("Value error, ")


def danish(whole: int, cents: int) -> str:
    grouped = f"{whole:,}".replace(",", ".")
    return f"{grouped},{cents:02d}"


def english(whole: int, cents: int) -> str:
    return f"{whole:,}.{cents:02d}"


@given(st.integers(0, 10**12), st.integers(0, 99), st.booleans())
def test_a_number_reads_the_same_in_either_convention_when_written_in_it(whole: int, cents: int, minus: bool) -> None:
    expected = (-1 if minus else 1) * (whole + cents / 100)
    sign = "-" if minus else ""
    assert cell("number", sign + danish(whole, cents), "da") == pytest.approx(expected, rel=1e-15)
    assert cell("number", sign + english(whole, cents), "en") == pytest.approx(expected, rel=1e-15)


@given(st.integers(1, 999), st.integers(0, 999))
def test_thousands_are_read_by_the_file_convention(thousands: int, rest: int) -> None:
    text = f"{thousands}.{rest:03d}"  # "15.100": 15100 in Danish, 15.1 in English
    assert cell("number", text, "da") == thousands * 1000 + rest
    assert cell("number", text, "en") == pytest.approx(thousands + rest / 1000)


@given(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(["da", "en"]))
def test_numeric_cells_are_taken_as_they_are(value: float, convention: Convention) -> None:
    assert cell("number", value, convention) == value


@given(st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False))
def test_negative_numbers_are_refused_where_a_column_needs_zero_or_more(value: float) -> None:
    assert reason("positive", value).endswith("is negative")


@given(st.integers(-5000, 5000))
def test_years_are_whole_and_within_the_range(year: int) -> None:
    first, last = YEARS
    if first <= year <= last:
        assert cell("year", str(year)) == year
        assert cell("year", float(year)) == year  # an Excel numeric cell
    else:
        assert reason("year", str(year)) == f"year {year} is outside {first}-{last}"
    assert cell("year", year, years=(-5000, 5000)) == year  # the reader's own range


@given(st.integers(YEARS[0], YEARS[1] - 1), st.integers(1, 9))
def test_a_fraction_of_a_year_is_refused(year: int, tenth: int) -> None:
    assert reason("year", f"{year}.{tenth}") == f"'{year}.{tenth}' is not a whole year"


@given(st.sampled_from(sorted(TRUE_WORDS | FALSE_WORDS)), st.sampled_from([str.upper, str.lower, str.title]))
def test_flags_in_danish_and_english_any_case(word: str, case: Any) -> None:
    assert cell("flag", f" {case(word)} ") is (word in TRUE_WORDS)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå", min_size=1, max_size=6))
def test_other_words_are_not_flags(word: str) -> None:
    if word.lower() not in TRUE_WORDS | FALSE_WORDS:
        assert "is not yes or no" in reason("flag", word)


@given(st.dates(dt.date(1900, 1, 1), dt.date(9999, 12, 31)))
def test_dates_written_either_way_are_the_same_date(date: dt.date) -> None:
    assert cell("date", date.isoformat()) == date
    assert cell("date", f"{date.day:02d}-{date.month:02d}-{date.year}") == date
    assert cell("date", f"{date.day}.{date.month}.{date.year}") == date
    assert cell("date", dt.datetime.combine(date, dt.time())) == date


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=4))
def test_countries_are_two_letter_codes(text: str) -> None:
    if len(text) == 2 and text.isalpha():
        assert cell("country", text) == text.upper()
    else:
        assert "is not a two-letter ISO 3166 code" in reason("country", text)


@given(st.sampled_from([("t", 1.0), ("kg", 1e-3), ("g", 1e-6), ("kt", 1e3), ("Mt", 1e6)]),
       st.sampled_from(["", " CO2", " CH4", " N2O", " CO2e"]))
def test_gas_units_give_tonnes_and_the_gas(prefix: tuple[str, float], gas: str) -> None:
    mass = cell("unit", prefix[0] + gas)
    assert mass.tonnes == pytest.approx(prefix[1])
    assert mass.gas == (gas.strip() or None)


class Named(RowModel):
    amount: NonNegativeNumber = required("give the amount")
    note: Text = ""


@given(st.lists(st.sampled_from(["12,5", "-1", "", "x"]), min_size=1, max_size=8))
def test_problems_name_the_row_the_header_as_written_and_the_reason(cells: list[str]) -> None:
    rows = [(i + 2, {"amount": c}) for i, c in enumerate(cells)]
    checked = validate_rows(Named, rows, file="f.csv", context=row_context("da"), headers={"amount": "Mængde"})
    expected = {"12,5": None, "-1": "-1 is negative", "": "give the amount", "x": "'x' is not a number"}
    assert [(p.row, p.column, p.reason) for p in checked.problems] == [
        (i + 2, "Mængde", expected[c]) for i, c in enumerate(cells) if expected[c] is not None]
    assert [m.amount if m else None for m in checked.models] == [12.5 if c == "12,5" else None for c in cells]
