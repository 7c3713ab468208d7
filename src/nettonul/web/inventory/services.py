"""Every write to inventories: imports (all-or-nothing), publication, deletion.

An import reads and validates the whole file with the engine first; only a file without any
problem is written, in one transaction, as a new inventory version (the current records
with the imported ones replacing the same organisation, sector, year and gas). So a bad file
leaves the database exactly as it was, and a good one never half-lands.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F, Max, Model
from django.utils.translation import gettext as _

from nettonul.engine import Inventory
from nettonul.web.audit import services as audit
from nettonul.web.engine import inventories
from nettonul.web.errors import InvalidInputError, NotAllowedError
from nettonul.web.inventory.models import EmissionRecord, InventoryVersion
from nettonul.web.organisations import permissions
from nettonul.web.organisations.models import Organisation
from nettonul.web.versioning import apply_edit, delete_checked

UPLOAD_SUFFIXES = (".csv", ".xlsx", ".xlsm")
_KEY = ("organisation_code", "sector", "year", "gas", "activity")


def current(organisation: Organisation) -> InventoryVersion | None:
    return InventoryVersion.objects.filter(organisation=organisation, is_current=True).first()


def latest_visible(user: Any, organisation: Organisation | None = None) -> list[InventoryVersion]:
    """The newest inventory version ``user`` may read, per organisation (one query): the
    current one, or the last published one while a newer upload is still unpublished."""
    qs = InventoryVersion.objects.filter(permissions.visible_filter(user)).order_by("organisation_id", "-number")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    seen: dict[int, InventoryVersion] = {}
    for version in qs.select_related("organisation"):
        seen.setdefault(version.organisation_id, version)
    return list(seen.values())


def engine_inventory(version: InventoryVersion) -> Inventory:
    """The stored inventory as the engine's :class:`Inventory` (one query)."""
    return inventories.version_inventory(version)


def import_file(actor: Any, organisation: Organisation, source: bytes | Path, *, filename: str | None = None,
                title: str = "", replace_all: bool = False, publish: bool | None = None) -> InventoryVersion:
    """Validate ``source`` (the bytes of an upload, or a file; CSV or Excel) with the engine's
    reader and store it as the new current inventory of ``organisation``. Raises the engine's
    ``InventoryValidationError`` with every problem, and writes nothing, when the file has any
    problem. ``filename`` names bytes (its suffix decides the format)."""
    permissions.require_edit(actor, organisation)
    name = filename or (source.name if isinstance(source, Path) else "upload.csv")
    if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
        raise InvalidInputError({"file": _("upload a CSV or Excel (.xlsx) file, not '%(name)s'") % {"name": name}})
    previous = current(organisation)
    inventory = inventories.read_inventory_upload(
        source, framework=previous.framework if previous else organisation.framework,
        gwp_set=previous.gwp_set if previous else "AR5", organisation_code=organisation.code, name=name,
    )
    records = inventories.records_from_inventory(inventory)
    return store(actor, organisation, records, framework=inventory.framework, gwp_set=inventory.gwp_set,
                 title=title or name, filename=name, source=_("uploaded file %(name)s") % {"name": name},
                 replace_all=replace_all, publish=publish)


def store(actor: Any, organisation: Organisation, records: Sequence[Mapping[str, Any]], *, framework: str,
          gwp_set: str, title: str = "", filename: str = "", source: str = "", vintage: str = "",
          replace_all: bool = False, publish: bool | None = None) -> InventoryVersion:
    """Write already-validated records as a new current inventory version, atomically."""
    permissions.require_edit(actor, organisation)
    if publish and not permissions.can_administer(actor, organisation):
        publish = False
    with transaction.atomic():
        previous = (InventoryVersion.objects.select_for_update().filter(organisation=organisation, is_current=True)
                    .first())
        if previous is not None and (previous.framework, previous.gwp_set) != (framework, gwp_set):
            raise InvalidInputError({"file": _(
                "the file uses %(fw)s / %(gwp)s but the current inventory uses %(pfw)s / %(pgwp)s; "
                "nothing was imported") % {"fw": framework, "gwp": gwp_set, "pfw": previous.framework,
                                           "pgwp": previous.gwp_set}})
        merged: dict[tuple[Any, ...], dict[str, Any]] = {}
        if previous is not None and not replace_all:
            for row in previous.records.order_by("id").values(*inventories.RECORD_COLUMNS):
                merged[tuple(row[k] for k in _KEY)] = row
        replaced = sum(1 for r in records if tuple(r[k] for k in _KEY) in merged)
        for r in records:
            merged[tuple(r[k] for k in _KEY)] = dict(r)
        number = (InventoryVersion.objects.filter(organisation=organisation).aggregate(n=Max("number"))["n"] or 0) + 1
        years = [int(r["year"]) for r in merged.values()]
        if previous is not None:
            InventoryVersion.objects.filter(pk=previous.pk).update(is_current=False, version=F("version") + 1)
        version = InventoryVersion.objects.create(
            organisation=organisation, number=number, is_current=True, framework=framework, gwp_set=gwp_set,
            title=title, source=source, vintage=vintage, filename=filename,
            published=previous.published if publish is None and previous is not None else bool(publish),
            first_year=min(years) if years else None, last_year=max(years) if years else None,
            record_count=len(merged), created_by=actor if isinstance(actor, Model) and actor.is_authenticated else None,
        )
        EmissionRecord.objects.bulk_create([EmissionRecord(inventory=version, **r) for r in merged.values()],
                                           batch_size=2000)
        audit.record(actor, "import", version, {
            "records": [previous.record_count if previous else 0, len(merged)],
            "imported": [None, len(records)], "replaced": [None, replaced],
            "file": [None, filename or title],
        })
    return version


def update_inventory(actor: Any, version: InventoryVersion, expected_version: int, **changes: Any) -> InventoryVersion:
    """Change an inventory's title, notes, vintage or publication (admins only)."""
    allowed = {"title", "notes", "vintage", "published"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise InvalidInputError({k: _("unknown field") for k in unknown})
    permissions.require_edit(actor, version)
    if "published" in changes and bool(changes["published"]) != version.published:
        permissions.require_administer(actor, version.organisation)
    return apply_edit(actor, version, expected_version, changes)


def delete_inventory(actor: Any, version: InventoryVersion, expected_version: int) -> None:
    """Delete one inventory version; when it was current, the previous one becomes current."""
    permissions.require_edit(actor, version)
    if version.published:
        raise NotAllowedError(_("a published inventory cannot be deleted; unpublish it first"))
    with transaction.atomic():
        delete_checked(version, expected_version, f"inventory '{version}'")
        if version.is_current:
            others = InventoryVersion.objects.filter(organisation_id=version.organisation_id)
            latest = others.order_by("-number").first()
            if latest is not None:
                InventoryVersion.objects.filter(pk=latest.pk).update(is_current=True, version=F("version") + 1)
        audit.record(actor, "delete", version, audit.removed(version))
