"""National overview and organisation dashboard, the CSV downloads of the dashboard's charts
and an empty view that benchmarks use as their floor. All figures come from the engine
through :mod:`nettonul.web.engine`; these views only fetch rows and choose what to show."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.views.decorators.http import require_safe

from nettonul.engine import EngineError
from nettonul.web import charts, pages
from nettonul.web.engine import cache, inventories, problems, scenarios
from nettonul.web.engine import plans as engine_plans
from nettonul.web.inventory import services as inventory_services
from nettonul.web.inventory.models import EmissionRecord
from nettonul.web.organisations import permissions
from nettonul.web.organisations.models import Organisation
from nettonul.web.plans.models import Plan, Target

SORT_KEYS = ("name", "code", "population", "emissions", "per_capita", "change", "gap")


def _current_plans(user: Any) -> dict[int, Plan]:
    """organisation id -> the current plan shown for it (published first, then newest)."""
    plans = (Plan.objects.filter(permissions.visible_filter(user), is_current=True)
             .order_by("organisation_id", "-published", "-updated_at")
             .prefetch_related(Prefetch("targets", queryset=Target.objects.order_by("year", "id"))))
    out: dict[int, Plan] = {}
    for plan in plans:
        out.setdefault(plan.organisation_id, plan)
    return out


@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    """Every organisation with an inventory: emissions, per capita, target, progress, status."""
    user = request.user
    orgs = {o.pk: o for o in Organisation.objects.all()}
    versions = inventory_services.latest_visible(user)
    plans = _current_plans(user)
    by_setup: dict[tuple[str, str], list[int]] = defaultdict(list)
    for v in versions:
        by_setup[(v.framework, v.gwp_set)].append(v.pk)
    figures: dict[str, dict[str, Any]] = {}
    unavailable: list[Organisation] = []
    language = translation.get_language()
    targets = {orgs[p.organisation_id].code: _targets(p) for p in plans.values()}
    for (framework, gwp_set), ids in by_setup.items():
        records = EmissionRecord.objects.filter(inventory_id__in=ids).order_by("id").values(*inventories.RECORD_COLUMNS)
        try:
            inventory = inventories.inventory_from_records(framework, gwp_set, list(records))
            figures.update(inventories.overview(inventory, targets, language=language))
        except EngineError:
            # One organisation's inventory or targets must not hide the others: each on its
            # own, and one that still fails with its last published version that evaluates.
            for v in (v for v in versions if v.pk in ids):
                found = _overview_of(v, targets, language)
                if found is None:
                    unavailable.append(v.organisation)
                else:
                    figures.update(found)
    rows = []
    q = request.GET.get("q", "").strip().casefold()
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    for org in orgs.values():
        data = figures.get(org.code)
        if data is None or (q and q not in org.name.casefold()) or (kind and org.kind != kind):
            continue
        wanted = {"gap": False, "on_track": True}.get(status)
        if status in ("gap", "on_track") and data["on_track"] is not wanted:
            continue
        plan = plans.get(org.pk)
        rows.append({"org": org, "plan": plan, **data})
    sort = request.GET.get("sort", "code")
    key = sort.lstrip("-")
    if key in SORT_KEYS:
        rows.sort(key=lambda r: _sort_value(r, key), reverse=sort.startswith("-"))
    return render(request, "site/overview.html", {
        "rows": rows, "sort": sort, "q": request.GET.get("q", ""), "kind": kind, "status": status,
        "kinds": Organisation.Kind.choices, "unavailable": unavailable,
        "sources": sorted({src for r in rows for src in r["sources"]}),
    })


def _targets(plan: Plan) -> tuple[Any, ...]:
    """A plan's targets for the overview (none when they cannot be read: the national ones)."""
    try:
        return tuple(engine_plans.targets_of(plan.targets.all()))
    except EngineError:
        return ()


def _overview_of(version: Any, targets: dict[str, Any], language: str | None) -> dict[str, dict[str, Any]] | None:
    """One organisation's overview figures on ``version`` or, when they cannot be computed, on
    its newest earlier published version on which they can (marked ``fallback``); None if none."""
    for candidate in [version, *scenarios.earlier_published(version.organisation_id, version.framework, version.pk)]:
        try:
            found = inventories.overview(inventories.version_inventory(candidate), targets, language=language)
        except EngineError:
            continue
        if candidate is not version:
            for data in found.values():
                data["fallback"] = candidate
        return found
    return None


def _sort_value(row: dict[str, Any], key: str) -> Any:
    if key == "name":
        return row["org"].name.casefold()
    if key == "code":
        return int(row["org"].code) if row["org"].code.isdigit() else math.inf
    value = {"population": row["org"].population, "emissions": row["emissions"], "per_capita": row["per_capita"],
             "change": row["change_since_base"], "gap": row["gap"]}[key]
    return math.inf if value is None else value


@require_safe
def dashboard(request: HttpRequest, org_id: int) -> HttpResponse:
    """One organisation: inventory by sector, the pathway (history, BAU, target path, gap)
    for the chosen plan, its plans and inventories."""
    org = get_object_or_404(Organisation, pk=org_id)
    pages.use_organisation_language(request, org)
    user = request.user
    lang = pages.language(request)
    plans = list(Plan.objects.filter(permissions.visible_filter(user), organisation=org, is_current=True)
                 .order_by("-published", "-updated_at")
                 .prefetch_related(Prefetch("targets", queryset=Target.objects.order_by("year", "id"))))
    chosen = request.GET.get("plan")
    plan = next((p for p in plans if str(p.pk) == chosen), plans[0] if plans else None)
    version = next(iter(inventory_services.latest_visible(user, org)), None)
    can_edit = permissions.can_edit(user, org)
    drafts = inventory_services.drafts(user, org) if can_edit else []
    # an editor may look at the figures of a draft (``?draft=``), under a draft banner
    draft = next((d for d in drafts if str(d.pk) == request.GET.get("draft")), None)
    if draft is not None:
        version = draft
    table = pathway = None
    error = None
    fallback = None
    results_key = ""
    if version is not None:
        results = scenarios.organisation_results(version, plan, lang)
        table, pathway, error, results_key = results["table"], results["pathway"], results["error"], results["key"]
        fallback = results["fallback"]
    figures = scenarios.plan_figures(plan, inventory=draft) if pathway else scenarios.PlanFigures()
    # The page's charts and tables are kept as rendered HTML under keys made of everything
    # they show: the adapter's key of the inventory and pathway (which changes with a new
    # inventory or other targets), the plan figures' key (any saved change to the plan),
    # what else the fragments print, and the language (added in the template).
    shown = [results_key, pk_of(version), getattr(version, "number", None), pk_of(plan),
             plan.title if plan else None, error, can_edit, pk_of(fallback), pk_of(figures.fallback), pk_of(draft)]
    return render(request, "site/dashboard.html", {
        "org": org, "plans": plans, "plan": plan, "inventory": version, "table": table, "pathway": pathway,
        "pathway_error": problems.error(error), "fallback": fallback, "can_edit": can_edit,
        "drafts": drafts, "draft": draft,
        "can_view_history": permissions.can_view_history(user, org),
        "milestone_rows": _milestone_rows(pathway), "figures": figures,
        "tables_key": cache.key("dashboard-tables", *shown),
        "charts_key": cache.key("dashboard-charts", *shown, figures.key, figures.error, can_edit, org.pk),
    })


def pk_of(obj: Any) -> Any:
    return obj.pk if obj is not None else None


def _milestone_rows(pathway: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not pathway:
        return []
    return list(pathway["target_path"]["milestones"])


@require_safe
def ping(request: HttpRequest) -> HttpResponse:
    """An empty response: the cost of Django itself, the floor the web benchmark compares with."""
    return HttpResponse(b"", content_type="text/plain")


# ----------------------------------------------------------------------------- CSV downloads
@require_safe
def inventory_csv(request: HttpRequest, org_id: int, kind: str = "csv") -> HttpResponse:
    """The dashboard's inventory table as CSV (``kind="xlsx"``: Excel)."""
    org = pages.get_visible(request, Organisation, org_id)
    pages.use_organisation_language(request, org)
    data = scenarios.dashboard(request, org, None)
    if data.table is None:
        raise Http404
    return charts.chart_download(charts.inventory_chart(data.table), f"{org.code}-{org.name}-inventory", kind,
                                 pages.language(request))


@require_safe
def pathway_csv(request: HttpRequest, org_id: int, kind: str = "csv") -> HttpResponse:
    """The dashboard's pathway chart (with the plan chosen by ``?plan=``) as CSV or Excel."""
    org = pages.get_visible(request, Organisation, org_id)
    pages.use_organisation_language(request, org)
    plan = scenarios.choose_plan(request, org, request.GET.get("plan"))
    data = scenarios.dashboard(request, org, plan)
    if data.pathway is None:
        raise Http404
    figures = scenarios.plan_figures(plan)
    return charts.chart_download(charts.pathway_chart(data.pathway, figures.scenario, figures.band),
                                 f"{org.code}-{org.name}-pathway", kind, pages.language(request))
