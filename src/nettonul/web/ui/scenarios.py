"""The numbers behind the charts, fetched and computed the same way for a page, its htmx
fragments and its CSV downloads.

Everything is computed by the engine through :mod:`nettonul.web.adapter` (inventory table,
pathway, plan scenario with wedges, Monte Carlo band); this module only chooses the rows
and calls it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from nettonul.engine.core.errors import NettonulError
from nettonul.web import adapter, pages
from nettonul.web.inventory import services as inventory_services
from nettonul.web.organisations import permissions
from nettonul.web.organisations.models import Organisation
from nettonul.web.plans.models import Action, Plan
from nettonul.web.results import cache_key, cached

#: Monte Carlo draws for the uncertainty band on pages (the API lets callers ask for more).
DRAWS = 500


@dataclass
class PlanFigures:
    scenario: dict[str, Any] | None = None
    band: dict[str, Any] | None = None
    error: str | None = None
    #: The adapter's cache key (empty for an unsaved preview, which is never kept).
    key: str = ""


def _cache_key(plan: Plan, targets: Sequence[Any], actions: Sequence[Action], draws: int) -> str:
    """A digest of the engine's plan document: whatever the engine reads is in it, so any
    saved change to the plan, a target or an action gives a new key."""
    return cache_key("plan-figures", adapter.plan_document(plan, targets, actions), draws)


def plan_figures(plan: Plan | None, actions: Sequence[Action] | None = None, draws: int = DRAWS) -> PlanFigures:
    """The plan's scenario (BAU, plan, wedges, gaps) and its uncertainty band.

    Nothing when the plan has no action with an effect; the engine's message when it
    cannot evaluate the plan (the page then shows the pathway without the plan).
    ``actions`` given means unsaved edits (a preview): computed, never cached."""
    if plan is None:
        return PlanFigures()
    if actions is None:
        rows = list(plan.actions.all())
        key = _cache_key(plan, list(plan.targets.all()), rows, draws)
        figures = cached(key, lambda: _compute(plan, rows, draws))
        figures.key = key
        return figures
    return _compute(plan, list(actions), draws)


def _compute(plan: Plan, rows: list[Action], draws: int) -> PlanFigures:
    if not any(a.effect and a.status != Action.Status.CANCELLED for a in rows):
        return PlanFigures()
    targets = list(plan.targets.all())
    try:
        scenario = adapter.scenario(plan, targets, rows)
        simulated = adapter.simulation(plan, targets, rows, draws=draws)
    except NettonulError as exc:
        return PlanFigures(error=str(exc))
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
    return PlanFigures(scenario=scenario, band=band)


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
    version = inventory_services.current(org)
    if version is None or not permissions.can_view(user, version):
        return result
    results = pages.organisation_results(version, plan, lang)
    result.table, result.pathway, result.error, result.key = (results["table"], results["pathway"],
                                                              results["error"], results["key"])
    return result
