"""The public dashboard of an organisation (``/p/<code>/``): read-only, for everyone, and
only what the organisation has published: its published current plans, their derived
status (from the engine, cached), the check summary and the latest issued report.

The page runs a constant number of queries whatever the number of actions, indicators or
reports, and is laid out for a phone first.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from nettonul.web import pages
from nettonul.web.engine import monitoring as engine_monitoring
from nettonul.web.monitoring import labels, services
from nettonul.web.monitoring.models import ReportSnapshot
from nettonul.web.organisations.models import Organisation
from nettonul.web.plans.models import Plan


def _key_years(inputs: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows for 1990, the latest inventory year and each target year (phone-sized table)."""
    last = inputs["key_figures"]["last_inventory_year"]
    wanted = {1990, *(t["year"] for t in inputs["targets"])}
    if last:
        wanted.add(last)
    return [r for r in labels.emission_rows(inputs) if r["year"] in wanted]


@require_safe
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    org = get_object_or_404(Organisation, code=code)
    pages.use_organisation_language(request, org)
    lang = labels.language_of(pages.language(request))
    published = list(Plan.objects.filter(organisation=org, published=True, is_current=True)
                     .select_related("organisation").order_by("-updated_at"))
    plan = published[0] if published else None
    ctx: dict[str, Any] = {"org": org, "plan": plan, "other_plans": published[1:], "lang": lang}
    if plan is not None:
        state = services.plan_state(plan)
        inputs = state["inputs"]
        ctx["problems"] = state["problems"]
        if inputs:
            check = inputs["check"][lang]
            counts: dict[str, int] = {}
            for a in inputs["actions"]:
                counts[a["state"]] = counts.get(a["state"], 0) + 1
            key = dict(inputs["key_figures"])
            if key.get("next_target"):
                key["next_target"] = dict(key["next_target"],
                                          label=engine_monitoring.target_label(key["next_target"], lang))
            ctx.update({
                "inputs": inputs, "key": key, "outlook": inputs["outlook"],
                "outlook_label": labels.STATE.get((inputs["outlook"] or {}).get("state", ""), ""),
                "rows": _key_years(inputs), "check": engine_monitoring.check_summary(check),
                "verdict": labels.VERDICT[check["verdict"]],
                "action_counts": [{"state": s, "label": labels.STATE.get(s, s), "n": n}
                                  for s, n in sorted(counts.items())],
                "indicators": labels.indicator_rows(inputs), "emissions_chart": labels.emissions_chart(
                    inputs, reverse("monitoring:emissions_csv", args=[plan.pk])),
            })
        ctx["report"] = (ReportSnapshot.objects.filter(plan__lineage=plan.lineage, plan__published=True)
                         .defer("pdf", "excel", "snapshot").order_by("-issued", "-id").first())
    return render(request, "monitoring/public_dashboard.html", ctx)
