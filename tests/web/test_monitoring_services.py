"""Monitoring through the web services: records are permission-checked, version-checked and
audited, and every status is derived by the engine at its boundaries (stale after exactly
the configured months, late after the start year, off track when the trend misses)."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest

from nettonul.engine.reference import datasets
from nettonul.web.audit.models import ChangeRecord
from nettonul.web.errors import InvalidInputError, NotAllowedError, StaleEditError
from nettonul.web.monitoring import services
from nettonul.web.monitoring.models import Indicator, ProgressUpdate
from nettonul.web.organisations.permissions import SYSTEM

from .monitoring_support import MONITORING, PASSING, load, person


def _action(plan: Any, key: str, as_of: date) -> dict[str, Any]:
    state = services.plan_state(plan, as_of)
    assert state["problems"] == []
    return next(a for a in state["inputs"]["actions"] if a["id"] == key)


def _indicator(plan: Any, key: str, as_of: date) -> dict[str, Any]:
    return next(i for i in services.plan_state(plan, as_of)["inputs"]["indicators"] if i["id"] == key)


@pytest.fixture
def plan(db: None) -> Any:
    return load(PASSING)


@pytest.fixture
def editor(plan: Any) -> Any:
    return person("editor-mdf", "editor")


def test_stale_after_exactly_the_configured_months(plan: Any, editor: Any) -> None:
    services.save_settings(editor, plan.organisation, None, stale_after_months=12)
    services.add_progress_update(editor, plan, action_key="fossil-free-heat", date=date(2025, 1, 15),
                                 status="in_progress", percent=20)
    assert _action(plan, "fossil-free-heat", date(2026, 1, 15))["stale"] is False  # exactly 12 months
    late_by_a_day = _action(plan, "fossil-free-heat", date(2026, 1, 16))
    assert late_by_a_day["stale"] is True
    assert late_by_a_day["state"] == "stale"
    # The organisation's threshold rules: with 13 months the same day is not stale yet.
    settings = services.settings_for(plan.organisation)
    services.save_settings(editor, plan.organisation, settings.version, stale_after_months=13)
    assert _action(plan, "fossil-free-heat", date(2026, 1, 16))["stale"] is False


def test_stale_default_comes_from_the_plan_monitoring_section(plan: Any, editor: Any) -> None:
    # No organisation settings: the plan's 'stale_after_months: 12'.
    services.add_progress_update(editor, plan, action_key="energy-savings", date=date(2025, 3, 31),
                                 status="in_progress", percent=5)
    assert _action(plan, "energy-savings", date(2026, 3, 31))["stale"] is False
    assert _action(plan, "energy-savings", date(2026, 4, 1))["stale"] is True


def test_late_after_the_start_year_with_nothing_done(plan: Any, editor: Any) -> None:
    # fossil-free-heat is scheduled 2024-2030.
    services.add_progress_update(editor, plan, action_key="fossil-free-heat", date=date(2024, 6, 1),
                                 status="not_started", percent=0)
    assert _action(plan, "fossil-free-heat", date(2024, 12, 31))["late"] is False  # still the start year
    state = _action(plan, "fossil-free-heat", date(2025, 1, 1))
    assert state["late"] is True
    assert state["state"] == "late"
    assert state["reasons"][0] == "start year 2024 has passed with 0 % done"


def test_late_threshold_per_organisation(plan: Any, editor: Any) -> None:
    services.save_settings(editor, plan.organisation, None, min_percent_after_start=10)
    services.add_progress_update(editor, plan, action_key="fossil-free-heat", date=date(2025, 6, 1),
                                 status="in_progress", percent=10)
    assert _action(plan, "fossil-free-heat", date(2025, 7, 1))["late"] is True  # 10 % is not more than 10 %
    services.add_progress_update(editor, plan, action_key="fossil-free-heat", date=date(2025, 6, 2),
                                 status="in_progress", percent=10.5)
    assert _action(plan, "fossil-free-heat", date(2025, 7, 1))["late"] is False


def test_indicator_on_the_target_is_at_risk_and_just_below_is_off_track(plan: Any, editor: Any) -> None:
    # Two observations a year apart, 100 then 90: the line is at 40 at the end of 2029.
    ind = services.add_indicator(editor, plan, key="heat-demand", name="Heat demand", unit="GWh",
                                 direction="decrease", targets={"2029": 40.0})
    services.add_observation(editor, ind, value=100, date=date(2024, 1, 1), source="test figure")
    services.add_observation(editor, ind, value=90, date=date(2025, 1, 1), source="test figure")
    status = _indicator(plan, "heat-demand", date(2025, 6, 1))
    assert status["forecast"] == pytest.approx(40.0)
    assert status["state"] == "at_risk"
    services.update_indicator(editor, ind, ind.version, targets={"2029": 39.9})
    assert _indicator(plan, "heat-demand", date(2025, 6, 1))["state"] == "off_track"


def test_the_example_monitoring_file_gives_the_derived_lists(plan: Any) -> None:
    counts = services.import_monitoring_file(SYSTEM, plan, MONITORING)
    assert counts == {"indicators": 4, "observations": 12, "updates": 9}
    inputs = services.plan_state(plan, date(2025, 12, 31))["inputs"]
    states = {a["id"]: a["state"] for a in inputs["actions"]}
    # last update 2024-08-01, 16 months before the as-of date: over the 12-month limit
    assert states["less-car-traffic"] == "stale"
    assert states["waste-sorting"] == "completed"
    assert states["energy-savings"] == "late"  # 0 % after its 2024 start
    assert states["biogenic-ccs"] == "not_started"  # starts 2035
    ind = {i["id"]: i["state"] for i in inputs["indicators"]}
    # 640, 655, 660 km: about +10 km a year, far from 900 in 2030
    assert ind["bike-km"] == "off_track"


def test_emissions_outlook_is_the_trend_of_the_last_five_inventory_years(plan: Any) -> None:
    outlook = services.plan_state(plan, date(2025, 12, 31))["inputs"]["outlook"]
    panel = datasets.klimaregnskab_panel(["410"])
    years = [int(y) for y in panel.years]
    last = outlook["last_year"]
    assert last == years[-1]
    assert outlook["fit_years"] == [last - 4, last]
    # plus the example plan's illustrative land use, 800 ha x 30 t/ha - 9,000 + 1,000 t, held flat
    totals = panel.total()[0][years.index(last - 4):] + 16_000.0
    slope, intercept = np.polyfit(np.arange(last - 4, last + 1) + 0.5, totals, 1)
    assert outlook["slope_per_year"] == pytest.approx(slope)
    assert outlook["forecast"] == pytest.approx(slope * (outlook["target_year"] + 1) + intercept)
    assert outlook["lower"] < outlook["forecast"] < outlook["upper"]


# ----------------------------------------------------------------------------- rules of writing
def test_viewer_and_other_organisations_cannot_record(plan: Any, orgs: dict[str, Any]) -> None:
    viewer = person("viewer-mdf", "viewer")
    outsider = person("editor-kbh2", "editor", orgs["101"])
    ind = services.add_indicator(SYSTEM, plan, key="k", name="K", unit="ha", direction="increase")
    for who in (viewer, outsider):
        with pytest.raises(NotAllowedError):
            services.add_progress_update(who, plan, action_key="afforestation", date=date(2025, 1, 1),
                                         status="in_progress", percent=5)
        with pytest.raises(NotAllowedError):
            services.add_observation(who, ind, value=1, date=date(2025, 1, 1), source="s")
        with pytest.raises(NotAllowedError):
            services.add_indicator(who, plan, key="x", name="X", unit="ha", direction="increase")
        with pytest.raises(NotAllowedError):
            services.save_settings(who, plan.organisation, None, stale_after_months=6)
    assert not ProgressUpdate.objects.filter(plan=plan).exists()


def test_records_are_validated(plan: Any, editor: Any) -> None:
    with pytest.raises(InvalidInputError) as err:
        services.add_progress_update(editor, plan, action_key="no-such-action", date=date(2025, 1, 1),
                                     status="in_progress", percent=5)
    assert "action_key" in err.value.problems
    with pytest.raises(InvalidInputError) as err:
        services.add_progress_update(editor, plan, action_key="afforestation", date=date(2025, 1, 1),
                                     status="in_progress", percent=101)
    assert "percent" in err.value.problems
    with pytest.raises(InvalidInputError) as err:
        services.add_progress_update(editor, plan, action_key="afforestation", date=date(2999, 1, 1),
                                     status="in_progress", percent=1)
    assert err.value.problems == {"date": "the date is in the future"}
    with pytest.raises(InvalidInputError) as err:
        services.add_indicator(editor, plan, key="bad key", name="X", unit="ha", direction="up")
    assert {"key", "direction"} <= set(err.value.problems)
    with pytest.raises(InvalidInputError) as err:
        services.save_settings(editor, plan.organisation, None, confidence=1.5)
    assert "confidence" in err.value.problems
    # an enabling action known only from the CAPF action details can be updated too
    services.add_progress_update(editor, plan, action_key="climate-secretariat", date=date(2025, 1, 1),
                                 status="in_progress", percent=5)


def test_edits_are_version_checked_and_audited(plan: Any, editor: Any) -> None:
    ind = services.add_indicator(editor, plan, key="ev-share", name="EV share", unit="%", direction="increase",
                                 targets={2030: 60})
    assert Indicator.objects.get(pk=ind.pk).targets == {"2030": 60.0}
    services.update_indicator(editor, ind, ind.version, name="Electric share of cars")
    with pytest.raises(StaleEditError):
        services.update_indicator(editor, ind, ind.version, name="stale edit")
    obs = services.add_observation(editor, ind, value=12, date=date(2024, 12, 31), source="BIL54")
    assert obs.recorded_by == "editor-mdf"
    with pytest.raises(StaleEditError):
        services.delete_observation(editor, obs, obs.version + 1)
    services.delete_observation(editor, obs, obs.version)
    actions = list(ChangeRecord.objects.filter(organisation=plan.organisation, actor_name="editor-mdf")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["create", "update", "create", "delete"]


def test_monitoring_follows_the_plan_into_its_next_version(plan: Any, editor: Any) -> None:
    from nettonul.web.plans import services as plan_services

    services.import_monitoring_file(SYSTEM, plan, MONITORING)
    new = plan_services.revise_plan(editor, plan, plan.version)
    # the new version drops an action that has progress updates: they are left out, not an error
    plan_services.delete_action(editor, new.actions.get(key="afforestation"),
                                new.actions.get(key="afforestation").version)
    # until the CAPF details name the removed action no more, the page says why it cannot compute
    assert "'afforestation' is not an action of the plan" in services.plan_state(new)["problems"][0]
    _row, sections = services.sections_for(new)
    details = {k: v for k, v in sections["action_details"].items() if k != "afforestation"}
    services.save_sections(editor, new, dict(sections, action_details=details), None)
    state = services.plan_state(new, date(2025, 12, 31))
    assert state["problems"] == []
    states = {a["id"]: a["state"] for a in state["inputs"]["actions"]}
    assert states["waste-sorting"] == "completed"  # recorded on version 1
    assert "afforestation" not in states
    assert {i["id"] for i in state["inputs"]["indicators"]} == {"oil-boilers", "ev-share", "bike-km", "forest-area"}
    with pytest.raises(InvalidInputError) as err:
        services.add_indicator(editor, new, key="oil-boilers", name="Again", unit="boilers", direction="decrease")
    assert "key" in err.value.problems
    with pytest.raises(NotAllowedError):  # new records go to the current version
        services.add_progress_update(editor, plan, action_key="waste-sorting", date=date(2025, 12, 2),
                                     status="completed", percent=100)
    services.add_progress_update(editor, new, action_key="energy-savings", date=date(2025, 12, 2),
                                 status="in_progress", percent=5)
    assert {a["id"]: a["state"] for a in services.plan_state(new, date(2025, 12, 31))["inputs"]["actions"]}[
        "energy-savings"] == "on_track"


def test_the_engine_runs_once_until_something_changes(plan: Any, editor: Any, monkeypatch: Any) -> None:
    from django.core.cache import cache

    from nettonul.web.engine import monitoring as engine_monitoring

    cache.clear()  # other tests may have computed the same plan already
    calls = []
    real = engine_monitoring.inputs_from_plan
    monkeypatch.setattr(engine_monitoring, "inputs_from_plan", lambda *a, **k: calls.append(1) or real(*a, **k))
    as_of = date(2025, 12, 31)
    first = services.plan_state(plan, as_of)
    assert services.plan_state(plan, as_of) == first
    assert len(calls) == 1
    services.add_progress_update(editor, plan, action_key="afforestation", date=date(2025, 12, 1),
                                 status="in_progress", percent=4)
    changed = services.plan_state(plan, as_of)
    assert len(calls) == 2
    assert {a["id"]: a["percent"] for a in changed["inputs"]["actions"]}["afforestation"] == 4
