"""Plans and scenarios: a Plan with its targets and actions to the engine's plan (with the
organisation's stored inventory in memory), and the scenario and Monte Carlo band the
engine computes for it, kept under the key of that engine plan.

Models go in as engine inputs; engine results come out as plain dicts and lists for
templates and the API. No emissions, paths or gaps are computed here: every number
returned was computed by :mod:`nettonul.engine`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from nettonul.engine.core.errors import EngineError
from nettonul.engine.core.errors import ValidationError as EngineValidationError
from nettonul.engine.core.frameworks import get_framework
from nettonul.engine.core.jsondata import plain
from nettonul.engine.core.panel import Panel
from nettonul.engine.core.vocabulary import TARGET_KINDS, ActionValues, TargetValues
from nettonul.engine.io.problems import field_messages
from nettonul.engine.io.structure import structure_problem
from nettonul.engine.pathway.targets import Target, make_target
from nettonul.engine.plan.compile import compile_plan
from nettonul.engine.plan.distributions import Distribution
from nettonul.engine.plan.effects import Effect, parameters_of
from nettonul.engine.plan.scenario import evaluate, summarise
from nettonul.engine.plan.spec import Plan as EnginePlan
from nettonul.engine.plan.spec import parse_plan, unmarked_numbers, with_inventory
from nettonul.engine.plan.uncertainty import simulate
from nettonul.web.engine import cache
from nettonul.web.engine.inventories import StoredInventory, stored_inventory

_EFFECT = TypeAdapter(Effect)


# ----------------------------------------------------------------------------- targets and actions
def target_spec(kind: str, year: int, value: float | None, against: int | None, sector: str) -> Target | None:
    """The engine's target for a Target row; None for a qualitative commitment."""
    return make_target(kind, year, value, against, sector) if kind in TARGET_KINDS else None


def targets_of(rows: Iterable[Any]) -> tuple[Target, ...]:
    """Engine targets for Target model instances (qualitative ones are left out)."""
    out = []
    for t in rows:
        spec = target_spec(t.kind, t.year, t.value, t.against, t.sector)
        if spec is not None:
            out.append(spec)
    return tuple(out)


def stored_value_problems(model: type[ActionValues] | type[TargetValues], obj: Any) -> dict[str, str]:
    """Field path -> reason for the values of ``obj`` (an Action or a Target) that the shared
    schema (:mod:`nettonul.engine.core.vocabulary`) refuses: what would break a reader."""
    values = {name: getattr(obj, name) for name in model.model_fields}
    try:  # the fields are flat (texts, numbers, lists of integers): pydantic does not recurse far
        model.model_validate(values)
    except PydanticValidationError as exc:
        problems = field_messages(exc)
        if "__all__" in problems:  # the model's own rule: full effect before the start
            problems["full_year"] = problems.pop("__all__")
        return problems
    return {}


def target_problems(target: Any) -> dict[str, str]:
    """Field path -> reason for a Target the engine cannot use; empty when it is fine."""
    problems = stored_value_problems(TargetValues, target)
    if problems:
        return problems
    try:
        target_spec(target.kind, target.year, target.value, target.against, target.sector)
    except EngineError as exc:
        return {"value": str(exc)}
    if target.sector:
        try:
            get_framework(target.plan.framework).sector(target.sector)
        except EngineError as exc:
            return {"sector": str(exc)}
    return {}


def action_problems(action: Any) -> dict[str, str]:
    """Field path -> reason for an Action whose values (:class:`ActionValues`) or effect the
    engine does not accept."""
    problems = stored_value_problems(ActionValues, action)
    if problems:
        return problems
    for name in ("cost", "uncertainty"):
        value = getattr(action, name)
        if value is not None and not isinstance(value, dict):
            return {name: "must be an object"}
        too_big = structure_problem(value or {})
        if too_big:
            return {name: too_big}
    if not action.effect:
        return {}
    if not isinstance(action.effect, dict):
        return {"effect": "the effect must be an object with a 'type'"}
    too_big = structure_problem(action.effect)
    if too_big:
        return {"effect": too_big}
    try:
        effect = _EFFECT.validate_python(action.effect)
    except PydanticValidationError as exc:
        kind = action.effect.get("type")
        # Drop the union's tag from the location: 'effect.share', not 'effect.switch.share'.
        return {".".join(["effect", *(str(p) for i, p in enumerate(err["loc"]) if not (i == 0 and p == kind))]):
                err["msg"] for err in exc.errors()}
    try:
        get_framework(action.plan.framework).sector(effect.sector)
    except EngineError as exc:
        return {"effect.sector": str(exc)}
    return uncertainty_problems(effect, action.uncertainty or {})


#: Distributions whose given centre (most likely value, mean, median) is their first or second number.
_CENTRE = {"triangular": 1, "pert": 1, "normal": 0, "lognormal": 0}


def uncertainty_problems(effect: Any, uncertainty: dict[str, Any]) -> dict[str, str]:
    """Field path -> reason for a parameter distribution the plan line would not lie in: its most
    likely value, mean or median must be the parameter's own value (a uniform range must
    contain it), so that the line and its band are computed from the same numbers."""
    problems: dict[str, str] = {}
    values = parameters_of(effect)
    for name, stored in uncertainty.items():
        path = f"uncertainty.{name}"
        if name not in values:
            problems[path] = _("a %(kind)s effect has no parameter '%(name)s'") % {"kind": effect.type, "name": name}
            continue
        try:
            dist = Distribution.model_validate(stored)
        except PydanticValidationError as exc:
            problems[path] = "; ".join(str(err["msg"]) for err in exc.errors())
            continue
        value, p = values[name], dist.params
        if dist.kind == "uniform":
            if not p[0] <= value <= p[1]:
                problems[path] = _("the range %(low)s-%(high)s does not contain the value %(value)s") % {
                    "low": p[0], "high": p[1], "value": value}
        elif abs(p[_CENTRE[dist.kind]] - value) > 1e-9 * max(1.0, abs(value)):
            problems[path] = _("the distribution is centred on %(centre)s, but the value is %(value)s; give the "
                               "range again for the new value") % {"centre": p[_CENTRE[dist.kind]], "value": value}
    return problems


# ----------------------------------------------------------------------------- plan documents
#: Plan-document fields kept whole in ``Plan.model`` (not edited row by row).
PLAN_MODEL_KEYS = ("currency", "discount_rate", "horizon", "inventory", "baseline", "activity", "uncertainty",
                   "correlations", "notes", "assumptions", "sources")


def plan_rows(spec: EnginePlan) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """Plan, Target and Action field values from a validated engine plan document."""
    doc = spec.model_dump(mode="json", by_alias=True, exclude_none=True)
    plan = {"title": spec.name, "framework": spec.framework, "gwp_set": spec.gwp,
            "model": {k: doc[k] for k in PLAN_MODEL_KEYS if k in doc}}
    targets = [{"kind": t["kind"], "year": t["year"], "value": t.get("value"), "against": t.get("against"),
                "sector": t.get("sector", "")} for t in doc["targets"]]
    actions = []
    for a in doc["actions"]:
        actions.append({
            "key": a["id"], "title": a["title"], "sector": a["effect"]["sector"], "owner": a.get("owner", ""),
            "start_year": a["schedule"]["start"], "full_year": a["schedule"].get("full"),
            "curve": a["schedule"].get("curve", "linear"), "effect": a["effect"], "cost": a.get("cost", {}),
            "uncertainty": a.get("uncertainty", {}), "sdgs": a.get("sdgs", []), "sources": a.get("sources", {}),
            "assumptions": a.get("assumptions", {}), "power": a.get("power", ""),
            "funding_status": a.get("funding_status", ""), "kpis": a.get("kpis", []),
            "co_benefits": a.get("co_benefits", []),
        })
    return plan, targets, actions


def plan_inventory(plan: Any, version: Any = None) -> StoredInventory | None:
    """The inventory a plan's figures start from: the organisation's latest stored inventory
    (an upload of a new year included), not the data named when the plan was written; for a
    published plan, which is public, only a published inventory, never a draft upload. None
    for a plan with an inline inventory, or without a stored one.

    Looked up once per plan instance: a page builds the engine plan more than once, and its
    query count must not depend on cache hits. ``version``: an earlier published inventory
    version to start from instead (the last good figures when the current one fails)."""
    if (plan.model or {}).get("inventory", {}).get("source") == "inline":
        return None
    memo = plan.__dict__.setdefault("_stored_inventory", {})
    key = (plan.framework, bool(plan.published), getattr(version, "pk", None))
    if key not in memo:
        memo[key] = stored_inventory(plan.organisation, plan.framework, published_only=key[1], version=version)
    found: StoredInventory | None = memo[key]
    return found


def plan_document(plan: Any, targets: Iterable[Any], actions: Iterable[Any], inventory: Any = None) -> dict[str, Any]:
    """The engine's plan document for a Plan with its targets and actions."""
    doc: dict[str, Any] = {"name": plan.title, "organisation": plan.organisation.code,
                           "framework": plan.framework, "gwp": plan.gwp_set, **(plan.model or {})}
    doc["targets"] = [
        {k: v for k, v in {"kind": t.kind, "year": t.year, "value": t.value, "against": t.against,
                           "sector": t.sector or None}.items() if v is not None}
        for t in targets if t.kind in TARGET_KINDS
    ]
    doc["actions"] = []
    for a in actions:
        if not a.effect or a.status == "cancelled":
            continue
        # No start year is left for the engine to report ("schedule.start"), never guessed.
        schedule: dict[str, Any] = {"curve": a.curve}
        if a.start_year:
            schedule["start"] = a.start_year
        if a.full_year:
            schedule["full"] = a.full_year
        item = {"id": a.key, "title": a.title, "effect": a.effect, "schedule": schedule, "sdgs": a.sdgs,
                "sources": a.sources, "assumptions": a.assumptions, "uncertainty": a.uncertainty}
        if a.cost:
            item["cost"] = a.cost
        if a.owner:
            item["owner"] = a.owner
        for name in ("power", "funding_status", "kpis", "co_benefits"):
            if getattr(a, name, None):
                item[name] = getattr(a, name)
        doc["actions"].append(item)
    stored = plan_inventory(plan, inventory)
    if stored is not None:
        # the plan's own land-use inventory (inventory.land_use) stays with the stored records
        land_use = (doc.get("inventory") or {}).get("land_use")
        doc["inventory"] = {**stored.reference(), **({"land_use": land_use} if land_use else {})}
        doc["notes"] = [*doc.get("notes", []), *stored.notes]
    return doc


def engine_plan(plan: Any, targets: Iterable[Any], actions: Iterable[Any], inventory: Any = None) -> EnginePlan:
    """The complete, validated engine plan (the stored inventory's records in memory; those of
    the published version ``inventory`` when given); raises the engine's ValidationError with
    field paths."""
    spec = parse_plan(plan_document(plan, targets, actions, inventory), file=f"plan {plan.pk}")
    return attach_inventory(plan, spec, inventory)


def attach_inventory(plan: Any, spec: EnginePlan, inventory: Any = None) -> EnginePlan:
    """``spec`` with the records of the plan's stored inventory, when its document names them."""
    stored = plan_inventory(plan, inventory)
    if stored is None or spec.inventory.path != stored.name:
        return spec
    return with_inventory(spec, stored.inventory, stored.name)


def stored_history(spec: EnginePlan) -> Panel | None:
    """The stored (merged) inventory a plan carries in memory, as top-level sector totals;
    None when the plan uses another inventory."""
    records = spec.inventory.records
    if records is None:
        return None
    panel = records.to_panel("top")
    return panel.select([spec.organisation]) if spec.organisation in panel.orgs else None


def has_assumptions(spec: EnginePlan) -> bool:
    """Does the plan rest on assumed numbers (so it must be shown as illustrative)?"""
    return bool(spec.assumptions or any(a.assumptions for a in spec.actions)
                or any(r.assumption for rows in spec.activity.values() for r in rows) or unmarked_numbers(spec))


# ----------------------------------------------------------------------------- scenarios
def scenario(plan: Any, targets: Iterable[Any], actions: Iterable[Any]) -> dict[str, Any]:
    """BAU, the plan's scenario, each action's wedge and the gap to each target, by the engine
    (not kept; :func:`plan_results` is the page's way, with the band and the cache)."""
    return scenario_of(engine_plan(plan, targets, actions))


def scenario_of(spec: EnginePlan) -> dict[str, Any]:
    """The scenario of an engine plan as plain data.

    The scenario starts from the organisation's latest stored inventory (merged with the
    shipped Energi- og CO2-regnskab where it does not cover a year), or without one from the
    inventory the plan document names; its notes and sources state which."""
    cp = compile_plan(spec)
    result = evaluate(cp)
    gap = result.gap()
    out: dict[str, Any] = plain({
        "organisation": cp.orgs[0], "years": cp.years.tolist(), "unit": "t_CO2e", "gwp_set": spec.gwp,
        "bau": result.bau[0].tolist(), "plan": result.plan[0].tolist(), "target_path": cp.target_path[0].tolist(),
        "wedges": [{"action": k, "title": t, "values": result.wedges[0, i].tolist()}
                   for i, (k, t) in enumerate(zip(cp.action_ids, cp.action_titles, strict=True))],
        "targets": [{"target": label, "year": int(y), "level": float(cp.target_levels[0, j]), "gap": float(gap[0, j])}
                    for j, (label, y) in enumerate(zip(cp.target_labels, cp.target_years.tolist(), strict=True))],
        # the base-year level of the targets: the plan's own figure (labelled) or the estimate
        "reference": cp.reference.to_dict() if cp.reference is not None else None,
        "notes": list(dict.fromkeys([*cp.notes, *spec.notes])), "sources": list(cp.sources),
        **costs_of(summarise(spec, result)),
    }, strict=False)
    return out


def costs_of(summary: dict[str, Any]) -> dict[str, Any]:
    """The engine's cost results of a plan summary (:func:`nettonul.engine.plan.scenario.summarise`):
    ``costs``, one row per action with a cost (net present cost, reduction over the years and
    in the MACC year, levelised cost per tonne), and ``macc``, the marginal abatement cost
    curve's bars in the ``macc_year`` (cheapest first, with where each starts and ends), and
    ``cost_by_year``, each action's cost in every year of the scenario and their total."""
    costs = [{"action": a["id"], "title": a["title"], "currency": a["cost"]["currency"],
              "discount_rate": a["cost"]["discount_rate"], "npc": a["cost"]["net_present_cost"],
              "reduction_t": a["cumulative_reduction_t_co2e"],
              "reduction_macc_year_t": a["reduction_in_macc_year_t_co2e"],
              "cost_per_t": a["cost"]["cost_per_t_co2e"]}
             for a in summary["actions"] if a["cost"] is not None]
    macc = [{"action": b["action"], "title": b["title"], "cost_per_t": b["cost_per_t_co2e"],
             "reduction_t": b["abatement_t_co2e"], "from_t": b["x0"], "to_t": b["x0"] + b["abatement_t_co2e"]}
            for b in summary["macc"]]
    by_year = [{"action": a["id"], "title": a["title"], "values": a["cost"]["annual_costs"]}
               for a in summary["actions"] if a["cost"] is not None]
    total = [sum(v) for v in zip(*(a["values"] for a in by_year), strict=True)] if by_year else []
    return {"costs": costs, "macc": macc, "macc_year": summary["macc_year"], "currency": summary["currency"],
            "discount_rate": summary["discount_rate"], "discount_percent": 100 * summary["discount_rate"],
            # undiscounted cost in each year, fixed prices; negative: a saving
            "cost_by_year": {"years": summary["years"], "actions": by_year, "total": total}}


def simulation(plan: Any, targets: Iterable[Any], actions: Iterable[Any], draws: int = 1000,
               seed: int = 0) -> dict[str, Any]:
    """Monte Carlo over the plan's uncertainties (percentile band, probability of each target)."""
    return simulation_of(engine_plan(plan, targets, actions), draws, seed)


def simulation_of(spec: EnginePlan, draws: int = 1000, seed: int = 0) -> dict[str, Any]:
    ensemble = simulate(spec, compile_plan(spec), draws, seed)
    out: dict[str, Any] = plain(ensemble.to_dict(), strict=False)
    return out


def plan_results(plan: Any, targets: Iterable[Any], actions: Iterable[Any], draws: int = 0,
                 keep: bool = True, inventory: Any = None) -> dict[str, Any]:
    """The one way from a plan to its figures: ``{"key", "scenario", "simulation", "problems",
    "error"}``
    (the simulation with ``draws`` > 0), the engine plan built in one pass and the results kept
    under its key (``keep=False`` for unsaved edits, which are computed, never kept). The
    problems that stop the engine are listed instead, and never kept. ``inventory``: an
    earlier published inventory version to compute on instead of the current one."""
    try:
        spec = engine_plan(plan, targets, actions, inventory)

        def compute() -> dict[str, Any]:
            return {"scenario": scenario_of(spec), "simulation": simulation_of(spec, draws) if draws else None}

        if not keep:
            return {"key": "", **compute(), "problems": [], "error": None}
        key, found = cache.cached("plan-results", (spec, draws), compute)
    except EngineError as exc:
        problems = [str(p) for p in exc.problems] if isinstance(exc, EngineValidationError) else [str(exc)]
        return {"key": "", "scenario": None, "simulation": None, "problems": problems, "error": str(exc)}
    return {"key": key, **found, "problems": [], "error": None}
