"""Every write to plans, targets and actions, shared by views, the API and commands.

Each function checks the user's role (``organisations.permissions``), validates, writes in
one transaction and records the change (``audit``). Edits take the version the user saw
(``expected_version``) and raise :class:`~nettonul.web.errors.StaleEditError` when the
object has moved on. Older versions of a plan (``is_current`` False) are frozen.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F, Max, Q, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nettonul.engine import EngineError, find_municipality, load_plan
from nettonul.web.audit import services as audit
from nettonul.web.engine import plans
from nettonul.web.errors import InvalidInputError, NotAllowedError, StaleEditError
from nettonul.web.organisations import permissions
from nettonul.web.organisations.models import Organisation
from nettonul.web.plans.models import Action, Plan, Target
from nettonul.web.versioning import apply_edit, delete_checked, save_new, validate

PLAN_FIELDS = ("title", "kind", "status", "published", "base_year", "framework", "gwp_set", "description",
               "source", "illustrative", "model")
TARGET_FIELDS = ("kind", "year", "value", "against", "sector", "description")
ACTION_FIELDS = ("key", "title", "description", "sector", "owner", "status", "start_year", "full_year", "curve",
                 "effect", "cost", "uncertainty", "sdgs", "power", "funding_status", "kpis", "co_benefits", "sources",
                 "assumptions", "unconfirmed")


def _only(changes: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    allowed = tuple(allowed)
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise InvalidInputError({k: _("unknown field") for k in unknown})
    return dict(changes)


def _require_current(plan: Plan) -> None:
    if not plan.is_current:
        raise NotAllowedError(_("version %(n)s of this plan is an old version and cannot be changed; "
                                "edit the current version") % {"n": plan.revision})


# ----------------------------------------------------------------------------- plans
def create_plan(actor: Any, organisation: Organisation, **fields: Any) -> Plan:
    permissions.require_edit(actor, organisation)
    fields = _only(fields, PLAN_FIELDS)
    if fields.get("published"):
        permissions.require_administer(actor, organisation)
    plan = Plan(organisation=organisation, **fields)
    validate(plan)
    return save_new(actor, plan, list(fields) or ["title"])


def update_plan(actor: Any, plan: Plan, expected_version: int, **changes: Any) -> Plan:
    permissions.require_edit(actor, plan)
    _require_current(plan)
    changes = _only(changes, PLAN_FIELDS)
    if "published" in changes and bool(changes["published"]) != plan.published:
        permissions.require_administer(actor, plan.organisation)
    return apply_edit(actor, plan, expected_version, changes)


def delete_plan(actor: Any, plan: Plan, expected_version: int) -> None:
    """Delete one version of a plan (with its targets and actions)."""
    permissions.require_edit(actor, plan)
    if plan.published:
        raise NotAllowedError(_("a published plan cannot be deleted; unpublish it first"))
    with transaction.atomic():
        delete_checked(plan, expected_version, f"plan '{plan}'")
        if plan.is_current:  # the previous version becomes current again
            previous = Plan.objects.filter(lineage=plan.lineage).order_by("-revision").first()
            if previous is not None:
                Plan.objects.filter(pk=previous.pk).update(is_current=True, version=F("version") + 1)
        audit.record(actor, "delete", plan, audit.removed(plan))


def revise_plan(actor: Any, plan: Plan, expected_version: int, title: str | None = None) -> Plan:
    """A new version of ``plan`` with copies of its targets and actions. The old version is
    kept, readable and frozen; the new one becomes current and starts as a draft."""
    permissions.require_edit(actor, plan)
    _require_current(plan)
    with transaction.atomic():
        frozen = Plan.objects.filter(pk=plan.pk, version=expected_version, is_current=True).update(
            is_current=False, version=F("version") + 1)
        if not frozen:
            current = Plan.objects.filter(pk=plan.pk).values_list("version", flat=True).first()
            raise StaleEditError(f"plan '{plan}'", expected_version, current)
        number = (Plan.objects.filter(lineage=plan.lineage).aggregate(n=Max("revision"))["n"] or 0) + 1
        new = Plan.objects.create(
            organisation_id=plan.organisation_id, title=title or plan.title, kind=plan.kind, lineage=plan.lineage,
            revision=number, status=Plan.Status.DRAFT, published=False, base_year=plan.base_year,
            framework=plan.framework, gwp_set=plan.gwp_set, description=plan.description, source=plan.source,
            illustrative=plan.illustrative, model=plan.model,
        )
        Target.objects.bulk_create([
            Target(plan=new, **{f: getattr(t, f) for f in TARGET_FIELDS}) for t in plan.targets.all()
        ])
        Action.objects.bulk_create([
            Action(plan=new, search_text=a.search_text, **{f: getattr(a, f) for f in ACTION_FIELDS})
            for a in plan.actions.all()
        ])
        audit.record(actor, "revise", new, {"revision": [plan.revision, number], "previous": [None, plan.pk]})
    return new


def retire_version(actor: Any, plan: Plan, expected_version: int, *, unpublish: bool = True,
                   archive: bool = False) -> Plan:
    """Unpublish and/or archive a superseded version of a plan (an administrator of its
    organisation). Its targets and actions stay frozen; the change is audited like any edit."""
    permissions.require_administer(actor, plan.organisation)
    if plan.is_current:
        raise NotAllowedError(_("only an older version of a plan can be retired this way; "
                                "edit the current version"))
    changes: dict[str, Any] = {}
    if unpublish:
        changes["published"] = False
    if archive:
        changes["status"] = Plan.Status.ARCHIVED
    if not changes:
        raise InvalidInputError({"action": _("choose to unpublish or to archive the version")})
    return apply_edit(actor, plan, expected_version, changes)


def plan_versions(plan: Plan) -> QuerySet[Plan]:
    """All versions of ``plan``, newest first."""
    return Plan.objects.filter(lineage=plan.lineage).order_by("-revision")


# ----------------------------------------------------------------------------- targets
def _check_target(target: Target) -> None:
    validate(target, exclude=["plan"])
    problems = plans.target_problems(target)
    if problems:
        raise InvalidInputError(problems)


def _target_year_taken(target: Target, exclude_pk: int | None = None) -> bool:
    """Whether the plan has another quantified target for the same year and sector (the
    scenario's target path needs one milestone per year; a qualitative target has none)."""
    if target.kind == Target.Kind.QUALITATIVE:
        return False
    clash = Target.objects.filter(plan_id=target.plan_id, year=target.year, sector=target.sector or "").exclude(
        kind=Target.Kind.QUALITATIVE)
    return (clash.exclude(pk=exclude_pk) if exclude_pk is not None else clash).exists()


def _year_taken_problem(target: Target) -> dict[str, str]:
    return {"year": _("the plan already has a target for %(year)s%(sector)s; change that one instead")
            % {"year": target.year, "sector": f" ({target.sector})" if target.sector else ""}}


def add_target(actor: Any, plan: Plan, **fields: Any) -> Target:
    permissions.require_edit(actor, plan)
    _require_current(plan)
    target = Target(plan=plan, **_only(fields, TARGET_FIELDS))
    _check_target(target)
    if _target_year_taken(target):
        raise InvalidInputError(_year_taken_problem(target))
    return save_new(actor, target, list(TARGET_FIELDS), duplicate=_year_taken_problem(target))


def update_target(actor: Any, target: Target, expected_version: int, **changes: Any) -> Target:
    permissions.require_edit(actor, target)
    _require_current(target.plan)
    changes = _only(changes, TARGET_FIELDS)
    probe = Target(plan=target.plan, **{**{f: getattr(target, f) for f in TARGET_FIELDS}, **changes})
    _check_target(probe)
    if _target_year_taken(probe, exclude_pk=target.pk):
        raise InvalidInputError(_year_taken_problem(probe))
    return apply_edit(actor, target, expected_version, changes, duplicate=_year_taken_problem(probe))


def delete_target(actor: Any, target: Target, expected_version: int) -> None:
    permissions.require_edit(actor, target)
    _require_current(target.plan)
    _delete(actor, target, expected_version)


# ----------------------------------------------------------------------------- actions
def _fold(text: str) -> str:
    """Case- and accent-insensitive text for search; Danish letters keep their identity."""
    text = unicodedata.normalize("NFC", text).casefold()
    return re.sub(r"\s+", " ", text).strip()


def search_text(fields: Mapping[str, Any]) -> str:
    return _fold(" ".join(str(fields.get(f) or "") for f in ("title", "description", "sector", "owner", "key")))


def _check_action(action: Action) -> None:
    validate(action, exclude=["plan"])
    pending = action.unconfirmed
    if not isinstance(pending, list) or not all(isinstance(p, str) and 0 < len(p) <= 200 for p in pending):
        raise InvalidInputError({"unconfirmed": _("a list of field paths, such as effect.share")})
    problems = plans.action_problems(action)
    if problems:
        raise InvalidInputError(problems)


def _key_taken(plan: Plan, key: str, exclude_pk: int | None = None) -> bool:
    clash = Action.objects.filter(plan=plan, key=key)
    return (clash.exclude(pk=exclude_pk) if exclude_pk is not None else clash).exists()


def _key_taken_problem() -> dict[str, str]:
    return {"key": _("another action of this plan has this identifier")}


def add_action(actor: Any, plan: Plan, **fields: Any) -> Action:
    permissions.require_edit(actor, plan)
    _require_current(plan)
    fields = _only(fields, ACTION_FIELDS)
    if not fields.get("key"):
        fields["key"] = slugify(str(fields.get("title", "")))[:80] or "action"
    if _key_taken(plan, fields["key"]):
        raise InvalidInputError(_key_taken_problem())
    action = Action(plan=plan, search_text=search_text(fields), **fields)
    _check_action(action)
    # the database's unique key refuses a second request that passed the check at the same time
    return save_new(actor, action, list(fields), duplicate=_key_taken_problem())


def update_action(actor: Any, action: Action, expected_version: int, **changes: Any) -> Action:
    permissions.require_edit(actor, action)
    _require_current(action.plan)
    changes = _only(changes, ACTION_FIELDS)
    merged = {**{f: getattr(action, f) for f in ACTION_FIELDS}, **changes}
    if "key" in changes and _key_taken(action.plan, changes["key"], exclude_pk=action.pk):
        raise InvalidInputError(_key_taken_problem())
    _check_action(Action(plan=action.plan, **merged))
    text = search_text(merged)
    if text != action.search_text:
        changes["search_text"] = text
    return apply_edit(actor, action, expected_version, changes, duplicate=_key_taken_problem())


def confirm_assumption(actor: Any, action: Action, expected_version: int, path: str) -> Action:
    """An editor confirms an assumed field of an action (one a draft plan from a document
    assumed): it is no longer flagged for review; its assumption note stays as the reason for
    the number. Version-checked and audited like every edit."""
    pending = list(action.unconfirmed or [])
    if path not in pending:
        raise InvalidInputError({"path": _("'%(path)s' is not awaiting confirmation") % {"path": path}})
    return update_action(actor, action, expected_version, unconfirmed=[p for p in pending if p != path])


def delete_action(actor: Any, action: Action, expected_version: int) -> None:
    permissions.require_edit(actor, action)
    _require_current(action.plan)
    _delete(actor, action, expected_version)


def _delete(actor: Any, obj: Target | Action, expected_version: int) -> None:
    with transaction.atomic():
        delete_checked(obj, expected_version)
        audit.record(actor, "delete", obj, audit.removed(obj), organisation_id=obj.plan.organisation_id)


# ----------------------------------------------------------------------------- search
def _stem(token: str) -> str:
    """A crude stem so plural and definite forms match ('pumps' -> 'pump', 'vindmøller' ->
    'vindmøll'); words of up to four letters stay whole."""
    return token[: max(4, len(token) - 2)] if len(token) > 4 else token


#: Words the library finds in either language: each group's terms mean the same, so a search
#: for one finds actions described with any of them ("varmepumpe" finds "heat pumps").
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("varmepumpe", "heat pump"), ("oliefyr", "oil boiler", "oil heating"), ("fjernvarme", "district heating"),
    ("færge", "ferry", "ferries"), ("elbil", "electric car", "electric vehicle"), ("skov", "forest"),
    ("skovrejsning", "afforestation"), ("vindmølle", "wind turbine"), ("solcelle", "solar"),
    ("cykel", "bicycle", "cycling", "bike"), ("isolering", "insulation"),
    ("energirenovering", "energy renovation", "retrofit"), ("landbrug", "farm", "agriculture"),
    ("affald", "waste"), ("bus", "bus"), ("tog", "train", "rail"), ("brint", "hydrogen"),
    ("biobrændstof", "biofuel"), ("gylle", "manure", "slurry"), ("lavbund", "peatland", "organic soil"),
)


def _alternatives(word: str) -> set[str]:
    """The stems a query word may be found by: its own and those of its synonyms."""
    out = {_stem(word)}
    for group in SYNONYMS:
        parts = {part for term in group for part in term.split() if len(part) > 3}
        if any(word.startswith(_stem(part)) or (len(word) > 3 and _stem(part).startswith(word)) for part in parts):
            out |= {_stem(term) for term in group}
    return out


def search_actions(user: Any, query: str, *, include_old_versions: bool = False) -> QuerySet[Action]:
    """Actions of all plans ``user`` may read whose text contains every word of ``query``
    or one of its Danish or English synonyms (:data:`SYNONYMS`), case-insensitive, also for
    æ, ø, å; current plan versions only unless asked."""
    visible = permissions.visible_filter(user, "plan__organisation", "plan__published")
    qs = Action.objects.filter(visible).select_related("plan", "plan__organisation")
    if not include_old_versions:
        qs = qs.filter(plan__is_current=True)
    words = re.findall(r"\w+", _fold(query))
    if not words:
        return qs.none()
    condition = Q()
    for word in words:
        either = Q()
        for stem in _alternatives(word):
            either |= Q(search_text__contains=stem)
        condition &= either
    return qs.filter(condition).order_by("plan__organisation__code", "plan_id", "id")


def text_matcher(query: str) -> Callable[[str], bool] | None:
    """A test that a text holds every word of ``query`` or one of its synonyms, as
    :func:`search_actions` finds actions; None for an empty query."""
    words = re.findall(r"\w+", _fold(query))
    if not words:
        return None
    wanted = [_alternatives(word) for word in words]

    def match(text: str) -> bool:
        folded = _fold(text)
        return all(any(stem in folded for stem in stems) for stems in wanted)

    return match


def visible_plans(user: Any) -> QuerySet[Plan]:
    return Plan.objects.filter(permissions.visible_filter(user)).select_related("organisation")


def published_current() -> QuerySet[Plan]:
    """The current published plan of every organisation (what every visitor, a support body
    included, may see), newest first within an organisation, with targets and actions."""
    return (Plan.objects.filter(is_current=True, published=True).select_related("organisation")
            .order_by("organisation_id", "-updated_at").prefetch_related("targets", "actions"))


# ----------------------------------------------------------------------------- plan files
def import_plan_file(actor: Any, path: Path, *, organisations: Mapping[str, Organisation] | None = None,
                     publish: bool = False) -> Plan | None:
    """Create a plan from a plan file (YAML/JSON, validated by the engine) for the
    organisation it names. Returns None when a plan from this file already exists there."""
    spec = load_plan(path)
    code = spec.organisation.strip()
    org = (organisations or {}).get(code) or Organisation.objects.filter(code=code).first()
    if org is None:
        try:
            org = Organisation.objects.filter(code=find_municipality(code).code).first()
        except EngineError:
            org = None
    if org is None:
        raise InvalidInputError({"organisation": _("no organisation with code '%(code)s'") % {"code": code}})
    source = _("plan file %(name)s") % {"name": path.name}
    if Plan.objects.filter(organisation=org, title=spec.name, source=source).exists():
        return None
    plan_fields, targets, actions = plans.plan_rows(spec)
    illustrative = bool(plans.has_assumptions(spec))
    with transaction.atomic():
        plan = create_plan(actor, org, **plan_fields, source=source, illustrative=illustrative,
                           description="\n".join(spec.notes), published=publish)
        for t in targets:
            add_target(actor, plan, **t)
        for a in actions:
            add_action(actor, plan, **a)
    return plan
