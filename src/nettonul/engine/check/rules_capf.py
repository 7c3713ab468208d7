"""The rules for the non-mitigation parts of a CAPF plan: adaptation (the climate risk
assessment and its hazards), inclusivity and benefits, governance and monitoring. They register
in :data:`nettonul.engine.check.registry.RULES` like the mitigation rules."""

from __future__ import annotations

from typing import Any

from nettonul.engine.check.context import CheckContext
from nettonul.engine.check.model import Choice, Evidence, Outcome, Term, hazard_term
from nettonul.engine.check.registry import rule
from nettonul.engine.check.rules import _action_ids, _start


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


def _at_most_every(years: float | None, p: dict[str, Any], key: str, evidence: str) -> Outcome:
    """Something done at least every ``max_years`` years: ``<key>.missing``, ``.ok`` or ``.rare``."""
    limit = float(p["max_years"])
    if years is None:
        return Outcome(False, f"{key}.missing", {"limit": limit})
    ok = years <= limit
    return Outcome(ok, f"{key}.ok" if ok else f"{key}.rare", {"years": years, "limit": limit},
                   (Evidence(evidence, years, "years"),))


@rule("monitoring_frequency")
def monitoring_frequency(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    return _at_most_every(ctx.capf.sections.monitoring.frequency_years, p, "frequency", "ev.frequency")


@rule("review_cycle")
def review_cycle(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    return _at_most_every(ctx.capf.sections.monitoring.review_cycle_years, p, "review", "ev.review")


# --------------------------------------------------------------------------- CAPF sections of methodology §9.5
@rule("hazards_screened")
def hazards_screened(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    """The hazards the municipality's own risk screening found relevant are all assessed
    (methodology §9.5: not heat and drought everywhere)."""
    cra = ctx.capf.sections.adaptation.risk_assessment
    if cra is None:
        return Outcome(False, "cra.missing")
    have = {h.hazard for h in cra.hazards}
    screened = list(dict.fromkeys(cra.screened))
    ev = (Evidence("ev.screened", len(screened), "hazards"), Evidence("ev.hazards", len(have), "hazards"))
    if not screened:
        return Outcome(False, "hazards.no_screening", {}, ev)
    missing = [h for h in screened if h not in have]
    if missing:
        return Outcome(False, "hazards.unassessed", {"hazards": [hazard_term(h) for h in missing]}, ev)
    return Outcome(True, "hazards.screened_ok", {"hazards": [hazard_term(h) for h in screened]}, ev)


@rule("adaptation_targets")
def adaptation_targets(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    targets = ctx.capf.sections.adaptation.targets
    need = int(p.get("min_targets", 1))
    ev = (Evidence("ev.adaptation_targets", len(targets), "targets"),)
    if len(targets) < need:
        return Outcome(False, "adapt_targets.missing", {"n": len(targets), "need": need}, ev)
    years = sorted({t.year for t in targets})
    return Outcome(True, "adapt_targets.ok", {"n": len(targets), "years": years}, ev)


@rule("risk_review")
def risk_review(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    return _at_most_every(ctx.capf.sections.monitoring.risk_review_years, p, "riskreview", "ev.risk_review")


@rule("staff_resources")
def staff_resources(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    """Every action starting by ``start_by`` states its staff resources (full-time equivalents)."""
    by = int(p["start_by"])
    short = [a for a in _action_ids(ctx) if (s := _start(ctx, a)) is not None and s <= by]
    lacking = [a for a in short if ctx.capf.details(a).staff_fte is None]
    fte = sum(ctx.capf.details(a).staff_fte or 0.0 for a in short)
    ev = (Evidence("ev.short_term_actions", len(short), "actions"), Evidence("ev.staff_fte", round(fte, 1), "FTE"),
          Evidence("ev.incomplete", len(lacking), "actions"))
    if not short:
        return Outcome(None, "staff.no_actions", {"year": by})
    if lacking:
        return Outcome(False, "staff.missing", {"ids": lacking, "n": len(lacking), "year": by}, ev)
    return Outcome(True, "staff.ok", {"n": len(short), "fte": round(fte, 1), "year": by}, ev)


@rule("communication")
def communication(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    c = ctx.capf.sections.communication
    ev = (Evidence("ev.channels", len(c.channels), "channels"),)
    if not c.plan:
        return Outcome(False, "communication.missing", {}, ev)
    return Outcome(True, "communication.ok", {"n": len(c.channels)}, ev)


@rule("partners")
def partners(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    g = ctx.capf.sections.governance
    need = int(p.get("min_partners", 1))
    without_role = [x.name for x in g.partners if not x.role]
    ev = (Evidence("ev.partners", len(g.partners), "partners"),)
    if len(g.partners) < need:
        return Outcome(False, "partners.missing", {"n": len(g.partners), "need": need}, ev)
    if without_role:
        return Outcome(False, "partners.no_role", {"names": without_role}, ev)
    return Outcome(True, "partners.ok", {"names": [x.name for x in g.partners]}, ev)


@rule("powers_analysis")
def powers_analysis(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    """A plan-level analysis of the municipality's powers; the evidence counts the actions by the
    power they rest on."""
    ids = _action_ids(ctx)
    by_power: dict[str, int] = {}
    for a in ids:
        power = ctx.capf.details(a).power or "none"
        by_power[power] = by_power.get(power, 0) + 1
    ev = tuple(Evidence("ev.actions_by_power", n, "actions", {"power": Term(f"power.{k}")})
               for k, n in sorted(by_power.items()))
    if not ctx.capf.sections.governance.powers_analysis:
        return Outcome(False, "powers.missing", {}, ev)
    return Outcome(True, "powers.ok", {}, ev)


@rule("barriers")
def barriers(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    items = ctx.capf.sections.barriers
    need = int(p.get("min_barriers", 1))
    open_ = [i + 1 for i, b in enumerate(items) if not b.response]
    ev = (Evidence("ev.barriers", len(items), "barriers"), Evidence("ev.incomplete", len(open_), "barriers"))
    if len(items) < need:
        return Outcome(False, "barriers.missing", {"n": len(items), "need": need}, ev)
    if open_:
        return Outcome(False, "barriers.no_response", {"items": open_, "n": len(open_)}, ev)
    return Outcome(True, "barriers.ok", {"n": len(items)}, ev)


@rule("financing")
def financing(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    f = ctx.capf.sections.financing
    amount = sum(s.amount or 0.0 for s in f.sources)
    secured = sum(s.amount or 0.0 for s in f.sources if s.status == "secured")
    ev = (Evidence("ev.funding_sources", len(f.sources), "sources"),
          Evidence("ev.funding_total", round(amount), ctx.capf.plan.currency),
          Evidence("ev.funding_secured", round(secured), ctx.capf.plan.currency))
    if not f.plan:
        return Outcome(False, "financing.missing", {}, ev)
    if not f.sources:
        return Outcome(False, "financing.no_sources", {}, ev)
    return Outcome(True, "financing.ok", {"n": len(f.sources)}, ev)


@rule("implementation_engagement")
def implementation_engagement(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    """Engagement continues into implementation: an event marked so, or dated after the adoption."""
    a = ctx.capf.sections.adoption
    adopted = a.adopted if a is not None else None
    events = ctx.capf.sections.engagement
    during = [e for e in events if e.phase == "implementation"
              or (e.phase is None and adopted is not None and e.date > adopted)]
    ev = (Evidence("ev.events", len(events), "events"), Evidence("ev.implementation_events", len(during), "events"))
    if not during:
        return Outcome(False, "engagement.no_implementation", {}, ev)
    return Outcome(True, "engagement.implementation_ok", {"n": len(during)}, ev)
