"""Numbers as Danish and English plans write them."""

from __future__ import annotations

import pytest

from nettonul.documents.quantities import YEAR_RE, parse_number


@pytest.mark.parametrize(("text", "language", "value"), [
    ("1,5", "da", 1.5), ("1.000", "da", 1000.0), ("1.500", "en", 1.5), ("1,500", "en", 1500.0),
    ("1.000.000", "en", 1_000_000.0), ("2,5", "en", 2.5), ("70", "da", 70.0), ("abc", "da", None),
])
def test_numbers_are_read_by_shape_and_language(text: str, language: str, value: float | None) -> None:
    assert parse_number(text, language) == value


def test_years_are_whole_tokens() -> None:
    text = "DK2020 og COP26 i 2030, ISO 14001:2015, 1990-niveau, 1,2030 og 2045."
    assert [m.group(1) for m in YEAR_RE.finditer(text)] == ["2030", "1990", "2045"]
