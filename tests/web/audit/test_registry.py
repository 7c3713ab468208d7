"""The history kinds come from each app's AppConfig.ready(), not from a list in the audit app."""

from __future__ import annotations

import pytest

from nettonul.web.audit import registry
from nettonul.web.inventory.models import InventoryVersion
from nettonul.web.monitoring.models import Indicator, MonitoringSettings, PlanSections
from nettonul.web.organisations.models import Organisation
from nettonul.web.plans.models import Action, Plan, Target


def test_every_app_registered_its_history_kinds() -> None:
    assert {name: kind.model for name, kind in registry.kinds().items()} == {
        "organisation": Organisation, "plan": Plan, "target": Target, "action": Action,
        "inventory": InventoryVersion, "capf-sections": PlanSections, "indicator": Indicator,
        "monitoring-settings": MonitoringSettings,
    }
    assert registry.get("target") == registry.Kind("target", Target, ("plan", "plan__organisation"))
    assert registry.get("nothing") is None


def test_a_kind_cannot_be_taken_by_another_model() -> None:
    registry.register("plan", Plan, ("organisation",))  # the same again is harmless
    with pytest.raises(ValueError, match=r"already registered for plans\.Plan"):
        registry.register("plan", Target)
    assert registry.get("plan").model is Plan  # type: ignore[union-attr]
