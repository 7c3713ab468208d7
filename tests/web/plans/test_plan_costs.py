"""Costs on the plan page: each action's net present cost and cost per tonne, and the MACC
table, from the engine's cost results, in Danish."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services


def _dk(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


def test_the_plan_page_shows_costs_per_action_and_the_macc(client_for: Any, plans: dict[str, Any]) -> None:
    aarhus = plans["aarhus"]
    heat = aarhus.actions.get()
    services.update_action(SYSTEM, heat, heat.version, cost={"capex": 0.0, "opex_per_year": 2_000_000.0,
                                                              "lifetime_years": 20, "discount_rate": 0.0})
    # A second action: one million a year for 50 ha of forest taking up 10 t/ha a year from 2026.
    services.add_action(SYSTEM, aarhus, title="Ny skov", key="ny-skov", sector="lulucf", start_year=2026,
                        full_year=2026, curve="step",
                        effect={"type": "removal", "sector": "lulucf", "activity": "afforestation", "amount": 50.0,
                                "unit": "ha", "rate": 10.0},
                        cost={"capex": 0.0, "opex_per_year": 1_000_000.0, "lifetime_years": 20, "discount_rate": 0.0})
    response = client_for("editor-aarhus").get(reverse("plans:detail", args=[aarhus.pk]))
    sc = response.context["computed"]["scenario"]
    years = sc["years"]
    forest = next(w for w in sc["wedges"] if w["action"] == "ny-skov")["values"]
    # Undiscounted (rate 0): the forest costs one million in every year from 2026 on and
    # removes 500 t in each of them.
    n = sum(1 for y in years if y >= 2026)
    assert sum(forest) == pytest.approx(500 * n)
    costs = {c["action"]: c for c in sc["costs"]}
    assert costs["ny-skov"]["npc"] == pytest.approx(1_000_000 * n)
    assert costs["ny-skov"]["cost_per_t"] == pytest.approx(2000.0)
    heat_wedge = next(w for w in sc["wedges"] if w["action"] == heat.key)["values"]
    assert costs[heat.key]["cost_per_t"] * sum(heat_wedge) == pytest.approx(costs[heat.key]["npc"])
    # The MACC starts with the cheaper tonne.
    assert sc["macc"][0]["action"] == ("ny-skov" if costs[heat.key]["cost_per_t"] > 2000 else heat.key)
    html = response.content.decode()
    table = html[html.index('id="costs"'):html.index("</table>", html.index('id="costs"'))]
    assert "Nutidsværdi af omkostningerne (DKK)" in table
    assert f'<th scope="row">Ny skov</th><td class="num">{_dk(1_000_000 * n)}</td><td class="num">{_dk(500 * n)}</td>' \
           f'<td class="num">2.000</td>' in table
    assert 'id="macc"' in html
    assert "Marginalomkostningskurve (MACC) 2030" in html
