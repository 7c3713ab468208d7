"""Template tags for charts, loaded as ``{% load ui_charts %}`` by the dashboards, the plan
editor and the monitoring pages: ``{% chart c %}`` (plot + table view + CSV link),
``{% dashboard_charts %}`` (the organisation dashboard's charts, from the dashboard's own
context), ``{% ui_scripts %}`` (the vendored scripts, never from a CDN) and the ``unit``
filter (``t_CO2e`` -> ``t CO2e``)."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.urls import reverse
from django.utils import translation

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
    """The inventory chart and the pathway chart (with the chosen plan's scenario, wedges,
    uncertainty band and gaps) for the dashboard whose context holds ``org``, ``plan``,
    ``table`` and ``pathway``."""
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
            "plan": plan, "can_edit": context.get("can_edit"), "has_scenario": figures.scenario is not None}


@register.filter
def unit(code: str) -> str:
    """A unit code as a reader writes it: ``t_CO2e`` -> ``t CO2e``."""
    return charts.unit_label(code or "")


@register.inclusion_tag("site/scripts.html")
def ui_scripts() -> dict[str, Any]:
    return {}
