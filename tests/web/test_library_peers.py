"""The action library's comparison across published plans (nettonul.web.engine.library):
families of action with how many plans use them, effect sizes and cost per tonne, the rural
filter, and never a draft plan."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services

pytestmark = pytest.mark.django_db

SPLIT = {"activity": {"energy": [
    {"carrier": "oil", "share": 0.3, "factor": 0.266, "assumption": True, "reason": "test split"},
    {"carrier": "electricity", "share": 0.7, "factor": "br18.electricity", "assumption": True, "reason": "test split"},
]}}


@pytest.fixture
def frederiksberg(orgs: dict[str, Any], plans: dict[str, Any]) -> Any:
    plan = services.create_plan(SYSTEM, orgs["147"], title="Frederiksberg plan", published=True, base_year=1990,
                                model=SPLIT)
    services.add_target(SYSTEM, plan, kind="reduction", year=2030, value=0.7, against=1990)
    services.add_action(SYSTEM, plan, title="Varmepumper i stedet for oliefyr", sector="energy", start_year=2025,
                        full_year=2030, cost={"capex": 1_000_000, "opex_per_year": 0, "lifetime_years": 20},
                        effect={"type": "switch", "sector": "energy", "from": "oil", "to": "electricity",
                                "share": 0.5, "efficiency_ratio": 0.33})
    return plan


def test_the_published_plans_switch_is_one_family_used_by_two_plans(frederiksberg: Any) -> None:
    page = Client().get("/plans/search/", HTTP_ACCEPT_LANGUAGE="da")
    assert page.status_code == 200
    rows = page.context["families"]
    switch = next(r for r in rows if r["moved"] == "oil → electricity")
    assert switch["plans"] == 2  # Aarhus (0.9) and Frederiksberg (0.5)
    assert (switch["size"].median, switch["size"].low, switch["size"].high) == pytest.approx((0.7, 0.5, 0.9))
    assert switch["cost"].n == 1  # only Frederiksberg states a cost
    text = page.content.decode()
    assert "Hvad planerne gør, sammenlignet" in text
    assert "70 % (50–90 %)" in text
    assert "Varmepumper i stedet for oliefyr" in text
    assert "Kystnære vindmøller" not in text  # København's plan is a draft


def test_the_rural_filter_leaves_out_the_cities(frederiksberg: Any) -> None:
    page = Client().get("/plans/search/?rural=1", HTTP_ACCEPT_LANGUAGE="da")
    assert page.context["families"] == []
    assert "Ingen offentliggjort plan passer." in page.content.decode()


def test_the_search_words_narrow_the_comparison(frederiksberg: Any) -> None:
    page = Client().get("/plans/search/?q=varmepumpe", HTTP_ACCEPT_LANGUAGE="da")
    assert [r["moved"] for r in page.context["families"]] == ["oil → electricity"]


def test_the_comparison_knows_the_librarys_synonyms(frederiksberg: Any, orgs: dict[str, Any]) -> None:
    """An English query finds a family whose only title is Danish, as the search does."""
    plan = services.create_plan(SYSTEM, orgs["101"], title="Skov", published=True, base_year=1990)
    services.add_target(SYSTEM, plan, kind="reduction", year=2030, value=0.7, against=1990)
    services.add_action(SYSTEM, plan, title="Ny skov på kommunens jord", sector="lulucf", start_year=2026,
                        full_year=2035,
                        effect={"type": "removal", "sector": "lulucf", "activity": "skovrejsning",
                                "amount": 100, "unit": "ha", "rate": 5.0})
    found = Client().get("/plans/search/?q=forest", HTTP_ACCEPT_LANGUAGE="da").context["families"]
    assert [r["moved"] for r in found] == ["skovrejsning"]
    page = Client().get("/plans/search/?q=oil+boiler", HTTP_ACCEPT_LANGUAGE="da")
    assert [r["moved"] for r in page.context["families"]] == ["oil → electricity"]
    assert Client().get("/plans/search/?q=brint", HTTP_ACCEPT_LANGUAGE="da").context["families"] == []
