"""The monitoring API: read by visibility, write by role through the same services, errors
as JSON with field paths; statuses come out derived, never go in."""

from __future__ import annotations

import json
from typing import Any

from nettonul.web.api.services import create_token
from nettonul.web.monitoring.models import ProgressUpdate, ReportSnapshot
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services as plan_services

from .monitoring_support import MONITORING, PASSING, load, person


def _call(client: Any, method: str, url: str, user: Any = None, body: dict[str, Any] | None = None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'test')[1]}"} if user is not None else {}
    if method == "get":
        return client.get(url, **headers)
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **headers)


def test_state_is_read_by_visibility(client: Any, db: None) -> None:
    from nettonul.web.monitoring import services

    plan = load(PASSING)
    services.import_monitoring_file(SYSTEM, plan, MONITORING)
    url = f"/api/plans/{plan.pk}/monitoring?language=da&as_of=2025-12-31"
    assert _call(client, "get", url).status_code == 404
    plan_services.update_plan(SYSTEM, plan, plan.version, published=True)
    data = _call(client, "get", url).json()
    assert data["check"]["verdict"] == "pass_with_warnings"  # with its illustrative land-use inventory
    assert data["check"]["language"] == "da"
    assert {a["id"]: a["state"] for a in data["actions"]}["less-car-traffic"] == "stale"
    assert data["outlook"]["target_year"] == 2030


def test_writes_need_the_editor_role(client: Any, db: None, orgs: dict[str, Any]) -> None:
    plan = load(PASSING)
    url = f"/api/plans/{plan.pk}/progress-updates"
    body = {"action_key": "afforestation", "date": "2025-11-01", "status": "in_progress", "percent": 3}
    assert _call(client, "post", url, None, body).status_code == 401
    assert _call(client, "post", url, person("viewer-mdf", "viewer"), body).status_code == 403
    assert _call(client, "post", url, person("other", "editor", orgs["101"]), body).status_code == 404
    editor = person("editor-mdf", "editor")
    response = _call(client, "post", url, editor, body)
    assert response.status_code == 201
    assert ProgressUpdate.objects.get(pk=response.json()["id"]).recorded_by == "editor-mdf"
    bad = _call(client, "post", url, editor, dict(body, percent=120))
    assert bad.status_code == 422
    assert bad.json()["problems"][0]["path"] == "percent"
    # A derived status cannot be sent in: the field is not part of the record and is dropped.
    typed = _call(client, "post", url, editor, dict(body, state="late"))
    assert typed.status_code == 201
    assert "state" not in {f.name for f in ProgressUpdate._meta.get_fields()}


def test_issue_and_list_reports(client: Any, db: None) -> None:
    plan = load(PASSING)
    editor = person("editor-mdf", "editor")
    response = _call(client, "post", f"/api/plans/{plan.pk}/reports", editor, {"year": 2025, "language": "en"})
    assert response.status_code == 201
    report = ReportSnapshot.objects.get()
    assert response.json()["digest"] == report.digest
    listed = _call(client, "get", f"/api/plans/{plan.pk}/reports", editor).json()
    assert [r["id"] for r in listed] == [report.pk]
    assert _call(client, "post", f"/api/plans/{plan.pk}/reports", person("viewer-mdf", "viewer"),
                 {"year": 2025}).status_code == 403
