"""Words and numbers in Danish and English: Babel formatting, the ``nettonul`` catalogue, and
the one NaN-to-JSON rule."""

from __future__ import annotations

import gettext
import json
import math
import string
import typing
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

import nettonul
from nettonul.engine.check.model import DATA_TERMS, Status
from nettonul.engine.core import i18n, jsondata
from nettonul.engine.plan.monitoring import ActionState, TrendState
from nettonul.engine.plan.sections import HAZARDS, Benefit

SRC = Path(nettonul.__file__).parent
LOCALE = SRC / "locale"


# --------------------------------------------------------------------------- numbers and dates
@pytest.mark.parametrize(("value", "language", "digits", "expected"), [
    (1234.5, "da", 1, "1.234,5"), (1234.5, "en", 1, "1,234.5"),
    (15100, "da", 0, "15.100"), (15100, "en", 0, "15,100"),
    (1234567.891, "da", 2, "1.234.567,89"), (999.5, "da", 0, "1.000"), (0.5, "en", 0, "0"),
    (-2500.25, "da", 1, "-2.500,2"), (-0.3, "da", 0, "0"),
    (None, "da", 0, "-"), (math.nan, "en", 1, "-"), (math.inf, "en", 0, "-"),
])
def test_numbers_have_the_language_s_separators(value: float | None, language: str, digits: int,
                                                expected: str) -> None:
    assert i18n.number(value, language, digits) == expected


@pytest.mark.parametrize(("fraction", "language", "digits", "signed", "expected"), [
    (0.12, "da", 0, False, "12 %"), (0.12, "da", 1, False, "12,0 %"), (0.12, "en", 1, False, "12.0 %"),
    (0.1234, "da", 1, True, "+12,3 %"), (-0.536, "da", 0, True, "-54 %"), (-0.001, "en", 0, True, "-0 %"),
    (0.0, "da", 0, True, "+0 %"), (12.5, "da", 0, False, "1.250 %"), (None, "da", 0, False, "-"),
])
def test_percentages(fraction: float | None, language: str, digits: int, signed: bool, expected: str) -> None:
    assert i18n.percent(fraction, language, digits, signed=signed) == expected


def test_dates_and_separators() -> None:
    assert i18n.day("2025-03-05", "da") == "5.3.2025"
    assert i18n.day(date(2025, 12, 24), "en") == "2025-12-24"
    assert i18n.day(None, "da") == "-"
    assert i18n.separators("da") == ",."
    assert i18n.separators("en") == ".,"
    assert i18n.locale_of("da-dk") == "da_DK"
    assert i18n.locale_of("fr") == "en_GB"


@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False), st.integers(0, 3))
def test_english_numbers_are_python_s_own_format(value: float, digits: int) -> None:
    expected = f"{value:,.{digits}f}"
    if not expected.strip("-0.,"):  # no "-0"
        expected = expected.lstrip("-")
    assert i18n.number(value, "en", digits) == expected


@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False), st.integers(0, 3))
def test_danish_numbers_read_back_to_the_rounded_value(value: float, digits: int) -> None:
    text = i18n.number(value, "da", digits)
    back = float(text.replace(".", "").replace(",", "."))
    assert back == float(f"{value:.{digits}f}")
    assert text == i18n.number(value, "en", digits).translate(str.maketrans(",.", ".,"))


# --------------------------------------------------------------------------- the catalogue
def _catalogue(language: str) -> dict[str, str]:
    with (LOCALE / language / "LC_MESSAGES" / "nettonul.po").open("rb") as fh:
        catalogue = read_po(fh)
    assert not catalogue.fuzzy
    assert not [m.id for m in catalogue if m.id and m.fuzzy]
    return {str(m.id): str(m.string) for m in catalogue if m.id}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _used_keys() -> set[str]:
    keys = set()
    for package in ("engine", "documents", "reports", "cli"):
        for path in (SRC / package).rglob("*.py"):
            with path.open("rb") as fh:
                keys |= {key for _, _, key, _ in i18n.extract(fh, None, None, None)}
    return keys


def test_both_languages_word_the_same_keys_with_the_same_fields() -> None:
    en, da = _catalogue("en"), _catalogue("da")
    assert set(en) == set(da)
    assert all(en.values())
    assert all(da.values())
    assert {k: _fields(v) for k, v in da.items()} == {k: _fields(v) for k, v in en.items()}


def test_every_key_the_code_names_has_danish_wording() -> None:
    da = _catalogue("da")
    used = _used_keys()
    assert {"adopted.ok", "ev.residual", "report.title", "report.state.on_track", "verdict.fail"} <= used
    assert sorted(k for k in used if not da.get(k)) == []


def test_keys_built_from_data_are_marked_and_worded() -> None:
    built = ({f"hazard.{h}" for h in HAZARDS}
             | {f"benefit.{b}" for b in typing.get_args(Benefit.model_fields["kind"].annotation)}
             | {f"report.state.{s}" for s in (*typing.get_args(ActionState), *typing.get_args(TrendState))}
             | {f"report.result.{r}" for r in typing.get_args(Status)}
             | {f"report.verdict.{v}" for v in ("pass", "pass_with_warnings", "fail")})
    assert built - _used_keys() == set()
    assert {f"hazard.{h}" for h in HAZARDS} <= set(DATA_TERMS)
    assert i18n.text("hazard.drought", "da") == "tørke"


def test_the_compiled_catalogues_match_their_sources() -> None:
    for language in i18n.LANGUAGES:
        with (LOCALE / language / "LC_MESSAGES" / "nettonul.mo").open("rb") as fh:
            compiled = gettext.GNUTranslations(fh)
        stale = [k for k, v in _catalogue(language).items() if compiled.gettext(k) != v]
        assert stale == [], "nettonul.mo is older than nettonul.po: run pybabel compile"


def test_messages_are_worded_and_filled_in() -> None:
    assert i18n.text("report.title", "da", year=2025) == "Klimahandleplan: statusrapport 2025"
    assert i18n.text("report.title", "en", year=2025) == "Climate action plan: status report 2025"
    assert i18n.text("report.units_note", "da", gwp="AR5").endswith("1 kt = 1.000 ton.")
    assert i18n.text("no.such.key", "da") == "no.such.key"
    assert not i18n.has_text("no.such.key", "da")


# --------------------------------------------------------------------------- JSON
def test_nan_and_infinities_are_null_in_json() -> None:
    data = {"a": [1.5, math.nan, np.float64("inf")], 2030: np.array([np.nan, 2.0]), "n": np.int64(3),
            "ok": np.bool_(True), "day": date(2025, 1, 2)}
    assert json.loads(jsondata.dumps(data)) == {"a": [1.5, None, None], "2030": [None, 2.0], "n": 3, "ok": True,
                                                "day": "2025-01-02"}
    assert jsondata.finite(np.float32("nan")) is None
    assert jsondata.finites([1, None, -math.inf]) == [1.0, None, None]
    with pytest.raises(TypeError):
        jsondata.plain({"x": object()})
    kept = object()
    assert jsondata.plain({2030: [math.nan, kept]}, strict=False) == {2030: [None, kept]}


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=20))
def test_json_round_trip_keeps_every_finite_value(value: object) -> None:
    def expected(v: object) -> object:
        if isinstance(v, float):
            return v if math.isfinite(v) else None
        if isinstance(v, list):
            return [expected(x) for x in v]
        if isinstance(v, dict):
            return {k: expected(x) for k, x in v.items()}
        return v
    assert json.loads(jsondata.dumps(value)) == expected(value)
