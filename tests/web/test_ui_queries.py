"""The number of SQL queries of a page does not grow with the number of actions of a plan
(no query per action, per target or per chart)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nettonul.web.engine import scenarios
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services


def _add_actions(plan: Any, n: int) -> None:
    for i in range(n):
        services.add_action(SYSTEM, plan, title=f"Less road traffic {i}", sector="transport", start_year=2025,
                            full_year=2035, effect={"type": "demand", "sector": "transport", "reduction": 0.01})
        services.add_target(SYSTEM, plan, kind="absolute", year=2031 + i, value=1000.0 * (20 - i))


def _queries(client: Any, url: str) -> int:
    client.get(url)  # the first request may fill per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(("who", "page"), [
    ("anonymous", lambda plan: reverse("public:dashboard", args=[plan.organisation_id]) + f"?plan={plan.pk}"),
    ("editor-aarhus", lambda plan: reverse("ui:editor", args=[plan.pk])),
    ("anonymous", lambda plan: reverse("ui:pathway_csv", args=[plan.organisation_id]) + f"?plan={plan.pk}"),
    ("anonymous", lambda plan: reverse("public:overview")),
    ("anonymous", lambda plan: reverse("api:organisation_pathway", args=[plan.organisation_id])),
    ("anonymous", lambda plan: reverse("monitoring:public", args=[plan.organisation.code])),
])
def test_queries_do_not_grow_with_the_number_of_actions(client_for: Any, plans: dict[str, Any], who: str,
                                                         page: Callable[[Any], str], settings: Any) -> None:
    settings.NETTONUL_RESPONSE_CACHE = False  # the rendering, not the kept response (one query)
    plan = plans["aarhus"]
    client = client_for(who)
    few = _queries(client, page(plan))
    _add_actions(plan, 6)
    assert plan.actions.count() == 7
    figures = scenarios.plan_figures(plan)
    assert figures.error is None
    assert figures.scenario is not None
    assert len(figures.scenario["wedges"]) == 7
    many = _queries(client, page(plan))
    assert many == few
