"""Every stored value is valid for every reader: the action form, the document-import decision
("accept all" included), the API and the services refuse what the shared schema
(engine/core/vocabulary: ActionValues, TargetValues) refuses, and what they store reads back
through /api/actions/<id>, /api/plans/<id>/actions, the public /api/actions/search and the
plan's scenario without a server error, for anonymous readers too."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from nettonul.web.api.services import create_token
from nettonul.web.errors import InvalidInputError
from nettonul.web.imports import services as imports
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services
from nettonul.web.plans.models import Action, Target

from .plans.test_action_form import _new_switch

#: Values an action must not store (each broke a read with a 500 before).
HOSTILE: list[dict[str, Any]] = [
    {"sdgs": ["13"]}, {"sdgs": [99]}, {"sdgs": [0]}, {"sdgs": [True]}, {"sdgs": "13"},
    {"sources": {"effect": 1}}, {"sources": {"effect": {"nested": "text"}}}, {"sources": ["effect"]},
    {"assumptions": {"cost": 2}}, {"sources": {"": "no path"}},
    {"start_year": 2025, "full_year": 1800}, {"start_year": 1800}, {"start_year": 2030, "full_year": 2025},
    {"cost": {"capex": float("inf")}}, {"effect": {"type": "demand", "sector": "energy", "reduction": float("nan")}},
]


def _reads(client: Client, plan: Any, action: Action | None = None) -> list[int]:
    paths = [f"/api/plans/{plan.pk}/actions", "/api/actions/search?q=ladestandere", f"/api/plans/{plan.pk}/scenario",
             f"/plans/{plan.pk}/"]
    if action is not None:
        paths.append(f"/api/actions/{action.pk}")
    return [client.get(p).status_code for p in paths]


@pytest.fixture
def anonymous() -> Client:
    return Client(raise_request_exception=False)


@pytest.fixture
def api(users: dict[str, Any]) -> Any:
    secret = create_token(users["editor-aarhus"], "test")[1]
    client = Client(raise_request_exception=False)

    def post(path: str, body: str) -> Any:
        return client.post(path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")

    return post


@pytest.mark.parametrize("values", HOSTILE, ids=[json.dumps(v, default=str) for v in HOSTILE])
def test_the_services_refuse_what_a_reader_could_not_read(plans: dict[str, Any], values: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        services.add_action(SYSTEM, plans["aarhus"], title="Ladestandere", **values)
    action = plans["aarhus"].actions.get()
    with pytest.raises(InvalidInputError):
        services.update_action(SYSTEM, action, action.version, **values)
    assert not Action.objects.filter(title="Ladestandere").exists()


@pytest.mark.parametrize("values", [v for v in HOSTILE if "cost" not in v and "effect" not in v])
def test_the_api_refuses_them_with_422(plans: dict[str, Any], api: Any, values: dict[str, Any]) -> None:
    response = api(f"/api/plans/{plans['aarhus'].pk}/actions", json.dumps({"title": "Ladestandere", **values}))
    assert response.status_code == 422, response.content
    assert not Action.objects.filter(title="Ladestandere").exists()


def test_the_api_refuses_infinite_and_nan_numbers(plans: dict[str, Any], api: Any) -> None:
    plan = plans["aarhus"]
    for body in ('{"kind": "absolute", "year": 2040, "value": Infinity}',
                 '{"kind": "absolute", "year": 2040, "value": NaN}',
                 '{"kind": "absolute", "year": 2040, "value": -Infinity}'):
        assert api(f"/api/plans/{plan.pk}/targets", body).status_code == 422, body
    body = '{"title": "Ladestandere", "cost": {"capex": Infinity}}'
    assert api(f"/api/plans/{plan.pk}/actions", body).status_code == 422
    body = ('{"title": "Ladestandere", "start_year": 2025, '
            '"effect": {"type": "demand", "sector": "energy", "reduction": NaN}}')
    assert api(f"/api/plans/{plan.pk}/actions", body).status_code == 422
    assert not Target.objects.filter(plan=plan, year=2040).exists()
    assert not Action.objects.filter(title="Ladestandere").exists()


def test_two_targets_for_one_year_are_refused_by_the_api_and_the_form(plans: dict[str, Any], api: Any,
                                                                       client_for: Any) -> None:
    plan = plans["aarhus"]  # has a reduction target for 2030
    body = json.dumps({"kind": "reduction", "year": 2030, "value": 0.5, "against": 1990})
    response = api(f"/api/plans/{plan.pk}/targets", body)
    assert response.status_code == 422
    assert response.json()["problems"][0]["path"] == "year"
    client = client_for("editor-aarhus")
    client.cookies["django_language"] = "da"
    page = client.post(reverse("plans:target_create", args=[plan.pk]), {"kind": "net_zero", "year": "2030",
                                                                       "sector": ""})
    assert page.status_code == 422
    assert "planen har allerede et mål for 2030; ret det i stedet" in page.content.decode()
    assert Target.objects.filter(plan=plan, year=2030).count() == 1


def test_the_action_form_refuses_years_out_of_range(plans: dict[str, Any], client_for: Any) -> None:
    client = client_for("editor-aarhus")
    client.cookies["django_language"] = "da"
    url = reverse("plans:action_create", args=[plans["aarhus"].pk])
    for changes in ({"full_year": "1800"}, {"start_year": "1800"}, {"start_year": "2030", "full_year": "2026"},
                    {"type": "", "full_year": "1800"}, {"sdgs": ["18"]}):
        response = client.post(url, _new_switch(**changes))
        assert response.status_code == 422, changes
    assert not Action.objects.filter(key="oliefyr-erstattes-af-varmepumper").exists()


def test_the_import_decision_refuses_bad_goals_and_a_second_target_for_a_year(plans: dict[str, Any],
                                                                              client_for: Any) -> None:
    plan = plans["aarhus"]
    text = ("Kommunen vil reducere udledningen af drivhusgasser med 60 procent i 2030 i forhold til 1990.\n"
            "Vi vil etablere 200 nye ladestandere til elbiler i kommunen.\n")
    document = imports.import_text(SYSTEM, plan, text, filename="plan.txt")
    commitment = document.candidates.get(kind="commitment", quote__startswith="Vi vil etablere")
    client = client_for("editor-aarhus")
    response = client.post(f"/documents/{document.pk}/candidates/{commitment.pk}/",
                           {"decision": "edit", "version": commitment.version, "title": "Ladestandere",
                            "status": "planned", "sdgs": "13, 99"})
    assert response.status_code == 422
    # accept all: the commitment is accepted, the 2030 target is skipped (the plan has one)
    accepted, skipped = imports.accept_all(SYSTEM, document)
    assert accepted >= 1
    assert len(skipped) == 1
    assert "2030" in skipped[0]
    assert Target.objects.filter(plan=plan, year=2030).count() == 1


def test_what_each_write_path_stores_reads_back_everywhere(plans: dict[str, Any], api: Any, client_for: Any,
                                                           anonymous: Client) -> None:
    plan = plans["aarhus"]  # published: the public reads it
    stored: list[Action] = []
    # 1. the services (plan files and commands use them)
    stored.append(services.add_action(SYSTEM, plan, key="ladestandere-1", title="Ladestandere 1", sdgs=[7, 13],
                                      sources={"effect": "Ladeplan 2024"}, start_year=2025, full_year=2030))
    # 2. the API
    response = api(f"/api/plans/{plan.pk}/actions", json.dumps({
        "key": "ladestandere-2", "title": "Ladestandere 2", "sdgs": [11], "sources": {"cost": "budget 2025"},
        "assumptions": {"effect": "antaget"}, "start_year": 2026, "full_year": 2026}))
    assert response.status_code == 201, response.content
    stored.append(Action.objects.get(key="ladestandere-2"))
    # 3. the action form
    client = client_for("editor-aarhus")
    client.cookies["django_language"] = "da"
    response = client.post(reverse("plans:action_create", args=[plan.pk]),
                           _new_switch(title="Ladestandere 3", sdgs=["3", "17"]))
    assert response.status_code == 302
    stored.append(Action.objects.get(title="Ladestandere 3"))
    # 4. the import decision (edited) and accept all
    document = imports.import_text(SYSTEM, plan, "Vi vil etablere 200 nye ladestandere til elbiler i kommunen.\n"
                                               "Vi vil omlægge busdriften til el-busser.\n", filename="plan.txt")
    first = document.candidates.get(quote__startswith="Vi vil etablere")
    response = client.post(f"/documents/{document.pk}/candidates/{first.pk}/",
                           {"decision": "edit", "version": first.version, "title": "Ladestandere 4",
                            "status": "planned", "sdgs": "9, 11"})
    assert response.status_code == 302
    assert imports.accept_all(SYSTEM, document) == (1, [])
    stored.extend(Action.objects.filter(title__in=["Ladestandere 4", "omlægge busdriften til el-busser"]))
    assert len(stored) == 5
    for action in stored:
        assert _reads(anonymous, plan, action) == [200] * 5, action.title
        body = anonymous.get(f"/api/actions/{action.pk}").json()
        assert all(isinstance(g, int) and 1 <= g <= 17 for g in body["sdgs"])
        assert all(isinstance(v, str) for v in (*body["sources"].values(), *body["assumptions"].values()))
    hits = {h["key"] for h in anonymous.get("/api/actions/search?q=ladestandere").json()["items"]}
    assert {"ladestandere-1", "ladestandere-2"} <= hits
    assert anonymous.get(f"/api/plans/{plan.pk}/simulation?seed=-1").status_code == 422


def test_the_import_decision_api_refuses_bad_edits(plans: dict[str, Any], api: Any) -> None:
    plan = plans["aarhus"]
    document = imports.import_text(SYSTEM, plan, "Vi vil etablere 200 nye ladestandere til elbiler i kommunen.\n"
                                               "Kommunen vil være klimaneutral i 2045.\n", filename="plan.txt")
    commitment = document.candidates.get(kind="commitment", quote__startswith="Vi vil etablere")
    target = document.candidates.get(kind="target")
    url = f"/api/documents/{document.pk}/candidates/{{}}/decision"
    for edits in ({"sdgs": [0]}, {"sdgs": ["7"]}, {"sdgs": 13}):
        body = json.dumps({"decision": "accept", "version": commitment.version, "edits": edits})
        assert api(url.format(commitment.pk), body).status_code == 422, edits
    for body in (f'{{"decision": "accept", "version": {target.version}, "edits": {{"year": 1800}}}}',
                 f'{{"decision": "accept", "version": {target.version}, '
                 f'"edits": {{"kind": "absolute", "value": Infinity}}}}'):
        assert api(url.format(target.pk), body).status_code == 422, body
    # nothing was decided: the refused accepts left both candidates pending
    assert set(document.candidates.values_list("status", flat=True)) == {"pending"}
    assert not Action.objects.filter(plan=plan, title__startswith="etablere").exists()
