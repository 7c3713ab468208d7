"""API routes of the plan check, monitoring and yearly reports (``/api/...``).

Reading follows the plan's visibility; every write calls :mod:`.services` or
:mod:`.reporting` (editor role, engine validation, change record), and the API's error
handlers turn their errors into JSON (403 role, 404 not visible, 409 stale version, 422
invalid input). Statuses are read-only: they are derived by the engine.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from nettonul.web.monitoring import reporting, services
from nettonul.web.monitoring.models import Indicator, ReportSnapshot
from nettonul.web.organisations import permissions
from nettonul.web.plans.models import Plan

router = Router(tags=["plan check, monitoring and reports"])


class StateOut(Schema):
    plan: int
    as_of: date
    problems: list[str]
    check: dict[str, Any] | None
    actions: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    outlook: dict[str, Any] | None
    key_figures: dict[str, Any] | None


class ProgressUpdateIn(Schema):
    action_key: str
    date: date
    status: Literal["not_started", "in_progress", "completed", "paused", "cancelled"]
    percent: float
    comment: str = ""
    evidence: str = ""


class ObservationIn(Schema):
    value: float
    date: date
    source: str


class RecordOut(Schema):
    id: int
    version: int


class ReportIn(Schema):
    year: int
    language: Literal["da", "en"] = "da"


class ReportOut(Schema):
    id: int
    plan: int | None
    year: int
    language: str
    issued: date
    issued_by: str
    digest: str


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("organisation"), pk=plan_id)
    if not permissions.can_view(request.user, plan):
        raise Http404(f"plan {plan_id} not found")
    return plan


def _report_out(r: ReportSnapshot) -> dict[str, Any]:
    return {"id": r.pk, "plan": r.plan_id, "year": r.year, "language": r.language, "issued": r.issued,
            "issued_by": r.issued_by_name, "digest": r.digest}


@router.get("/plans/{plan_id}/monitoring", response=StateOut)
def plan_state(request: HttpRequest, plan_id: int, language: Literal["da", "en"] = "en",
               as_of: date | None = None) -> dict[str, Any]:
    """The plan check, the derived action and indicator statuses and the emissions outlook
    as of a date (today by default), computed by the engine."""
    plan = _plan(request, plan_id)
    state = services.plan_state(plan, as_of)
    inputs = state["inputs"] or {}
    return {"plan": plan.pk, "as_of": as_of or inputs.get("as_of") or date.today(), "problems": state["problems"],
            "check": (inputs.get("check") or {}).get(language), "actions": inputs.get("actions", []),
            "indicators": inputs.get("indicators", []), "outlook": inputs.get("outlook"),
            "key_figures": inputs.get("key_figures")}


@router.post("/plans/{plan_id}/progress-updates", response={201: RecordOut})
def add_progress_update(request: HttpRequest, plan_id: int, payload: ProgressUpdateIn) -> Status[dict[str, Any]]:
    """Record a progress update of an action (editor role)."""
    update = services.add_progress_update(request.user, _plan(request, plan_id), **payload.dict())
    return Status(201, {"id": update.pk, "version": update.version})


@router.post("/indicators/{indicator_id}/observations", response={201: RecordOut})
def add_observation(request: HttpRequest, indicator_id: int, payload: ObservationIn) -> Status[dict[str, Any]]:
    """Record an observation of an indicator (editor role)."""
    indicator = get_object_or_404(Indicator.objects.select_related("plan__organisation"), pk=indicator_id)
    if not permissions.can_view(request.user, indicator):
        raise Http404(f"indicator {indicator_id} not found")
    obs = services.add_observation(request.user, indicator, **payload.dict())
    return Status(201, {"id": obs.pk, "version": obs.version})


@router.get("/plans/{plan_id}/reports", response=list[ReportOut])
def list_reports(request: HttpRequest, plan_id: int) -> list[dict[str, Any]]:
    """Issued yearly reports of every version of the plan, newest first."""
    return [_report_out(r) for r in reporting.reports_of(_plan(request, plan_id))]


@router.post("/plans/{plan_id}/reports", response={201: ReportOut})
def issue_report(request: HttpRequest, plan_id: int, payload: ReportIn) -> Status[dict[str, Any]]:
    """Issue the yearly report (editor role); download it from ``/monitoring/reports/<id>/pdf/``."""
    report = reporting.issue_report(request.user, _plan(request, plan_id), payload.year, payload.language)
    return Status(201, _report_out(report))
