"""Back-cast years are marked as estimates wherever they are shown: the dashboard's pathway
chart (a dashed line of its own, its table view and CSV with an ``estimated`` column), the
monitoring chart and the public dashboard's chart and table."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from typing import Any

from django.conf import settings
from django.urls import reverse

from nettonul.web import charts
from nettonul.web.engine import inventories
from nettonul.web.inventory import services as inventory_services
from nettonul.web.monitoring import labels

from .monitoring_support import PASSING, load

#: The shipped Energi- og CO2-regnskab starts in 2018: every earlier year is back-cast.
FIRST_INVENTORY_YEAR = 2018


def _figure(html: str, chart_id: str) -> dict[str, Any]:
    match = re.search(rf'id="chart-{chart_id}-plot" data-figure="([^"]*)"', html)
    assert match, f"no figure data for chart {chart_id}"
    return dict(json.loads(unescape(match.group(1))))


def _trace(figure: dict[str, Any], key: str) -> dict[str, Any]:
    return next(t for t in figure["data"] if t.get("meta") == key)


def test_the_pathway_chart_draws_the_back_cast_dashed_with_its_own_legend(client: Any, orgs: dict[str, Any]) -> None:
    org = orgs["751"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("public:dashboard", args=[org.pk])).content.decode()
    figure = _figure(html, "pathway")
    backcast, inventory = _trace(figure, "backcast"), _trace(figure, "inventory")
    assert backcast["name"] == "Back-cast (estimate)"
    assert backcast["line"]["dash"] == "dash"
    assert "dash" not in inventory["line"]
    # The back-cast runs from 1990 and joins the first inventory year; the inventory line
    # has no back-cast year in it.
    assert backcast["x"][0] == 1990
    assert backcast["x"][-1] == FIRST_INVENTORY_YEAR
    assert next(x for x, y in zip(inventory["x"], inventory["y"], strict=True) if y is not None) == FIRST_INVENTORY_YEAR
    pathway = inventories.compute(inventory_services.engine_inventory(inventory_services.current(org)))
    assert backcast["y"][0] == pathway.at(pathway.historical, 1990)[0]
    table = html.split('id="chart-pathway-table"')[1].split("</table>")[0]
    assert '<tr class="estimated"><th scope="row">1990</th>' in table
    assert f'<tr><th scope="row">{FIRST_INVENTORY_YEAR}</th>' in table
    assert "<th scope=\"col\" class=\"num\">Estimate</th>" in table


def test_danish_legend_and_flag(client: Any, orgs: dict[str, Any]) -> None:
    html = client.get(reverse("public:dashboard", args=[orgs["751"].pk])).content.decode()  # Danish by default
    assert _trace(_figure(html, "pathway"), "backcast")["name"] == "Tilbageberegnet (skøn)"
    assert '<td class="flag">skøn</td>' in html


def test_the_pathway_csv_has_an_estimated_column_from_the_engines_mask(client: Any, plans: dict[str, Any]) -> None:
    plan = plans["aarhus"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("ui:pathway_csv", args=[plan.organisation_id]) + f"?plan={plan.pk}")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][-1] == "estimated"
    flags = {int(r[0]): r[-1] for r in rows[1:]}
    assert set(flags.values()) == {"true", "false"}
    assert all(flags[y] == ("true" if y < FIRST_INVENTORY_YEAR else "false") for y in flags)
    # The inventory column holds measured years only; the back-cast has a column of its own.
    header = rows[0]
    inventory, backcast = header.index("Inventory (t CO2e (AR5))"), header.index("Back-cast (estimate) (t CO2e (AR5))")
    by_year = {int(r[0]): r for r in rows[1:]}
    assert by_year[1990][inventory] == ""
    assert by_year[1990][backcast] != ""
    assert by_year[2020][inventory] != ""
    assert by_year[2020][backcast] == ""


def test_no_flagged_years_no_backcast_series() -> None:
    pathway = {"years": [2020, 2021], "historical": {"total": [10.0, 9.0], "estimated": [False, False]},
               "bau": {"total": [10.0, 9.0]}, "target_path": {"values": [10.0, 8.0], "milestones": []},
               "sources": [], "unit": "t_CO2e", "gwp_set": "AR5"}
    chart = charts.pathway_chart(pathway)
    assert "backcast" not in {s.key for s in chart.series}
    assert chart.csv().splitlines()[1].endswith(",false")


def test_the_monitoring_chart_and_the_public_dashboard_mark_the_back_cast(client: Any, db: None) -> None:
    load(PASSING, publish=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("monitoring:public", args=["410"])).content.decode()
    figure = _figure(html, "monitoring-emissions")
    backcast = _trace(figure, "backcast")
    assert backcast["line"]["dash"] == "dash"
    assert backcast["x"][0] == 1990
    table = html.split('<table id="pathway">')[1].split("</table>")[0]
    assert '<tr class="estimated"><th scope="row">1990</th>' in table
    assert '<td class="flag">estimate</td>' in table
    assert "chart-monitoring-emissions-table" in html  # the chart's table view


def test_emissions_chart_flags_follow_the_engine_inputs() -> None:
    inputs = {"years": [1989, 1990, 2017, 2018, 2019], "historical": [None, 5.0, 4.0, 3.0, 2.5],
              "estimated": [False, True, True, False, False], "plan_path": [None] * 5, "target_path": [None] * 5,
              "gwp_set": "AR5", "sources": [], "outlook": None}
    chart = labels.emissions_chart(inputs)
    assert chart.x == [1990, 2017, 2018, 2019]
    assert chart.estimated == [True, True, False, False]
    backcast = next(s for s in chart.series if s.key == "backcast")
    assert backcast.values == [5.0, 4.0, None, None]
    assert backcast.plot_values == [5.0, 4.0, 3.0, None]
    assert next(s for s in chart.series if s.key == "inventory").values == [None, None, 3.0, 2.5]


def test_the_monitoring_chart_csv_has_the_estimated_column(client: Any, db: None) -> None:
    plan = load(PASSING, publish=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("monitoring:public", args=["410"])).content.decode()
    url = reverse("monitoring:emissions_csv", args=[plan.pk])
    assert url in page
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode())))
    assert rows[0][0] == "Year"
    assert rows[0][-1] == "estimated"
    flags = {int(r[0]): r[-1] for r in rows[1:]}
    assert flags[1990] == "true"
    assert flags[FIRST_INVENTORY_YEAR] == "false"
    assert client.get(reverse("monitoring:emissions_csv", args=[999999])).status_code == 404
    xlsx = reverse("monitoring:emissions_xlsx", args=[plan.pk])
    assert xlsx in page
    from openpyxl import load_workbook

    sheet = [list(r) for r in load_workbook(io.BytesIO(client.get(xlsx).content)).active.iter_rows(values_only=True)]
    assert sheet[0][:-1] == rows[0][:-1]
    assert {int(r[0]): r[-1] for r in sheet[1:]} == {y: ("yes" if f == "true" else "no") for y, f in flags.items()}
