"""Sector and SDG lexicons, their matching rule, and SDG mentions by number and title."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nettonul.documents.tagging import find_sdg_mentions, goal_name, goals, sectors, suggest_sdgs, suggest_sector

METHODOLOGY = Path(__file__).resolve().parents[3] / "shared" / "methodology.md"

# Methodology section 7, copied by hand: the names the lexicon must carry.
SDG_NAMES = {
    1: ("No Poverty", "Afskaf fattigdom"), 2: ("Zero Hunger", "Stop sult"),
    3: ("Good Health and Well-being", "Sundhed og trivsel"), 4: ("Quality Education", "Kvalitetsuddannelse"),
    5: ("Gender Equality", "Ligestilling mellem kønnene"), 6: ("Clean Water and Sanitation", "Rent vand og sanitet"),
    7: ("Affordable and Clean Energy", "Bæredygtig energi"),
    8: ("Decent Work and Economic Growth", "Anstændige jobs og økonomisk vækst"),
    9: ("Industry, Innovation and Infrastructure", "Industri, innovation og infrastruktur"),
    10: ("Reduced Inequalities", "Mindre ulighed"),
    11: ("Sustainable Cities and Communities", "Bæredygtige byer og lokalsamfund"),
    12: ("Responsible Consumption and Production", "Ansvarligt forbrug og produktion"),
    13: ("Climate Action", "Klimaindsats"), 14: ("Life Below Water", "Livet i havet"),
    15: ("Life on Land", "Livet på land"),
    16: ("Peace, Justice and Strong Institutions", "Fred, retfærdighed og stærke institutioner"),
    17: ("Partnerships for the Goals", "Partnerskaber for handling"),
}


def test_the_17_goals_have_their_english_and_danish_names() -> None:
    assert len(goals()) == 17
    for number, (en, da) in SDG_NAMES.items():
        assert (goal_name(number, "en"), goal_name(number, "da")) == (en, da)


def test_the_goal_names_match_the_methodology_table() -> None:
    if not METHODOLOGY.exists():
        pytest.skip("methodology.md is not beside the repository")
    rows = re.findall(r"^\| (\d{1,2}) \| ([^|]+) \| ([^|]+) \|$", METHODOLOGY.read_text(encoding="utf-8"), re.MULTILINE)
    assert {int(n): (en.strip(), da.strip()) for n, en, da in rows} == SDG_NAMES


def test_every_sector_has_keywords_in_both_languages_and_goals() -> None:
    assert {s.code for s in sectors()} == {"energy", "buildings", "transport", "industry", "agriculture", "waste",
                                          "nature", "adaptation"}
    for sector in sectors():
        assert sector.stems
        assert sector.sdgs
        assert all(1 <= g <= 17 for g in sector.sdgs)
        assert set(sector.names) == {"en", "da"}


@pytest.mark.parametrize(("text", "sector"), [
    ("opsætte kystnære vindmøller", "energy"),
    ("person- og godstransport", "transport"),          # a stem inside a compound
    ("nye elbiler til hjemmeplejen", "transport"),
    ("styrke det bilaterale samarbejde", None),         # 'bil$' is a whole word only
    ("energirenovering af almene boliger og bygninger", "buildings"),
    ("restore peatland and wetlands", "nature"),
    ("cloudburst and flood protection", "adaptation"),
    ("menneskerettigheder og demokrati", None),
    ("udbygning af fjernvarmen", "energy"),               # 'bygning' inside a compound counts less
    ("install solar panels on all municipal buildings", "energy"),  # a tie goes to the first stem
])
def test_sector_suggestions(text: str, sector: str | None) -> None:
    assert suggest_sector(text)[0] == sector


def test_sdg_suggestions_name_their_reasons() -> None:
    tags = {t.code: t.because for t in suggest_sdgs("fremme cirkulær økonomi og genanvendelse", ("waste",))}
    assert set(tags) == {"12", "13"}
    assert "cirkulær" in tags["12"]
    assert "sector waste" in tags["12"]
    assert tags["13"] == ("sector waste",)


@pytest.mark.parametrize(("text", "number", "title_goal", "conflict"), [
    ("fokus på verdensmål 11 – ansvarligt forbrug og produktion", 11, 12, True),
    ("fokus på verdensmål 12 – ansvarligt forbrug og produktion", 12, 12, False),
    ("we report on SDG 7: Affordable and Clean Energy", 7, 7, False),
    ("we report on SDG 13 (Life on Land) too", 13, 15, True),
    ("arbejdet med verdensmål 3 er vigtigt", 3, None, False),
    ("arbejdet med Bæredygtige byer og lokalsamfund", None, 11, False),
])
def test_sdg_mentions(text: str, number: int | None, title_goal: int | None, conflict: bool) -> None:
    mentions = find_sdg_mentions(text)
    assert [(m.number, m.title_goal, m.conflict) for m in mentions] == [(number, title_goal, conflict)]
    m = mentions[0]
    assert text[m.start:m.end] == m.quote
    assert m.goal == (None if conflict else (number or title_goal))


def test_numbers_that_are_not_goals_are_not_mentions() -> None:
    assert find_sdg_mentions("Målet for 2030 og Goal 2050 er ambitiøse; verdensmål 18 findes ikke.") == ()
