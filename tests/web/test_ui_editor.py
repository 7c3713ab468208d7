"""The plan editor: typed effect forms, live recompute without saving (htmx preview), save
through the plan services with the version check, and who may do what."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from nettonul.web.engine import plans as engine_plans
from nettonul.web.plans.effect_forms import EffectForm
from nettonul.web.plans.models import Action


def _plan_2030(html: str) -> float:
    match = re.search(r'id="chart-scenario-plot" data-figure="([^"]*)"', html)
    assert match, html[:2000]
    figure = json.loads(unescape(match.group(1)))
    plan = next(t for t in figure["data"] if t.get("meta") == "plan")
    return float(plan["y"][plan["x"].index(2030)])


def _post_data(action: Action, **changes: Any) -> dict[str, Any]:
    initial = EffectForm.initial_for(action)
    initial.update(changes)
    return {f"a{action.pk}-{k}": "" if v is None else v for k, v in initial.items()}


@pytest.fixture
def editor_client(client_for: Any) -> Any:
    client = client_for("editor-aarhus")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_editor_shows_typed_fields_for_the_effect(editor_client: Any, plans: dict[str, Any]) -> None:
    plan = plans["aarhus"]
    action = plan.actions.get()
    html = editor_client.get(reverse("ui:editor", args=[plan.pk])).content.decode()
    assert f'name="a{action.pk}-share"' in html
    assert 'value="0.9"' in html
    assert f'name="a{action.pk}-efficiency_ratio"' in html
    assert 'hx-post="' + reverse("ui:action_preview", args=[plan.pk, action.pk]) in html
    scenario = engine_plans.scenario(plan, list(plan.targets.all()), [action])
    assert _plan_2030(html) == pytest.approx(scenario["plan"][scenario["years"].index(2030)])


def test_preview_recomputes_without_saving(editor_client: Any, plans: dict[str, Any]) -> None:
    plan = plans["aarhus"]
    action = plan.actions.get()
    url = reverse("ui:action_preview", args=[plan.pk, action.pk])
    full = _plan_2030(editor_client.post(url, _post_data(action), HTTP_HX_REQUEST="true").content.decode())
    half = _plan_2030(editor_client.post(url, _post_data(action, share=0.3), HTTP_HX_REQUEST="true").content.decode())
    # Moving less oil to heat pumps leaves more emissions in 2030; the engine says how much.
    edited = Action.objects.get(pk=action.pk)
    edited.effect = {**edited.effect, "share": 0.3}
    expected = engine_plans.scenario(plan, list(plan.targets.all()), [edited])
    years = expected["years"]
    assert half == pytest.approx(expected["plan"][years.index(2030)])
    assert half > full
    action.refresh_from_db()
    assert action.effect["share"] == 0.9  # nothing saved


def test_preview_reports_problems_on_the_field(editor_client: Any, plans: dict[str, Any]) -> None:
    plan = plans["aarhus"]
    action = plan.actions.get()
    response = editor_client.post(reverse("ui:action_preview", args=[plan.pk, action.pk]),
                                  _post_data(action, share=1.5), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a number of at most 1." in html
    assert "the chart shows the saved plan" in html


def test_danish_decimals_and_an_uncertainty_range_in_the_editor(client_for: Any, plans: dict[str, Any]) -> None:
    """On a Danish page the editor shows 0,9 and reads 0,5 and a PERT range typed with commas;
    the saved band is the engine's simulation of exactly those numbers."""
    plan = plans["aarhus"]
    action = plan.actions.get()
    client = client_for("editor-aarhus")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    html = client.get(reverse("ui:editor", args=[plan.pk])).content.decode()
    assert 'value="0,9"' in html
    assert 'value="0,33"' in html
    assert "Usikkerhed om andelen der flyttes" in html
    data = _post_data(action, share="0,5", efficiency_ratio="0,33", unc_share_kind="pert", unc_share_low="0,4",
                      unc_share_high="0,65")
    bad = client.post(reverse("ui:action_preview", args=[plan.pk, action.pk]),
                      {**data, f"a{action.pk}-share": "0.5x"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Indtast et tal, fx 0,25." in bad
    bad = client.post(reverse("ui:action_preview", args=[plan.pk, action.pk]),
                      {**data, f"a{action.pk}-share": "0,3"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Intervallet fra lav til høj skal indeholde selve værdien (0,3)." in bad
    response = client.post(reverse("ui:action_save", args=[plan.pk, action.pk]), data, HTTP_HX_REQUEST="true")
    assert "Gemt." in response.content.decode()
    action.refresh_from_db()
    assert action.effect["share"] == 0.5
    assert action.uncertainty == {"share": {"pert": [0.4, 0.5, 0.65]}}


def test_save_goes_through_the_services_with_the_version_check(editor_client: Any, plans: dict[str, Any]) -> None:
    plan = plans["aarhus"]
    action = plan.actions.get()
    url = reverse("ui:action_save", args=[plan.pk, action.pk])
    response = editor_client.post(url, _post_data(action, share=0.5), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Saved." in response.content.decode()
    action.refresh_from_db()
    assert action.effect == {"type": "switch", "sector": "energy", "from": "oil", "to": "electricity",
                             "share": 0.5, "efficiency_ratio": 0.33}
    assert action.version == 2
    # A second save based on the old version is refused, not silently applied.
    stale = editor_client.post(url, _post_data(action, share=0.1, version=1), HTTP_HX_REQUEST="true")
    action.refresh_from_db()
    assert action.effect["share"] == 0.5
    form_html = stale.content.decode().split(f'<form id="action-{action.pk}"', 1)[1]
    assert 'role="alert"' in form_html


def test_an_editor_of_another_organisation_cannot_preview_or_save(client_for: Any, plans: dict[str, Any]) -> None:
    plan = plans["aarhus"]
    action = plan.actions.get()
    client = client_for("editor-kbh")
    for name in ("ui:action_preview", "ui:action_save"):
        response = client.post(reverse(name, args=[plan.pk, action.pk]), _post_data(action, share=0.1))
        assert response.status_code == 403
    action.refresh_from_db()
    assert action.effect["share"] == 0.9
    # Reading the published plan's editor is allowed, but without forms that can be sent.
    html = client.get(reverse("ui:editor", args=[plan.pk])).content.decode()
    assert "<fieldset disabled>" in html
    assert "hx-post" not in html


def test_effect_form_builds_each_kind_of_effect() -> None:
    form = EffectForm({"version": 1, "type": "removal", "sector": "removals", "activity": "afforestation",
                       "amount": 100, "unit": "ha", "rate": 8, "start_year": 2025, "curve": "linear",
                       "share": "", "carriers": "oil"})
    assert form.is_valid(), form.errors
    assert form.effect() == {"type": "removal", "sector": "removals", "activity": "afforestation", "amount": 100.0,
                             "unit": "ha", "rate": 8.0}
    missing = EffectForm({"version": 1, "type": "switch", "sector": "energy", "start_year": 2025, "curve": "linear",
                          "unc_share_kind": "uniform", "unc_share_low": "0.2"})
    assert not missing.is_valid()
    assert set(missing.errors) == {"from_row", "to", "share", "efficiency_ratio", "unc_share_high"}
    demand = EffectForm({"version": 1, "type": "demand", "sector": "energy", "carriers": "oil, gas",
                         "reduction": 0.2, "start_year": 2025, "curve": "step"})
    assert demand.is_valid()
    assert demand.effect()["carriers"] == ["oil", "gas"]
    assert demand.uncertainty() == {}
    ranged = EffectForm({"version": 1, "type": "removal", "sector": "removals", "activity": "afforestation",
                         "amount": 150, "unit": "ha", "rate": 8, "start_year": 2026, "curve": "linear",
                         "unc_rate_kind": "lognormal", "unc_rate_mode": "8", "unc_rate_spread": "1.4",
                         "unc_share_kind": "uniform"})  # a parameter of another kind is ignored
    assert ranged.is_valid(), ranged.errors
    assert ranged.uncertainty() == {"rate": {"lognormal": [8.0, 1.4]}}


def test_plan_page_links_editors_to_the_live_editor(client_for: Any, plans: dict[str, Any]) -> None:
    plan = plans["aarhus"]
    editor_link = reverse("ui:editor", args=[plan.pk])
    assert editor_link in client_for("editor-aarhus").get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert editor_link not in client_for("anonymous").get(reverse("plans:detail", args=[plan.pk])).content.decode()
