"""Monitoring and reports: the engine's plan check, monitoring and yearly report inputs.

Like :mod:`nettonul.web.engine.plans` (whose plan document it reuses), this module only converts:
a plan with its targets, actions and CAPF sections becomes the engine's
:class:`~nettonul.engine.plan.sections.CapfPlan`; indicators, observations and progress
updates become :class:`~nettonul.engine.plan.monitoring.MonitoringData`; and
:func:`nettonul.reports.build.inputs_from_plan` computes everything a page or a report shows
(scenario, target path, emissions outlook with its forecast band, derived action and
indicator statuses, the DK2020/CAPF check in English and Danish). Nothing is computed here.

:func:`report_inputs` builds the complete engine inputs (the CAPF plan with its stored
inventory in memory, the monitoring data) in one pass and makes the one engine call;
:func:`plan_overview` keeps its result under the key of those inputs (:mod:`.cache`), so a
page shows the same figures as long as nothing that feeds them has changed.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

from nettonul.engine.core.errors import EngineError
from nettonul.engine.core.errors import ValidationError as EngineValidationError
from nettonul.engine.plan.monitoring import Indicator as Indicator
from nettonul.engine.plan.monitoring import MonitoringData, parse_monitoring
from nettonul.engine.plan.monitoring import MonitoringSettings as MonitoringSettings
from nettonul.engine.plan.monitoring import Observation as Observation
from nettonul.engine.plan.monitoring import ProgressUpdate as ProgressUpdate
from nettonul.engine.plan.monitoring import indicator_statuses as indicator_statuses
from nettonul.engine.plan.monitoring import load_monitoring as load_monitoring
from nettonul.engine.plan.monitoring import worded_reasons as worded_reasons
from nettonul.engine.plan.sections import SECTION_KEYS, CapfPlan, parse_capf_plan
from nettonul.engine.plan.sections import load_capf_plan as load_capf_plan
from nettonul.reports.build import ReportInputs, inputs_from_plan, key_figures
from nettonul.reports.build import target_label as target_label
from nettonul.web.engine import cache, plans
from nettonul.web.errors import InvalidInputError

# The engine's record models (forms validate single records with them), file readers and the
# indicator states are used by the monitoring and strategy apps through this module.


def engine_defaults() -> dict[str, Any]:
    """The engine's default monitoring thresholds (for forms and docs)."""
    d = MonitoringSettings.model_validate({})
    return {"stale_after_months": 12, "min_percent_after_start": d.min_percent_after_start,
            "fit_years": d.fit_years, "confidence": d.confidence}


def plan_document(plan: Any, targets: list[Any], actions: list[Any], sections: dict[str, Any]) -> dict[str, Any]:
    """The whole plan file (mitigation part from the plans app, CAPF sections from here)."""
    doc = plans.plan_document(plan, targets, actions)
    doc.update({k: v for k, v in sections.items() if k in SECTION_KEYS})
    return doc


def capf_plan(plan: Any, targets: list[Any], actions: list[Any], sections: dict[str, Any]) -> CapfPlan:
    """The engine's CAPF plan (the stored inventory's records in memory); raises the engine's
    ValidationError listing every problem."""
    capf = parse_capf_plan(plan_document(plan, targets, actions, sections), file=f"plan {plan.pk}")
    return dataclasses.replace(capf, plan=plans.attach_inventory(plan, capf.plan))


def section_problems(plan: Any, targets: list[Any], actions: list[Any], data: Any) -> dict[str, str]:
    """Field path -> reason for CAPF sections the engine rejects (unknown keys included);
    problems of the mitigation part are reported under ``plan``."""
    if not isinstance(data, dict):
        return {"sections": "the CAPF sections must be a mapping of section names to their content"}
    unknown = sorted(set(data) - set(SECTION_KEYS))
    if unknown:
        return {k: f"not a CAPF section (known: {', '.join(SECTION_KEYS)})" for k in unknown}
    try:
        capf_plan(plan, targets, actions, data)
    except EngineValidationError as exc:
        out: dict[str, str] = {}
        for p in exc.problems:
            path = p.column or "plan"
            if path.split(".")[0].split("[")[0] not in SECTION_KEYS:
                path = "plan"
            out[path] = f"{out[path]}; {p.reason}" if path in out else p.reason
        return out
    except EngineError as exc:
        return {"plan": str(exc)}
    return {}


def normalised_sections(plan: Any, targets: list[Any], actions: list[Any], data: dict[str, Any]) -> dict[str, Any]:
    """The sections as the engine reads them (dates as ISO text, defaults left out), so the
    stored JSON validates to the same :class:`PlanSections` again."""
    problems = section_problems(plan, targets, actions, data)
    if problems:
        raise InvalidInputError(problems)
    sections = capf_plan(plan, targets, actions, data).sections
    out: dict[str, Any] = sections.model_dump(mode="json", exclude_defaults=True)
    if sections.adoption is not None and "adoption" in out:
        out["adoption"]["status"] = sections.adoption.status  # keep the explicit status readable
    return out


def monitoring_data(as_of: date, settings: Any, indicators: list[Any], observations: list[Any],
                    updates: list[Any], action_ids: set[str] | None, illustrative: bool = False) -> MonitoringData:
    """The engine's monitoring data as of ``as_of``: records dated later are left out, and so
    are updates of actions that this version of the plan no longer has."""
    s: dict[str, Any] = {}
    if settings is not None:
        for name in ("stale_after_months", "min_percent_after_start", "fit_years", "confidence"):
            value = getattr(settings, name)
            if value is not None:
                s[name] = value
    data = {
        "as_of": as_of, "illustrative": illustrative, "settings": s,
        "indicators": [{"id": i.key, "name": i.name, "unit": i.unit, "direction": i.direction,
                        "targets": {int(y): float(v) for y, v in (i.targets or {}).items()},
                        "action": i.action_key or None, "source": i.source or None} for i in indicators],
        "observations": [{"indicator": o.indicator.key, "value": o.value, "date": o.date, "source": o.source}
                         for o in observations if o.date <= as_of],
        "updates": [{"action": u.action_key, "date": u.date, "status": u.status, "percent": u.percent,
                     "comment": u.comment or None, "evidence": u.evidence or None}
                    for u in updates if u.date <= as_of and (action_ids is None or u.action_key in action_ids)],
    }
    return parse_monitoring(data, "monitoring", action_ids)


def action_ids(capf: CapfPlan) -> set[str]:
    return {a.id for a in capf.plan.actions} | set(capf.unquantified_ids())


def report_inputs(plan: Any, capf: CapfPlan, monitoring: MonitoringData, year: int,
                  organisation_name: str) -> ReportInputs:
    """What the yearly report (and the overview pages) show, all computed by the engine."""
    inputs = inputs_from_plan(capf, year, monitoring, today=monitoring.as_of,
                              history=plans.stored_history(capf.plan))
    inputs.organisation = {"code": inputs.organisation["code"], "name": organisation_name}
    inputs.illustrative = bool(inputs.illustrative or plan.illustrative)
    if plan.illustrative:
        inputs.notes.append({"key": "report.note_illustrative"})
    return inputs


def engine_inputs(plan: Any, records: dict[str, Any], as_of: date) -> tuple[CapfPlan, MonitoringData]:
    """The complete engine inputs of a plan's check, monitoring and report as of a date, built
    from its records (:func:`nettonul.web.monitoring.services.plan_records`) in one pass."""
    capf = capf_plan(plan, records["targets"], records["actions"], records["sections"])
    data = monitoring_data(as_of, records["settings"], records["indicators"], records["observations"],
                           records["updates"], action_ids(capf), plan.illustrative)
    return capf, data


def plan_report(plan: Any, records: dict[str, Any], as_of: date, year: int) -> ReportInputs:
    """The engine's report inputs of ``plan`` for ``year`` as of a date (one engine call)."""
    capf, data = engine_inputs(plan, records, as_of)
    return report_inputs(plan, capf, data, year, plan.organisation.name)


def plan_overview(plan: Any, targets: list[Any], actions: list[Any], sections: dict[str, Any], settings: Any,
                  indicators: list[Any], observations: list[Any], updates: list[Any],
                  as_of: date) -> dict[str, Any]:
    """Everything the checklist, monitoring and public pages show for a plan as of a date:
    ``{"inputs": ReportInputs as a dict with its key figures, "problems": [...]}``, kept under
    the key of the complete engine inputs."""
    records = {"targets": targets, "actions": actions, "sections": sections, "settings": settings,
               "indicators": indicators, "observations": observations, "updates": updates}
    try:
        capf, data = engine_inputs(plan, records, as_of)

        def compute() -> dict[str, Any]:
            inputs = report_inputs(plan, capf, data, as_of.year, plan.organisation.name)
            content = dict(dataclasses.asdict(inputs), key_figures=key_figures(inputs))
            return {"inputs": json.loads(json.dumps(content, default=str)), "problems": []}

        _key, out = cache.cached("plan-overview", (capf, data, as_of.year, plan.organisation.name,
                                                   bool(plan.illustrative)), compute)
    except EngineValidationError as exc:
        return {"inputs": None, "problems": [str(p) for p in exc.problems]}
    except EngineError as exc:
        return {"inputs": None, "problems": [str(exc)]}
    return dict(out)


def check_summary(check: dict[str, Any]) -> dict[str, Any]:
    """Verdict and counts of a ``CheckResult.to_dict()`` for a summary line."""
    return {"verdict": check["verdict"], "counts": check["counts"],
            "failed": [c for c in check["criteria"] if c["result"] == "fail"]}

