"""Template tags for charts, loaded as ``{% load ui_charts %}`` by the dashboards, the plan
editor and the monitoring pages: ``{% chart c %}`` (plot + table view + CSV link),
``{% dashboard_charts %}`` (the organisation dashboard's charts, from the dashboard's own
context), ``{% ui_scripts %}`` (the vendored scripts, never from a CDN), the ``unit``
filter (``t_CO2e`` -> ``t CO2e``) and the ``day`` filter (a date in the reader's language)."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone, translation

from nettonul.web import charts
from nettonul.web.engine import problems, scenarios
from nettonul.web.engine.vocabulary import i18n

register = template.Library()


@register.inclusion_tag("site/chart.html")
def chart(c: charts.Chart) -> dict[str, Any]:
    language = translation.get_language() or "en"
    figure = c.figure(language)
    figure["layout"]["separators"] = i18n.separators(language)
    # In an attribute, not a <script> element: htmx drops script elements from swapped content.
    return {"chart": c, "figure_json": json.dumps(figure, allow_nan=False), "data_id": f"chart-{c.id}-plot",
            "table_body": c.table_body(language)}


@register.inclusion_tag("site/dashboard_charts.html", takes_context=True)
def dashboard_charts(context: template.Context) -> dict[str, Any]:
    """The inventory chart, the pathway chart (with the chosen plan's scenario, wedges,
    uncertainty band and gaps) and the plan's MACC and cost by year for the dashboard whose
    context holds ``org``, ``plan``, ``table`` and ``pathway``."""
    org, plan = context["org"], context.get("plan")
    table, pathway = context.get("table"), context.get("pathway")
    inventory_chart = pathway_chart = None
    figures = scenarios.PlanFigures()
    if table:
        inventory_chart = charts.inventory_chart(table, reverse("ui:inventory_csv", args=[org.pk]))
    if pathway:
        # The dashboard view has the plan figures already (they are part of its cache keys).
        figures = context.get("figures") or scenarios.plan_figures(plan)
        query = f"?plan={plan.pk}" if plan else ""
        pathway_chart = charts.pathway_chart(pathway, figures.scenario, figures.band,
                                             reverse("ui:pathway_csv", args=[org.pk]) + query)
    return {"inventory_chart": inventory_chart, "pathway_chart": pathway_chart,
            "plan_error": problems.error(figures.error), "plan_fallback": figures.fallback,
            "plan": plan, "can_edit": context.get("can_edit"), "has_scenario": figures.scenario is not None,
            "cost_charts": cost_charts(plan, figures.scenario)}


def cost_charts(plan: Any, scenario: dict[str, Any] | None) -> list[charts.Chart]:
    """The plan's MACC and its cost by year, each with its CSV and Excel download, from the
    plan's scenario (``plans.scenario``); none when no action has a cost."""
    if not scenario or plan is None:
        return []

    def url(which: str) -> str:  # the Excel download is its .xlsx twin (Chart.xlsx_url)
        return reverse("plans:costs_download", args=[plan.pk, which, "csv"])

    found = [charts.macc_chart(scenario, url("macc")), charts.cost_by_year_chart(scenario, url("cost-by-year"))]
    return [c for c in found if c is not None]


@register.inclusion_tag("site/cost_charts.html")
def plan_cost_charts(plan: Any, scenario: dict[str, Any] | None) -> dict[str, Any]:
    """``{% plan_cost_charts plan scenario %}``: the plan's MACC and cost by year charts."""
    return {"cost_charts": cost_charts(plan, scenario)}


@register.filter
def day(value: Any) -> str:
    """A date (or an ISO date string from the engine) in the active language: ``5.3.2025`` in
    Danish, ``2025-03-05`` in English."""
    if value in (None, ""):
        return "–"
    return i18n.day(value, translation.get_language() or "en")


@register.filter
def when(value: Any) -> str:
    """A moment (a datetime) in local time and the active language: ``3.12.2026 16:48`` in
    Danish, ``2026-12-03 16:48`` in English."""
    if value is None:
        return "–"
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{i18n.day(local.date(), translation.get_language() or 'en')} {local:%H:%M}"


@register.filter
def unit(code: str) -> str:
    """A unit code as a reader writes it: ``t_CO2e`` -> ``t CO2e``."""
    return charts.unit_label(code or "")


@register.inclusion_tag("site/scripts.html")
def ui_scripts() -> dict[str, Any]:
    return {}
