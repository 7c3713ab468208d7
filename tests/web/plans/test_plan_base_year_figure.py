"""The plan page shows a plan's own documented base-year figure as the plan's number, and its
2030 target is measured on it (methodology §9.2): -70 % of a 1990 figure of 2,000,000 t (a
test value, not Aarhus's) is a 2030 level of 600,000 t."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services


def test_the_plan_page_labels_the_plan_s_own_1990_figure(client_for: Any, plans: dict[str, Any]) -> None:
    aarhus = plans["aarhus"]
    before = client_for("editor-aarhus").get(reverse("plans:detail", args=[aarhus.pk]))
    assert 'id="scenario-reference"' not in before.content.decode()
    estimate = before.context["computed"]["scenario"]["reference"]
    assert estimate["plan_figure"] is False
    model = {**aarhus.model, "baseline": {"method": "kf25", "reference": {
        "year": 1990, "emissions_t": 2_000_000.0, "source": "test figure"}}}
    services.update_plan(SYSTEM, aarhus, aarhus.version, model=model)
    response = client_for("editor-aarhus").get(reverse("plans:detail", args=[aarhus.pk]))
    sc = response.context["computed"]["scenario"]
    assert sc["reference"]["plan_figure"] is True
    assert sc["reference"]["estimate_t_co2e"] == pytest.approx(estimate["t_co2e"])
    assert next(t for t in sc["targets"] if t["year"] == 2030)["level"] == pytest.approx(600_000)
    html = response.content.decode()
    line = html[html.index('id="scenario-reference"'):html.index("</p>", html.index('id="scenario-reference"'))]
    assert "2.000.000 ton CO2e, planens eget tal (test figure)" in line
