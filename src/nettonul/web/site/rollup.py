"""The support bodies' pages: do the plans add up (``public:rollup``, with its CSV), and the
cheapest portfolio of a plan (``public:plan_optimum``) and of the nation
(``public:national_optimum``). Every figure comes from the engine through
:mod:`nettonul.web.engine.rollup`; these views choose rows and their order."""

from __future__ import annotations

import math
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from nettonul.engine import EngineError
from nettonul.web import charts
from nettonul.web.engine import inventories
from nettonul.web.engine import rollup as engine_rollup
from nettonul.web.engine.plans import engine_plan
from nettonul.web.engine.vocabulary import i18n
from nettonul.web.organisations import permissions
from nettonul.web.plans import services as plan_services
from nettonul.web.plans.models import Plan

SORT_KEYS = ("name", "region", "source", "base", "last", "rolled", "contribution", "energy", "transport",
             "agriculture", "waste", "industry")
TOP = 10


def rollup_data() -> tuple[dict[str, Any], list[str]]:
    specs, targets, problems = engine_rollup.sources(plan_services.published_current())
    return engine_rollup.national(specs, targets), problems


def _rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    y, last = data["year"], data["last_inventory_year"]
    return [{"code": m["code"], "name": m["name"], "region": m["region"], "source": m["source"],
             "base": m["base_1990_t"], "last": m[f"inventory_{last}_t"], "rolled": m[f"rollup_{y}_t"],
             "contribution": sum(v or 0.0 for v in m["contribution_by_sector_t"].values()),
             **m["contribution_by_sector_t"]} for m in data["municipalities"]]


def _sorted(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        return rows

    def value(r: dict[str, Any]) -> Any:
        v = r.get(key)
        if isinstance(v, str):
            return (0, v.casefold())
        return (1, -math.inf if v is None else v)

    return sorted(rows, key=value, reverse=sort.startswith("-"))


@require_safe
def rollup(request: HttpRequest) -> HttpResponse:
    """Do the plans add up to Denmark's -70 % in 2030? Headlines with their bands, the
    national frame, contributions by municipality and sector, the furthest from their targets."""
    data, problems = rollup_data()
    language = translation.get_language() or "en"
    sectors = inventories.sector_names("dk-municipal", data["contribution_by_sector_t"], language)
    sort = request.GET.get("sort", "-contribution")
    rows = _sorted(_rows(data), sort)
    chart = charts.rollup_chart(data, sectors, reverse("ui:rollup_csv"))
    source_names = {"published plan": _("published plan"), "stated target": _("stated target"),
                    "business as usual": _("business as usual"),
                    "assumed: national target": _("assumed: national target")}
    for r in rows:
        r["source_name"] = source_names.get(r["source"], r["source"])
        r["sectors"] = [r.get(s) for s in sectors]
    u = data["uncertainty"] or {}
    h = data["headlines"]

    def pct(v: float | None) -> str:
        return i18n.percent(v, language, 1)

    def band(b: dict[str, float] | None, mt: bool = False) -> str:
        if not b:
            return ""
        lo, hi = (i18n.number(b["P5"], language, 2), i18n.number(b["P95"], language, 2)) if mt else \
            (pct(b["P5"]), pct(b["P95"]))
        return _("P5–P95: %(low)s to %(high)s") % {"low": lo, "high": hi}

    text = {"met": pct(h["covered_reduction_if_targets_met"]),
            "met_band": band(u.get("reduction_vs_1990_if_targets_met")),
            "plans": pct(h["covered_reduction"]), "plans_band": band(u.get("reduction_vs_1990")),
            "bau": pct(h["covered_bau_reduction"]), "gap": i18n.number(h["gap_mt"], language, 2),
            "gap_band": band(u.get("gap_to_target_mt"), mt=True),
            "outside": i18n.number(h["uncovered_mt"], language, 2),
            "gap_lulucf": i18n.number(h["gap_incl_lulucf_mt"], language, 2)}
    return render(request, "site/rollup.html", {
        "text": text,
        "data": data, "h": data["headlines"], "n": data["national"], "u": u, "rows": rows, "sort": sort,
        "sectors": sectors, "chart": chart, "problems": problems, "year": data["year"],
        "last": data["last_inventory_year"],
        "furthest": [{**f, "source_name": source_names.get(f["source"], f["source"])}
                     for f in data["furthest_from_target"][:TOP]],
        "national_rows": _national_rows(data), "source_names": source_names,
        "shared": [p["name"] for p in u.get("parameters", []) if p["scope"] == "national"],
    })


def _national_rows(data: dict[str, Any]) -> list[tuple[str, float]]:
    n, y, last = data["national"], data["year"], data["last_inventory_year"]
    return [
        (_("1990 without LULUCF"), n["base_1990_excl_lulucf_mt"]),
        (_("1990 with LULUCF (the Climate Act's base)"), n["base_1990_incl_lulucf_mt"]),
        (_("-70 % target without LULUCF"), n["target_excl_lulucf_mt"]),
        (_("Roll-up, the nation without LULUCF, %(year)s") % {"year": y}, n[f"rollup_{y}_excl_lulucf_mt"]),
        (_("Outside municipal reach, at KF25, %(year)s") % {"year": y},
         sum(b[f"kf25_{y}_mt"] for b in n["uncovered"])),
        (_("KF25 'with existing measures', %(year)s, without LULUCF") % {"year": y},
         n[f"kf25_wem_{y}_excl_lulucf_mt"]),
        (_("KF25 'with existing measures', %(year)s, the categories municipalities cover") % {"year": y},
         n[f"kf25_wem_covered_categories_{y}_mt"]),
        (_("Reconciliation residual %(year)s") % {"year": last}, n[f"reconciliation_residual_{last}_mt"]),
    ]


@require_safe
def rollup_csv(request: HttpRequest, kind: str = "csv") -> HttpResponse:
    """The contributions chart's numbers as CSV (``kind="xlsx"``: Excel)."""
    data, _problems = rollup_data()
    language = translation.get_language() or "en"
    sectors = inventories.sector_names("dk-municipal", data["contribution_by_sector_t"], language)
    chart = charts.rollup_chart(data, sectors)
    if kind == "xlsx":
        return charts.xlsx_response(chart, "rollup")
    return charts.csv_response(chart, "rollup", language)


def _float(request: HttpRequest, name: str) -> float | None:
    text = request.GET.get(name, "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def _year(request: HttpRequest) -> int | None:
    text = request.GET.get("year", "").strip()
    return int(text) if text.isdigit() and 1990 <= int(text) <= 2100 else None


@require_safe
def plan_optimum(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The cheapest portfolio of one plan's actions: which, at what level, cost per tonne, and
    what cannot be met and why."""
    plan = get_object_or_404(Plan.objects.select_related("organisation"), pk=plan_id)
    if not permissions.can_view(request.user, plan):
        raise Http404("plan not found")
    year, budget = _year(request), _float(request, "budget")
    result, error = None, None
    try:
        spec = engine_plan(plan, plan.targets.all(), plan.actions.all())
        result = engine_rollup.plan_optimum(spec, year, budget)
    except EngineError as exc:
        error = str(exc)
    years = [] if result is None else [
        {"year": y, "emissions": e, "estimate": (result["estimate_t_co2e"] or {}).get(y),
         "gap": result["gap_t_co2e"][y]} for y, e in result["emissions_t_co2e"].items()]
    return render(request, "site/optimum.html", {"plan": plan, "result": result, "error": error, "year": year,
                                                  "budget": budget, "national": False, "years": years})


@require_safe
def national_optimum(request: HttpRequest) -> HttpResponse:
    """Which municipalities' actions keep Denmark at -70 % in 2030 most cheaply."""
    budget = _float(request, "budget")
    specs, targets, problems = engine_rollup.sources(plan_services.published_current())
    result, error = None, None
    try:
        found = engine_rollup.national_optimum(specs, targets, budget=budget)
        result = {**found, "actions": [{**a, "org_name": found["names"].get(a["org"], a["org"])}
                                       for a in found["actions"]]}
    except EngineError as exc:
        error = str(exc)
    return render(request, "site/optimum.html", {"plan": None, "result": result, "error": error, "year": 2030,
                                                  "budget": budget, "national": True, "problems": problems})
