"""Case-free matching on the lowercased text (kernels.casefree / Folded) finds exactly what
matching the original text ignoring case finds, for the patterns the importer scans with."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nettonul.documents import kernels, targets
from nettonul.documents.kernels import Folded, casefree
from nettonul.documents.quantities import parse_number

WORDS = ["Reducere", "REDUKTION", "skal", "Vil", "Mål", "klimaneutral", "Netto-nul", "senest", "By", "in",
         "forventes", "Expected", "i forhold til", "siden", "Since", "2030", "1990", "12.000", "45,5", "%",
         "procent", "tons CO2", "MWh", "ha", "Kommunen", "The Council", "Æblegård", "ØKOLOGISK", "-", ",", ".",
         "(op til 95 %)", "halvere", "Fossilfri", "Climate-Positive", "januar", "December"]
PATTERNS = [kernels.REDUCTION, kernels.NET_ZERO, kernels.SHARE_CUE, kernels.HALVE, kernels.RANKING, kernels.FINANCE,
            kernels._FIGURE, targets.AIM, targets.PROJECTION, targets.DEBATE, targets.YEAR_REF, targets.BASE_YEAR,
            targets._DEADLINE_YEAR, targets.ACHIEVED]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join))
def test_casefree_matches_the_same_spans(text: str) -> None:
    fold = Folded(text)
    assert fold.folded
    for pattern in PATTERNS:
        assert ([m.span() for m in casefree(pattern).finditer(fold.scan)]
                == [m.span() for m in pattern.finditer(text)]), pattern.pattern[:40]


def test_a_pattern_naming_a_capital_is_refused() -> None:
    with pytest.raises(ValueError, match="capital"):
        casefree(re.compile(r"[A-Z]+ Kommune", re.IGNORECASE))


@given(st.integers(min_value=0, max_value=10**12))
def test_plain_digits_read_as_themselves(n: int) -> None:
    assert parse_number(str(n)) == float(n)
    assert parse_number(str(n), "en") == float(n)
