"""Assemble the yearly report's snapshot from plain inputs, or from a plan file and its data.

:class:`ReportInputs` is everything a report shows, as plain numbers and strings: the web
application fills it from its database, :func:`inputs_from_plan` fills it from a plan file
(with the shipped inventory) and an optional monitoring file. :func:`build_snapshot` adds the
key figures and freezes the lot (:mod:`nettonul.reports.snapshot`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import numpy as np

from nettonul.engine.check import run_check
from nettonul.engine.check.context import CheckContext, build_context, context_from_panel
from nettonul.engine.check.model import CriteriaSet
from nettonul.engine.core import frameworks
from nettonul.engine.core.i18n import text as message
from nettonul.engine.core.jsondata import finites
from nettonul.engine.core.panel import Panel
from nettonul.engine.pathway.targets import make_target
from nettonul.engine.plan.compile import compile_plan, plan_history, with_plan_land_use
from nettonul.engine.plan.monitoring import (
    MonitoringData,
    action_statuses,
    adopted_path,
    emissions_outlook,
    indicator_statuses,
)
from nettonul.engine.plan.scenario import evaluate, summarise
from nettonul.engine.plan.sections import CapfPlan
from nettonul.engine.reference import datasets
from nettonul.reports.snapshot import Snapshot, freeze


@dataclass
class ReportInputs:
    """What the yearly report shows. Series are aligned with ``years``; None = no value."""

    organisation: dict[str, str]
    plan: dict[str, Any]
    year: int
    as_of: date
    years: list[int]
    historical: list[float | None]  # t CO2e; inventory or back-cast estimate
    estimated: list[bool]
    by_sector: dict[str, list[float | None]]
    sector_names: dict[str, dict[str, str]]
    bau: list[float | None]
    plan_path: list[float | None]  # the plan's scenario
    target_path: list[float | None]
    targets: list[dict[str, Any]]  # {year, label, level}
    outlook: dict[str, Any] | None
    actions: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    check: dict[str, dict[str, Any]]  # language -> CheckResult.to_dict()
    unit: str = "t CO2e"
    gwp_set: str = "AR5"
    illustrative: bool = False
    sources: list[str] = field(default_factory=list)
    #: Notes as text (the engine's, in English) or as a message of the catalogue,
    #: ``{"key": ..., "args": {...}}``, worded in the report's language (:func:`note_text`).
    notes: list[Any] = field(default_factory=list)
    #: The plan's costs (:func:`plan_costs`); None when no action has a cost.
    costs: dict[str, Any] | None = None


def plan_costs(summary: dict[str, Any]) -> dict[str, Any] | None:
    """The costs a report shows, from a scenario summary
    (:func:`nettonul.engine.plan.scenario.summarise`): each costed action's net present cost
    and levelised cost per tonne, the MACC's bars in the MACC year, and the plan's cost in each
    year (undiscounted, fixed prices; negative: a saving). None when no action has a cost."""
    costed = [a for a in summary["actions"] if a["cost"] is not None]
    if not costed:
        return None
    total = [float(sum(v)) for v in zip(*(a["cost"]["annual_costs"] for a in costed), strict=True)]
    return {
        "currency": summary["currency"], "discount_rate": summary["discount_rate"],
        "macc_year": summary["macc_year"],
        "actions": [{"id": a["id"], "title": a["title"], "npc": a["cost"]["net_present_cost"],
                     "cost_per_t": a["cost"]["cost_per_t_co2e"], "reduction_t": a["cumulative_reduction_t_co2e"]}
                    for a in costed],
        "macc": [{"id": b["action"], "title": b["title"], "cost_per_t": b["cost_per_t_co2e"],
                  "reduction_t": b["abatement_t_co2e"], "from_t": b["x0"]} for b in summary["macc"]],
        "by_year": {"years": list(summary["years"]), "total": total},
    }


def key_figures(inp: ReportInputs) -> dict[str, Any]:
    """The summary page's figures, computed from the inputs only."""
    idx = {y: i for i, y in enumerate(inp.years)}
    measured = [y for y, v, e in zip(inp.years, inp.historical, inp.estimated, strict=True) if v is not None and not e]
    last = max(measured) if measured else None
    latest = inp.historical[idx[last]] if last is not None else None
    base = inp.historical[idx[1990]] if 1990 in idx else None
    nxt = next((t for t in sorted(inp.targets, key=lambda t: t["year"]) if t["year"] > inp.year), None)
    out: dict[str, Any] = {
        "last_inventory_year": last, "latest": latest,
        "base_1990": base, "base_1990_estimated": bool(inp.estimated[idx[1990]]) if 1990 in idx else None,
        "change_vs_1990": (latest / base - 1.0) if latest is not None and base else None,
        "next_target": nxt,
    }
    if nxt is not None and nxt["year"] in idx:
        plan_value = inp.plan_path[idx[nxt["year"]]]
        out["plan_at_target"] = plan_value
        out["gap_at_target"] = None if plan_value is None else plan_value - nxt["level"]
    states: dict[str, int] = {}
    for a in inp.actions:
        states[a["state"]] = states.get(a["state"], 0) + 1
    out["action_states"] = states
    ind: dict[str, int] = {}
    for i in inp.indicators:
        ind[i["state"]] = ind.get(i["state"], 0) + 1
    out["indicator_states"] = ind
    out["check_verdict"] = next(iter(inp.check.values()))["verdict"] if inp.check else None
    return out


def build_snapshot(inputs: ReportInputs, issued: date) -> Snapshot:
    """Freeze ``inputs`` with their key figures into the report snapshot issued on ``issued``."""
    content = asdict(inputs)
    content["key_figures"] = key_figures(inputs)
    return freeze(content, issued)


# --------------------------------------------------------------------------- from files
def _series(values: Any) -> list[float | None]:
    return finites(np.asarray(values, dtype=np.float64).tolist())


def _history(capf: CapfPlan, code: str, year: int, history: Panel | None = None) -> Panel | None:
    """The emissions history up to ``year``, back-cast to 1990 (back-cast cells estimated):
    ``history`` when given, else the shipped Energi- og CO2-regnskab; None for an inline inventory."""
    if history is None:
        if capf.plan.inventory.source == "inline":
            return None
        history = datasets.klimaregnskab_panel([code])
    panel = history.select([code]) if history.orgs != (code,) else history
    first = int(panel.years[0])
    last = max(first, min(int(panel.years[-1]), year))
    return plan_history(capf.plan, with_plan_land_use(capf.plan, panel.reindex_years(first, last)), 1990)


def _context(capf: CapfPlan, today: date, history: Panel | None) -> CheckContext:
    """The check's context; with ``history``, its inventory figures (the inventory year's
    sectors, the 1990 reference back-cast where not measured) come from that history."""
    if history is None:
        return build_context(capf, today)
    cp = compile_plan(capf.plan)
    panel = history.select([cp.orgs[0]]) if history.orgs != cp.orgs[:1] else history
    return context_from_panel(capf, cp, evaluate(cp), with_plan_land_use(capf.plan, panel), today)


def inputs_from_plan(capf: CapfPlan, year: int, monitoring: MonitoringData | None = None,
                     criteria: CriteriaSet | None = None, today: date | None = None,
                     history: Panel | None = None) -> ReportInputs:
    """The report inputs for ``year`` from a plan file, monitoring data and the emissions
    history: ``history`` (top-level sectors of the plan's organisation, e.g. an uploaded
    inventory) when given, else the shipped inventory."""
    as_of = monitoring.as_of if monitoring is not None else date(year, 12, 31)
    ctx = _context(capf, today or as_of, history)
    cp, sc = ctx.cp, ctx.scenario
    code = cp.orgs[0]
    horizon = int(cp.years[-1])
    hist = _history(capf, code, year, history)
    first = 1990 if hist is not None else int(cp.years[0])
    years = np.arange(first, horizon + 1)
    n = years.size
    off = int(cp.years[0]) - first

    def on_axis(values: Any) -> list[float | None]:
        out = np.full(n, np.nan)
        out[off:off + len(values)] = values
        return _series(out)

    historical = np.full(n, np.nan)
    estimated = np.zeros(n, dtype=bool)
    by_sector: dict[str, list[float | None]] = {}
    if hist is not None:
        k = hist.years.size
        historical[:k] = hist.total()[0]
        estimated[:k] = hist.total_estimated()[0]
        for j, s in enumerate(hist.sectors):
            col = np.full(n, np.nan)
            col[:k] = hist.values[0, j]
            by_sector[s] = _series(col)
    else:
        historical[off] = sc.plan[0, 0]
    fw = frameworks.get_framework(capf.plan.framework)
    names = {s: {"en": fw.sector(s).name("en"), "da": fw.sector(s).name("da")} if s in fw else {"en": s, "da": s}
             for s in (*cp.sectors, *by_sector)}
    path = cp.target_path[0]
    # as in the pathway: a target already met does not pull the path back up
    held = np.where(np.isnan(path), np.nan, np.minimum.accumulate(np.where(np.isnan(path), np.inf, path)))
    worded = target_words(capf, names)
    targets: list[dict[str, Any]] = [{"year": int(y), "label": label, "level": float(v),
                                      "labels": worded.get(label, {"en": label, "da": label})}
               for y, label, v in zip(cp.target_years, cp.target_labels, cp.target_levels[0], strict=True)]

    outlook = None
    upcoming = [t for t in targets if t["year"] > year] or targets[-1:]
    if hist is not None and upcoming:
        # judged against the path as adopted (base-year level through the milestones), not a
        # path re-started at the plan's inventory year, which the latest inventory always meets
        refs = [t.against for t in capf.plan.targets if t.kind == "reduction" and t.against is not None]
        base_year = min(refs) if refs else int(years[0])
        base_level = historical[base_year - first]
        if np.isfinite(base_level) and cp.target_years.size:
            path_axis = adopted_path(years, base_year, np.asarray([base_level]), cp.target_years,
                                     cp.target_levels[:1])[0]
        else:
            path_axis = np.asarray([np.nan if v is None else v for v in on_axis(held)])
        o = emissions_outlook(years, historical[None, :], path_axis[None, :], upcoming[0]["year"],
                              np.asarray([upcoming[0]["level"]]),
                              fit_years=monitoring.settings.fit_years if monitoring else 5,
                              confidence=monitoring.settings.confidence if monitoring else 0.9)
        outlook = o.to_dict(0)

    schedules: dict[str, tuple[int, int]] = {}
    rows: list[dict[str, Any]] = []
    target_year = upcoming[0]["year"] if upcoming else horizon
    for a in capf.plan.actions:
        d = capf.details(a.id)
        start, end = d.start or a.schedule.start, d.end or a.schedule.full_year
        schedules[a.id] = (start, end)
        rows.append({"id": a.id, "title": a.title, "sector": a.effect.sector, "owner": capf.owner(a.id),
                     "start": start, "end": end, "reduction": ctx.wedge(a.id, target_year),
                     "reduction_year": target_year, "enabling": False})
    for action_id in capf.unquantified_ids():
        d = capf.details(action_id)
        start = d.start or year
        end = d.end or start
        schedules[action_id] = (start, end)
        rows.append({"id": action_id, "title": d.title or action_id, "sector": (d.sector or "").split(".")[0],
                     "owner": d.owner, "start": start, "end": end, "reduction": None,
                     "reduction_year": target_year, "enabling": d.enabling})
    if monitoring is not None:
        stale = capf.sections.monitoring.stale_after_months
        for row, st in zip(rows, action_statuses(schedules, monitoring, stale), strict=True):
            row.update(st.to_dict())
        indicators = [i.to_dict() for i in indicator_statuses(monitoring)]
    else:
        for row in rows:
            row.update({"state": "no_data", "percent": None, "last_update": None, "reasons": []})
        indicators = []

    checks = {lang: run_check(capf, criteria, lang, context=ctx).to_dict() for lang in ("en", "da")}
    adoption = capf.sections.adoption
    notes: list[Any] = [*cp.notes, *capf.plan.notes]
    if np.nanmax(np.abs(held - path), initial=0.0) > 0:
        notes.append({"key": "report.note_held_path"})
    assumed = sum(1 for a in capf.plan.actions if a.assumptions)
    if assumed:
        notes.append({"key": "report.note_assumed", "args": {"n": assumed, "total": len(capf.plan.actions)}})
    illustrative = bool(monitoring is not None and monitoring.illustrative) or "illustrative" in capf.plan.name.lower()
    if monitoring is not None and monitoring.note:
        notes.append(monitoring.note)
    sources = list(dict.fromkeys([*(hist.sources if hist is not None else ()), *cp.sources]))
    adopted = adoption.adopted.isoformat() if adoption and adoption.adopted else None
    return ReportInputs(
        organisation={"code": code, "name": _org_name(code)},
        plan={"name": capf.plan.name, "adopted": adopted,
              "status": adoption.status if adoption else None, "framework": capf.plan.framework,
              "horizon": horizon, "inventory_year": ctx.inventory_year},
        year=year, as_of=as_of, years=[int(y) for y in years],
        historical=_series(historical), estimated=[bool(e) for e in estimated], by_sector=by_sector,
        sector_names=names, bau=on_axis(sc.bau[0]), plan_path=on_axis(sc.plan[0]),
        target_path=on_axis(held), targets=targets, outlook=outlook, actions=rows,
        indicators=indicators, check=checks, unit="t CO2e", gwp_set=capf.plan.gwp, illustrative=illustrative,
        sources=sources, notes=notes, costs=plan_costs(summarise(capf.plan, sc)),
    )


def note_text(note: Any, language: str) -> str:
    """A report note in ``language``: a catalogue message with its arguments, or text as given."""
    if isinstance(note, dict):
        return message(str(note["key"]), language, **dict(note.get("args") or {}))
    return str(note)


def target_words(capf: CapfPlan, sector_names: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Each target's English description (the engine's label) -> its description in English
    and in Danish (``-70 % i 2030 ift. 1990``)."""
    out: dict[str, dict[str, str]] = {}
    for spec in capf.plan.targets:
        target = make_target(spec.kind, spec.year, spec.value, spec.against, spec.sector)
        if target is None:
            continue
        names = sector_names.get(spec.sector or "", {})
        out[target.describe()] = {lang: target.describe(lang, names.get(lang)) for lang in ("en", "da")}
    return out


def target_label(target: dict[str, Any], language: str) -> str:
    """A report target's description in ``language`` (reports issued before targets were
    worded in both languages have only the English ``label``)."""
    labels: dict[str, str] = target.get("labels") or {}
    return labels.get(language) or str(target["label"])


def _org_name(code: str) -> str:
    try:
        return datasets.find_municipality(code).name
    except LookupError:
        return code
