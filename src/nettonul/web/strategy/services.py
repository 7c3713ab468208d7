"""Every write of strategy plans (themes, values, a commitment's links) and the grouped views.

Writes check the role on the plan, refuse old plan versions, carry the version the user saw
and are recorded in the change history, like the plans services they sit next to.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nettonul.web.audit import services as audit
from nettonul.web.errors import InvalidInputError, NotAllowedError, StaleEditError
from nettonul.web.organisations import permissions
from nettonul.web.plans.models import Action, Plan
from nettonul.web.strategy.models import Theme, ThemeLink
from nettonul.web.versioning import apply_edit, delete_checked, save_new, validate

THEME_FIELDS = ("taxonomy", "key", "name", "description", "keywords", "position")


def _require_edit(actor: Any, plan: Plan) -> None:
    permissions.require_edit(actor, plan)
    if not plan.is_current:
        raise NotAllowedError(_("this is an old version of the plan; change the current version"))


# ----------------------------------------------------------------------------- themes
def add_theme(actor: Any, plan: Plan, **fields: Any) -> Theme:
    _require_edit(actor, plan)
    unknown = sorted(set(fields) - set(THEME_FIELDS))
    if unknown:
        raise InvalidInputError({k: _("unknown field") for k in unknown})
    fields.setdefault("key", slugify(str(fields.get("name", "")))[:80] or "theme")
    fields.setdefault("keywords", default_keywords(str(fields.get("name", ""))))
    theme = Theme(plan=plan, **fields)
    validate(theme, exclude=["plan"])
    if Theme.objects.filter(plan=plan, taxonomy=theme.taxonomy, key=theme.key).exists():
        raise InvalidInputError({"key": _("this plan already has an entry with this identifier")})
    return save_new(actor, theme, ["taxonomy", "key", "name"], organisation_id=plan.organisation_id)


def update_theme(actor: Any, theme: Theme, expected_version: int, **changes: Any) -> Theme:
    _require_edit(actor, theme.plan)
    unknown = sorted(set(changes) - set(THEME_FIELDS))
    if unknown:
        raise InvalidInputError({k: _("unknown field") for k in unknown})
    return apply_edit(actor, theme, expected_version, changes, organisation_id=theme.plan.organisation_id)


def delete_theme(actor: Any, theme: Theme, expected_version: int) -> None:
    _require_edit(actor, theme.plan)
    with transaction.atomic():
        delete_checked(theme, expected_version, _("theme '%(name)s'") % {"name": theme.name})
        audit.record(actor, "delete", theme, audit.removed(theme), organisation_id=theme.plan.organisation_id)


def default_keywords(name: str) -> list[str]:
    """A one-word name as its stem ('Demokrati' also finds 'demokratiske'), a longer name as
    the whole phrase (so 'Økonomisk diplomati' is not suggested by every 'diplomati')."""
    words = re.findall(r"\w+", name.casefold())
    if len(words) == 1:
        return [words[0][: max(5, len(words[0]) - 2)]]
    return [" ".join(words)] if words else []


# ----------------------------------------------------------------------------- links
def set_links(actor: Any, action: Action, expected_version: int, theme_ids: Iterable[int],
              suggested: bool = False) -> Action:
    """File ``action`` under exactly the themes and values ``theme_ids`` (of its own plan).

    The action's version is the concurrency check: it moves on with every change of links.
    """
    plan = action.plan
    _require_edit(actor, plan)
    wanted = {int(i) for i in theme_ids}
    themes = {t.pk: t for t in Theme.objects.filter(plan=plan, pk__in=wanted)}
    if set(themes) != wanted:
        raise InvalidInputError({"themes": _("a theme or value does not belong to this plan")})
    with transaction.atomic():
        if not Action.objects.filter(pk=action.pk, version=expected_version).update(version=F("version") + 1):
            now = Action.objects.filter(pk=action.pk).values_list("version", flat=True).first()
            raise StaleEditError(_("commitment '%(title)s'") % {"title": action.title}, expected_version, now)
        old = set(ThemeLink.objects.filter(action=action).values_list("theme_id", flat=True))
        ThemeLink.objects.filter(action=action).exclude(theme_id__in=wanted).delete()
        ThemeLink.objects.bulk_create([ThemeLink(action=action, theme_id=t, suggested=suggested)
                                       for t in sorted(wanted - old)])
        if not suggested:  # a person confirmed the whole set
            ThemeLink.objects.filter(action=action).update(suggested=False)
        action.version = expected_version + 1
        audit.record(actor, "update", action, {"themes": [sorted(old), sorted(wanted)]},
                     organisation_id=plan.organisation_id)
    return action


def suggest_themes(themes: Sequence[Theme], section: str, *texts: str) -> list[int]:
    """Themes whose keywords occur in a commitment's section or words, and values whose
    keywords occur in its words (a section title says where it is filed, not what it serves)."""
    words = " ".join(texts).casefold()
    filed = f"{section.casefold()} {words}"
    return [t.pk for t in themes
            if any(k and k in (filed if t.taxonomy == Theme.Taxonomy.THEME else words) for k in t.keywords)]


def link_suggestions(actor: Any, plan: Plan) -> int:
    """File every commitment of ``plan`` without links under the themes its section and quote
    suggest; the links are marked as suggested. Returns how many commitments got links."""
    _require_edit(actor, plan)
    themes = list(Theme.objects.filter(plan=plan))
    linked = set(ThemeLink.objects.filter(action__plan=plan).values_list("action_id", flat=True))
    count = 0
    for action in plan.actions.exclude(pk__in=linked).select_related("imported_from"):
        candidate = getattr(action, "imported_from", None)
        section = candidate.section if candidate is not None else ""
        ids = suggest_themes(themes, section, action.title, action.description)
        if ids:
            set_links(actor, action, action.version, ids, suggested=True)
            count += 1
    return count


# ----------------------------------------------------------------------------- views
def indicators_by_commitment(plan: Plan, as_of: dt.date | None = None) -> dict[str, list[dict[str, Any]]]:
    """The plan's indicators (kept by the monitoring app) with the state the engine derives
    from their observations, per commitment key (two queries)."""
    from nettonul.web.engine.monitoring import indicator_statuses, monitoring_data
    from nettonul.web.monitoring.labels import STATE
    from nettonul.web.monitoring.models import Indicator, Observation

    indicators = list(Indicator.objects.filter(plan=plan).exclude(action_key=""))
    if not indicators:
        return {}
    observations = list(Observation.objects.filter(indicator__in=indicators).select_related("indicator"))
    data = monitoring_data(as_of or dt.date.today(), None, indicators, observations, [], None)
    out: dict[str, list[dict[str, Any]]] = {}
    by_key = {i.key: i for i in indicators}
    for status in indicator_statuses(data):
        row = status.to_dict()
        row["state_label"] = STATE.get(row["state"], row["state"])
        out.setdefault(by_key[row["id"]].action_key, []).append(row)
    return out


def overview(plan: Plan) -> dict[str, Any]:
    """Commitments grouped by theme, by value and by SDG, with status counts (three queries)."""
    themes = list(Theme.objects.filter(plan=plan))
    actions = list(plan.actions.all())
    links = list(ThemeLink.objects.filter(action__plan=plan).values_list("action_id", "theme_id", "suggested"))
    by_action: dict[int, list[int]] = {}
    suggested: set[tuple[int, int]] = set()
    for a, t, s in links:
        by_action.setdefault(a, []).append(t)
        if s:
            suggested.add((a, t))
    theme_by_id = {t.pk: t for t in themes}
    indicators = indicators_by_commitment(plan)
    for a in actions:  # for the templates: the names each commitment is filed under, its indicators
        a.indicators = indicators.get(a.key, [])
        linked = [theme_by_id[t] for t in by_action.get(a.pk, [])]
        a.linked_themes = [t for t in linked if t.taxonomy == Theme.Taxonomy.THEME]
        a.linked_values = [t for t in linked if t.taxonomy == Theme.Taxonomy.VALUE]
    statuses = [str(v) for v in Action.Status.values]

    def group(members: list[Action]) -> dict[str, Any]:
        counts = Counter(a.status for a in members)
        return {"actions": members, "counts": [counts.get(s, 0) for s in statuses], "total": len(members)}

    groups: dict[str, list[dict[str, Any]]] = {"theme": [], "value": []}
    for t in themes:
        members = [a for a in actions if t.pk in by_action.get(a.pk, [])]
        groups[t.taxonomy].append({"theme": t, **group(members)})
    themed = {a for a, t, _s in links if theme_by_id[t].taxonomy == Theme.Taxonomy.THEME}
    unfiled = [a for a in actions if a.pk not in themed]
    sdgs = sorted({g for a in actions for g in (a.sdgs or [])})
    by_sdg = [{"sdg": g, **group([a for a in actions if g in (a.sdgs or [])])} for g in sdgs]
    values = [t for t in themes if t.taxonomy == Theme.Taxonomy.VALUE]
    matrix = [{"action": a, "cells": [("suggested" if (a.pk, v.pk) in suggested else "confirmed")
                                      if v.pk in by_action.get(a.pk, []) else "" for v in values]}
              for a in actions]
    return {
        "statuses": [(s, Action.Status(s).label) for s in statuses],
        "totals": group(actions), "themes": groups["theme"], "values": groups["value"],
        "unfiled": group(unfiled), "by_sdg": by_sdg, "compass_values": values, "matrix": matrix,
        "links": by_action, "theme_by_id": theme_by_id, "suggested": suggested,
    }
