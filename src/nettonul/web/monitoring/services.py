"""Every write of this app: CAPF sections, monitoring settings, indicators, observations and
progress updates, shared by views and commands.

As in :mod:`nettonul.web.plans.services`, each function checks the user's role, validates
(with the engine's own models, so the database holds only what the engine accepts), writes
in one transaction and records the change; edits name the version they were based on and
raise :class:`~nettonul.web.errors.StaleEditError` when someone else saved first. Statuses
are never written: they are derived on reading (:func:`plan_state`).

Monitoring records describe what happened, not what the plan says, so they follow the plan
across its versions: they are added to the current version and read for every version of
the same plan (its ``lineage``); an indicator's identifier is unique across them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import pydantic
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nettonul.web.audit import services as audit
from nettonul.web.engine import monitoring as engine_monitoring
from nettonul.web.engine import plans
from nettonul.web.engine.vocabulary import field_messages
from nettonul.web.errors import InvalidInputError, NotAllowedError, StaleEditError
from nettonul.web.monitoring.models import (
    Indicator,
    MonitoringSettings,
    Observation,
    PlanSections,
    ProgressUpdate,
)
from nettonul.web.organisations import permissions
from nettonul.web.organisations.models import Organisation
from nettonul.web.plans.models import Plan
from nettonul.web.versioning import apply_edit, delete_checked, save_new, validate

SETTINGS_FIELDS = ("stale_after_months", "min_percent_after_start", "fit_years", "confidence")
INDICATOR_FIELDS = ("key", "name", "unit", "direction", "targets", "action_key", "source")
OBSERVATION_FIELDS = ("value", "date", "source")
UPDATE_FIELDS = ("action_key", "date", "status", "percent", "comment", "evidence")


def _only(changes: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise InvalidInputError({k: _("unknown field") for k in unknown})
    return dict(changes)


def _require_current(plan: Plan) -> None:
    # Asked of the database: a plan object loaded before someone started a new version is stale.
    if not Plan.objects.filter(pk=plan.pk, is_current=True).exists():
        raise NotAllowedError(_("version %(n)s of this plan is an old version and cannot be changed; "
                                "edit the current version") % {"n": plan.revision})


def _today() -> dt.date:
    return timezone.localdate()


_pydantic_problems = field_messages


# ----------------------------------------------------------------------------- CAPF sections
def sections_for(plan: Plan) -> tuple[PlanSections | None, dict[str, Any]]:
    """The plan's CAPF sections row (None when it has none of its own) and the sections in
    force: its own, else those of the newest earlier version of the same plan."""
    row = PlanSections.objects.filter(plan=plan).first()
    if row is not None:
        return row, dict(row.data)
    earlier = (PlanSections.objects.filter(plan__lineage=plan.lineage, plan__revision__lt=plan.revision)
               .order_by("-plan__revision").values_list("data", flat=True).first())
    return None, dict(earlier or {})


def own_sections(plan: Plan) -> PlanSections | None:
    """The plan's own CAPF sections row, None before its first save."""
    return PlanSections.objects.filter(plan=plan).first()


def save_sections(actor: Any, plan: Plan, data: Any, expected_version: int | None) -> PlanSections:
    """Validate the CAPF sections with the engine and store them (create on first save)."""
    permissions.require_edit(actor, plan)
    _require_current(plan)
    targets, actions = list(plan.targets.all()), list(plan.actions.all())
    clean = engine_monitoring.normalised_sections(plan, targets, actions, data)
    row = own_sections(plan)
    if row is None:
        try:
            with transaction.atomic():
                row = PlanSections.objects.create(plan=plan, data=clean)
                audit.record(actor, "create", row, {"data": [None, clean]})
        except IntegrityError:  # another first save was stored since the check above
            raise _first_save_lost(_("the CAPF sections of '%(plan)s'") % {"plan": plan},
                                   PlanSections.objects.filter(plan=plan)) from None
        return row
    row.plan = plan
    return apply_edit(actor, row, expected_version or 0, {"data": clean})


def _first_save_lost(what: str, rows: Any) -> StaleEditError:
    """Two first saves at once: the one the database refused is told someone saved first (409)."""
    return StaleEditError(what, 0, rows.values_list("version", flat=True).first())


# ----------------------------------------------------------------------------- settings
def settings_for(organisation: Organisation) -> MonitoringSettings | None:
    return MonitoringSettings.objects.filter(organisation=organisation).first()


def save_settings(actor: Any, organisation: Organisation, expected_version: int | None,
                  **fields: Any) -> MonitoringSettings:
    """An organisation's status thresholds; an empty field takes the engine's default."""
    permissions.require_edit(actor, organisation)
    fields = _only(fields, SETTINGS_FIELDS)
    probe = {k: v for k, v in fields.items() if v is not None}
    try:
        engine_monitoring.MonitoringSettings.model_validate(probe)
    except pydantic.ValidationError as exc:
        raise InvalidInputError(_pydantic_problems(exc)) from None
    row = settings_for(organisation)
    if row is None:
        row = MonitoringSettings(organisation=organisation, **fields)
        validate(row)
        try:
            with transaction.atomic():
                row.save()
                audit.record(actor, "create", row, audit.snapshot(row, list(SETTINGS_FIELDS)),
                             organisation_id=organisation.pk)
        except IntegrityError:
            raise _first_save_lost(_("the monitoring settings of %(org)s") % {"org": organisation},
                                   MonitoringSettings.objects.filter(organisation=organisation)) from None
        return row
    return apply_edit(actor, row, expected_version or 0, fields, organisation_id=organisation.pk)


# ----------------------------------------------------------------------------- indicators
def _check_indicator(plan: Plan, fields: Mapping[str, Any], exclude_pk: int | None = None) -> dict[str, Any]:
    try:
        engine_monitoring.Indicator.model_validate({
            "id": fields.get("key"), "name": fields.get("name"), "unit": fields.get("unit"),
            "direction": fields.get("direction"), "targets": fields.get("targets") or {},
            "action": fields.get("action_key") or None, "source": fields.get("source") or None})
    except pydantic.ValidationError as exc:
        raise InvalidInputError(_pydantic_problems(exc, {"id": "key", "action": "action_key"})) from None
    if _indicator_key_taken(plan, fields.get("key"), exclude_pk):
        raise InvalidInputError(_indicator_key_problem())
    if fields.get("action_key") and fields["action_key"] not in action_keys(plan):
        raise InvalidInputError({"action_key": _("the plan has no action '%(key)s'") % {"key": fields["action_key"]}})
    out = dict(fields)
    out["targets"] = {str(int(y)): float(v) for y, v in (fields.get("targets") or {}).items()}
    return out


def _indicator_key_taken(plan: Plan, key: Any, exclude_pk: int | None = None) -> bool:
    clash = Indicator.objects.filter(plan__lineage=plan.lineage, key=key)
    return (clash.exclude(pk=exclude_pk) if exclude_pk is not None else clash).exists()


def _indicator_key_problem() -> dict[str, str]:
    return {"key": _("another indicator of this plan has this identifier")}


def add_indicator(actor: Any, plan: Plan, **fields: Any) -> Indicator:
    permissions.require_edit(actor, plan)
    _require_current(plan)
    fields = _check_indicator(plan, _only(fields, INDICATOR_FIELDS))
    indicator = Indicator(plan=plan, **fields)
    validate(indicator, exclude=["plan"])
    return save_new(actor, indicator, list(fields), duplicate=_indicator_key_problem())


def update_indicator(actor: Any, indicator: Indicator, expected_version: int, **changes: Any) -> Indicator:
    permissions.require_edit(actor, indicator)
    changes = _only(changes, INDICATOR_FIELDS)
    merged = _check_indicator(indicator.plan, {**{f: getattr(indicator, f) for f in INDICATOR_FIELDS}, **changes},
                              exclude_pk=indicator.pk)
    return apply_edit(actor, indicator, expected_version, {k: merged[k] for k in changes},
                      duplicate=_indicator_key_problem())


def delete_indicator(actor: Any, indicator: Indicator, expected_version: int) -> None:
    permissions.require_edit(actor, indicator)
    _delete(actor, indicator, expected_version, indicator.organisation_id)


# ----------------------------------------------------------------------------- observations
def add_observation(actor: Any, indicator: Indicator, **fields: Any) -> Observation:
    permissions.require_edit(actor, indicator)
    fields = _only(fields, OBSERVATION_FIELDS)
    try:
        engine_monitoring.Observation.model_validate({"indicator": indicator.key, **fields})
    except pydantic.ValidationError as exc:
        raise InvalidInputError(_pydantic_problems(exc)) from None
    if fields["date"] > _today():
        raise InvalidInputError({"date": _("the date is in the future")})
    obs = Observation(indicator=indicator, recorded_by=_name(actor), **fields)
    validate(obs, exclude=["indicator"])
    return save_new(actor, obs, [*OBSERVATION_FIELDS, "indicator_id"], organisation_id=indicator.organisation_id)


def delete_observation(actor: Any, observation: Observation, expected_version: int) -> None:
    permissions.require_edit(actor, observation)
    _delete(actor, observation, expected_version, observation.organisation_id)


# ----------------------------------------------------------------------------- progress updates
def action_keys(plan: Plan) -> dict[str, str]:
    """Identifier -> title of every action of the plan: those with an effect and those given
    only in the CAPF action details (enabling actions)."""
    out = dict(plan.actions.values_list("key", "title"))
    _row, sections = sections_for(plan)
    for key, details in (sections.get("action_details") or {}).items():
        out.setdefault(key, (details or {}).get("title") or key)
    return out


def add_progress_update(actor: Any, plan: Plan, **fields: Any) -> ProgressUpdate:
    permissions.require_edit(actor, plan)
    _require_current(plan)
    fields = _only(fields, UPDATE_FIELDS)
    engine_fields = {("action" if k == "action_key" else k): (v if v != "" else None) for k, v in fields.items()}
    try:
        engine_monitoring.ProgressUpdate.model_validate(engine_fields)
    except pydantic.ValidationError as exc:
        raise InvalidInputError(_pydantic_problems(exc, {"action": "action_key"})) from None
    if fields["action_key"] not in action_keys(plan):
        raise InvalidInputError({"action_key": _("the plan has no action '%(key)s'") % {"key": fields["action_key"]}})
    if fields["date"] > _today():
        raise InvalidInputError({"date": _("the date is in the future")})
    update = ProgressUpdate(plan=plan, recorded_by=_name(actor), **fields)
    validate(update, exclude=["plan"])
    return save_new(actor, update, list(UPDATE_FIELDS))


def delete_progress_update(actor: Any, update: ProgressUpdate, expected_version: int) -> None:
    permissions.require_edit(actor, update)
    _delete(actor, update, expected_version, update.organisation_id)


def _delete(actor: Any, obj: Indicator | Observation | ProgressUpdate, expected_version: int,
            organisation_id: int) -> None:
    with transaction.atomic():
        delete_checked(obj, expected_version)
        audit.record(actor, "delete", obj, audit.removed(obj), organisation_id=organisation_id)


def _name(actor: Any) -> str:
    return str(actor.get_username()) if hasattr(actor, "get_username") else str(actor)


# ----------------------------------------------------------------------------- reading
def plan_records(plan: Plan) -> dict[str, Any]:
    """Everything the engine needs about a plan, in a constant number of queries (monitoring
    records of every version of the plan)."""
    _row, sections = sections_for(plan)
    indicators = list(Indicator.objects.filter(plan__lineage=plan.lineage))
    by_pk = {i.pk: i for i in indicators}
    observations = list(Observation.objects.filter(indicator__plan__lineage=plan.lineage))
    for o in observations:
        o.indicator = by_pk[o.indicator_id]
    return {"targets": list(plan.targets.all()), "actions": list(plan.actions.all()), "sections": sections,
            "settings": settings_for(plan.organisation), "indicators": indicators, "observations": observations,
            "updates": list(ProgressUpdate.objects.filter(plan__lineage=plan.lineage))}


def plan_state(plan: Plan, as_of: dt.date | None = None, records: dict[str, Any] | None = None) -> dict[str, Any]:
    """The derived state of a plan as of a date (today by default): the engine's report
    inputs (check, scenario, outlook, action and indicator statuses) or the problems."""
    r = records or plan_records(plan)
    return engine_monitoring.plan_overview(plan, r["targets"], r["actions"], r["sections"], r["settings"],
                                       r["indicators"], r["observations"], r["updates"], as_of or _today())


# ----------------------------------------------------------------------------- files
def import_capf_plan_file(actor: Any, path: Any, organisation: Organisation, publish: bool = False) -> Plan:
    """A plan with its CAPF sections from a plan file (validated whole by the engine first,
    so nothing is written when any part is wrong)."""
    from nettonul.web.plans import services as plan_services

    capf = engine_monitoring.load_capf_plan(path)
    fields, targets, actions = plans.plan_rows(capf.plan)
    adoption = capf.sections.adoption
    if adoption is not None:
        fields["status"] = Plan.Status.ADOPTED if adoption.status == "adopted" else Plan.Status.DRAFT
    with transaction.atomic():
        plan = plan_services.create_plan(actor, organisation, **fields, source=_("plan file %(name)s")
                                         % {"name": getattr(path, "name", str(path))},
                                         illustrative=plans.has_assumptions(capf.plan), published=publish)
        for t in targets:
            plan_services.add_target(actor, plan, **t)
        for a in actions:
            plan_services.add_action(actor, plan, **a)
        save_sections(actor, plan, capf.sections.model_dump(mode="json", exclude_defaults=True), None)
    return plan


def import_monitoring_file(actor: Any, plan: Plan, path: Any) -> dict[str, int]:
    """Indicators, observations and progress updates from a monitoring file, all or nothing;
    the file's settings become the organisation's thresholds."""
    data = engine_monitoring.load_monitoring(path, set(action_keys(plan)))
    with transaction.atomic():
        s = data.settings
        save_settings(actor, plan.organisation, getattr(settings_for(plan.organisation), "version", None),
                      stale_after_months=s.stale_after_months, min_percent_after_start=s.min_percent_after_start,
                      fit_years=s.fit_years, confidence=s.confidence)
        made = {i.id: add_indicator(actor, plan, key=i.id, name=i.name, unit=i.unit, direction=i.direction,
                                    targets=dict(i.targets), action_key=i.action or "", source=i.source or "")
                for i in data.indicators}
        for o in data.observations:
            add_observation(actor, made[o.indicator], value=o.value, date=o.date, source=o.source)
        for u in data.updates:
            add_progress_update(actor, plan, action_key=u.action, date=u.date, status=u.status, percent=u.percent,
                                comment=u.comment or "", evidence=u.evidence or "")
    return {"indicators": len(data.indicators), "observations": len(data.observations), "updates": len(data.updates)}
