"""The numbers behind the pages and charts, fetched and computed the same way for a page,
its htmx fragments, its CSV downloads and the API.

Everything is computed by the engine through :mod:`nettonul.web.engine.inventories`
(inventory table, pathway) and :func:`nettonul.web.engine.plans.plan_results` (the one path
to a plan's scenario with wedges and its Monte Carlo band); this module only chooses the
rows and calls them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from nettonul.engine.core.errors import EngineError
from nettonul.web import pages
from nettonul.web.engine import inventories, plans
from nettonul.web.inventory.models import InventoryVersion
from nettonul.web.organisations import permissions
from nettonul.web.organisations.models import Organisation
from nettonul.web.plans.models import Action, Plan

#: Monte Carlo draws for the uncertainty band on pages (the API lets callers ask for more).
DRAWS = 500
#: How many earlier published inventory versions are tried for the last good figures.
FALLBACK_VERSIONS = 5


def earlier_published(organisation_id: int, framework: str, current_pk: int | None) -> list[InventoryVersion]:
    """The organisation's published inventory versions other than the current one, newest
    first (at most :data:`FALLBACK_VERSIONS`): where the last good figures are looked for."""
    return list(InventoryVersion.objects.filter(organisation_id=organisation_id, framework=framework, published=True)
                .exclude(pk=current_pk).select_related("organisation").order_by("-number")[:FALLBACK_VERSIONS])


def _with_fallback(found: dict[str, Any], plan: Any, targets: list[Any], actions: list[Any],
                   draws: int) -> dict[str, Any]:
    """``found`` (:func:`plans.plan_results` on the current inventory) or, when it failed, the
    results on the newest earlier published inventory version that evaluates, with the
    failure kept (``error``, ``problems``) and that version as ``fallback``."""
    found = {**found, "fallback": None}
    if found["error"] is None or plan is None or not plan.published:
        return found
    if (plan.model or {}).get("inventory", {}).get("source") == "inline":  # no stored inventory to go back in
        return found
    current_pk = InventoryVersion.objects.filter(organisation_id=plan.organisation_id, is_current=True).values_list(
        "pk", flat=True).first()
    for version in earlier_published(plan.organisation_id, plan.framework, current_pk):
        alt = plans.plan_results(plan, targets, actions, draws=draws, inventory=version)
        if alt["error"] is None:
            return {**alt, "error": found["error"], "problems": found["problems"], "fallback": version}
    return found


@dataclass
class PlanFigures:
    scenario: dict[str, Any] | None = None
    band: dict[str, Any] | None = None
    error: str | None = None
    #: the earlier published inventory version the figures were computed on, when the plan
    #: cannot be evaluated on the current one (``error`` says why)
    fallback: InventoryVersion | None = None
    #: The adapter's cache key (empty for an unsaved preview, which is never kept).
    key: str = ""


def plan_figures(plan: Plan | None, actions: Sequence[Action] | None = None, draws: int = DRAWS,
                 inventory: InventoryVersion | None = None) -> PlanFigures:
    """The plan's scenario (BAU, plan, wedges, gaps) and its uncertainty band.

    Nothing when the plan has no action with an effect; the engine's message when it
    cannot evaluate the plan (the page then shows the pathway without the plan).
    ``actions`` given means unsaved edits (a preview): computed, never kept. ``inventory``: a
    draft version its members preview the figures on (no fallback: they see its problem)."""
    if plan is None:
        return PlanFigures()
    rows = list(plan.actions.all()) if actions is None else list(actions)
    if not any(a.effect and a.status != Action.Status.CANCELLED for a in rows):
        return PlanFigures()
    targets = list(plan.targets.all())
    found = plans.plan_results(plan, targets, rows, draws=draws, keep=actions is None, inventory=inventory)
    if actions is None and inventory is None:  # saved state only: a preview shows its own problem
        found = _with_fallback(found, plan, targets, rows, draws)
    if found["scenario"] is None:
        return PlanFigures(error=found["error"])
    scenario, simulated = found["scenario"], found["simulation"]
    band = None
    org = next((o for o in simulated["organisations"] if o["org"] == scenario["organisation"]), None)
    if org is not None:
        p5, p95 = org["percentiles"]["P5"], org["percentiles"]["P95"]
        spread = max((abs(b - a) for a, b in zip(p5, p95, strict=True) if a is not None and b is not None),
                     default=0.0)
        # Without any stated uncertainty every draw is the same: no band to show.
        if spread > 1e-9 * max((abs(v) for v in p95 if v is not None), default=1.0):
            band = {"years": simulated["years"], "draws": simulated["draws"], "percentiles": org["percentiles"],
                    "targets": org["targets"]}
    return PlanFigures(scenario=scenario, band=band, key=found["key"], error=found["error"],
                       fallback=found.get("fallback"))


def plan_scenario(plan: Any, targets: list[Any], actions: list[Any], draws: int = 0) -> dict[str, Any]:
    """The engine's scenario for a plan (and, with ``draws``, its uncertainty band), or the
    problems that stop it, for a page to show either way."""
    if not any(a.effect for a in actions):
        return {"scenario": None, "simulation": None, "problems": []}
    found = _with_fallback(plans.plan_results(plan, targets, actions, draws=draws), plan, targets, actions, draws)
    scenario, simulation = found["scenario"], found["simulation"]
    if scenario is None:
        return {"scenario": None, "simulation": None, "problems": found["problems"], "fallback": None}
    years = scenario["years"]
    at = [years.index(t["year"]) for t in scenario["targets"] if t["year"] in years]
    wedge_rows = [{"title": w["title"], "at_targets": [w["values"][i] for i in at]} for w in scenario["wedges"]]
    return {"scenario": scenario, "simulation": simulation, "problems": found["problems"],
            "fallback": found["fallback"], "rows": scenario_rows(scenario, simulation), "wedge_rows": wedge_rows}


def plan_words(plan: Any, targets: list[Any], actions: list[Any], language: str) -> dict[str, dict[Any, str]]:
    """What a plan page words from the engine, in ``language``: ``targets`` (each Target row's
    pk -> its description; qualitative ones are left out), ``labels`` (the engine's English
    target descriptions -> the same in ``language``) and ``sectors`` (code -> name)."""
    codes = {t.sector for t in targets if t.sector} | {a.sector for a in actions if a.sector}
    sectors = inventories.sector_names(plan.framework, sorted(codes), language)
    described: dict[Any, str] = {}
    labels: dict[Any, str] = {}
    for row in targets:
        try:
            target = plans.target_spec(row.kind, row.year, row.value, row.against, row.sector)
        except EngineError:
            continue
        if target is not None:
            described[row.pk] = target.describe(language, sectors.get(row.sector) if row.sector else None)
            labels[target.describe()] = described[row.pk]
    return {"targets": described, "labels": labels, "sectors": sectors}


def worded_scenario(computed: dict[str, Any], labels: dict[Any, str]) -> dict[str, Any]:
    """A copy of :func:`plan_scenario`'s result with its target descriptions in ``labels``'
    language (the scenario itself may be shared through the cache, so it is not changed)."""
    scenario = computed.get("scenario")
    if not scenario:
        return computed
    worded = dict(scenario, targets=[dict(t, target=labels.get(t["target"], t["target"]))
                                     for t in scenario["targets"]])
    return dict(computed, scenario=worded)


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


def organisation_results(version: Any, plan: Any, lang: str | None) -> dict[str, Any]:
    """The inventory table and the pathway of an inventory version with ``plan``'s targets
    (the Danish national targets without a plan), kept between requests:
    ``{"key", "table", "pathway", "error", "fallback"}``, with sector names in ``lang`` (None:
    the language-independent result, for the API).

    When the pathway cannot be computed on ``version``, it is that of the newest earlier
    published version on which it can (``fallback``; ``error`` still says what is wrong with
    ``version``; the table stays ``version``'s), so public pages show the last good figures."""
    problem = None
    try:
        targets = plans.targets_of(plan.targets.all()) if plan is not None else None
    except EngineError as exc:
        targets, problem = None, str(exc)
    base_year = plan.base_year if plan is not None else 1990
    results = {**inventories.organisation_results(version, base_year, targets), "fallback": None}
    if problem is not None:
        results.update(pathway=None, error=problem)
    elif results["error"] is not None:
        for earlier in earlier_published(version.organisation_id, version.framework, version.pk):
            alt = inventories.organisation_results(earlier, base_year, targets)
            if alt["error"] is None:
                results = {**results, "key": alt["key"], "table": results["table"] or alt["table"],
                           "pathway": alt["pathway"], "fallback": earlier}
                break
    return inventories.localised(results, lang, targets) if lang else results


@dataclass
class Dashboard:
    """What the dashboard's charts show for one organisation and (optionally) one plan."""

    org: Organisation
    plan: Plan | None
    table: dict[str, Any] | None = None
    pathway: dict[str, Any] | None = None
    error: str | None = None
    #: The adapter's cache key of the table and pathway (for keeping what is drawn from them).
    key: str = ""
    #: The earlier published inventory version shown because the current one fails.
    fallback: InventoryVersion | None = None


def choose_plan(request: HttpRequest, org: Organisation, plan_id: str | None) -> Plan | None:
    """The plan the dashboard shows: the one asked for, else the first current visible one
    (published first, then the newest), as the dashboard page chooses."""
    plans = list(Plan.objects.filter(permissions.visible_filter(request.user), organisation=org, is_current=True)
                 .order_by("-published", "-updated_at"))
    return next((p for p in plans if str(p.pk) == plan_id), plans[0] if plans else None)


def dashboard(request: HttpRequest, org: Organisation, plan: Plan | None) -> Dashboard:
    """The inventory table and the pathway with ``plan``'s targets, as the dashboard computes them."""
    user = request.user
    lang = pages.language(request)
    result = Dashboard(org, plan)
    version = InventoryVersion.objects.filter(organisation=org, is_current=True).first()
    if version is None or not permissions.can_view(user, version):
        return result
    results = organisation_results(version, plan, lang)
    result.table, result.pathway, result.error, result.key = (results["table"], results["pathway"],
                                                              results["error"], results["key"])
    result.fallback = results["fallback"]
    return result
