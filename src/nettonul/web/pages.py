"""Helpers shared by the server-rendered views of every app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation

from nettonul.web.organisations import permissions
from nettonul.web.organisations.models import Organisation


def get_visible(request: HttpRequest, model: type[Model], pk: int, related: tuple[str, ...] = ()) -> Any:
    """The object, or 404 when it is absent or the user may not read it (not revealed)."""
    obj = get_object_or_404(model._default_manager.select_related(*related), pk=pk)
    if not permissions.can_view(request.user, obj):
        raise Http404
    return obj


def use_organisation_language(request: HttpRequest, org: Organisation) -> None:
    """Pages about an organisation open in its language (Danish for Danish organisations)
    unless the user has chosen a language with the switch."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return
    if org.language in dict(settings.LANGUAGES):
        translation.activate(org.language)
        request.LANGUAGE_CODE = org.language


def language(request: HttpRequest) -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def organisation_results(version: Any, plan: Any, lang: str | None) -> dict[str, Any]:
    """The inventory table and the pathway of an inventory version with ``plan``'s targets
    (the Danish national targets without a plan), kept between requests by the adapter:
    ``{"key", "table", "pathway", "error"}``, with sector names in ``lang`` (None: the
    language-independent result, for the API)."""
    from nettonul.engine.core.errors import NettonulError
    from nettonul.web import adapter
    from nettonul.web.inventory import services as inventory_services

    problem = None
    try:
        targets = adapter.targets_of(plan.targets.all()) if plan is not None else None
    except NettonulError as exc:
        targets, problem = None, str(exc)
    results = adapter.organisation_results(version, plan.base_year if plan is not None else 1990, targets,
                                           lambda: inventory_services.engine_inventory(version))
    if problem is not None:
        results.update(pathway=None, error=problem)
    return adapter.localised(results, lang) if lang else results


def plan_scenario(plan: Any, targets: list[Any], actions: list[Any], draws: int = 0) -> dict[str, Any]:
    """The engine's scenario for a plan (and, with ``draws``, its uncertainty band), or the
    problems that stop it, for a page to show either way."""
    from nettonul.engine.core.errors import NettonulError
    from nettonul.engine.core.errors import ValidationError as EngineValidationError
    from nettonul.web import adapter

    if not any(a.effect for a in actions):
        return {"scenario": None, "simulation": None, "problems": []}
    try:
        scenario = adapter.scenario(plan, targets, actions)
        simulation = adapter.simulation(plan, targets, actions, draws=draws) if draws else None
    except EngineValidationError as exc:
        return {"scenario": None, "simulation": None, "problems": [str(p) for p in exc.problems]}
    except NettonulError as exc:
        return {"scenario": None, "simulation": None, "problems": [str(exc)]}
    years = scenario["years"]
    at = [years.index(t["year"]) for t in scenario["targets"] if t["year"] in years]
    wedge_rows = [{"title": w["title"], "at_targets": [w["values"][i] for i in at]} for w in scenario["wedges"]]
    return {"scenario": scenario, "simulation": simulation, "problems": [],
            "rows": scenario_rows(scenario, simulation), "wedge_rows": wedge_rows}


def scenario_rows(scenario: dict[str, Any], simulation: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Year rows of a scenario for a table: BAU, plan, target path and, when simulated, the
    5th and 95th percentile of the plan."""
    band = simulation["organisations"][0]["percentiles"] if simulation else {}
    rows = []
    for i, year in enumerate(scenario["years"]):
        rows.append({"year": year, "bau": scenario["bau"][i], "plan": scenario["plan"][i],
                     "target_path": scenario["target_path"][i],
                     "p5": band["P5"][i] if "P5" in band else None, "p95": band["P95"][i] if "P95" in band else None})
    return rows
