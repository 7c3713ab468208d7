"""Target specs, the compact target strings and the Danish reference targets."""

from __future__ import annotations

import pytest

from nettonul.engine.core.errors import SpecError
from nettonul.engine.pathway.targets import (
    Absolute,
    NetZero,
    PerCapita,
    Reduction,
    check_consistent,
    danish_targets,
    default_targets,
    parse_target,
    parse_targets,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2030:-70%@1990", Reduction(2030, 0.70, 1990)),
        ("2030:-70%", Reduction(2030, 0.70, None)),
        ("2050:-110%@1990", Reduction(2050, 1.10, 1990)),
        ("2030:+10%@2020", Reduction(2030, -0.10, 2020)),
        ("netzero:2050", NetZero(2050)),
        ("2045:netzero", NetZero(2045)),
        ("2045:0", NetZero(2045)),
        ("2035:2.5t/cap", PerCapita(2035, 2.5)),
        ("2035:2.5 t CO2e/capita", PerCapita(2035, 2.5)),
        ("2030:1.2Mt", Absolute(2030, 1_200_000.0)),
        ("2030:350kt CO2e", Absolute(2030, 350_000.0)),
        ("2030:5000t", Absolute(2030, 5000.0)),
        ("transport:2030:-50%@1990", Reduction(2030, 0.50, 1990, "transport")),
        ("energy:netzero:2040", NetZero(2040, "energy")),
    ],
)
def test_compact_strings_parse(text: str, expected: object) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2030:70%", "with its sign"),
        ("2030", "expected 'YEAR:VALUE'"),
        ("20x0:-70%", "'20x0' is not a year"),
        ("2030:-70%@2035", "reference year 2035 must be before"),
        ("2030:seventy", "cannot read the value 'seventy'"),
        ("Transport:2030:-50%", "not a sector code"),
        ("a:b:c:d", "too many"),
        ("3030:-70%", "outside"),
    ],
)
def test_bad_strings_raise_spec_error_with_the_reason_and_the_forms(text: str, reason: str) -> None:
    with pytest.raises(SpecError) as info:
        parse_target(text)
    message = str(info.value)
    assert f"target '{text}'" in message
    assert reason in message
    assert "2030:-70%@1990" in message  # the accepted forms are shown


def test_parse_targets_reports_every_bad_string_at_once() -> None:
    with pytest.raises(SpecError) as info:
        parse_targets(["2030:70%", "netzero:2050", "x:y"])
    assert "2030:70%" in str(info.value)
    assert "x:y" in str(info.value)


def test_two_targets_for_the_same_year_are_rejected() -> None:
    with pytest.raises(SpecError, match="two targets for the total in 2030"):
        parse_targets(["2030:-70%@1990", "2030:2t/cap"])
    # The same year for a sector and the total is fine.
    check_consistent([Reduction(2030, 0.7, 1990), Reduction(2030, 0.5, 1990, "transport")])


def test_describe_is_readable() -> None:
    assert Reduction(2030, 0.7, 1990).describe() == "-70% in 2030 vs 1990"
    assert Reduction(2030, -0.1).describe() == "+10% in 2030 vs base year"
    assert NetZero(2050, "energy").describe() == "energy: net zero in 2050"
    assert PerCapita(2035, 2.5).describe() == "2.5 t CO2e per inhabitant in 2035"


def test_describe_in_danish_uses_danish_words_and_numbers() -> None:
    assert Reduction(2030, 0.7, 1990).describe("da") == "-70 % i 2030 ift. 1990"
    assert Reduction(2030, 0.625).describe("da") == "-62,5 % i 2030 ift. basisåret"
    assert NetZero(2050).describe("da") == "nettonul i 2050"
    assert NetZero(2050, "energy").describe("da", "Energi") == "Energi: nettonul i 2050"
    assert Absolute(2030, 12345.0).describe("da") == "12.345 t CO2e i 2030"
    assert Absolute(2030, 12345.0).describe() == "12,345 t CO2e in 2030"
    assert PerCapita(2035, 2.5).describe("da") == "2,5 t CO2e pr. indbygger i 2035"


def test_danish_targets_follow_methodology_6_1() -> None:
    by_id = {t.id: t for t in danish_targets()}
    assert by_id["climate_act_2030"].target == Reduction(2030, 0.70, 1990)
    assert by_id["climate_act_2030"].status == "legal"
    assert by_id["climate_act_2050"].target == NetZero(2050)
    assert by_id["climate_act_2025_indicative"].target == Reduction(2025, 0.50, 1990)
    assert by_id["proposed_2035"].target == Reduction(2035, 0.82, 1990)
    assert by_id["proposed_2035"].status == "proposed"
    assert by_id["proposed_2045"].target == NetZero(2045)
    assert by_id["proposed_2050_net_removals"].target == Reduction(2050, 1.10, 1990)
    assert all(t.sources for t in danish_targets())
    assert {t.status for t in danish_targets()} == {"legal", "proposed"}


def test_default_targets_are_the_climate_act() -> None:
    assert default_targets() == (Reduction(2030, 0.70, 1990), NetZero(2050))
