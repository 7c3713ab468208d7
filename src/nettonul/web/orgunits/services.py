"""Every write of organisation units: units and their facts, footprint uploads, peer tables.

Roles hold down the tree (``organisations.permissions``): an editor of a unit may change it
and every unit below it, never a sibling or a parent. A footprint upload is validated as a
whole by the engine, first against the uploading unit's subtree (so an embassy cannot file
rows for another embassy), then together with the tree's other current data; only then is
it stored, in one transaction. A bad file leaves everything as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from nettonul.engine import OrgTree, load_org_tree
from nettonul.web.audit import services as audit
from nettonul.web.engine import footprints
from nettonul.web.errors import InvalidInputError, NotAllowedError
from nettonul.web.organisations import permissions
from nettonul.web.organisations.models import Organisation
from nettonul.web.orgunits.models import FootprintData, PeerTable, UnitProfile
from nettonul.web.versioning import apply_edit

TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm")
PROFILE_FIELDS = ("city", "employees", "floor_area_m2", "employees_by_year", "floor_area_by_year", "illustrative",
                  "note")
_ORG_KIND = {"ministry": Organisation.Kind.MINISTRY, "agency": Organisation.Kind.AGENCY}


def _actor_model(actor: Any) -> Any:
    return actor if isinstance(actor, Model) and getattr(actor, "is_authenticated", False) else None


def _table_name(name: str) -> None:
    if Path(name).suffix.lower() not in TABLE_SUFFIXES:
        raise InvalidInputError({"file": _("upload a CSV or Excel (.xlsx) file, not '%(name)s'") % {"name": name}})


# ----------------------------------------------------------------------------- units
def import_units(actor: Any, path: Path, *, code_prefix: str = "", parent: Organisation | None = None,
                 publish_facts: bool = True) -> Organisation:
    """Create a unit tree from a units file (YAML/CSV/Excel, validated by the engine as a
    whole). Each unit becomes an Organisation (code ``code_prefix + id``) with a profile.
    Below ``parent`` this needs its administrator, for a new top organisation a site admin."""
    if parent is not None:
        permissions.require_administer(actor, parent)
    elif not (actor is not None and actor.is_authenticated and actor.is_superuser):
        raise NotAllowedError(_("only a site administrator may create a new organisation"))
    tree = load_org_tree(path)
    return _create_tree(actor, tree, code_prefix, parent)


def _create_tree(actor: Any, tree: OrgTree, code_prefix: str, parent: Organisation | None) -> Organisation:
    codes = [f"{code_prefix}{u.id}"[:32] for u in tree.units]
    taken = sorted(set(Organisation.objects.filter(code__in=codes).values_list("code", flat=True)))
    if taken:
        raise InvalidInputError({"code": _("organisation codes already in use: %(codes)s")
                                 % {"codes": ", ".join(taken)}})
    created: dict[str, Organisation] = {}
    with transaction.atomic():
        for u, code in zip(tree.units, codes, strict=True):
            org = Organisation.objects.create(
                code=code, name=u.name, country=u.country, language="da" if u.country == "DK" else "en",
                kind=_ORG_KIND.get(u.kind, Organisation.Kind.ORG_UNIT), framework="ghgp-corporate",
                parent=created[u.parent] if u.parent else parent)
            UnitProfile.objects.create(
                organisation=org, unit_id=u.id, unit_kind=u.kind, city=u.city, employees=u.employees,
                floor_area_m2=u.floor_area_m2, note=u.note, illustrative=tree.illustrative,
                employees_by_year={str(y): v for y, v in u.employees_by_year.items()},
                floor_area_by_year={str(y): v for y, v in u.floor_area_by_year.items()})
            audit.record(actor, "create", org, {"name": [None, org.name], "parent": [None, org.parent_id]})
            created[u.id] = org
    permissions.forget_roles(actor)  # roles held above the new units now reach them
    return created[tree.root.id]


def update_profile(actor: Any, profile: UnitProfile, expected_version: int, **changes: Any) -> UnitProfile:
    """Change a unit's FTE, floor area, city or note (editors of the unit or a unit above it)."""
    permissions.require_edit(actor, profile.organisation)
    unknown = sorted(set(changes) - set(PROFILE_FIELDS))
    if unknown:
        raise InvalidInputError({k: _("unknown field") for k in unknown})
    for name in ("employees", "floor_area_m2"):
        if changes.get(name) is not None and changes[name] < 0:
            raise InvalidInputError({name: _("must not be negative")})
    return apply_edit(actor, profile, expected_version, changes, organisation_id=profile.organisation_id)


# ----------------------------------------------------------------------------- footprint
def upload_footprint(actor: Any, unit: Organisation, activities: tuple[str, bytes],
                     factors: tuple[str, bytes] | None = None, *, publish: bool = False) -> FootprintData:
    """Store activity data (and a factor table) for ``unit``; it replaces the unit's current data.

    Raises the engine's ValidationError (every problem with file, row and column) or
    :class:`InvalidInputError`, and writes nothing, when anything is wrong.
    """
    permissions.require_edit(actor, unit)
    _table_name(activities[0])
    if factors is not None:
        _table_name(factors[0])
    if publish and not permissions.can_administer(actor, unit):
        publish = False
    root = footprints.root_of(unit)
    tree = footprints.build_tree(root)
    footprints.check_activities(footprints.subtree(tree, unit), activities[0], activities[1])
    new = FootprintData(organisation=unit, activities_name=activities[0], activities=activities[1],
                        factors_name=factors[0] if factors else "", factors=factors[1] if factors else None,
                        published=publish, uploaded_by=_actor_model(actor))
    with transaction.atomic():
        # One upload per tree at a time: the tree is checked against the data committed before
        # it, so two units uploading at once can never leave a combination nobody checked.
        Organisation.objects.select_for_update().filter(pk=root.pk).first()
        others = [d for d in footprints.current_data(tree) if d.organisation_id != unit.pk]
        result = footprints.footprint(tree, [*others, new])  # the whole tree must still compute
        new.illustrative = any(ln.illustrative for ln in result.lines if ln.file == activities[0])
        previous = FootprintData.objects.filter(organisation=unit, is_current=True)
        replaced = list(previous.values_list("pk", flat=True))
        previous.update(is_current=False)
        new.save()
        audit.record(actor, "import", new, {"activities": [None, activities[0]],
                                            "factors": [None, factors[0] if factors else None],
                                            "replaced": [None, replaced]}, organisation_id=unit.pk)
    return new


def tree_footprint(unit: Organisation, reader: Any = None) -> tuple[footprints.Tree,
                                                                   footprints.FootprintResult | None,
                                                                   list[FootprintData]]:
    """The tree of ``unit`` and the engine's footprint from all its current data (None without
    data); with ``reader``, from the data that reader may read (:func:`footprints.readable_data`)."""
    tree = footprints.build_tree(footprints.root_of(unit))
    data = footprints.current_data(tree) if reader is None else footprints.readable_data(tree, reader)
    return tree, (footprints.footprint(tree, data) if data else None), data


def upload_peers(actor: Any, org: Organisation, name: str, content: bytes, *, publish: bool = False) -> PeerTable:
    """Store a peer table (validated by the engine as a whole) as the organisation's current one."""
    permissions.require_edit(actor, org)
    _table_name(name)
    footprints.check_peers(name, content)
    if publish and not permissions.can_administer(actor, org):
        publish = False
    with transaction.atomic():
        PeerTable.objects.filter(organisation=org, is_current=True).update(is_current=False)
        table = PeerTable.objects.create(organisation=org, filename=name, content=content, published=publish)
        audit.record(actor, "import", table, {"file": [None, name]}, organisation_id=org.pk)
    return table
