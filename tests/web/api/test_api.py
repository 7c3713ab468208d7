"""The REST API (nettonul/web/api): tokens, permissions on every endpoint, CRUD, pagination,
JSON errors with field paths, stale versions, computed endpoints and the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage

from nettonul.web.api.services import create_token, revoke_token
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services
from nettonul.web.plans.models import Action, Plan


@pytest.fixture
def tokens(users: dict[str, Any]) -> dict[str, str]:
    return {name: create_token(users[name], "test")[1]
            for name in ("editor-kbh", "viewer-kbh", "editor-aarhus", "admin-kbh", "admin")}


@pytest.fixture
def api(client: Any, tokens: dict[str, str]) -> Any:
    """``api("get", url, as_="editor-kbh", json=...)`` -> (status, body)."""

    def call(method: str, url: str, as_: str | None = None, json: Any = None, **extra: Any) -> tuple[int, Any]:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[as_]}"} if as_ else {}
        kwargs: dict[str, Any] = {**headers, **extra}
        if json is not None:
            kwargs.update(data=json, content_type="application/json")
        response = getattr(client, method)("/api" + url, **kwargs)
        body = response.json() if response.content and response["Content-Type"].startswith("application/json") \
            else None
        return response.status_code, body

    return call


def test_openapi_document_is_served(client: Any) -> None:
    doc = client.get("/api/openapi.json").json()
    assert doc["info"]["title"] == "nettonul API"
    for path in ("/api/organisations", "/api/plans/{plan_id}", "/api/plans/{plan_id}/actions",
                 "/api/organisations/{org_id}/inventories", "/api/plans/{plan_id}/scenario", "/api/actions/search"):
        assert path in doc["paths"], path
    assert doc["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert staticfiles_storage.url("ninja/swagger-ui-bundle.js") in page
    assert "https://" not in page  # nothing from a CDN
    assert "script-src 'self'" in docs["Content-Security-Policy"]


def test_pagination(api: Any) -> None:
    status, page = api("get", "/organisations?limit=2&offset=1")
    assert status == 200
    assert page["count"] == 3
    assert [o["code"] for o in page["items"]] == ["147", "751"]


def test_anonymous_reads_only_published_data(api: Any, plans: dict[str, Any], orgs: dict[str, Any]) -> None:
    kbh, aarhus = plans["kbh"], plans["aarhus"]
    assert api("get", f"/plans/{kbh.pk}")[0] == 404
    assert api("get", f"/plans/{kbh.pk}/actions")[0] == 404
    assert api("get", f"/targets/{kbh.targets.first().pk}")[0] == 404
    assert api("get", f"/actions/{kbh.actions.get().pk}")[0] == 404
    assert api("get", f"/plans/{aarhus.pk}")[0] == 200
    status, listed = api("get", f"/organisations/{orgs['101'].pk}/plans")
    assert (status, listed["count"]) == (200, 0)
    assert api("get", f"/plans/{kbh.pk}", as_="viewer-kbh")[0] == 200
    assert api("get", f"/plans/{kbh.pk}", as_="editor-aarhus")[0] == 404
    assert api("get", f"/history/plan/{aarhus.pk}")[0] == 404  # history: members only
    assert api("get", f"/history/plan/{kbh.pk}", as_="viewer-kbh")[0] == 200


def test_writes_need_a_token(api: Any, plans: dict[str, Any], client: Any, users: dict[str, Any]) -> None:
    aarhus = plans["aarhus"]
    status, body = api("patch", f"/plans/{aarhus.pk}", json={"version": 1, "title": "x"})
    assert status == 401
    assert "token" in body["error"]
    client.force_login(users["editor-aarhus"])  # a session alone does not allow writes
    assert api("patch", f"/plans/{aarhus.pk}", json={"version": 1, "title": "x"})[0] == 401
    assert client.get("/api/plans/1", HTTP_AUTHORIZATION="Bearer nn_wrong").status_code == 401


def test_revoked_token_is_refused(api: Any, users: dict[str, Any], client: Any) -> None:
    token, secret = create_token(users["viewer-kbh"], "short-lived")
    assert client.get("/api/organisations", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    revoke_token(users["viewer-kbh"], token)
    assert client.get("/api/organisations", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


@pytest.mark.parametrize(("who", "status"), [("viewer-kbh", 403), ("editor-aarhus", 404), ("editor-kbh", 200)])
def test_every_write_endpoint_checks_the_role(api: Any, plans: dict[str, Any], orgs: dict[str, Any], who: str,
                                              status: int) -> None:
    kbh = plans["kbh"]
    target, action = kbh.targets.first(), kbh.actions.get()
    created = 201 if status == 200 else status
    calls = [
        ("patch", f"/plans/{kbh.pk}", {"version": kbh.version, "description": "new"}, status),
        ("post", f"/plans/{kbh.pk}/targets", {"kind": "net_zero", "year": 2045}, created),
        ("post", f"/plans/{kbh.pk}/actions", {"title": "New action"}, created),
        ("patch", f"/targets/{target.pk}", {"version": target.version, "year": 2031}, status),
        ("patch", f"/actions/{action.pk}", {"version": action.version, "owner": "x"}, status),
    ]
    for method, url, body, expected in calls:
        assert api(method, url, as_=who, json=body)[0] == expected, (method, url)
    deletes = [f"/actions/{action.pk}?version={action.version + (1 if status == 200 else 0)}",
               f"/targets/{target.pk}?version={target.version + (1 if status == 200 else 0)}"]
    for url in deletes:
        assert api("delete", url, as_=who)[0] == (204 if status == 200 else status), url
    assert api("post", f"/organisations/{orgs['101'].pk}/plans", as_=who, json={"title": "P"})[0] in (created, 404,
                                                                                                     403)
    if status != 200:
        assert Action.objects.get(pk=action.pk).owner == ""
        assert Plan.objects.filter(organisation=orgs["101"]).count() == 1


def test_crud_round_trip(api: Any, orgs: dict[str, Any]) -> None:
    org = orgs["101"].pk
    status, plan = api("post", f"/organisations/{org}/plans", as_="editor-kbh", json={"title": "API plan"})
    assert (status, plan["revision"], plan["version"], plan["published"]) == (201, 1, 1, False)
    status, target = api("post", f"/plans/{plan['id']}/targets", as_="editor-kbh",
                         json={"kind": "reduction", "year": 2030, "value": 0.7, "against": 1990})
    assert status == 201
    status, action = api("post", f"/plans/{plan['id']}/actions", as_="editor-kbh",
                         json={"title": "LED street lights", "effect": {"type": "demand", "sector": "energy",
                                                                         "reduction": 0.05}})
    assert (status, action["key"]) == (201, "led-street-lights")
    status, changed = api("patch", f"/actions/{action['id']}", as_="editor-kbh",
                          json={"version": 1, "status": "in_progress"})
    assert (status, changed["status"], changed["version"]) == (200, "in_progress", 2)
    status, listed = api("get", f"/plans/{plan['id']}/actions", as_="editor-kbh")
    assert [a["title"] for a in listed["items"]] == ["LED street lights"]
    status, history = api("get", f"/history/action/{action['id']}", as_="editor-kbh")
    assert [h["action"] for h in history["items"]] == ["update", "create"]
    assert history["items"][0]["changes"] == {"status": ["planned", "in_progress"]}
    status, revised = api("post", f"/plans/{plan['id']}/revisions", as_="editor-kbh", json={"version": 1})
    assert (status, revised["revision"]) == (201, 2)
    status, versions = api("get", f"/plans/{revised['id']}/versions", as_="editor-kbh")
    assert [v["revision"] for v in versions] == [2, 1]
    assert api("delete", f"/targets/{target['id']}?version=1", as_="editor-kbh")[0] == 403  # old version: frozen


def test_errors_are_json_with_field_paths(api: Any, plans: dict[str, Any]) -> None:
    kbh = plans["kbh"]
    status, body = api("post", f"/plans/{kbh.pk}/actions", as_="editor-kbh",
                       json={"title": "", "start_year": 1800})
    assert status == 422
    assert body["error"] == "invalid input"
    assert {p["path"] for p in body["problems"]} == {"title", "start_year"}
    status, body = api("post", f"/plans/{kbh.pk}/actions", as_="editor-kbh",
                       json={"title": "Bad effect", "effect": {"type": "switch", "sector": "energy", "from": "oil",
                                                               "to": "electricity", "share": 2,
                                                               "efficiency_ratio": 0.3}})
    assert status == 422
    assert [p["path"] for p in body["problems"]] == ["effect.share"]


def test_a_stale_version_is_refused_with_409(api: Any, plans: dict[str, Any]) -> None:
    action = plans["kbh"].actions.get()
    assert api("patch", f"/actions/{action.pk}", as_="editor-kbh", json={"version": 1, "owner": "A"})[0] == 200
    status, body = api("patch", f"/actions/{action.pk}", as_="admin-kbh", json={"version": 1, "owner": "B"})
    assert (status, body["current_version"]) == (409, 2)
    assert Action.objects.get(pk=action.pk).owner == "A"


def test_computed_endpoints(api: Any, plans: dict[str, Any], orgs: dict[str, Any]) -> None:
    status, pathway = api("get", f"/plans/{plans['aarhus'].pk}/pathway")
    assert status == 200
    assert pathway["organisation"] == "751"
    assert pathway["years"][0] == 1990
    assert pathway["years"][-1] == 2050
    assert pathway["target_path"]["milestones"][0]["year"] == 2030
    status, default = api("get", f"/organisations/{orgs['147'].pk}/pathway")
    assert status == 200
    assert default["targets"] == ["-70% in 2030 vs 1990", "net zero in 2050"]  # Danish national targets
    status, danish = api("get", f"/organisations/{orgs['147'].pk}/pathway?lang=da")
    assert danish["targets"] == ["-70 % i 2030 ift. 1990", "nettonul i 2050"]
    # a plan's own targets are worded in Danish too (Aarhus: the plan's net zero in 2045)
    services.add_target(SYSTEM, plans["aarhus"], kind="net_zero", year=2045)
    status, aarhus = api("get", f"/organisations/{orgs['751'].pk}/pathway?lang=da")
    assert (status, aarhus["targets"]) == (200, ["-70 % i 2030 ift. 1990", "nettonul i 2045"])
    assert aarhus["target_path"]["milestones"][-1]["target"] == "nettonul i 2045"
    status, hits = api("get", "/actions/search?q=heat%20pumps")
    assert (status, hits["count"], hits["items"][0]["organisation_code"]) == (200, 1, "751")


def test_upload_through_the_api_is_all_or_nothing(api: Any, orgs: dict[str, Any], client: Any,
                                                  tokens: dict[str, str]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    org = orgs["101"]
    bad = SimpleUploadedFile("bad.csv", b"organisation,year,sector,gas,amount,unit\n101,2024,energy,CO2e,abc,t CO2e\n")
    response = client.post(f"/api/organisations/{org.pk}/inventories", {"file": bad},
                           HTTP_AUTHORIZATION=f"Bearer {tokens['editor-kbh']}")
    assert response.status_code == 422
    problem = response.json()["problems"][0]
    assert (problem["file"], problem["row"], problem["column"]) == ("bad.csv", 2, "amount")
    assert org.inventories.count() == 1
    good = SimpleUploadedFile("good.csv",
                              b"organisation,year,sector,gas,amount,unit\n101,2024,energy,CO2e,100,t CO2e\n")
    response = client.post(f"/api/organisations/{org.pk}/inventories", {"file": good},
                           HTTP_AUTHORIZATION=f"Bearer {tokens['editor-kbh']}")
    assert response.status_code == 201
    assert response.json()["last_year"] == 2024


def test_organisation_crud_is_for_site_administrators(api: Any) -> None:
    new = {"code": "demo-unit", "name": "Demo unit", "kind": "org_unit", "country": "SE"}
    assert api("post", "/organisations", as_="editor-kbh", json=new)[0] == 403
    status, org = api("post", "/organisations", as_="admin", json=new)
    assert (status, org["language"]) == (201, "en")  # non-Danish organisations default to English
    assert api("post", "/organisations", as_="admin", json=new)[0] == 422  # duplicate code
    status, changed = api("patch", f"/organisations/{org['id']}", as_="admin", json={"version": 1, "population": 5})
    assert (status, changed["population"], changed["version"]) == (200, 5, 2)
    assert api("delete", f"/organisations/{org['id']}?version=1", as_="admin")[0] == 409
    assert api("delete", f"/organisations/{org['id']}?version=2", as_="editor-kbh")[0] == 403
    assert api("delete", f"/organisations/{org['id']}?version=2", as_="admin")[0] == 204
    assert api("get", f"/organisations/{org['id']}")[0] == 404


def test_members_are_managed_by_the_organisations_administrators(api: Any, orgs: dict[str, Any],
                                                                 users: dict[str, Any]) -> None:
    kbh = orgs["101"].pk
    status, members = api("get", f"/organisations/{kbh}/members", as_="viewer-kbh")
    assert status == 200
    assert {m["username"]: m["role"] for m in members}["editor-kbh@demo"] == "editor"
    assert api("get", f"/organisations/{kbh}/members")[0] == 404
    assert api("put", f"/organisations/{kbh}/members/support@demo", as_="editor-kbh", json={"role": "editor"})[0] == 403
    status, member = api("put", f"/organisations/{kbh}/members/support@demo", as_="admin-kbh", json={"role": "editor"})
    assert (status, member["role"]) == (200, "editor")
    status, member = api("put", f"/organisations/{kbh}/members/support@demo", as_="admin-kbh", json={"role": "viewer"})
    assert (status, member["role"], member["version"]) == (200, "viewer", 2)
    assert api("put", f"/organisations/{kbh}/members/support@demo", as_="admin-kbh", json={"role": "owner"})[0] == 422
    assert api("delete", f"/organisations/{kbh}/members/support@demo", as_="admin-kbh")[0] == 204
    assert not users["support"].memberships.exists()
    assert api("put", f"/organisations/{orgs['751'].pk}/members/support@demo", as_="admin-kbh",
               json={"role": "admin"})[0] == 403


def test_an_actions_capf_fields_through_the_api(api: Any, plans: dict[str, Any]) -> None:
    action = plans["kbh"].actions.get()
    status, body = api("patch", f"/actions/{action.pk}", as_="editor-kbh",
                       json={"version": 1, "power": "facilitate", "funding_status": "applied_for",
                             "kpis": ["bike-km"], "co_benefits": ["health", "less noise"]})
    assert status == 200, body
    assert (body["power"], body["funding_status"], body["kpis"], body["co_benefits"]) == (
        "facilitate", "applied_for", ["bike-km"], ["health", "less noise"])
    status, body = api("patch", f"/actions/{action.pk}", as_="editor-kbh", json={"version": 2, "power": "rule"})
    assert status == 422
    assert [p["path"] for p in body["problems"]] == ["power"]
