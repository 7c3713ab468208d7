"""A coordinator's round in a real browser: log in, open the dashboard, edit an action and
see the chart recompute, upload a bad Excel file and read the errors, switch language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

PLAN_2030 = """() => {
  const plot = document.querySelector('#chart-scenario [data-figure]');
  if (!plot || !plot.data) return null;
  const t = plot.data.find(tr => tr.meta === 'plan');
  return t.y[t.x.indexOf(2030)];
}"""


def _log_in(page: Any, username: str, password: str) -> None:
    page.goto(reverse("public:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form[action$='/login/'] button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def test_dashboard_chart_then_live_edit_of_an_action(page: Any, aarhus: dict[str, Any]) -> None:
    from nettonul.web.plans.models import Action

    _log_in(page, "editor-aarhus@demo", aarhus["password"])
    page.goto(reverse("public:dashboard", args=[aarhus["org"].pk]))
    # The chart is drawn by the vendored Plotly: the plan, its wedge and the gap brackets.
    page.wait_for_selector("#chart-pathway .js-plotly-plot")
    metas = page.evaluate("() => document.querySelector('#chart-pathway [data-figure]').data.map(t => t.meta)")
    assert {"inventory", "bau", "plan", "target_path", "gap:2030", "gap:2050"} <= set(metas)
    assert "wedge:heat-pumps-replace-oil-boilers" in metas
    page.wait_for_selector("#chart-inventory .js-plotly-plot")

    page.click(f"a[href='{reverse('ui:editor', args=[aarhus['plan'].pk])}']")
    page.wait_for_selector("#chart-scenario .js-plotly-plot")
    before = page.evaluate(PLAN_2030)
    action = aarhus["action"]
    # Only the fields of a switch are shown.
    assert page.is_visible(f"#id_a{action.pk}-share")
    assert not page.is_visible(f"#id_a{action.pk}-rate")
    page.fill(f"#id_a{action.pk}-share", "0.3")
    page.press(f"#id_a{action.pk}-share", "Tab")
    page.wait_for_function(f"() => ({PLAN_2030})() !== null && ({PLAN_2030})() !== {before}")
    after = page.evaluate(PLAN_2030)
    assert after > before  # fewer heat pumps: more emissions left in 2030
    assert page.is_visible("#scenario-note")
    assert Action.objects.get(pk=action.pk).effect["share"] == 0.9  # a preview saves nothing

    page.click(f"#action-{action.pk} button[type=submit]")
    page.wait_for_selector(f"#action-{action.pk} .status:not(:empty)")
    assert Action.objects.get(pk=action.pk).effect["share"] == 0.3
    # The saved plan is drawn again (the swapped-in chart is drawn once htmx has settled it).
    page.wait_for_function(f"() => ({PLAN_2030})() !== null")
    assert page.evaluate(PLAN_2030) == pytest.approx(after)
    assert [e for e in page.console_errors if "favicon" not in e and "404" not in e] == []


def test_bad_excel_upload_shows_every_problem_and_imports_nothing(page: Any, aarhus: dict[str, Any],
                                                                   tmp_path: Path) -> None:
    from nettonul.web.inventory.models import EmissionRecord, InventoryVersion

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["organisation", "year", "sector", "gas", "amount", "unit"])
    sheet.append(["751", 2024, "energy", "CO2", 1000, "t"])
    sheet.append(["751", 2024, "no-such-sector", "CO2", 5, "t"])
    sheet.append(["751", 2024, "transport", "CO2", "lots", "t"])
    path = tmp_path / "inventory-2024.xlsx"
    workbook.save(path)
    versions, records = InventoryVersion.objects.count(), EmissionRecord.objects.count()

    _log_in(page, "editor-aarhus@demo", aarhus["password"])
    page.goto(reverse("inventory:upload", args=[aarhus["org"].pk]))
    page.set_input_files("input[type=file]", str(path))
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    report = page.wait_for_selector("#validation-report")
    rows = page.eval_on_selector_all("#validation-report tbody tr",
                                     "trs => trs.map(tr => [...tr.cells].map(td => td.textContent.trim()))")
    assert {r[1] for r in rows} >= {"3", "4"}
    assert any("no-such-sector" in r[3] for r in rows)
    assert any(r[2] == "amount" for r in rows)
    assert "inventory-2024.xlsx" in report.text_content()
    assert (InventoryVersion.objects.count(), EmissionRecord.objects.count()) == (versions, records)


def test_language_switch(page: Any, aarhus: dict[str, Any]) -> None:
    dashboard = reverse("public:dashboard", args=[aarhus["org"].pk])
    page.goto(dashboard)
    # A Danish organisation opens in Danish.
    assert page.get_attribute("html", "lang") == "da"
    assert page.text_content("#charts-heading") == "Diagrammer"
    page.select_option("#language-switch", "en")
    page.click("form.language button[type=submit]")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.text_content("#charts-heading") == "Charts"
    assert page.url.endswith(dashboard)
    page.select_option("#language-switch", "da")
    page.click("form.language button[type=submit]")
    page.wait_for_function("() => document.documentElement.lang === 'da'")
    assert page.text_content("#inventory-heading") != "Inventory by sector"


def test_overview_filters_and_sorts_in_place(page: Any, aarhus: dict[str, Any]) -> None:
    from nettonul.web.demo import load_demo

    load_demo(codes=["101", "147"], with_users=False, with_plans=False)
    page.goto(reverse("public:overview"))
    names = "() => [...document.querySelectorAll('#overview-table tbody tr td:nth-child(2) a')].map(a => a.textContent)"
    assert sorted(page.evaluate(names)) == ["Aarhus", "Frederiksberg", "København"]
    page.evaluate("() => { window.notReloaded = true; }")
    page.fill("input[type=search][name=q]", "frede")
    page.wait_for_function(f"() => ({names})().length === 1")
    assert page.evaluate(names) == ["Frederiksberg"]
    assert "frede" in page.url
    page.fill("input[type=search][name=q]", "")
    page.wait_for_function(f"() => ({names})().length === 3")
    # Sort by name, then reversed, by the column headers; the page is never reloaded.
    page.click("#overview-table thead a[href*='sort=name']")
    page.wait_for_function(f"() => ({names})()[0] === 'Aarhus'")
    page.click("#overview-table thead a[href*='sort=-name']")
    page.wait_for_function(f"() => ({names})()[0] === 'København'")
    assert page.evaluate("() => window.notReloaded") is True
