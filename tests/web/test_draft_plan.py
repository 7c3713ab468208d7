"""A draft plan from an imported document in the web app: "Create draft plan" in the review
queue accepts the plan owner's targets as stated and turns its commitments into actions with
suggested effects; every assumed field is flagged until an editor confirms it (audited,
version-checked); the plan check then runs on the draft."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nettonul.web.audit.models import ChangeRecord
from nettonul.web.errors import InvalidInputError
from nettonul.web.imports import services
from nettonul.web.imports.models import Candidate, SourceDocument
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services as plan_services
from nettonul.web.plans.models import Action, Plan

TEXT = (Path(__file__).parents[1] / "documents" / "draft_plan_nordby.txt").read_text(encoding="utf-8")


@pytest.fixture
def draft_document(orgs: dict[str, Any]) -> SourceDocument:
    """The invented Nordby plan, with the plan owner's name in place of the fictional one."""
    org = orgs["101"]
    plan = plan_services.create_plan(SYSTEM, org, title="Kladde", base_year=1990)
    return services.import_text(SYSTEM, plan, TEXT.replace("Nordby Kommune", org.name), filename="nordby.txt")


def test_create_draft_plan_from_the_queue(client_for: Any, draft_document: SourceDocument) -> None:
    plan = draft_document.plan
    c = client_for("editor-kbh")
    c.cookies["nettonul_language"] = "da"
    queue = c.get(f"/documents/{draft_document.pk}/")
    assert "Opret kladdeplan" in queue.content.decode()
    response = c.post(f"/documents/{draft_document.pk}/draft-plan/")
    assert response.status_code == 302
    assert response["Location"] == f"/monitoring/plans/{plan.pk}/check/"
    plan = Plan.objects.get(pk=plan.pk)
    targets = sorted((t.kind, t.year, t.value, t.against) for t in plan.targets.all())
    assert targets == [("net_zero", 2050, None, None), ("reduction", 2030, 0.7, 1990)]
    actions = list(plan.actions.all())
    assert len(actions) == 19                     # twenty commitments, the adaptation one is no emissions action
    for a in actions:
        assert a.unconfirmed
        assert a.unconfirmed == sorted(a.assumptions)
        assert set(a.unconfirmed).isdisjoint(k for k in a.sources if k != "title")
    heat = next(a for a in actions if "2.000 oliefyr" in a.title)
    assert (heat.effect["type"], heat.effect["from"], heat.start_year, heat.full_year) == ("switch", "oil", 2025, 2030)
    assert "effect.share" in heat.unconfirmed
    assert "schedule.start" not in heat.unconfirmed
    assert set(plan.model["activity"]) == {"energy", "transport"}
    assert plan.illustrative
    # the nation's commitment (a CO2 tax on farming) stays a pending context candidate
    national = draft_document.candidates.get(kind=Candidate.Kind.COMMITMENT, text__contains="CO2-afgift")
    assert national.status == Candidate.Status.PENDING
    assert national.found["context"] is True
    detail = c.get(f"/plans/{plan.pk}/").content.decode()
    assert f"Antagelser til gennemgang: {len(heat.unconfirmed)}" in detail
    check = c.get(response["Location"])
    assert check.status_code == 200
    assert "COM-1" in check.content.decode()


def test_confirming_an_assumption_is_audited_and_version_checked(client_for: Any,
                                                                 draft_document: SourceDocument) -> None:
    services.create_draft_plan(SYSTEM, draft_document)
    action = Action.objects.get(plan=draft_document.plan, title__contains="300 ha ny skov")
    assert action.effect["amount"] == 300.0
    assert "effect.rate" in action.unconfirmed
    c = client_for("editor-kbh")
    c.cookies["nettonul_language"] = "da"
    page = c.get(f"/plans/{action.plan_id}/actions/{action.pk}/").content.decode()
    assert "antagelse - skal gennemgås" in page
    assert "effect.rate" in page
    url = f"/plans/{action.plan_id}/actions/{action.pk}/confirm/"
    before = ChangeRecord.objects.filter(object_id=str(action.pk), content_type__model="action").count()
    assert c.post(url, {"version": action.version, "path": "effect.rate"}).status_code == 302
    confirmed = Action.objects.get(pk=action.pk)
    assert "effect.rate" not in confirmed.unconfirmed
    assert len(confirmed.unconfirmed) == len(action.unconfirmed) - 1
    assert ChangeRecord.objects.filter(object_id=str(action.pk), content_type__model="action").count() == before + 1
    # a stale version changes nothing
    c.post(url, {"version": action.version, "path": "schedule.start"})
    assert Action.objects.get(pk=action.pk).unconfirmed == confirmed.unconfirmed


def test_unconfirmed_must_be_field_paths(draft_document: SourceDocument) -> None:
    services.create_draft_plan(SYSTEM, draft_document)
    action = Action.objects.filter(plan=draft_document.plan).first()
    with pytest.raises(InvalidInputError):
        plan_services.update_action(SYSTEM, action, action.version, unconfirmed={"effect.share": True})
    with pytest.raises(InvalidInputError):
        plan_services.confirm_assumption(SYSTEM, action, action.version, "effect.not_assumed")


def test_a_viewer_cannot_create_a_draft_plan(client_for: Any, draft_document: SourceDocument) -> None:
    response = client_for("viewer-kbh").post(f"/documents/{draft_document.pk}/draft-plan/")
    assert response.status_code == 403
    assert not Action.objects.filter(plan=draft_document.plan).exists()


def test_the_api_shows_and_patches_unconfirmed_fields(client: Any, users: dict[str, Any],
                                                      draft_document: SourceDocument) -> None:
    from nettonul.web.api.services import create_token

    services.create_draft_plan(SYSTEM, draft_document)
    action = Action.objects.filter(plan=draft_document.plan).first()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_token(users['editor-kbh'], 'test')[1]}"}
    shown = client.get(f"/api/actions/{action.pk}", **auth).json()
    assert shown["unconfirmed"] == action.unconfirmed
    kept = action.unconfirmed[1:]
    patched = client.patch(f"/api/actions/{action.pk}", {"version": action.version, "unconfirmed": kept},
                           content_type="application/json", **auth)
    assert patched.status_code == 200, patched.content
    assert Action.objects.get(pk=action.pk).unconfirmed == kept
