"""The CAPF criteria of methodology §9.5: each new criterion passes on the Middelfart example and
fails on a plan built to fail it (the same plan with that one section taken out or made
deficient); every criterion cites its CAPF section and names plan fields that exist."""

from __future__ import annotations

import types
import typing
from dataclasses import replace
from datetime import date
from typing import Any

import pydantic
import pytest

from nettonul.engine.check import dk2020, run_check
from nettonul.engine.check.context import CheckContext
from nettonul.engine.check.model import CAPF_SECTIONS
from nettonul.engine.check.sets import parse_criteria
from nettonul.engine.core.errors import ValidationError
from nettonul.engine.plan.sections import (
    Adaptation,
    Barrier,
    Communication,
    EngagementEvent,
    Financing,
    FundingSource,
    Governance,
    MonitoringPlan,
    Partner,
    RiskAssessment,
)
from nettonul.engine.plan.spec import Plan

from .conftest import judge, with_sections

NEW = ("COM-4", "COM-5", "TGT-7", "PTH-7", "ACT-5", "ADP-5", "GOV-2", "GOV-3", "BAR-1", "FIN-1")


def _details_without_staff(ctx: CheckContext) -> dict[str, Any]:
    return {k: v.model_copy(update={"staff_fte": None}) if k == "waste-sorting" else v
            for k, v in ctx.capf.sections.action_details.items()}


def _failing(ctx: CheckContext) -> dict[str, tuple[CheckContext, str, str]]:
    """criterion -> (the example with one deficiency, expected result, expected message)."""
    s = ctx.capf.sections
    adoption = s.adoption
    assert adoption is not None
    before = [e for e in s.engagement if e.phase is None and e.date <= adoption.adopted]  # type: ignore[operator]
    constant = replace(ctx, capf=replace(ctx.capf, plan=ctx.capf.plan.model_copy(
        update={"baseline": ctx.capf.plan.baseline.model_copy(update={"method": "constant"})})))
    return {
        "COM-4": (with_sections(ctx, engagement=before), "fail",
                  "No engagement of citizens and stakeholders is planned for the implementation."),
        "COM-5": (with_sections(ctx, communication=Communication(channels=["website"])), "warn",
                  "No communication plan is described."),
        "TGT-7": (with_sections(ctx, adaptation=s.adaptation.model_copy(update={"targets": []})), "fail",
                  "No adaptation target is set (0; at least 1 needed)."),
        "PTH-7": (constant, "warn", "The business as usual is 'constant', not kf25: national measures already in "
                                    "KF25 would count as municipal reductions."),
        "ACT-5": (with_sections(ctx, action_details=_details_without_staff(ctx)), "fail",
                  "No staff resources are stated for 1 actions starting by 2030: waste-sorting."),
        "ADP-5": (with_sections(ctx, monitoring=MonitoringPlan(frequency_years=1, review_cycle_years=4,
                                                               risk_review_years=6)), "fail",
                  "The climate risk assessment is reviewed only every 6 years; at most every 5 years is required."),
        "GOV-2": (with_sections(ctx, governance=s.governance.model_copy(update={"powers_analysis": None})), "fail",
                  "The plan has no analysis of the municipality's governance and powers."),
        "GOV-3": (with_sections(ctx, governance=s.governance.model_copy(
            update={"partners": [Partner(name="Region Syddanmark")]})), "warn",
                  "Partners without a stated role: Region Syddanmark."),
        "BAR-1": (with_sections(ctx, barriers=[*s.barriers, Barrier(description="Lack of staff")]), "fail",
                  "1 barriers have no response from the plan (numbers 3)."),
        "FIN-1": (with_sections(ctx, financing=Financing(plan="The budget pays.")), "fail",
                  "The financing plan names no funding source."),
    }


def test_the_criteria_set_has_the_new_criteria_and_the_corrected_severities() -> None:
    by_id = {c.id: c for c in dk2020().criteria}
    assert len(by_id) == 44  # 34 before methodology §9.5
    assert set(NEW) <= set(by_id)
    # corrected readings of methodology §9.5
    assert by_id["TGT-3"].severity == "R"
    assert by_id["INC-1"].severity == by_id["INC-2"].severity == "E"
    assert by_id["ADP-1"].rule == "hazards_screened"
    assert {by_id[c].capf for c in NEW} == {"3.1", "1.5", "1.3", "2.4", "1.4", "2.5", "2.2", "1.2", "3.2", "3.3"}


@pytest.mark.parametrize("criterion", NEW)
def test_each_new_criterion_passes_on_the_example_and_fails_when_its_section_is_deficient(
        passing_ctx: CheckContext, criterion: str) -> None:
    assert judge(criterion, passing_ctx).result == "pass"
    ctx, result, message = _failing(passing_ctx)[criterion]
    got = judge(criterion, ctx)
    assert (got.result, got.message) == (result, message)
    assert got.fix
    assert judge(criterion, ctx, "da").fix != got.fix  # a fix in both languages


def test_engagement_dated_after_adoption_counts_as_implementation(passing_ctx: CheckContext) -> None:
    later = EngagementEvent(date=date(2026, 3, 1), kind="hearing", title="Status meeting")
    earlier = EngagementEvent(date=date(2025, 3, 1), kind="hearing", title="Status meeting")
    assert judge("COM-4", with_sections(passing_ctx, engagement=[later])).result == "pass"  # adopted 2025-12-10
    assert judge("COM-4", with_sections(passing_ctx, engagement=[earlier])).result == "fail"
    planned = earlier.model_copy(update={"phase": "implementation"})
    assert judge("COM-4", with_sections(passing_ctx, engagement=[planned])).result == "pass"


def test_staff_and_financing_evidence_adds_up(passing_ctx: CheckContext) -> None:
    staff = {e["label"]: e["value"] for e in judge("ACT-5", passing_ctx).evidence}
    # 2 + 1.5 + 1 + 1 + 1 + 0.5 + 0.5 + 0.5 (rewetting) + 0.5 (forest) + 3 (secretariat) FTE of the ten
    # actions starting by 2030; BECCS (0.5 FTE) starts in 2035
    assert staff["Staff resources of the short-term actions"] == 11.5
    assert staff["Actions starting by 2030"] == 10
    money = {e["label"]: e["value"] for e in judge("FIN-1", passing_ctx).evidence}
    assert money["Funding named"] == 40_000_000 + 150_000_000 + 60_000_000
    assert money["Funding secured"] == 40_000_000
    sources = [FundingSource(name="EU", amount=10.0, status="secured"), FundingSource(name="State")]
    got = judge("FIN-1", with_sections(passing_ctx, financing=Financing(plan="x", sources=sources)))
    assert {e["label"]: e["value"] for e in got.evidence}["Funding secured"] == 10


def test_adp1_follows_the_plan_s_own_screening_not_a_fixed_list(passing_ctx: CheckContext) -> None:
    # an inland municipality whose screening found cloudburst and groundwater only: no heat, no drought
    cra = RiskAssessment(screened=["pluvial_flood", "groundwater_rise"], scenarios=["RCP8.5"], horizon=2100,
                         present_day=True, hazards=[{"hazard": "pluvial_flood", "rating": "high"},  # type: ignore[list-item]
                                                    {"hazard": "groundwater_rise", "rating": "medium"}])
    ctx = with_sections(passing_ctx, adaptation=Adaptation(coastal=False, risk_assessment=cra))
    assert judge("ADP-1", ctx).result == "pass"
    unscreened = with_sections(ctx, adaptation=Adaptation(risk_assessment=cra.model_copy(update={"screened": []})))
    assert judge("ADP-1", unscreened).message == \
        "The plan does not say which hazards its own risk screening found relevant."
    assert judge("ADP-1", with_sections(ctx, adaptation=Adaptation())).message == \
        "The plan has no climate risk assessment."


def test_inclusivity_is_essential(passing_ctx: CheckContext) -> None:
    bare = with_sections(passing_ctx, benefits=passing_ctx.capf.sections.benefits.model_copy(
        update={"assessment": [], "equity_assessment": None}))
    assert judge("INC-1", bare).result == "fail"
    assert judge("INC-2", bare).result == "fail"
    assert run_check(bare.capf, context=bare).verdict == "fail"


def test_danish_wording_of_the_new_criteria(passing_ctx: CheckContext) -> None:
    ctx = with_sections(passing_ctx, governance=Governance(lead_unit="x"))
    assert judge("GOV-2", ctx, "da").message == "Planen har ingen analyse af kommunens styring og beføjelser."
    assert judge("GOV-3", ctx, "da").message == ("Der er ikke angivet andre institutioner at koordinere med "
                                                 "(0; mindst 1 kræves).")
    result = run_check(passing_ctx.capf, language="da", context=passing_ctx)
    assert result.get("ACT-5").capf_title == "Personaleressourcer"
    assert result.get("ACT-5").to_dict()["capf"] == "1.4"


# --------------------------------------------------------------------------- sections and fields
def _resolves(model: type[pydantic.BaseModel], path: str) -> bool:
    """Whether a criterion's field path names a field of the plan document."""
    annotation: Any = model
    for part in path.split("."):
        while True:  # unwrap Optional, list[...] and dict[str, ...] down to a model
            origin = typing.get_origin(annotation)
            if origin in (typing.Union, types.UnionType):
                annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
            elif origin in (list, dict) and part == "*":
                annotation = typing.get_args(annotation)[-1]
                break
            else:
                break
        if part == "*":
            continue
        if not (isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel)):
            return False
        if part not in annotation.model_fields:
            return False
        annotation = annotation.model_fields[part].annotation
    return True


def test_every_criterion_cites_a_capf_section_and_names_plan_fields_that_exist() -> None:
    for c in dk2020().criteria:
        assert c.capf in CAPF_SECTIONS, c.id
        assert c.fields, c.id
        bad = [f for f in c.fields if not _resolves(Plan, f)]
        assert bad == [], c.id
    assert not _resolves(Plan, "governance.no_such_field")
    assert not _resolves(Plan, "action_details.*.nothing")


def test_a_criteria_set_with_an_unknown_capf_section_is_rejected() -> None:
    data = dk2020().model_dump()
    data["criteria"][0]["capf"] = "4.1"
    with pytest.raises(ValidationError, match=r"'4\.1' is not a CAPF section"):
        parse_criteria(data, "bad.yaml")
