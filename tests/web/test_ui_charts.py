"""The charts: one Chart feeds the plot, the table view and the CSV, with figures checked
against the engine's own results; pages show them with unit, source and CSV link."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from nettonul.web import charts
from nettonul.web.engine import inventories, scenarios
from nettonul.web.engine import plans as engine_plans
from nettonul.web.inventory import services as inventory_services


def _figure(html: str, chart_id: str) -> dict[str, Any]:
    match = re.search(rf'id="chart-{chart_id}-plot" data-figure="([^"]*)"', html)
    assert match, f"no figure data for chart {chart_id}"
    return json.loads(unescape(match.group(1)))


def _trace(figure: dict[str, Any], key: str) -> dict[str, Any]:
    return next(t for t in figure["data"] if t.get("meta") == key)


def test_dashboard_shows_inventory_and_pathway_charts(client_for: Any, orgs: dict[str, Any]) -> None:
    org = orgs["147"]
    response = client_for("anonymous").get(reverse("public:dashboard", args=[org.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    inventory = _figure(html, "inventory")
    pathway = _figure(html, "pathway")
    # The stacked bars add up to the engine's inventory total, year by year.
    table = inventories.inventory_table(inventory_services.engine_inventory(inventory_services.current(org)))
    bars = [t for t in inventory["data"] if t["type"] == "bar"]
    assert len(bars) == len(table["sectors"])
    for i, total in enumerate(table["total"]):
        assert sum(t["y"][i] or 0.0 for t in bars) == pytest.approx(total)
    assert {"inventory", "bau", "target_path"} <= {t.get("meta") for t in pathway["data"]}
    assert "/static/ui/vendor/plotly.min.js" in html
    assert "cdn" not in html.lower()
    assert reverse("ui:pathway_csv", args=[org.pk]) in html
    assert reverse("ui:inventory_csv", args=[org.pk]) in html
    assert 'id="chart-pathway-table"' in html
    assert "t CO2e (AR5)" in html


def test_dashboard_with_a_plan_draws_plan_wedges_and_gaps(client_for: Any, plans: dict[str, Any]) -> None:
    plan = plans["aarhus"]
    html = client_for("anonymous").get(reverse("public:dashboard", args=[plan.organisation_id])
                                       + f"?plan={plan.pk}").content.decode()
    figure = _figure(html, "pathway")
    scenario = engine_plans.scenario(plan, list(plan.targets.all()), list(plan.actions.all()))
    x = _trace(figure, "plan")["x"]
    plan_y = _trace(figure, "plan")["y"]
    bau_y = _trace(figure, "bau")["y"]
    wedge_trace = _trace(figure, "wedge:heat-pumps-replace-oil-boilers")
    wedge = dict(zip(wedge_trace["x"], wedge_trace["y"], strict=True))
    for year, value, _base in zip(scenario["years"], scenario["plan"], scenario["bau"], strict=True):
        i = x.index(year)
        assert plan_y[i] == pytest.approx(value)
        # Plan plus the single wedge is business as usual (the wedges stack up to it).
        assert plan_y[i] + wedge[year] == pytest.approx(bau_y[i])
    gap_2030 = next(t for t in scenario["targets"] if t["year"] == 2030)["gap"]
    bracket = _trace(figure, "gap:2030")
    assert bracket["y"][1] - bracket["y"][0] == pytest.approx(gap_2030)


def test_pathway_csv_has_the_numbers_of_the_chart(client_for: Any, plans: dict[str, Any]) -> None:
    plan = plans["aarhus"]
    client = client_for("anonymous")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("ui:pathway_csv", args=[plan.organisation_id]) + f"?plan={plan.pk}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header = rows[0]
    assert header[0] == "Year"
    assert "Plan (t CO2e (AR5))" in header
    by_year = {int(r[0]): r for r in rows[1:]}
    scenario = engine_plans.scenario(plan, list(plan.targets.all()), list(plan.actions.all()))
    col = header.index("Plan (t CO2e (AR5))")
    for year, value in zip(scenario["years"], scenario["plan"], strict=True):
        assert float(by_year[year][col]) == pytest.approx(value)


def test_inventory_csv_is_not_shown_to_whoever_may_not_see_the_organisation(client_for: Any,
                                                                           orgs: dict[str, Any]) -> None:
    client = client_for("anonymous")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("ui:inventory_csv", args=[orgs["147"].pk]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Year"
    assert rows[0][-2].startswith("Total")
    assert rows[0][-1] == "estimated"
    assert {r[-1] for r in rows[1:]} == {"false"}  # the shipped Energi- og CO2-regnskab has no estimates
    assert client_for("anonymous").get(reverse("ui:inventory_csv", args=[999999])).status_code == 404


def test_chart_rows_skip_empty_years_and_csv_round_trips() -> None:
    chart = charts.Chart(id="t", title="T", unit="t CO2e", x_label="Year", x=[2020, 2021, 2022],
                         series=[charts.Series("a", "A", [1.5, None, 3.0]), charts.Series("b", "B", [None, None, 4.0])])
    assert chart.rows() == [[2020, 1.5, None], [2022, 3.0, 4.0]]
    assert chart.csv().splitlines() == ["Year,A (t CO2e),B (t CO2e)", "2020,1.5,", "2022,3.0,4.0"]


def test_no_band_when_the_plan_states_no_uncertainty(plans: dict[str, Any]) -> None:
    figures = scenarios.plan_figures(plans["aarhus"])
    assert figures.scenario is not None
    assert figures.error is None
    assert figures.band is None


def test_kept_figures_follow_every_saved_edit(plans: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from nettonul.web.organisations.permissions import SYSTEM
    from nettonul.web.plans import services

    cache.clear()
    calls = []
    compute = engine_plans.scenario_of
    monkeypatch.setattr(engine_plans, "scenario_of", lambda *a, **k: calls.append(1) or compute(*a, **k))
    plan = plans["aarhus"]
    action = plan.actions.get()
    first = scenarios.plan_figures(plan)
    assert scenarios.plan_figures(plan) == first
    assert len(calls) == 1  # the same inputs: computed once
    services.update_action(SYSTEM, action, action.version, effect={**action.effect, "share": 0.3})
    second = scenarios.plan_figures(plan)
    assert second.scenario is not None
    assert first.scenario is not None
    expected = engine_plans.scenario(plan, list(plan.targets.all()), list(plan.actions.all()))
    assert second.scenario["plan"] == pytest.approx(expected["plan"])
    assert second.scenario["plan"][-1] > first.scenario["plan"][-1]


def test_table_view_uses_the_language_separators() -> None:
    chart = charts.Chart(id="t", title="T", unit="t CO2e", x_label="Year", x=[2020],
                         series=[charts.Series("a", "A", [1234567.4])])
    assert str(chart.table_body("da")) == '<tr><th scope="row">2020</th><td class="num">1.234.567</td></tr>'
    assert "1,234,567" in str(chart.table_body("en"))


def test_a_danish_csv_opens_in_danish_excel_and_the_english_one_stays_exact(client_for: Any,
                                                                           orgs: dict[str, Any]) -> None:
    url = reverse("ui:inventory_csv", args=[orgs["101"].pk])
    danish = client_for("anonymous").get(url)  # København's pages are Danish by default
    body = danish.content.decode("utf-8")
    assert body.startswith("\ufeff")  # the byte-order mark Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[0][0] == "År"
    assert rows[0][-1] == "estimated"
    by_year = {r[0]: r for r in rows[1:]}
    # København 2023 in the shipped Energi- og CO2-regnskab: energy 542 431.0, agriculture -1 069.1,
    # total 867 436.9 (542 431 + 226 458 - 1 069.1 + 59 561.3 + 40 055.7), whole tonnes with no grouping
    header = rows[0]
    assert by_year["2023"][header.index(next(h for h in header if h.startswith("Energi")))] == "542431"
    assert by_year["2023"][header.index(next(h for h in header if h.startswith("Landbrug")))] == "-1069"
    assert by_year["2023"][-2] == "867437"
    assert by_year["2023"][-1] == "nej"
    client = client_for("anonymous")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert not english.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(english)))
    assert float({r[0]: r for r in rows[1:]}["2023"][-2]) == pytest.approx(867_436.9)


def test_a_danish_csv_neutralises_formulas_and_writes_decimal_commas() -> None:
    chart = charts.Chart(id="t", title="T", unit="%", x_label="År", x=[2020, 2021],
                         series=[charts.Series("a", "=HYPERLINK(1)", [12.345, -0.04])])
    assert chart.csv("da").splitlines() == ["År;'=HYPERLINK(1) (%)", "2020;12,3", "2021;0,0"]  # no negative zero


def _sheet(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return [list(r) for r in book.active.iter_rows(values_only=True)]


def test_every_chart_csv_has_an_excel_twin_with_the_same_numbers_and_units(client_for: Any, orgs: dict[str, Any],
                                                                           plans: dict[str, Any]) -> None:
    client = client_for("editor-aarhus")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    plan = plans["aarhus"]
    org = plan.organisation_id
    pairs = [(reverse("ui:inventory_csv", args=[org]), reverse("ui:inventory_xlsx", args=[org])),
             (reverse("ui:pathway_csv", args=[org]) + f"?plan={plan.pk}",
              reverse("ui:pathway_xlsx", args=[org]) + f"?plan={plan.pk}"),
             (reverse("ui:scenario_csv", args=[plan.pk]), reverse("ui:scenario_xlsx", args=[plan.pk]))]
    for csv_url, xlsx_url in pairs:
        csv_rows = list(csv.reader(io.StringIO(client.get(csv_url).content.decode())))
        response = client.get(xlsx_url)
        assert response.status_code == 200, xlsx_url
        assert response["Content-Type"] == charts.XLSX
        assert response["Content-Disposition"].startswith('attachment; filename="')
        assert ".xlsx" in response["Content-Disposition"]
        rows = _sheet(response.content)
        assert rows[0][:-1] == csv_rows[0][:-1]  # the unit in every value column's header, e.g. "(t CO2e (AR5))"
        assert all("(t CO2e" in h for h in rows[0][1:-1])
        assert len(rows) == len(csv_rows)
        for got, want in zip(rows[1:], csv_rows[1:], strict=True):
            assert got[0] == int(want[0])
            assert list(got[1:-1]) == [pytest.approx(float(w)) if w else None for w in want[1:-1]]
    page = client.get(reverse("public:dashboard", args=[org]) + f"?plan={plan.pk}").content.decode()
    for _csv_url, xlsx_url in pairs[:2]:
        assert xlsx_url.replace("&", "&amp;") in page
    editor = client.get(reverse("ui:editor", args=[plan.pk])).content.decode()
    assert reverse("ui:scenario_xlsx", args=[plan.pk]) in editor


def test_an_excel_download_keeps_numbers_as_numbers_and_never_a_formula() -> None:
    chart = charts.Chart(id="t", title="T", unit="t CO2e", x_label="Year", x=[2020, 2021],
                         series=[charts.Series("a", "=HYPERLINK(1)", [1234.56, None])],
                         estimated=[False, True])
    chart.csv_url = "/x/pathway.csv?plan=3"
    assert chart.xlsx_url == "/x/pathway.xlsx?plan=3"
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(chart.xlsx()))
    ws = book.active
    assert ws["B1"].value == "=HYPERLINK(1) (t CO2e)"
    assert ws["B1"].data_type == "s"  # text, typed as such: never evaluated
    assert (ws["A2"].value, ws["B2"].value, ws["B2"].number_format, ws["C2"].value) == (2020, 1234.56, "#,##0", "no")
    assert ws.max_row == 2  # 2021 has no number
