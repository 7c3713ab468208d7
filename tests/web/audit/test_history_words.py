"""The change history in the reader's language: fields by their names, choices by their
labels, numbers with the language's separators, nested values as ``name: value`` pairs, and
no Python notation."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services
from nettonul.web.plans.models import Action
from nettonul.web.site.history import worded_value


def test_the_history_of_an_action_reads_in_danish(client_for: Any, plans: dict[str, Any]) -> None:
    action = plans["aarhus"].actions.get()
    services.update_action(SYSTEM, action, action.version, start_year=2026,
                           cost={"capex": 12_500_000.0, "lifetime_years": 20})
    client = client_for("editor-aarhus")
    client.cookies["nettonul_language"] = "da"
    html = client.get(reverse("audit:object", args=["action", action.pk])).content.decode()
    assert "<li>Startår: 2025 → 2026</li>" in html
    assert "Omkostning: – → capex: 12.500.000; lifetime years: 20</li>" in html
    assert "{'" not in html
    assert "start_year" not in html


def test_values_are_worded_for_the_language(settings: Any) -> None:
    from django.utils import translation

    with translation.override("da"):
        assert worded_value(12345.5) == "12.345,5"
        assert worded_value(2030) == "2030"
        assert worded_value(True) == "ja"
        assert worded_value(None) == "–"
        assert worded_value({"type": "demand", "reduction": 0.25}) == "type: demand; reduction: 0,25"
        status = Action._meta.get_field("status")
        choices = {k: str(v) for k, v in status.flatchoices}
        assert worded_value("planned", choices) == choices["planned"]
    with translation.override("en"):
        assert worded_value(12345.5) == "12,345.5"
        assert worded_value([1, 2]) == "1, 2"
