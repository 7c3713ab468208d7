"""Unique rules under races: two requests that both pass a service's check before either
writes (simulated by letting the check miss the row the first request has committed) end
in one stored row and a clean refusal for the second (422 like the check, or 409 "someone
saved first" for a first save), never a 500 or a half-written row."""

from __future__ import annotations

from typing import Any

import pytest

from nettonul.web.audit.models import ChangeRecord
from nettonul.web.errors import InvalidInputError, StaleEditError
from nettonul.web.imports import services as imports
from nettonul.web.imports.models import SourceDocument
from nettonul.web.monitoring import services as monitoring
from nettonul.web.monitoring.models import Indicator, MonitoringSettings, PlanSections
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services as plans
from nettonul.web.plans.models import Action, Target

from .monitoring_support import PASSING, load


def _creates(model: str) -> int:
    return ChangeRecord.objects.filter(action="create", content_type__model=model).count()


def test_same_action_key(plans_world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    plan = plans_world["aarhus"]
    monkeypatch.setattr(plans, "_key_taken", lambda *a, **k: False)  # the check misses the first row
    before = _creates("action")
    plans.add_action(SYSTEM, plan, key="ladestandere", title="Ladestandere")
    with pytest.raises(InvalidInputError) as info:
        plans.add_action(SYSTEM, plan, key="ladestandere", title="Ladestandere igen")
    assert info.value.status == 422
    assert info.value.problems == {"key": "another action of this plan has this identifier"}
    assert Action.objects.filter(plan=plan, key="ladestandere").count() == 1
    assert _creates("action") == before + 1  # no audit record of the refused one
    # a rename onto a taken key in a race too
    other = plans.add_action(SYSTEM, plan, key="busser", title="Busser")
    with pytest.raises(InvalidInputError):
        plans.update_action(SYSTEM, other, other.version, key="ladestandere")
    assert Action.objects.get(pk=other.pk).key == "busser"


def test_two_targets_for_the_same_year(plans_world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    plan = plans_world["aarhus"]  # has a reduction target for 2030
    with pytest.raises(InvalidInputError) as info:
        plans.add_target(SYSTEM, plan, kind="reduction", year=2030, value=0.5, against=1990)
    assert "2030" in info.value.problems["year"]
    monkeypatch.setattr(plans, "_target_year_taken", lambda *a, **k: False)
    with pytest.raises(InvalidInputError) as info:
        plans.add_target(SYSTEM, plan, kind="absolute", year=2030, value=100.0)
    assert Target.objects.filter(plan=plan, year=2030).count() == 1
    # qualitative targets are not on the path: several per year are fine; another sector too
    plans.add_target(SYSTEM, plan, kind="qualitative", year=2030, description="a")
    plans.add_target(SYSTEM, plan, kind="qualitative", year=2030, description="b")
    plans.add_target(SYSTEM, plan, kind="reduction", year=2030, value=0.5, against=1990, sector="transport")
    assert Target.objects.filter(plan=plan, year=2030).count() == 4


def test_first_capf_sections_save(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = plans.revise_plan(SYSTEM, (old := load(PASSING)), old.version)  # a new version has no sections yet
    _row, data = monitoring.sections_for(plan)
    monkeypatch.setattr(monitoring, "own_sections", lambda p: None)
    monitoring.save_sections(SYSTEM, plan, data, None)
    with pytest.raises(StaleEditError) as info:
        monitoring.save_sections(SYSTEM, plan, data, None)
    assert info.value.status == 409
    assert PlanSections.objects.filter(plan=plan).count() == 1


def test_first_monitoring_settings_save(plans_world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    org = plans_world["aarhus"].organisation
    monkeypatch.setattr(monitoring, "settings_for", lambda o: None)
    monitoring.save_settings(SYSTEM, org, None, stale_after_months=6)
    with pytest.raises(StaleEditError) as info:
        monitoring.save_settings(SYSTEM, org, None, stale_after_months=9)
    assert info.value.status == 409
    assert list(MonitoringSettings.objects.filter(organisation=org).values_list("stale_after_months", flat=True)) == [6]


def test_same_indicator_key(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = load(PASSING)
    monkeypatch.setattr(monitoring, "_indicator_key_taken", lambda *a, **k: False)
    fields = {"key": "ev-share", "name": "EV share", "unit": "%", "direction": "increase"}
    monitoring.add_indicator(SYSTEM, plan, **fields)
    with pytest.raises(InvalidInputError) as info:
        monitoring.add_indicator(SYSTEM, plan, **fields)
    assert info.value.problems == {"key": "another indicator of this plan has this identifier"}
    assert Indicator.objects.filter(plan=plan, key="ev-share").count() == 1


def test_same_document(plans_world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    plan = plans_world["aarhus"]
    text = "Vi vil etablere 200 nye ladestandere til elbiler i kommunen.\n"
    real = imports._refuse_a_second_import
    calls = {"n": 0}

    def first_check_misses(p: Any, sha: str) -> None:
        calls["n"] += 1
        if calls["n"] > 2:  # the second request's check before its insert misses the first's row
            real(p, sha)

    monkeypatch.setattr(imports, "_refuse_a_second_import", first_check_misses)
    imports.import_text(SYSTEM, plan, text, filename="a.txt")
    with pytest.raises(InvalidInputError) as info:
        imports.import_text(SYSTEM, plan, text, filename="b.txt")
    assert "already imported" in info.value.problems["file"]
    assert list(SourceDocument.objects.filter(plan=plan).values_list("filename", flat=True)) == ["a.txt"]


@pytest.fixture
def plans_world(plans: dict[str, Any]) -> dict[str, Any]:
    return plans
