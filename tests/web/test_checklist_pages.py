"""The DK2020/CAPF checklist of a plan stored in the database: the shipped example plans
give the same result criterion by criterion as the plan files, the defective one fails
with the expected messages, and the CAPF sections are edited with clear errors, a version
check and a change record."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from nettonul.engine.check import run_check
from nettonul.engine.plan.sections import load_capf_plan
from nettonul.web.audit.models import ChangeRecord
from nettonul.web.engine import monitoring as engine_monitoring
from nettonul.web.errors import InvalidInputError, NotAllowedError, StaleEditError
from nettonul.web.monitoring import services
from nettonul.web.monitoring.models import PlanSections
from nettonul.web.plans import services as plan_services

from .monitoring_support import DEFECTIVE, PASSING, english, load, person

# Worked out from the plan file and Middelfart's 2023 Energi- og CO2-regnskab (agriculture
# 85,660.7 of 263,159.8 t = 33 %); the same wording as `nettonul check` on the file.
DEFECTS = {
    "TGT-2": "No interim 2030 target.",
    "PTH-2": "Agriculture is 33 % of 2023 emissions and has no action.",
    "PTH-3": "Not quantified in t CO2e (1): green-procurement.",
    "GOV-1": "No lead unit is named.",
    "MON-2": "The plan is reviewed only every 8 years; at most every 5 years is required.",
}


def _check(plan: Any, language: str = "en") -> dict[str, Any]:
    state = services.plan_state(plan)
    assert state["problems"] == []
    result: dict[str, Any] = state["inputs"]["check"][language]
    return result


def test_passing_example_passes_as_from_the_file(db: None) -> None:
    plan = load(PASSING)
    check = _check(plan)
    assert check["verdict"] == "pass_with_warnings"  # with its illustrative land-use inventory
    assert [c["id"] for c in check["criteria"] if c["result"] != "pass"] == ["TGT-5"]
    from_file = run_check(load_capf_plan(PASSING), today=timezone.localdate()).to_dict()
    assert check["criteria"] == from_file["criteria"]


def test_defective_example_fails_with_the_expected_messages(db: None) -> None:
    plan = load(DEFECTIVE)
    check = _check(plan)
    assert check["verdict"] == "fail"
    failed = {c["id"]: c["message"] for c in check["criteria"] if c["result"] == "fail"}
    assert set(DEFECTS) <= set(failed)
    for cid, message in DEFECTS.items():
        assert failed[cid] == message
    from_file = run_check(load_capf_plan(DEFECTIVE), today=timezone.localdate()).to_dict()
    assert {c["id"]: c["result"] for c in check["criteria"]} == {c["id"]: c["result"] for c in from_file["criteria"]}
    da = {c["id"]: c["message"] for c in _check(plan, "da")["criteria"]}
    assert da["PTH-2"] == "Landbrug udgør 33 % af udledningerne i 2023 og har intet tiltag."


def test_danish_checklist_page_shows_evidence_and_fix(client: Any, db: None) -> None:
    plan = load(DEFECTIVE, publish=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    page = client.get(reverse("monitoring:check", args=[plan.pk])).content.decode()
    assert "Landbrug udgør 33 % af udledningerne i 2023 og har intet tiltag." in page
    assert "Tilføj mindst ét tiltag for hver væsentlig sektor." in page  # the fix
    assert 'id="criterion-PTH-2"' in page
    assert "badge-fail" in page


def test_checklist_page_in_english_with_numbers_and_units(client: Any, db: None) -> None:
    plan = load(PASSING, publish=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("monitoring:check", args=[plan.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "The plan passes the DK2020/CAPF check, with warnings." in page  # its land use is illustrative
    # TGT-3 compares the 2030 target with the back-cast 1990 emissions: a 70 % reduction.
    assert 'id="criterion-TGT-3"' in page
    assert "t CO2e" in page
    assert "%" in page


def test_unpublished_checklist_is_not_revealed(client: Any, db: None) -> None:
    plan = load(PASSING)
    assert client.get(reverse("monitoring:check", args=[plan.pk])).status_code == 404
    client.force_login(person("viewer-mdf", "viewer"))
    assert client.get(reverse("monitoring:check", args=[plan.pk])).status_code == 200


# ----------------------------------------------------------------------------- editing the sections
def test_sections_are_stored_as_the_engine_reads_them(db: None) -> None:
    plan = load(PASSING)
    row = PlanSections.objects.get(plan=plan)
    assert row.data["adoption"] == {"status": "adopted", "adopted": "2025-12-10", "body": "Byrådet",
                                    "commitment_signed": "2024-03-01", "commitment_by": "Borgmester"}
    hazards = row.data["adaptation"]["risk_assessment"]["hazards"]
    assert {"hazard": "pluvial_flood", "rating": "high"} in hazards
    assert len(hazards) == 7
    assert load_capf_plan(PASSING).sections.model_dump() == \
        engine_monitoring.capf_plan(plan, list(plan.targets.all()), list(plan.actions.all()),
                                         row.data).sections.model_dump()


def test_section_errors_name_the_field(db: None) -> None:
    plan = load(PASSING)
    row = PlanSections.objects.get(plan=plan)
    bad = dict(row.data, monitoring={"review_cycle_years": -1}, governence={"lead_unit": "x"})
    with pytest.raises(InvalidInputError) as err:
        services.save_sections(person("editor-mdf", "editor"), plan, bad, row.version)
    assert "governence" in err.value.problems
    bad = dict(row.data, monitoring={"review_cycle_years": -1})
    with pytest.raises(InvalidInputError) as err:
        services.save_sections(person("editor-mdf2", "editor"), plan, bad, row.version)
    assert err.value.problems == {"monitoring.review_cycle_years": "Input should be greater than 0"}
    bad = dict(row.data, adoption={"status": "adopted"})
    with pytest.raises(InvalidInputError) as err:
        services.save_sections(person("editor-mdf3", "editor"), plan, bad, row.version)
    assert "adopted plan needs the date of adoption" in err.value.problems["adoption"]


def test_sections_edit_checks_role_version_and_records_the_change(db: None) -> None:
    plan = load(PASSING)
    row = PlanSections.objects.get(plan=plan)
    editor = person("editor-mdf", "editor")
    new = dict(row.data, governance={"lead_unit": "Klimasekretariatet"})
    with pytest.raises(NotAllowedError):
        services.save_sections(person("viewer-mdf", "viewer"), plan, new, row.version)
    with pytest.raises(NotAllowedError):
        services.save_sections(person("stranger", None), plan, new, row.version)
    saved = services.save_sections(editor, plan, new, row.version)
    assert saved.version == row.version + 1
    with pytest.raises(StaleEditError):
        services.save_sections(editor, plan, dict(new, governance={"lead_unit": "other"}), row.version)
    record = ChangeRecord.objects.filter(object_id=str(row.pk), action="update").get()
    assert record.actor_name == "editor-mdf"
    assert record.changes["data"][1]["governance"] == {"lead_unit": "Klimasekretariatet"}
    # GOV-1 is now met by the named lead unit and the check follows the edit.
    assert {c["id"]: c["result"] for c in _check(plan)["criteria"]}["GOV-1"] == "pass"


def test_sections_form_shows_yaml_errors_with_the_line(client: Any, db: None) -> None:
    plan = load(PASSING)
    english(client).force_login(person("editor-mdf", "editor"))
    url = reverse("monitoring:sections_advanced", args=[plan.pk])
    assert "Byrådet" in client.get(url).content.decode()
    response = client.post(url, {"text": "governance:\n  lead_unit: [unclosed\n", "version": "1"})
    assert response.status_code == 422
    assert "not valid YAML: line" in response.content.decode()
    response = client.post(url, {"text": "monitoring: {review_cycle_years: 8}\nbenefits: {kind: x}\n",
                                 "version": "1"})
    assert response.status_code == 422
    assert "benefits.kind" in response.content.decode()


def test_a_new_plan_version_starts_from_the_previous_sections(db: None) -> None:
    plan = load(PASSING)
    new = plan_services.revise_plan(person("editor-mdf", "editor"), plan, plan.version)
    row, data = services.sections_for(new)
    assert row is None
    assert data["governance"]["lead_unit"].startswith("Klima og Bæredygtighed")
    assert date.fromisoformat(data["adoption"]["adopted"]) == date(2025, 12, 10)


@pytest.mark.parametrize(("value", "language", "text"), [
    (1990, "da", "1990"), (2023, "en", "2023"), (62693.6, "da", "62.694"), (62693.6, "en", "62,694"),
    (32.56, "da", "32,6"), (3, "en", "3"), (True, "en", "yes"), ("NE", "da", "NE"), (None, "en", "–"),
])
def test_evidence_figures_are_worded_like_the_engine(value: Any, language: str, text: str) -> None:
    from django.utils import translation

    from nettonul.web.monitoring.labels import evidence_value

    with translation.override(language):
        assert evidence_value(value) == text


def test_pages_of_a_plan_the_engine_cannot_evaluate_say_why(client: Any, orgs: dict[str, Any]) -> None:
    from nettonul.web.organisations.permissions import SYSTEM

    empty = plan_services.create_plan(SYSTEM, orgs["101"], title="Empty plan", published=True)
    for name in ("monitoring:check", "monitoring:plan", "monitoring:reports"):
        assert client.get(reverse(name, args=[empty.pk])).status_code == 200, name
    assert client.get(reverse("monitoring:public", args=["101"])).status_code == 200
    assert services.plan_state(empty)["inputs"]["check"]["en"]["verdict"] == "fail"  # no targets, no actions
    # an action without a start year cannot be scheduled: the engine says so, the page shows it
    plan_services.add_action(SYSTEM, empty, title="Wind turbines", sector="energy",
                             effect={"type": "factor", "sector": "energy", "reduction": 0.2})
    state = services.plan_state(empty)
    assert state["inputs"] is None
    assert any("schedule" in p for p in state["problems"])
    page = english(client).get(reverse("monitoring:check", args=[empty.pk])).content.decode()
    assert "The engine cannot evaluate this plan yet" in page
