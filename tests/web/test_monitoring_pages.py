"""The monitoring pages: the overview shows the engine's derived statuses and lists, the
forms record through the services (with the version check), and roles decide who sees the
forms and who may post them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from nettonul.web.monitoring import services
from nettonul.web.monitoring.models import Indicator, Observation, ProgressUpdate
from nettonul.web.organisations.permissions import SYSTEM

from .monitoring_support import MONITORING, PASSING, english, load, person


@pytest.fixture
def plan(db: None) -> Any:
    plan = load(PASSING)
    services.import_monitoring_file(SYSTEM, plan, MONITORING)
    return plan


def test_overview_lists_late_stale_and_off_track(client: Any, plan: Any) -> None:
    english(client).force_login(person("viewer-mdf", "viewer"))
    response = client.get(reverse("monitoring:plan", args=[plan.pk]))
    assert response.status_code == 200
    ctx = response.context
    stale = {a["id"] for a in ctx["stale"]}
    assert "less-car-traffic" in stale  # last update 2024-08-01: more than 12 months before today
    assert {i["id"] for i in ctx["off_track"]} >= {"bike-km"}
    assert all(a["late"] for a in ctx["late"])
    page = response.content.decode()
    assert 'id="forecast"' in page
    assert 'id="emissions"' in page
    assert "record progress" not in page  # a viewer sees no forms
    assert ctx["outlook"]["target_year"] == 2030


def test_the_overview_words_statuses_and_check_evidence_in_danish(client: Any, plan: Any) -> None:
    client.force_login(person("viewer-mdf", "viewer"))  # Middelfart's pages open in Danish
    page = client.get(reverse("monitoring:plan", args=[plan.pk])).content.decode()
    assert "aldrig opdateret" in page or "senest opdateret" in page
    for english_words in ("never updated", "has passed", "last updated"):
        assert english_words not in page, english_words
    check = client.get(reverse("monitoring:check", args=[plan.pk])).content.decode()
    assert "</span> tiltag</li>" in check
    assert "</span> actions</li>" not in check


def test_statuses_cannot_be_typed_in(plan: Any) -> None:
    # There is no status field to write: the update's own 'status' is what was reported, the
    # derived state comes from the engine.
    assert not any(f.name in ("state", "late", "stale") for f in ProgressUpdate._meta.get_fields())
    assert not any(f.name in ("state", "off_track") for f in Indicator._meta.get_fields())


@pytest.mark.parametrize(("user", "status"), [("anonymous", 404), ("viewer", 403), ("other", 404), ("editor", 200)])
def test_forms_by_role(client: Any, plan: Any, orgs: dict[str, Any], user: str, status: int) -> None:
    who = {"viewer": lambda: person("v", "viewer"), "other": lambda: person("o", "editor", orgs["101"]),
           "editor": lambda: person("e", "editor")}
    if user != "anonymous":
        client.force_login(who[user]())
    urls = [reverse("monitoring:update_create", args=[plan.pk]),
            reverse("monitoring:indicator_create", args=[plan.pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == (302 if user == "anonymous" else status), url
    post = client.post(reverse("monitoring:update_create", args=[plan.pk]),
                       {"action_key": "afforestation", "date": "2025-12-01", "status": "in_progress",
                        "percent": "10"})
    assert post.status_code in ((302,) if user in ("anonymous", "editor") else (status,))
    made = ProgressUpdate.objects.filter(plan=plan, action_key="afforestation", percent=10).exists()
    assert made is (user == "editor")


def test_recording_through_the_forms(client: Any, plan: Any) -> None:
    english(client).force_login(person("editor-mdf", "editor"))
    response = client.post(reverse("monitoring:indicator_create", args=[plan.pk]), {
        "key": "heat-pumps", "name": "Heat pumps installed", "unit": "pumps", "direction": "increase",
        "target_year_0": "2030", "target_value_0": "3,000", "target_year_1": "2025", "target_value_1": "1200.5",
        "target_year_2": "", "target_value_2": "", "action_key": "fossil-free-heat", "source": "BBR"})
    assert response.status_code == 302
    ind = Indicator.objects.get(plan=plan, key="heat-pumps")
    assert ind.targets == {"2025": 1200.5, "2030": 3000.0}
    response = client.post(reverse("monitoring:observation_create", args=[plan.pk, ind.pk]),
                           {"value": "1200", "date": "2025-06-30", "source": "BBR extract"})
    assert response.status_code == 302
    assert Observation.objects.get(indicator=ind).recorded_by == "editor-mdf"
    # a stale form (version 1 after someone saved version 2) is refused with 409
    edit = reverse("monitoring:indicator_edit", args=[plan.pk, ind.pk])
    fields = {"key": "heat-pumps", "name": "Heat pumps", "unit": "pumps", "direction": "increase",
              "target_year_0": "2030", "target_value_0": "3000", "action_key": "fossil-free-heat", "source": "BBR",
              "version": "1"}
    assert client.post(edit, fields).status_code == 302
    response = client.post(edit, dict(fields, name="Someone else's older edit"))
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    # bad input is shown on the form
    response = client.post(reverse("monitoring:update_create", args=[plan.pk]),
                           {"action_key": "afforestation", "date": "2025-12-01", "status": "in_progress",
                            "percent": "150"})
    assert response.status_code == 422
    # deleting needs the version too
    update = ProgressUpdate.objects.filter(plan=plan).first()
    client.post(reverse("monitoring:delete", args=[plan.pk, "update", update.pk]), {"version": update.version})
    assert not ProgressUpdate.objects.filter(pk=update.pk).exists()


def test_indicator_targets_are_a_table_of_years_and_danish_numbers(client: Any, plan: Any) -> None:
    client.force_login(person("editor-mdf", "editor"))
    client.cookies["django_language"] = "da"
    url = reverse("monitoring:indicator_create", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "Målværdier pr. år" in page
    assert 'name="target_year_2"' in page
    assert "JSON" not in page
    fields = {"key": "varmepumper", "name": "Varmepumper", "unit": "stk.", "direction": "increase",
              "action_key": "", "source": "BBR", "target_year_0": "2030", "target_value_0": "2.500",
              "target_year_1": "2027", "target_value_1": "", "target_year_2": "", "target_value_2": "0,5"}
    refused = client.post(url, fields)
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "Angiv målværdien for 2027." in html
    assert "Angiv året for denne målværdi." in html
    saved = client.post(url, dict(fields, target_value_1="1.250,5", target_year_2="2035"))
    assert saved.status_code == 302
    ind = Indicator.objects.get(plan=plan, key="varmepumper")
    assert ind.targets == {"2027": 1250.5, "2030": 2500.0, "2035": 0.5}
    edit = client.get(reverse("monitoring:indicator_edit", args=[plan.pk, ind.pk])).content.decode()
    assert 'value="1250,5"' in edit
    assert 'value="2.500"' in edit
    assert 'name="target_year_5"' in edit  # three stored rows and three empty ones


def test_settings_page_keeps_engine_defaults_for_empty_fields(client: Any, plan: Any) -> None:
    english(client).force_login(person("editor-mdf", "editor"))
    url = reverse("monitoring:settings", args=[plan.organisation.pk])
    assert "12 months" in client.get(url).content.decode()
    current = services.settings_for(plan.organisation)
    response = client.post(url, {"stale_after_months": "6", "min_percent_after_start": "", "fit_years": "",
                                 "confidence": "", "version": current.version})
    assert response.status_code == 302
    saved = services.settings_for(plan.organisation)
    assert saved.stale_after_months == 6
    assert saved.fit_years is None
    # 6 months: the fossil-free-heat update of 2025-10-01 is stale on 2026-04-02, not on 2026-04-01
    state = services.plan_state(plan, date(2026, 4, 2))["inputs"]
    assert {a["id"]: a["stale"] for a in state["actions"]}["fossil-free-heat"] is True
    state = services.plan_state(plan, date(2026, 4, 1))["inputs"]
    assert {a["id"]: a["stale"] for a in state["actions"]}["fossil-free-heat"] is False


def test_change_history_of_the_records(client: Any, plan: Any) -> None:
    from nettonul.web.monitoring.models import PlanSections

    ind = Indicator.objects.get(plan=plan, key="ev-share")
    sections = PlanSections.objects.get(plan=plan)
    settings = services.settings_for(plan.organisation)
    urls = [reverse("audit:object", args=["indicator", ind.pk]),
            reverse("audit:object", args=["capf-sections", sections.pk]),
            reverse("audit:object", args=["monitoring-settings", settings.pk])]
    for url in urls:
        assert client.get(url).status_code == 404, url  # not for anonymous users
    english(client).force_login(person("viewer-mdf", "viewer"))
    for url in urls:
        page = client.get(url).content.decode()
        assert "system" in page, url  # imported by the system: the record names it
