"""Costs on the plan page: each action's net present cost and cost per tonne, and the MACC
chart (width: tonnes, height: DKK per tonne) and the cost by year, each with its table view,
CSV and Excel download, from the engine's cost results, in Danish."""

from __future__ import annotations

import io
import json
import re
from html import unescape
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

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
    assert 'id="chart-macc"' in html
    assert "Marginalomkostningskurve (MACC) 2030" in html


def _two_costed_actions(plans: dict[str, Any]) -> Any:
    """Aarhus's plan with heat pumps at 2 million a year (at full adoption) and a forest of
    50 ha taking up 10 t/ha a year from 2026 at 1 million a year, both undiscounted."""
    aarhus = plans["aarhus"]
    heat = aarhus.actions.get()
    services.update_action(SYSTEM, heat, heat.version, cost={"capex": 0.0, "opex_per_year": 2_000_000.0,
                                                              "lifetime_years": 20, "discount_rate": 0.0})
    services.add_action(SYSTEM, aarhus, title="Ny skov", key="ny-skov", sector="lulucf", start_year=2026,
                        full_year=2026, curve="step",
                        effect={"type": "removal", "sector": "lulucf", "activity": "afforestation", "amount": 50.0,
                                "unit": "ha", "rate": 10.0},
                        cost={"capex": 0.0, "opex_per_year": 1_000_000.0, "lifetime_years": 20, "discount_rate": 0.0})
    return aarhus


def test_the_macc_chart_is_a_step_chart_of_width_tonnes_and_height_cost_per_tonne(
        client_for: Any, plans: dict[str, Any]) -> None:
    aarhus = _two_costed_actions(plans)
    response = client_for("editor-aarhus").get(reverse("plans:detail", args=[aarhus.pk]))
    html = response.content.decode()
    figure = json.loads(unescape(re.search(r'id="chart-macc-plot" data-figure="([^"]*)"', html).group(1)))
    bars = {t["meta"]: t for t in figure["data"]}
    forest = bars["action:ny-skov"]
    # 50 ha x 10 t/ha = 500 t in 2030 at 1,000,000 DKK a year: 2,000 DKK/t.
    assert forest["width"] == [pytest.approx(500.0)]
    assert forest["y"] == [pytest.approx(2000.0)]
    # The bars stand side by side from zero, cheapest first: each centre is where the one
    # before ends plus half its own width.
    ordered = sorted(figure["data"], key=lambda t: t["y"][0])
    start = 0.0
    for t in ordered:
        assert t["x"][0] == pytest.approx(start + t["width"][0] / 2)
        start += t["width"][0]
    assert figure["layout"]["legend"]["orientation"] == "h"  # below the plot, legible on a phone
    table = html[html.index('id="chart-macc-table"'):html.index("</table>", html.index('id="chart-macc-table"'))]
    assert '<th scope="row">Ny skov</th><td class="num">2.000</td><td class="num">500</td>' in table
    assert "Omkostninger år for år" in html


def test_the_cost_by_year_follows_each_actions_adoption(client_for: Any, plans: dict[str, Any]) -> None:
    aarhus = _two_costed_actions(plans)
    client = client_for("editor-aarhus")
    sc = client.get(reverse("plans:detail", args=[aarhus.pk])).context["computed"]["scenario"]
    by_year = sc["cost_by_year"]
    years = by_year["years"]
    forest = next(a for a in by_year["actions"] if a["action"] == "ny-skov")["values"]
    assert forest == [pytest.approx(1_000_000.0 if y >= 2026 else 0.0) for y in years]
    heat = next(a for a in by_year["actions"] if a["action"] != "ny-skov")["values"]
    assert max(heat) == pytest.approx(2_000_000.0)  # at full adoption
    assert by_year["total"] == [pytest.approx(f + h) for f, h in zip(forest, heat, strict=True)]
    # Undiscounted, the years add up to the net present cost.
    costs = {c["action"]: c for c in sc["costs"]}
    assert sum(forest) == pytest.approx(costs["ny-skov"]["npc"])

    csv = client.get(reverse("plans:costs_download", args=[aarhus.pk, "cost-by-year", "csv"]))
    assert csv.status_code == 200
    lines = csv.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert header[0] == "År"
    assert "Ny skov (DKK)" in header
    row_2030 = next(line for line in lines if line.startswith("2030;"))
    assert "1000000" in row_2030.split(";")


def test_the_macc_downloads_as_csv_and_excel(client_for: Any, plans: dict[str, Any]) -> None:
    aarhus = _two_costed_actions(plans)
    client = client_for("editor-aarhus")
    csv = client.get(reverse("plans:costs_download", args=[aarhus.pk, "macc", "csv"]))
    rows = [line.split(";") for line in csv.content.decode("utf-8-sig").splitlines()]
    assert rows[0][0] == "Tiltag"
    assert next(r for r in rows if r[0] == "Ny skov")[:3] == ["Ny skov", "2000", "500"]
    xlsx = client.get(reverse("plans:costs_download", args=[aarhus.pk, "macc", "xlsx"]))
    assert xlsx.status_code == 200
    assert 'filename="751-aarhus-plan-macc.xlsx"' in xlsx["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Tiltag"
    forest = next(r for r in values if r[0] == "Ny skov")
    assert forest[1] == pytest.approx(2000.0)
    assert forest[2] == pytest.approx(500.0)
    assert client.get(reverse("plans:costs_download", args=[aarhus.pk, "macc", "pdf"])).status_code == 404
    assert client.get(reverse("plans:costs_download", args=[aarhus.pk, "other", "csv"])).status_code == 404


def test_the_dashboard_shows_the_plans_macc_and_cost_by_year(client_for: Any, plans: dict[str, Any]) -> None:
    aarhus = _two_costed_actions(plans)
    client = client_for("editor-aarhus")
    html = client.get(reverse("public:dashboard", args=[aarhus.organisation_id]) + f"?plan={aarhus.pk}",
                      HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Planens omkostninger" in html
    figure = json.loads(unescape(re.search(r'id="chart-macc-plot" data-figure="([^"]*)"', html).group(1)))
    assert {t["meta"] for t in figure["data"]} >= {"action:ny-skov"}
    assert 'id="chart-cost_by_year-table"' in html
    assert reverse("plans:costs_download", args=[aarhus.pk, "macc", "xlsx"]) in html
