"""The rules for the non-mitigation parts of a CAPF plan: adaptation (the climate risk
assessment and its hazards), inclusivity and benefits, governance and monitoring. They register
in :data:`nettonul.engine.check.registry.RULES` like the mitigation rules."""

from __future__ import annotations

from typing import Any

from nettonul.engine.check.context import CheckContext
from nettonul.engine.check.model import Choice, Evidence, Outcome, Term, hazard_term
from nettonul.engine.check.registry import rule


# --------------------------------------------------------------------------- adaptation
def _hazards(ctx: CheckContext) -> set[str] | None:
    cra = ctx.capf.sections.adaptation.risk_assessment
    return None if cra is None else {h.hazard for h in cra.hazards}


@rule("hazards_required")
def hazards_required(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    have = _hazards(ctx)
    if have is None:
        return Outcome(False, "cra.missing")
    groups = [list(g) for g in p["groups"]]
    missing = [Choice(tuple(hazard_term(h) for h in g)) for g in groups if not have & set(g)]
    ev = (Evidence("ev.hazards", len(have), "hazards"),)
    if missing:
        return Outcome(False, "hazards.missing", {"hazards": missing}, ev)
    return Outcome(True, "hazards.ok", {"hazards": [hazard_term(h) for h in sorted(have)]}, ev)


@rule("hazards_local")
def hazards_local(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    have = _hazards(ctx)
    if have is None:
        return Outcome(False, "cra.missing")
    coastal = ctx.capf.sections.adaptation.coastal
    wanted = list(p.get("all", []))
    if coastal:
        wanted = list(p.get("coastal", [])) + wanted
    missing = [h for h in wanted if h not in have]
    ev = (Evidence("ev.coastal", "?" if coastal is None else coastal),)
    if coastal is None:
        return Outcome(False, "hazards.coastal_unknown", {"missing": [hazard_term(h) for h in missing]}, ev)
    if missing:
        return Outcome(False, "hazards.local_missing", {"hazards": [hazard_term(h) for h in missing]}, ev)
    return Outcome(True, "hazards.local_ok", {"coastal": coastal}, ev)


@rule("cra_scenarios")
def cra_scenarios(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    cra = ctx.capf.sections.adaptation.risk_assessment
    if cra is None:
        return Outcome(False, "cra.missing")
    need = int(p["min_horizon"])
    ev = (Evidence("ev.scenarios", ", ".join(cra.scenarios) or "-"), Evidence("ev.horizon", cra.horizon),
          Evidence("ev.present_day", cra.present_day))
    if not cra.scenarios:
        return Outcome(False, "cra.no_scenario", {}, ev)
    if cra.horizon is None or cra.horizon < need:
        return Outcome(False, "cra.short_horizon", {"horizon": cra.horizon or "-", "need": need}, ev)
    if not cra.present_day:
        return Outcome(False, "cra.no_present", {}, ev)
    return Outcome(True, "cra.ok", {"scenarios": ", ".join(cra.scenarios), "horizon": cra.horizon}, ev)


@rule("high_hazards_have_actions")
def high_hazards_have_actions(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    cra = ctx.capf.sections.adaptation.risk_assessment
    if cra is None:
        return Outcome(False, "cra.missing")
    ratings = list(p.get("ratings", ["high"]))
    high = [h.hazard for h in cra.hazards if h.rating in ratings]
    if not high:
        return Outcome(None, "adapt.no_high")
    served = {h for a in ctx.capf.sections.adaptation.actions for h in a.hazards}
    bare = [h for h in high if h not in served]
    ev = tuple(Evidence("ev.adaptation_actions", sum(h in a.hazards for a in ctx.capf.sections.adaptation.actions),
                        "actions", {"hazard": hazard_term(h)}) for h in high)
    if bare:
        return Outcome(False, "adapt.missing", {"hazards": [hazard_term(h) for h in bare]}, ev)
    return Outcome(True, "adapt.ok", {"n": len(high)}, ev)


# --------------------------------------------------------------------------- inclusivity, governance, monitoring
@rule("benefits")
def benefits(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    kinds = sorted({b.kind for b in ctx.capf.sections.benefits.assessment})
    ev = (Evidence("ev.benefits", len(kinds), "kinds"),)
    if len(kinds) >= int(p.get("min_kinds", 1)):
        return Outcome(True, "benefits.ok", {"kinds": [Term(f"benefit.{k}") for k in kinds]}, ev)
    return Outcome(False, "benefits.missing", {}, ev)


@rule("equity")
def equity(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    ok = bool(ctx.capf.sections.benefits.equity_assessment)
    return Outcome(ok, "equity.ok" if ok else "equity.missing")


@rule("lead_unit")
def lead_unit(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    unit = ctx.capf.sections.governance.lead_unit
    if not unit:
        return Outcome(False, "lead.missing")
    return Outcome(True, "lead.ok", {"unit": unit}, (Evidence("ev.lead_unit", unit),))


@rule("monitoring_frequency")
def monitoring_frequency(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    limit = float(p["max_years"])
    f = ctx.capf.sections.monitoring.frequency_years
    if f is None:
        return Outcome(False, "frequency.missing", {"limit": limit})
    ev = (Evidence("ev.frequency", f, "years"),)
    return Outcome(f <= limit, "frequency.ok" if f <= limit else "frequency.rare", {"years": f, "limit": limit}, ev)


@rule("review_cycle")
def review_cycle(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    limit = float(p["max_years"])
    r = ctx.capf.sections.monitoring.review_cycle_years
    if r is None:
        return Outcome(False, "review.missing", {"limit": limit})
    ev = (Evidence("ev.review", r, "years"),)
    return Outcome(r <= limit, "review.ok" if r <= limit else "review.rare", {"years": r, "limit": limit}, ev)
