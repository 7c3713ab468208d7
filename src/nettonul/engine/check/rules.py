"""The rules behind the criteria: one function per rule name, thresholds from the criteria set.

Each rule takes the :class:`~nettonul.engine.check.context.CheckContext` and the criterion's
``params`` and returns an :class:`~nettonul.engine.check.model.Outcome`. Where the
methodology asks for a number the rule computes it (sector shares, the 2030 reduction against
the back-cast 1990 emissions, the gap, residual emissions and removals in the neutrality
year, the reference trajectory) and reports it as evidence with its unit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nettonul.engine.check.context import CheckContext
from nettonul.engine.check.model import Choice, Evidence, Outcome, Term
from nettonul.engine.check.registry import rule
from nettonul.engine.core.arrays import FloatArray
from nettonul.engine.core.i18n import N_
from nettonul.engine.pathway.baseline import population_matrix
from nettonul.engine.pathway.deadline2020 import cc_reference
from nettonul.engine.pathway.deadline2020 import parameters as d2020_parameters
from nettonul.engine.pathway.trajectory import target_path

KT = 1000.0


def _kt(t: float) -> float:
    return round(t / KT, 1)


def _action_ids(ctx: CheckContext) -> list[str]:
    return [a.id for a in ctx.capf.plan.actions] + ctx.capf.unquantified_ids()


def _start(ctx: CheckContext, action_id: str) -> int | None:
    d = ctx.capf.details(action_id)
    if d.start is not None:
        return d.start
    for a in ctx.capf.plan.actions:
        if a.id == action_id:
            return a.schedule.start
    return None


def _end(ctx: CheckContext, action_id: str) -> int | None:
    d = ctx.capf.details(action_id)
    if d.end is not None:
        return d.end
    for a in ctx.capf.plan.actions:
        if a.id == action_id:
            return a.schedule.full
    return None


def _net_zero_year(ctx: CheckContext) -> int | None:
    years = [t.year for t in ctx.capf.plan.targets
             if t.kind == "net_zero" or (t.kind == "reduction" and (t.value or 0.0) >= 1.0)]
    return min(years) if years else None


# --------------------------------------------------------------------------- commitment
@rule("adopted")
def adopted(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    a = ctx.capf.sections.adoption
    if a is None:
        return Outcome(False, "adopted.missing")
    if a.adopted is None:
        return Outcome(False, "adopted.draft", soft=True, evidence=(Evidence("ev.status", a.status),))
    return Outcome(True, "adopted.ok", {"date": a.adopted, "body": a.body or "-"},
                   (Evidence("ev.adopted", a.adopted.isoformat()),))


@rule("commitment")
def commitment(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    a = ctx.capf.sections.adoption
    if a is None or a.commitment_signed is None:
        return Outcome(False, "commitment.missing")
    return Outcome(True, "commitment.ok", {"date": a.commitment_signed},
                   (Evidence("ev.commitment_signed", a.commitment_signed.isoformat()),))


@rule("engagement")
def engagement(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    n = len(ctx.capf.sections.engagement)
    need = int(p.get("min_events", 1))
    people = sum(e.participants or 0 for e in ctx.capf.sections.engagement)
    ev = (Evidence("ev.events", n, "events"), Evidence("ev.participants", people, "persons"))
    if n >= need:
        return Outcome(True, "engagement.ok", {"n": n, "people": people}, ev)
    return Outcome(False, "engagement.few", {"n": n, "need": need}, ev)


# --------------------------------------------------------------------------- inventory
def _covered(ctx: CheckContext, sectors: list[str]) -> tuple[list[str], list[Evidence]]:
    cov = ctx.capf.sections.inventory_coverage
    missing: list[str] = []
    evidence: list[Evidence] = []
    for s in sectors:
        v = ctx.inventory_by_sector.get(s)
        if v is not None and np.isfinite(v):
            evidence.append(Evidence("ev.sector_emissions", round(v), "t CO2e",
                                     {"sector": Term(f"sector.{s}"), "year": ctx.inventory_year}))
        elif s in cov.not_occurring:
            evidence.append(Evidence("ev.sector_flag", "NO", "", {"sector": Term(f"sector.{s}")}))
        elif s in cov.not_estimated:
            evidence.append(Evidence("ev.sector_flag", "NE", "", {"sector": Term(f"sector.{s}")}))
        else:
            missing.append(s)
    return missing, evidence


@rule("inventory_basic")
def inventory_basic(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    missing, ev = _covered(ctx, list(p["sectors"]))
    if missing:
        return Outcome(False, "inventory.missing_basic",
                       {"year": ctx.inventory_year, "sectors": [Term(f"sector.{s}") for s in missing]}, tuple(ev))
    return Outcome(True, "inventory.basic_ok", {"year": ctx.inventory_year}, tuple(ev))


def _has_lulucf(ctx: CheckContext) -> bool:
    """Land use is in the inventory with a value (not only flagged)."""
    v = ctx.inventory_by_sector.get("lulucf")
    return v is not None and bool(np.isfinite(v))


def _agriculture_share(ctx: CheckContext) -> float:
    values = {s: v for s, v in ctx.inventory_by_sector.items() if v is not None and np.isfinite(v) and v > 0}
    total = sum(values.values())
    return values.get("agriculture", 0.0) / total if total > 0 else 0.0


@rule("inventory_sectors")
def inventory_sectors(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    missing, ev = _covered(ctx, list(p["sectors"]))
    if missing:
        return Outcome(False, "inventory.missing_sectors",
                       {"sectors": [Term(f"sector.{s}") for s in missing]}, tuple(ev))
    # methodology §9.5: land use flagged "not estimated" does not pass for a rural municipality,
    # where lowland soils are a large source
    # (flagged "not occurring" neither: a rural municipality has land use)
    limit = p.get("rural_agriculture_share")
    share = _agriculture_share(ctx)
    if "lulucf" in p["sectors"] and limit is not None and not _has_lulucf(ctx) and share > float(limit):
        return Outcome(False, "inventory.lulucf_ne_rural",
                       {"share": round(share * 100), "limit": round(float(limit) * 100)},
                       (*ev, Evidence("ev.agriculture_share", round(share * 100), "%")))
    return Outcome(True, "inventory.sectors_ok", {"n": len(p["sectors"])}, tuple(ev))


@rule("reference_year")
def reference_year(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    want = int(p.get("year", 1990))
    reductions = [t for t in ctx.capf.plan.targets if t.kind == "reduction"]
    if not reductions:
        return Outcome(None, "reference.no_reduction")
    others = sorted({t.against if t.against is not None else ctx.inventory_year
                     for t in reductions if t.against != want})
    method = ctx.capf.sections.inventory_coverage.reference_method
    own = ctx.capf.plan.baseline.reference
    if own is not None and not method:
        method = f"{own.year}: {own.source}"
    if not others:
        return Outcome(True, "reference.ok", {"year": want}, (Evidence("ev.reference_year", want),))
    if method:
        return Outcome(True, "reference.documented", {"years": others}, (Evidence("ev.reference_method", method),))
    return Outcome(False, "reference.other", {"years": others, "want": want},
                   (Evidence("ev.reference_year", others[0]),))


@rule("inventory_age")
def inventory_age(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    limit = int(p["max_age_years"])
    age = ctx.adoption_year - ctx.inventory_year
    ev = (Evidence("ev.inventory_year", ctx.inventory_year), Evidence("ev.adoption_year", ctx.adoption_year),
          Evidence("ev.age", age, "years"))
    args = {"year": ctx.inventory_year, "adopted": ctx.adoption_year, "age": age, "limit": limit}
    return Outcome(age <= limit, "age.ok" if age <= limit else "age.old", args, ev)


@rule("gwp_set")
def gwp_set(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    allowed = list(p["allowed"])
    plan_gwp = ctx.capf.plan.gwp
    ev = (Evidence("ev.gwp_plan", plan_gwp), Evidence("ev.gwp_inventory", ctx.inventory_gwp))
    if plan_gwp not in allowed:
        return Outcome(False, "gwp.unknown", {"gwp": plan_gwp, "allowed": allowed}, ev)
    if plan_gwp != ctx.inventory_gwp:
        return Outcome(False, "gwp.mixed", {"gwp": plan_gwp, "inventory": ctx.inventory_gwp}, ev)
    return Outcome(True, "gwp.ok", {"gwp": plan_gwp}, ev)


@rule("electricity_method")
def electricity_method(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    method = ctx.capf.sections.inventory_coverage.electricity_method
    if method is None or method not in p["allowed"]:
        return Outcome(False, "electricity.missing", {"allowed": list(p["allowed"])})
    return Outcome(True, "electricity.ok", {"method": method}, (Evidence("ev.electricity_method", method),))


# --------------------------------------------------------------------------- targets
@rule("net_zero_year")
def net_zero_year(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    latest = int(p["latest_year"])
    year = _net_zero_year(ctx)
    if year is None:
        return Outcome(False, "netzero.missing", {"latest": latest})
    ev = (Evidence("ev.net_zero_year", year),)
    if year > latest:
        return Outcome(False, "netzero.late", {"year": year, "latest": latest}, ev)
    return Outcome(True, "netzero.ok", {"year": year, "latest": latest}, ev)


@rule("milestone")
def milestone(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    year = int(p["year"])
    found = [t for t in ctx.capf.plan.targets if t.year == year]
    if not found:
        return Outcome(False, "milestone.missing", {"year": year})
    return Outcome(True, "milestone.ok", {"year": year}, (Evidence("ev.target_years", year),))


def _level(ctx: CheckContext, year: int) -> float | None:
    idx = np.nonzero(ctx.cp.target_years == year)[0]
    return float(ctx.cp.target_levels[0, idx[0]]) if idx.size else None


@rule("national_ambition")
def national_ambition(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    year, threshold = int(p["year"]), float(p["threshold"])
    level = _level(ctx, year)
    if level is None:
        return Outcome(None, "ambition.no_target", {"year": year})
    ref = ctx.reference_1990
    if ref is None or ref <= 0:
        return Outcome(None, "ambition.no_reference")
    reduction = 1.0 - level / ref
    own = ctx.capf.plan.baseline.reference
    first = (Evidence("ev.emissions_1990_plan", round(ref), "t CO2e", {"source": own.source})
             if ctx.reference_1990_plan and own is not None else
             Evidence("ev.emissions_1990", round(ref), "t CO2e", {"estimated": ctx.reference_1990_estimated}))
    ev: tuple[Evidence, ...] = (first, Evidence("ev.target_level", round(level), "t CO2e", {"year": year}),
                                Evidence("ev.reduction", round(100 * reduction, 1), "%", {"year": year}))
    args = {"year": year, "pct": round(100 * reduction, 1), "need": round(100 * threshold),
            "level": _kt(level), "ref": _kt(ref)}
    # the national -70 % is against 1990 with LULUCF; a target on an inventory without it is
    # not the same target (methodology §9.2), so say which it is
    ev += (Evidence("ev.lulucf_in_inventory", _has_lulucf(ctx)),)
    # a reduction typed in as 0.70 must pass at a threshold of 0.70 despite rounding
    if reduction >= threshold - 1e-9:
        return Outcome(True, "ambition.ok", args, ev)
    if gap_documented(ctx):
        return Outcome(False, "ambition.low_documented", args, ev, soft=True)
    return Outcome(False, "ambition.low", args, ev)


@rule("short_term_milestone")
def short_term_milestone(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    within = int(p["within_years"])
    start, end = ctx.adoption_year, ctx.adoption_year + within
    years = sorted({t.year for t in ctx.capf.plan.targets if start <= t.year <= end})
    if years:
        return Outcome(True, "shortterm.ok", {"years": years}, (Evidence("ev.target_years", years[0]),))
    return Outcome(False, "shortterm.missing", {"from": start, "to": end})


def reference_path(ctx: CheckContext, p: dict[str, Any]) -> FloatArray | None:
    """The reference path over the plan's years, by ``p['method']``:

    ``deadline2020`` - contraction & convergence per inhabitant from the inventory year
    (:func:`nettonul.engine.pathway.deadline2020.cc_reference`, parameters from its data file, some
    unverified), times the population (held flat after the last observed year);
    ``national`` - linearly from the inventory year to the national 2030 level and on to
    zero in the neutrality year (DK2020 practice, methodology sections 2.1 and 2.2), never
    rising above a level already reached.
    """
    years = ctx.cp.years
    anchor = np.asarray([ctx.scenario.plan[0, 0]])
    if p.get("method", "deadline2020") == "deadline2020":
        if ctx.capf.plan.inventory.source == "inline":
            return None
        pop = population_matrix(ctx.cp.orgs, years, hold_after=True)
        if not np.isfinite(pop[0, 0]) or pop[0, 0] <= 0:
            return None
        ref, _ = cc_reference(anchor / pop[:, 0], pop, years, int(years[0]))
        out: FloatArray = ref[0]
        return out
    if ctx.reference_1990 is None:
        return None
    milestones = [int(p["year"]), int(p["net_zero_year"])]
    levels = np.asarray([[ctx.reference_1990 * (1.0 - float(p["reduction"])), 0.0]])
    keep = [i for i, y in enumerate(milestones) if y > int(years[0])]
    path = target_path(years, int(years[0]), anchor, [milestones[i] for i in keep], levels[:, keep], no_rise=True)
    national: FloatArray = path.values[0]
    return national


@rule("reference_trajectory")
def reference_trajectory(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    ref = reference_path(ctx, p)
    if ref is None:
        return Outcome(None, "trajectory.no_reference")
    plan = ctx.scenario.plan[0]
    tolerance = float(p.get("tolerance_t", 1.0))
    excess = plan - ref
    above = np.nonzero(excess > tolerance)[0]
    worst = int(np.argmax(excess))
    ev: tuple[Evidence, ...] = (
        Evidence("ev.years_above", int(above.size), "years"),
        Evidence("ev.max_excess", round(float(max(excess[worst], 0.0))), "t CO2e", {"year": int(ctx.cp.years[worst])}))
    for y in (2030, 2050):
        i = ctx.year_index(y)
        if i is not None:
            ev += (Evidence("ev.reference", round(float(ref[i])), "t CO2e", {"year": y}),)
    if p.get("method", "deadline2020") == "deadline2020":
        d = d2020_parameters()
        unverified = [u.split(".", 1)[1] for u in d.unverified if u.startswith("contraction_convergence.")]
        ev += (Evidence("ev.d2020", f"{d.common_level:g} t/cap {d.convergence_year}, 0 in {d.zero_year}", "",
                        {"unverified": ", ".join(unverified) or "-"}),)
    if above.size == 0:
        return Outcome(True, "trajectory.ok", {"from": int(ctx.cp.years[0]), "to": int(ctx.cp.years[-1])}, ev)
    years = ctx.cp.years[above]
    return Outcome(False, "trajectory.above" if above.size > 1 else "trajectory.above_one",
                   {"first": int(years[0]), "last": int(years[-1]), "n": int(above.size),
                    "kt": _kt(float(excess[worst])), "year": int(ctx.cp.years[worst])}, ev)


@rule("budget")
def budget(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    end = min(_net_zero_year(ctx) or int(p.get("to", 2050)), int(ctx.cp.years[-1]))
    i = ctx.year_index(end)
    assert i is not None
    plan_b = float(ctx.scenario.plan[0, : i + 1].sum())
    path = ctx.cp.target_path[0, : i + 1]
    ev = [Evidence("ev.budget_plan", round(plan_b), "t CO2e", {"from": ctx.inventory_year, "to": end})]
    if np.isfinite(path).all():
        ev.append(Evidence("ev.budget_path", round(float(path.sum())), "t CO2e",
                           {"from": ctx.inventory_year, "to": end}))
    return Outcome(True, "budget.ok", {"from": ctx.inventory_year, "to": end, "kt": _kt(plan_b)}, tuple(ev))


# --------------------------------------------------------------------------- pathway
@rule("bau")
def bau(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    years = [int(y) for y in p["years"]]
    values = {y: ctx.bau_total(y) for y in years}
    missing = [y for y, v in values.items() if v is None or not np.isfinite(v)]
    ev = tuple(Evidence("ev.bau", round(v), "t CO2e", {"year": y}) for y, v in values.items() if v is not None)
    if missing:
        return Outcome(False, "bau.short", {"years": missing, "horizon": int(ctx.cp.years[-1])}, ev)
    return Outcome(True, "bau.ok", {"years": years}, ev)


@rule("sector_coverage")
def sector_coverage(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    threshold = float(p["materiality"])
    values = {s: v for s, v in ctx.inventory_by_sector.items() if np.isfinite(v)}
    # shares of gross emissions: a sector that is a net sink must not shrink the others' shares
    gross = sum(v for v in values.values() if v > 0)
    covered = ctx.action_sectors()
    uncovered: list[tuple[str, float]] = []
    ev: list[Evidence] = []
    for s, v in sorted(values.items(), key=lambda kv: -kv[1]):
        share = v / gross if gross > 0 else 0.0
        if share >= threshold:
            n = len(covered.get(s, ()))
            ev.append(Evidence("ev.sector_share", round(100 * share, 1), "%",
                               {"sector": Term(f"sector.{s}"), "actions": n, "year": ctx.inventory_year}))
            if n == 0:
                uncovered.append((s, share))
    if not uncovered:
        return Outcome(True, "coverage.ok", {"pct": round(100 * threshold), "year": ctx.inventory_year}, tuple(ev))
    s, share = uncovered[0]
    key = N_("coverage.one") if len(uncovered) == 1 else N_("coverage.many")
    return Outcome(False, key, {"sector": Term(f"sector.{s}"), "share": round(100 * share),
                                "year": ctx.inventory_year, "others": [Term(f"sector.{x}") for x, _ in uncovered[1:]],
                                "pct": round(100 * threshold)}, tuple(ev))


@rule("actions_quantified")
def actions_quantified(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    year = int(p["year"])
    w = ctx.scenario.wedges[0]  # (K, Y)
    quantified = [a for k, a in enumerate(ctx.cp.action_ids) if np.abs(w[k]).max() > 0.5]
    silent = [a for a in ctx.cp.action_ids if a not in quantified]
    details_only = ctx.capf.unquantified_ids()
    enabling = [a for a in details_only if ctx.capf.details(a).enabling]
    missing = silent + [a for a in details_only if a not in enabling]
    i = ctx.year_index(year)
    total = float(w[:, i].sum()) if i is not None else float("nan")
    ev = (Evidence("ev.quantified", len(quantified), "actions"), Evidence("ev.enabling", len(enabling), "actions"),
          Evidence("ev.reduction_total", round(total), "t CO2e/yr", {"year": year}))
    if missing:
        return Outcome(False, "quantified.missing", {"ids": missing, "n": len(missing)}, ev)
    return Outcome(True, "quantified.ok", {"n": len(quantified), "enabling": len(enabling), "year": year,
                                           "kt": _kt(total)}, ev)


@rule("gap")
def gap(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    if ctx.cp.target_years.size == 0:
        return Outcome(None, "gap.no_targets")
    gaps = ctx.scenario.gap()[0]
    ev = tuple(Evidence("ev.gap", round(float(g)), "t CO2e", {"year": int(y)})
               for y, g in zip(ctx.cp.target_years, gaps, strict=True))
    tolerance = float(p.get("tolerance_t", 1.0))
    short = [(int(y), float(g)) for y, g in zip(ctx.cp.target_years, gaps, strict=True) if g > tolerance]
    if not short:
        return Outcome(True, "gap.none", {"years": [int(y) for y in ctx.cp.target_years]}, ev)
    y, g = short[0]
    explained = ctx.capf.sections.gap
    if explained is None:
        return Outcome(False, "gap.unexplained", {"year": y, "kt": _kt(g), "years": [s[0] for s in short]}, ev)
    # an explanation passes only with the gap's size and a named strategy (methodology §9.5)
    lacking = [Term(f) for f, ok in ((N_("field.gap_size"), explained.size_t is not None),
                                     (N_("field.gap_strategy"), bool(explained.strategy))) if not ok]
    if lacking:
        return Outcome(False, "gap.incomplete", {"year": y, "kt": _kt(g), "fields": Choice(tuple(lacking), "and")}, ev)
    assert explained.size_t is not None
    year = explained.year or y
    computed = dict(short).get(year, g)
    ev += (Evidence("ev.gap_stated", round(explained.size_t), "t CO2e", {"year": year}),)
    args = {"year": year, "kt": _kt(computed), "stated": _kt(explained.size_t)}
    # a stated gap much smaller than the computed one is a warning, not a pass
    if explained.size_t < (1.0 - float(p.get("size_tolerance", 0.25))) * computed:
        return Outcome(False, "gap.understated", args, ev, soft=True)
    return Outcome(True, "gap.explained", args, ev)


def gap_documented(ctx: CheckContext) -> bool:
    """The plan states its gap with a size and a named strategy (PTH-4, and TGT-3's warning)."""
    g = ctx.capf.sections.gap
    return g is not None and g.size_t is not None and bool(g.strategy)


def _residual_year(ctx: CheckContext) -> int | None:
    return _net_zero_year(ctx)


@rule("residuals_by_sector")
def residuals_by_sector(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    year = _residual_year(ctx)
    if year is None:
        return Outcome(None, "residual.no_netzero")
    if ctx.year_index(year) is None:
        return Outcome(False, "residual.beyond", {"year": year, "horizon": int(ctx.cp.years[-1])})
    by = ctx.plan_by_sector(year)
    ev = tuple(Evidence("ev.residual", round(v), "t CO2e", {"sector": Term(f"sector.{s}"), "year": year})
               for s, v in by.items() if abs(v) >= 0.5)
    residual = sum(v for v in by.values() if v > 0)
    return Outcome(True, "residual.ok", {"year": year, "kt": _kt(residual)}, ev)


@rule("removals_cover_residuals")
def removals_cover_residuals(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    year = _residual_year(ctx)
    if year is None:
        return Outcome(None, "residual.no_netzero")
    if ctx.year_index(year) is None:
        return Outcome(False, "residual.beyond", {"year": year, "horizon": int(ctx.cp.years[-1])})
    by = ctx.plan_by_sector(year)
    residual = sum(v for v in by.values() if v > 0)
    removals = -sum(v for v in by.values() if v < 0)
    ev = (Evidence("ev.residual_total", round(residual), "t CO2e", {"year": year}),
          Evidence("ev.removals", round(removals), "t CO2e", {"year": year}),
          Evidence("ev.net", round(residual - removals), "t CO2e", {"year": year}))
    args = {"year": year, "residual": _kt(residual), "removals": _kt(removals), "short": _kt(residual - removals)}
    # one boundary for sources and sinks (methodology §9.1): removals count only when the
    # inventory holds land use
    if removals > 0 and not _has_lulucf(ctx):
        return Outcome(False, "removals.outside_boundary", args, ev)
    if removals >= residual - float(p.get("tolerance_t", 1.0)):
        return Outcome(True, "removals.ok", args, ev)
    if ctx.capf.sections.residuals is not None:
        return Outcome(False, "removals.explained", args, ev, soft=True)
    return Outcome(False, "removals.short", args, ev)


# --------------------------------------------------------------------------- actions
@rule("action_governance")
def action_governance(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    by = int(p["start_by"])
    lacking: list[str] = []
    first = Choice(())
    n = 0
    for a in _action_ids(ctx):
        start = _start(ctx, a)
        if start is None or start > by:
            continue
        n += 1
        gaps = [Term(f) for f, ok in ((N_("field.owner"), ctx.capf.owner(a)), (N_("field.end"), _end(ctx, a)),
                                      (N_("field.funding_status"), ctx.capf.details(a).funding_status)) if not ok]
        if gaps:
            lacking.append(a)
            if len(lacking) == 1:
                first = Choice(tuple(gaps), "and")
    ev = (Evidence("ev.short_term_actions", n, "actions"), Evidence("ev.incomplete", len(lacking), "actions"))
    if not lacking:
        return Outcome(True, "governance.ok", {"n": n, "year": by}, ev)
    return Outcome(False, "governance.missing", {"id": lacking[0], "fields": first, "n": len(lacking),
                                                 "ids": lacking}, ev)


def _per_action(ctx: CheckContext, ok: Callable[[str], bool], ok_key: str, missing_key: str) -> Outcome:
    ids = _action_ids(ctx)
    bad = [a for a in ids if not ok(a)]
    ev = (Evidence("ev.actions", len(ids), "actions"), Evidence("ev.incomplete", len(bad), "actions"))
    if not ids:
        return Outcome(None, "actions.none")
    if bad:
        return Outcome(False, missing_key, {"ids": bad, "n": len(bad), "total": len(ids)}, ev)
    return Outcome(True, ok_key, {"total": len(ids)}, ev)


@rule("action_power")
def action_power(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    return _per_action(ctx, lambda a: ctx.capf.details(a).power is not None, N_("power.ok"), N_("power.missing"))


@rule("action_kpis")
def action_kpis(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    need = int(p.get("min_kpis", 1))
    return _per_action(ctx, lambda a: len(ctx.capf.details(a).kpis) >= need, N_("kpis.ok"), N_("kpis.missing"))


@rule("action_sdgs")
def action_sdgs(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    return _per_action(ctx, lambda a: bool(ctx.capf.sdgs(a)) and bool(ctx.capf.details(a).co_benefits),
                       N_("sdgs.ok"), N_("sdgs.missing"))


@rule("national_effects_apart")
def national_effects_apart(ctx: CheckContext, p: dict[str, Any]) -> Outcome:
    """National measures already in KF25 'with existing measures' are in the BAU and not counted
    as municipal reductions (methodology §9.3): the plan's BAU must follow KF25, and actions it
    marks ``in_baseline`` add nothing to its wedges."""
    method = ctx.capf.plan.baseline.method
    national = [a.id for a in ctx.capf.plan.actions if a.in_baseline]
    ev = (Evidence("ev.bau_method", method), Evidence("ev.in_baseline", len(national), "actions"))
    allowed = list(p.get("methods", ["kf25"]))
    if method not in allowed:
        return Outcome(False, "national.mixed", {"method": method, "allowed": allowed}, ev)
    return Outcome(True, "national.apart", {"method": method, "n": len(national)}, ev)
