"""Draft plan from a document (tests/documents/draft_plan_nordby.txt is an invented DK2020-style
plan of a fictional municipality: sections per sector, a target table, twenty commitments)."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

from nettonul.documents import ImportResult, analyse_text, import_document
from nettonul.documents.draft import DraftPlan, draft_plan, evaluate_draft
from nettonul.engine.plan.spec import parse_plan, unmarked_numbers

PLAN_TEXT = Path(__file__).with_name("draft_plan_nordby.txt")
ASSUMED_DA = "antagelse - skal gennemgås"


@cache
def _imported() -> ImportResult:
    return import_document(PLAN_TEXT, owner="Nordby Kommune", date=2024)


@cache
def _draft() -> DraftPlan:
    return draft_plan(_imported(), organisation="741", document_year=2024)


def _action(words: str) -> dict:
    return next(a.spec for a in _draft().actions if words in a.commitment.text)


def test_targets_as_stated_and_context_left_out() -> None:
    assert _draft().document["targets"] == [
        {"kind": "reduction", "year": 2030, "value": 0.7, "against": 1990},
        {"kind": "net_zero", "year": 2050},
    ]
    assert any("Danmark" in why and "context" in why for why in _draft().left_out)


def test_twenty_own_commitments_one_national_one_adaptation() -> None:
    commitments = _imported().commitments
    own = [c for c in commitments if not c.context]
    assert len(own) == 20
    national = [c for c in commitments if c.context]
    assert [c.owner for c in national] == ["Danmark"]
    assert "CO2-afgift" in national[0].text
    assert len(_draft().actions) == 19        # the coastal adaptation plan is no emissions action


def test_parameters_taken_from_the_sentence() -> None:
    heat_pumps = _action("2.000 oliefyr")
    assert heat_pumps["effect"]["type"] == "switch"
    assert (heat_pumps["effect"]["from"], heat_pumps["effect"]["to"]) == ("oil", "electricity")
    assert (heat_pumps["schedule"]["start"], heat_pumps["schedule"]["full"]) == (2025, 2030)
    assert "2.000 oliefyr" in heat_pumps["sources"]["effect"]          # a count is quoted, not turned into tonnes
    assert heat_pumps["assumptions"]["effect.share"] == ASSUMED_DA
    forest = _action("300 ha ny skov")
    assert forest["effect"]["type"] == "removal"
    assert forest["effect"]["amount"] == 300.0
    assert "effect.amount" in forest["sources"]
    assert forest["assumptions"]["effect.rate"] == ASSUMED_DA
    assert forest["schedule"]["full"] == 2035
    assert "schedule.start" in forest["assumptions"]
    biogas = _action("biogas i gasnettet")
    assert biogas["effect"] == {"type": "factor", "sector": "energy", "carriers": ["natural_gas"], "reduction": 0.3}
    buses = _action("elbusser")
    assert buses["effect"]["from"] == "buses"
    assert buses["effect"]["to_sector"] == "energy"
    solar = _action("40 MW")
    assert "40 MW" in solar["sources"]["effect"]
    assert solar["effect"]["reduction"] == 0.0     # local production is not subtracted from consumption
    assert solar["assumptions"]["effect.reduction"] == ASSUMED_DA
    later = _action("klimavenlige materialer")   # "fra 2025": a start year, the end assumed
    assert later["schedule"]["start"] == 2025
    assert "schedule.full" in later["assumptions"]


def test_every_field_is_stated_or_flagged_as_an_assumption() -> None:
    for a in _draft().actions:
        spec = a.spec
        fields = [f"effect.{k}" for k in spec["effect"]] + [f"schedule.{k}" for k in spec["schedule"]]
        for path in fields:
            assert (path in spec["sources"]) != (path in spec["assumptions"]), (spec["id"], path)
        assert all(v == ASSUMED_DA for v in spec["assumptions"].values())
        assert set(a.assumed) == set(spec["assumptions"])
    plan = parse_plan(_draft().document)
    assert unmarked_numbers(plan) == []
    assert len(_draft().assumed_paths()) == sum(len(a.assumed) for a in _draft().actions) > 19


def test_the_draft_evaluates_and_the_check_says_what_is_missing() -> None:
    report = evaluate_draft(_draft(), "da")
    years = [t["year"] for t in report["scenario"]["targets"]]
    assert years == [2030, 2050]
    assert all(math.isfinite(t["plan_t_co2e"]) and t["plan_t_co2e"] > 0 for t in report["scenario"]["targets"])
    missing = {m["id"] for m in report["check"]["missing"]}
    assert "COM-1" in missing                 # no adoption date in the draft
    assert report["check"]["verdict"] == "fail"
    assert report["assumed"] == _draft().assumed_paths()


def test_english_commitment_and_marks() -> None:
    result = analyse_text("Climate plan\n\nWe will replace oil boilers with heat pumps in 40 % of the homes "
                          "from 2026 to 2030.\n", language="en", owner="Westby Council")
    draft = draft_plan(result, organisation="741")
    (action,) = draft.actions
    effect = action.spec["effect"]
    assert (effect["type"], effect["from"], effect["share"]) == ("switch", "oil", 0.4)
    assert action.spec["schedule"]["start"] == 2026
    assert action.spec["schedule"]["full"] == 2030
    assert action.spec["assumptions"]["effect.efficiency_ratio"] == "assumption - needs review"
    assert "40 %" in action.spec["sources"]["effect.share"]
