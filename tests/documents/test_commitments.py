"""Commitments: candidate actions from 'vi vil'/'we will' sentences, owners' plans and goal lists."""

from __future__ import annotations

import re
from typing import Any

import pytest

from nettonul.documents import analyse_text

COMMITMENTS = [
    ("Kommunen vil etablere 200 nye ladestandere til elbiler.", "Kommunen",
     "etablere 200 nye ladestandere til elbiler", "transport"),
    ("Vi vil udskifte alle oliefyr med varmepumper.", "Vi", "udskifte alle oliefyr med varmepumper", "buildings"),
    ("Derfor vil vi styrke den kollektive trafik i landdistrikterne.", "vi",
     "styrke den kollektive trafik i landdistrikterne", "transport"),
    ("Og regeringen vil sætte fokus på menneskerettighederne.", "regeringen",
     "sætte fokus på menneskerettighederne", None),
    ("Odense Kommune vil plante 100 hektar ny skov.", "Odense Kommune", "plante 100 hektar ny skov", "nature"),
    ("Byrådet vil arbejde for at nedbringe madspild i kommunens køkkener.", "Byrådet",
     "arbejde for at nedbringe madspild i kommunens køkkener", "waste"),
    ("Blandt de største indsatser er Vestby Forsynings plan om at bygge et solcelleanlæg.", "Vestby Forsyning",
     "bygge et solcelleanlæg", "energy"),
    ("We will install solar panels on all municipal buildings.", "We",
     "install solar panels on all municipal buildings", "energy"),
    ("The City Council commits to planting 10,000 trees in the forest belt.", "The City Council",
     "planting 10,000 trees in the forest belt", "nature"),
    ("Together we will build a network of protected bike lanes.", "we",
     "build a network of protected bike lanes", "transport"),
    ("Indsats 3.1: Udbygning af fjernvarmen i Nordby", None, "Udbygning af fjernvarmen i Nordby", "energy"),
    ("Kommunen agter at rejse 200 hektar ny skov.", "Kommunen", "rejse 200 hektar ny skov", "nature"),
    ("The Council plans to switch its fleet to electric vehicles.", "The Council",
     "switch its fleet to electric vehicles", "transport"),
    ("Action 2: Retrofit all council homes by 2030.", None, "Retrofit all council homes by 2030", "buildings"),
]


@pytest.mark.parametrize(("sentence", "actor", "action", "sector"), COMMITMENTS)
def test_commitments_are_found_with_actor_action_and_sector(sentence: str, actor: str, action: str,
                                                            sector: str | None) -> None:
    result = analyse_text(sentence)
    assert len(result.commitments) == 1
    c = result.commitments[0]
    assert (c.actor, c.text, c.sector) == (actor, action, sector)
    assert c.quote == sentence.rstrip(".") or c.quote == sentence
    assert result.text[c.start:c.end] == c.quote


@pytest.mark.parametrize("sentence", [
    "Den viden vil vi gerne dele med andre.",          # a fronted object, not a plan of action
    "Vi har etableret en ny cykelsti langs havnen.",   # done, not promised
    "Kommunen har i 2020 vedtaget en klimaplan.",
    "Det kan og vil vi ikke acceptere.",
    "We have reduced emissions from street lighting.",
    "Strategien, som vi vil passe på, bygger på værdier.",  # a relative clause
])
def test_statements_that_are_not_commitments(sentence: str) -> None:
    assert analyse_text(sentence).commitments == ()


def test_list_items_under_a_goal_lead_in_are_commitments() -> None:
    text = ("Kommunen har følgende indsatser:\n\n• styrke cykeltrafikken\n\n• etablere regnvandsbassiner mod skybrud"
            "\n\nMere info\n\n• Det er gratis at være med")
    result = analyse_text(text)
    assert [(c.text, c.sector) for c in result.commitments] == [
        ("styrke cykeltrafikken", "transport"), ("etablere regnvandsbassiner mod skybrud", "adaptation")]


def test_list_items_after_a_neutral_lead_in_are_not_commitments() -> None:
    text = "Danmark har bl.a.:\n\n• Samlet 22 lande om et fælles indspil\n\n• Skubbet på for nye sanktioner"
    assert analyse_text(text).commitments == ()


def test_sdg_tags_explain_themselves() -> None:
    c = analyse_text("Vi vil udbygge fjernvarmen og lukke kulkraftværket.").commitments[0]
    assert c.sector == "energy"
    assert c.sdgs == (7, 13)
    assert {t.code for t in c.sdg_tags} == {"7", "13"}
    assert all(t.because for t in c.sdg_tags)


def test_a_conflicting_sdg_mention_is_flagged_not_guessed() -> None:
    text = "Vi vil arbejde med verdensmål 11 – ansvarligt forbrug og produktion i alle indkøb."
    c = analyse_text(text).commitments[0]
    assert c.sdgs == ()
    assert len(c.flags) == 1
    assert "SDG 11" in c.flags[0]
    assert "SDG 12" in c.flags[0]


def test_corpus_news_action(annotations: dict[str, Any], corpus_result: Any) -> None:
    result = corpus_result("news_dk2020_export.txt")
    action = annotations["news_dk2020_export.txt"]["actions"][0]
    assert [c.text for c in result.commitments] == [action["title"]]
    assert result.commitments[0].actor == action["owner"]
    assert result.commitments[0].sector == "energy"


def test_corpus_webinar_goals_and_sdg_conflict(annotations: dict[str, Any], corpus_result: Any) -> None:
    result = corpus_result("webinar_municipalities_sdg.txt")
    goals = [g["text"] for g in annotations["webinar_municipalities_sdg.txt"]["goals_qualitative"]]
    assert [c.text for c in result.commitments] == goals
    assert all(c.flags and "SDG 12" in c.flags[0] for c in result.commitments)
    conflicts = [m for m in result.sdg_mentions if m.conflict]
    assert [(m.number, m.title_goal) for m in conflicts] == [(11, 12)]


def test_corpus_strategy_commitments_are_filed_under_their_chapter(corpus_result: Any, corpus_raw: Any) -> None:
    result = corpus_result("strategy_pdf_extract_part1.txt")
    raw = corpus_raw("strategy_pdf_extract_part1.txt")
    cut = raw.index("3.   Tryghedsdiplomati")
    opening = re.compile(r"(?:^|(?<=[.!?])\s)\s*(Vi vil|Regeringen vil)\b", re.MULTILINE)
    expected_before = len({m.start(1) for m in opening.finditer(raw[:cut])})
    expected_after = len({m.start(1) for m in opening.finditer(raw[cut:])})
    openers = [c for c in result.commitments if re.match(r"(Vi vil|Regeringen vil)\b", c.quote)]
    before = [c for c in openers if c.section in ("1. Forord", "2. Værdidiplomati")]
    after = [c for c in openers if c.section == "3. Tryghedsdiplomati"]
    assert (len(before), len(after)) == (expected_before, expected_after)


def test_commitments_carry_owner_and_context() -> None:
    from nettonul.documents import analyse_text

    text = ("Klimaplan\n\nRegeringen vil indføre en afgift på landbrugets udledninger. "
            "Kommunen vil plante 50 ha skov inden 2030. Vi vil bygge nye cykelstier.\n")
    town = {c.text.split()[0]: (c.owner, c.context) for c in analyse_text(text, owner="Nordby Kommune").commitments}
    assert town == {"indføre": ("Danmark", True), "plante": ("Nordby Kommune", False),
                    "bygge": ("Nordby Kommune", False)}
    # for a ministry, the government's commitments are its own
    ministry = analyse_text(text, owner="Ministry of Foreign Affairs").commitments
    assert (ministry[0].owner, ministry[0].context) == ("Ministry of Foreign Affairs", False)
