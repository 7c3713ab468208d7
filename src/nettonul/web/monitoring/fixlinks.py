"""Where each fix of the plan check is made: a plan document field path -> the page and the
field on it (a URL with the field's anchor).

A criterion declares the fields its fix is about (``fields`` in the criteria set, e.g.
``adoption.adopted`` or ``action_details.*.kpis``); a failed result names the actions that
``*`` stands for in an action path (in other paths ``*`` is any item of a list, edited in the
list). :data:`PLACES` maps path prefixes to places, most specific first, so a new criterion on
a field that has a form gets its link without code here; :func:`place_of` answers for one path
and :func:`links` for a result row of the checklist page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from nettonul.web.monitoring.capf_sections import SECTIONS

#: At most this many links to single actions per criterion; the rest are on the plan page.
MAX_ACTION_LINKS = 5

#: Fields of an action as the action form has them (``action_details.*.<name>``).
ACTION_FIELD_LABELS = {
    "owner": _("owner"), "end": _("full effect year"), "funding_status": _("funding status"),
    "power": _("the municipality's power"), "kpis": _("KPIs"), "sdgs": _("SDGs"),
    "co_benefits": _("co-benefits"), "enabling": _("enabling action"), "effect": _("effect"),
}
#: ``action_details.*.end`` is the action's full effect year on the action form.
ACTION_FIELD_NAMES = {"end": "full_year", "effect": "type", "enabling": "type"}


@dataclass(frozen=True)
class Place:
    """A page (``url_name`` with the plan's or its organisation's id) and the anchor on it."""

    url_name: str
    anchor: str = ""
    label: Any = ""
    section: str | None = None  # a CAPF section page (``monitoring:section``)
    of: str = "plan"  # "plan" or "org": whose id the URL takes


def _section(slug: str, field: str | None = None, anchor: str | None = None, label: Any = None) -> Place:
    page = SECTIONS[slug]
    if label is None and field is not None and page.form is not None:
        label = page.form.base_fields[field].label
    text = format_lazy("{section}: {field}", section=page.title, field=label) if label else page.title
    return Place("monitoring:section", anchor or (f"field-{field}" if field else ""), text, slug)


def _fields(prefix: str, slug: str, names: Iterable[str]) -> dict[str, Place]:
    return {f"{prefix}.{n}": _section(slug, n) for n in names}


#: Field path prefix -> where it is edited. Action paths with ``*`` are resolved per action
#: (:func:`links`); in other paths ``*`` (a list item) is left out (:func:`place_of`).
PLACES: dict[str, Place] = {
    **_fields("adoption", "adoption", SECTIONS["adoption"].form.base_fields),  # type: ignore[union-attr]
    "adoption": _section("adoption"),
    "engagement": _section("engagement", anchor="list-events"),
    "communication.plan": _section("engagement", "communication_plan"),
    "communication.channels": _section("engagement", "channels"),
    "communication": _section("engagement", "communication_plan"),
    "adaptation.coastal": _section("risk", "coastal"),
    "adaptation.risk_assessment.hazards": _section("risk", anchor="list-hazards", label=_("hazards")),
    **_fields("adaptation.risk_assessment", "risk", ("screened", "scenarios", "horizon", "present_day", "assessed",
                                                     "source")),
    "adaptation.risk_assessment": _section("risk"),
    "adaptation.targets": _section("adaptation", anchor="list-targets", label=_("adaptation targets")),
    "adaptation.actions": _section("adaptation", anchor="list-actions"),
    "adaptation": _section("risk"),
    "benefits.assessment": _section("benefits", anchor="list-benefits"),
    "benefits.equity_assessment": _section("benefits", "equity_assessment"),
    "benefits": _section("benefits"),
    **_fields("governance", "governance", ("lead_unit", "coordination", "powers_analysis")),
    "governance.partners": _section("governance", anchor="list-partners", label=_("partners")),
    "governance": _section("governance"),
    "barriers": _section("governance", anchor="list-barriers", label=_("barriers")),
    "financing.plan": _section("governance", "financing_plan"),
    "financing.sources": _section("governance", anchor="list-sources", label=_("funding sources")),
    "financing": _section("governance", "financing_plan"),
    **_fields("monitoring", "monitoring", SECTIONS["monitoring"].form.base_fields),  # type: ignore[union-attr]
    "monitoring": _section("monitoring"),
    "inventory_coverage.not_occurring": _section("coverage", "not_occurring"),
    "inventory_coverage.not_estimated": _section("coverage", anchor="list-not_estimated",
                                                 label=_("sectors not estimated")),
    "inventory_coverage.electricity_method": _section("coverage", "electricity_method"),
    "inventory_coverage.reference_method": _section("coverage", "reference_method"),
    "gap.explanation": _section("coverage", "gap_explanation"),
    **{f"gap.{k}": _section("coverage", f"gap_{k}") for k in ("size_t", "year", "strategy")},
    "gap": _section("coverage", "gap_explanation"),
    "residuals.explanation": _section("coverage", "residuals_explanation"),
    "residuals": _section("coverage", "residuals_explanation"),
    "inventory_coverage": _section("coverage"),
    # An action known only from its details (no typed effect): the whole sections document as YAML.
    "action_details": Place("monitoring:sections_advanced", "", _("Action details (advanced)")),
    # The plan's mitigation part and its inventory.
    "targets": Place("plans:detail", "targets", _("The plan's targets")),
    "actions": Place("plans:detail", "actions", _("The plan's actions")),
    "horizon": Place("plans:detail", "scenario-table", _("The plan's scenario")),
    "baseline": Place("plans:detail", "scenario-table", _("The plan's scenario")),
    "inventory": Place("inventory:upload", "", _("Upload an inventory"), of="org"),
    "gwp": Place("inventory:upload", "", _("Upload an inventory"), of="org"),
}


#: Action fields not on the action form: the staff per action is a list of the governance page;
#: an action's ``in_baseline`` mark is set in the plan file (the plan's actions list its effect).
ACTION_ELSEWHERE: dict[str, Place] = {
    "staff_fte": _section("governance", anchor="list-staff", label=_("staff per action")),
    "in_baseline": PLACES["actions"],
}


def is_action_path(path: str) -> bool:
    return path.startswith(("action_details.*.", "actions.*."))


def place_of(path: str) -> Place | None:
    """Where the field ``path`` is edited: the longest known prefix (a list item's ``*`` left out)."""
    parts = [p for p in path.split(".") if p != "*"]
    for n in range(len(parts), 0, -1):
        found = PLACES.get(".".join(parts[:n]))
        if found is not None:
            return found
    return None


def _url(place: Place, plan: Any) -> str:
    args: list[Any] = [plan.organisation_id if place.of == "org" else plan.pk]
    if place.section is not None:
        args.append(place.section)
    url = reverse(place.url_name, args=args)
    return f"{url}#{place.anchor}" if place.anchor else url


def links(result: dict[str, Any], plan: Any, actions: dict[str, tuple[int, str]]) -> list[dict[str, str]]:
    """The links of one checklist row: each field of the criterion, per action the result names
    for action paths with ``*`` (``actions``: key -> (pk, title) of the plan's actions)."""
    out: list[dict[str, str]] = []
    seen: set[str] = set()

    def add(url: str, label: Any) -> None:
        if url not in seen:
            seen.add(url)
            out.append({"url": url, "label": str(label)})

    for path in result.get("fields") or ():
        head, _sep, name = path.partition(".*.")
        if not is_action_path(path) or name in ACTION_ELSEWHERE:
            place = ACTION_ELSEWHERE[name] if is_action_path(path) else place_of(path)
            if place is not None:
                add(_url(place, plan), place.label)
            continue
        subjects = list(result.get("subjects") or ())
        for key in subjects[:MAX_ACTION_LINKS]:
            if key in actions:
                pk, title = actions[key]
                field = ACTION_FIELD_NAMES.get(name, name)
                label = format_lazy("{action}: {field}", action=title, field=ACTION_FIELD_LABELS.get(name, name))
                add(reverse("plans:action_edit", args=[plan.pk, pk]) + f"#field-{field}", label)
            else:  # an action given only in the action details (no typed effect)
                place = place_of(head) or PLACES["action_details"]
                add(_url(place, plan), place.label)
        if len(subjects) > MAX_ACTION_LINKS or not subjects:
            add(_url(PLACES["actions"], plan), PLACES["actions"].label)
    return out
