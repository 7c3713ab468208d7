"""Every write to inventories: uploads as drafts (all-or-nothing), publishing, discarding,
restoring an earlier version, deletion.

An upload reads and validates the whole file with the engine, merges it with the current
inventory as the user chose (add, replace the file's years, replace everything) and checks
the merged result as a whole (no sector stored with its own sub-sector for a year); only an
upload without any problem is written, in one transaction, as a new **draft** version. A
draft feeds nothing until someone the organisation's publishing rule allows publishes it
(:func:`nettonul.web.organisations.permissions.can_publish`): then it becomes the current
version, the one every page, the overview, the check and new reports read. Restoring an
earlier version publishes a copy of it as a new version. The uploaded file's bytes are kept
with the version. Every step is audited and version-checked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F, Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from nettonul.engine import Inventory, InventoryValidationError
from nettonul.web.audit import services as audit
from nettonul.web.engine import inventories
from nettonul.web.errors import InvalidInputError, NotAllowedError, StaleEditError
from nettonul.web.inventory.models import EmissionRecord, InventoryVersion
from nettonul.web.organisations import permissions
from nettonul.web.organisations.models import Organisation
from nettonul.web.versioning import apply_edit, delete_checked

UPLOAD_SUFFIXES = (".csv", ".xlsx", ".xlsm")
MODES = inventories.MERGE_MODES


def current(organisation: Organisation) -> InventoryVersion | None:
    """The version in force: the newest published one made current (never a draft)."""
    return InventoryVersion.objects.filter(organisation=organisation, is_current=True, published=True).first()


def drafts(user: Any, organisation: Organisation) -> list[InventoryVersion]:
    """The unpublished uploads of ``organisation`` that ``user`` may read (its members), newest first."""
    return list(InventoryVersion.objects.filter(permissions.visible_filter(user), organisation=organisation,
                                                published=False)
                .select_related("created_by").order_by("-number"))


def latest_visible(user: Any, organisation: Organisation | None = None) -> list[InventoryVersion]:
    """The current inventory version of each organisation that ``user`` may read (one query).
    Drafts are never returned: they feed no dashboard, overview or API figure."""
    qs = InventoryVersion.objects.filter(permissions.visible_filter(user), is_current=True, published=True)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return list(qs.select_related("organisation").order_by("organisation_id"))


def engine_inventory(version: InventoryVersion) -> Inventory:
    """The stored inventory as the engine's :class:`Inventory` (one query)."""
    return inventories.version_inventory(version)


@dataclass
class Preview:
    """What an upload would store, before anything is written: how the file was read, every
    problem (of the file and of the merged inventory), and the comparison with the current one."""

    name: str
    mode: str
    read_as: dict[str, Any]
    problems: tuple[Any, ...]
    records: list[dict[str, Any]] = field(default_factory=list)
    replaced: int = 0
    imported: int = 0
    changes: tuple[Any, ...] = ()
    framework: str = ""
    gwp_set: str = ""
    base: InventoryVersion | None = None
    years: set[int] = field(default_factory=set)
    #: the file's bytes, kept with the version it becomes
    data: bytes = b""

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_name(name: str) -> None:
    if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
        raise InvalidInputError({"file": _("upload a CSV or Excel (.xlsx) file, not '%(name)s'") % {"name": name}})


def preview(actor: Any, organisation: Organisation, source: bytes | Path, *, filename: str | None = None,
            mode: str = "add") -> Preview:
    """Read ``source`` and merge it with the current inventory by ``mode`` without writing
    anything; the problems are in the preview (nothing is raised for them)."""
    permissions.require_edit(actor, organisation)
    if mode not in MODES:
        raise InvalidInputError({"mode": _("choose how the file is merged")})
    name = filename or (source.name if isinstance(source, Path) else "upload.csv")
    _check_name(name)
    base = current(organisation)
    framework = base.framework if base else organisation.framework
    gwp_set = base.gwp_set if base else "AR5"
    read = inventories.read_upload(source, framework=framework, gwp_set=gwp_set,
                                   organisation_code=organisation.code, name=name)
    out = Preview(read.name, mode, read.read_as, read.problems, framework=framework, gwp_set=gwp_set, base=base,
                  data=source if isinstance(source, bytes) else source.read_bytes())
    if read.inventory is None:
        return out
    stored = list(base.records.order_by("id").values(*inventories.RECORD_COLUMNS)) if base else []
    merged = inventories.merge_upload(stored, base.number if base else None, read, mode, framework, gwp_set)
    out.problems, out.records, out.replaced = merged.problems, merged.records, merged.replaced
    out.imported, out.changes = len(read.inventory), merged.changes
    out.years = inventories.inventory_years(read.inventory)
    return out


def import_file(actor: Any, organisation: Organisation, source: bytes | Path, *, filename: str | None = None,
                title: str = "", replace_all: bool = False, mode: str | None = None,
                publish: bool = False) -> InventoryVersion:
    """Validate ``source`` (the bytes of an upload, or a file; CSV or Excel) with the engine's
    reader, merge it with the current inventory by ``mode`` (add, years, all; ``replace_all``
    is ``mode="all"``) and store the result as a new draft of ``organisation``, or, with
    ``publish``, publish it at once (by someone who may publish). Raises the engine's
    ``InventoryValidationError`` with every problem, and writes nothing, when the file or the
    merged inventory has any problem. ``filename`` names bytes (its suffix decides the format)."""
    if publish:  # refused before anything is read or stored
        permissions.require_publish(actor, organisation, getattr(_user(actor), "pk", None))
    seen = preview(actor, organisation, source, filename=filename, mode=mode or ("all" if replace_all else "add"))
    version = save_draft(actor, organisation, seen, title=title)
    if publish:
        version = publish_version(actor, version, version.version)
    return version


def save_draft(actor: Any, organisation: Organisation, seen: Preview, *, title: str = "") -> InventoryVersion:
    """Store a :func:`preview` without problems as a new draft; raises the engine's
    ``InventoryValidationError`` for one with problems, or when the current inventory changed
    since the preview (it was merged onto another version)."""
    if seen.problems:
        raise InventoryValidationError(seen.problems)
    now = current(organisation)
    if (now.pk if now else None) != (seen.base.pk if seen.base else None):
        raise InvalidInputError({"file": _("the current inventory changed while the file was checked; "
                                           "upload it again")})
    return store(actor, organisation, seen.records, framework=seen.framework, gwp_set=seen.gwp_set,
                 title=title or seen.name, filename=seen.name,
                 source=_("uploaded file %(name)s") % {"name": seen.name}, mode=seen.mode,
                 read_as={**seen.read_as, "years": sorted(seen.years)}, imported=seen.imported,
                 replaced=seen.replaced, base=seen.base, original=seen.data)


def store(actor: Any, organisation: Organisation, records: Sequence[Mapping[str, Any]], *, framework: str,
          gwp_set: str, title: str = "", filename: str = "", source: str = "", vintage: str = "",
          mode: str = "all", read_as: Mapping[str, Any] | None = None, imported: int | None = None,
          replaced: int = 0, base: InventoryVersion | None = None, original: bytes | None = None) -> InventoryVersion:
    """Write already-validated, already-merged records as a new draft version, atomically
    (with ``original``, the uploaded file's bytes, kept for download as ``filename``)."""
    permissions.require_edit(actor, organisation)
    with transaction.atomic():
        now = (InventoryVersion.objects.select_for_update().filter(organisation=organisation, is_current=True)
               .first())
        if now is not None and (now.framework, now.gwp_set) != (framework, gwp_set):
            raise InvalidInputError({"file": _(
                "the file uses %(fw)s / %(gwp)s but the current inventory uses %(pfw)s / %(pgwp)s; "
                "nothing was imported") % {"fw": framework, "gwp": gwp_set, "pfw": now.framework,
                                           "pgwp": now.gwp_set}})
        number = (InventoryVersion.objects.filter(organisation=organisation).aggregate(n=Max("number"))["n"] or 0) + 1
        years = [int(r["year"]) for r in records]
        version = InventoryVersion.objects.create(
            organisation=organisation, number=number, is_current=False, published=False, framework=framework,
            gwp_set=gwp_set, title=title, source=source, vintage=vintage, filename=filename, base=now, mode=mode,
            read_as=dict(read_as or {}), original=original or None,
            first_year=min(years) if years else None, last_year=max(years) if years else None,
            record_count=len(records), created_by=_user(actor),
        )
        EmissionRecord.objects.bulk_create([EmissionRecord(inventory=version, **r) for r in records],
                                           batch_size=2000)
        audit.record(actor, "import", version, {
            "records": [now.record_count if now else 0, len(records)],
            "imported": [None, len(records) if imported is None else imported], "replaced": [None, replaced],
            "file": [None, filename or title], "mode": [None, mode], "published": [None, False],
        })
    return version


def _user(actor: Any) -> Any:
    """The account to link (None for the system actor and anonymous users)."""
    return actor if isinstance(actor, Model) and actor.is_authenticated else None


def _make_current(version: InventoryVersion, actor: Any) -> InventoryVersion | None:
    """Make ``version`` (locked, published) the current one; the previous current, if any."""
    previous = (InventoryVersion.objects.select_for_update().filter(organisation_id=version.organisation_id,
                                                                    is_current=True).exclude(pk=version.pk).first())
    if previous is not None:
        InventoryVersion.objects.filter(pk=previous.pk).update(is_current=False, version=F("version") + 1)
    return previous


def publish_version(actor: Any, draft: InventoryVersion, expected_version: int) -> InventoryVersion:
    """Publish a draft: it becomes the current inventory (whom the organisation's publishing
    rule allows: :func:`nettonul.web.organisations.permissions.can_publish`; under four eyes
    never the uploader). Refused when the draft is stale: another version was made current
    after it was uploaded, so publishing it would silently undo that one."""
    permissions.require_publish(actor, draft, draft.created_by_id)
    if draft.published:
        raise NotAllowedError(_("inventory version %(n)s is already published") % {"n": draft.number})
    with transaction.atomic():
        locked = InventoryVersion.objects.select_for_update().get(pk=draft.pk)
        if locked.version != expected_version:
            raise StaleEditError(f"inventory '{locked}'", expected_version, locked.version)
        now = current(locked.organisation)
        if now is not None and now.pk != locked.base_id:
            raise NotAllowedError(_(
                "version %(n)s was made current after this draft was uploaded; upload the file again so it is "
                "checked against the current inventory") % {"n": now.number})
        previous = _make_current(locked, actor)
        InventoryVersion.objects.filter(pk=locked.pk).update(
            published=True, is_current=True, published_by=_user(actor),
            published_at=timezone.now(), version=F("version") + 1)
        locked.refresh_from_db()
        audit.record(actor, "update", locked, {"published": [False, True], "current": [False, True],
                                                "replaces": [None, previous.number if previous else None]})
    return locked


def discard(actor: Any, draft: InventoryVersion, expected_version: int) -> None:
    """Discard a draft (editors and administrators); published versions stay."""
    if draft.published:
        raise NotAllowedError(_("a published inventory cannot be discarded; restore an earlier version instead"))
    delete_inventory(actor, draft, expected_version)


def restore(actor: Any, version: InventoryVersion, expected_version: int) -> InventoryVersion:
    """Make an earlier published version current again, as a new version with its records
    (audited); the versions in between stay readable. Whom the organisation's publishing rule
    allows to publish may restore (the restored version was reviewed when it was published)."""
    permissions.require_publish(actor, version)
    if not version.published:
        raise NotAllowedError(_("only a published version can be restored; publish or discard the draft"))
    if version.is_current:
        raise NotAllowedError(_("inventory version %(n)s is already the current one") % {"n": version.number})
    with transaction.atomic():
        locked = InventoryVersion.objects.select_for_update().get(pk=version.pk)
        if locked.version != expected_version:
            raise StaleEditError(f"inventory '{locked}'", expected_version, locked.version)
        number = (InventoryVersion.objects.filter(organisation_id=locked.organisation_id)
                  .aggregate(n=Max("number"))["n"] or 0) + 1
        previous = _make_current(locked, actor)
        user = _user(actor)
        copy = InventoryVersion.objects.create(
            organisation_id=locked.organisation_id, number=number, is_current=True, published=True,
            framework=locked.framework, gwp_set=locked.gwp_set, title=locked.title, source=locked.source,
            vintage=locked.vintage, filename=locked.filename, original=locked.original, notes=locked.notes,
            base=previous, mode="restore",
            read_as=locked.read_as, restored_from=locked, first_year=locked.first_year, last_year=locked.last_year,
            record_count=locked.record_count, created_by=user, published_by=user, published_at=timezone.now(),
        )
        rows = list(locked.records.order_by("id").values(*inventories.RECORD_COLUMNS))
        EmissionRecord.objects.bulk_create([EmissionRecord(inventory=copy, **r) for r in rows], batch_size=2000)
        audit.record(actor, "import", copy, {
            "restored_from": [None, locked.number], "records": [previous.record_count if previous else 0, len(rows)],
            "replaces": [None, previous.number if previous else None], "published": [None, True],
        })
    return copy


def update_inventory(actor: Any, version: InventoryVersion, expected_version: int, **changes: Any) -> InventoryVersion:
    """Change an inventory's title, notes or vintage; ``published=True`` on a draft publishes
    it (:func:`publish_version`). A published version is never withdrawn: restore another one."""
    allowed = {"title", "notes", "vintage", "published"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise InvalidInputError({k: _("unknown field") for k in unknown})
    permissions.require_edit(actor, version)
    wanted = changes.pop("published", None)
    if wanted is not None and bool(wanted) != version.published:
        if not wanted:
            raise NotAllowedError(_("a published inventory is not withdrawn; restore an earlier version instead"))
        version = publish_version(actor, version, expected_version)
        expected_version = version.version
    if not changes:
        return version
    return apply_edit(actor, version, expected_version, changes)


def delete_inventory(actor: Any, version: InventoryVersion, expected_version: int) -> None:
    """Delete one draft (an unpublished version); the current one is never affected."""
    permissions.require_edit(actor, version)
    if version.published:
        raise NotAllowedError(_("a published inventory cannot be deleted; restore an earlier version instead"))
    with transaction.atomic():
        delete_checked(version, expected_version, f"inventory '{version}'")
        audit.record(actor, "delete", version, audit.removed(version))
