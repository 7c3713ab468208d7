"""Recording changes. Every service that writes calls :func:`record` in the same transaction,
so a change and its record are saved together or not at all; recording also gives the data a
new generation (:mod:`nettonul.web.audit.generation`)."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from nettonul.web.audit import generation
from nettonul.web.audit.models import ChangeRecord


def jsonable(value: Any) -> Any:
    """A value as it can be stored in a JSON diff."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, bytes | memoryview):  # a stored file: its size and digest, not its bytes
        data = bytes(value)
        return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return value


def diff(obj: models.Model, changes: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value actually changes."""
    out: dict[str, list[Any]] = {}
    for name, new in changes.items():
        old = getattr(obj, name)
        if jsonable(old) != jsonable(new):
            out[name] = [jsonable(old), jsonable(new)]
    return out


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, list[Any]]:
    """``{field: [None, value]}`` for a created object (or ``[value, None]`` via ``reverse``)."""
    names = fields or [f.attname for f in obj._meta.concrete_fields
                       if f.attname not in ("id", "version", "created_at", "updated_at")]
    return {n: [None, jsonable(getattr(obj, n))] for n in names}


def removed(obj: models.Model) -> dict[str, list[Any]]:
    return {k: [v[1], None] for k, v in snapshot(obj).items()}


def record(actor: Any, action: str, obj: models.Model, changes: dict[str, Any] | None = None,
           organisation_id: int | None = None, unlinked: bool = False) -> ChangeRecord:
    """Save one change record for ``obj``; ``unlinked`` for the deletion of an organisation
    itself, whose record outlives it."""
    # Only a real account is linked; the system actor and anonymous users are named only.
    user = actor if isinstance(actor, models.Model) and getattr(actor, "is_authenticated", False) else None
    if organisation_id is None and not unlinked:
        organisation_id = getattr(obj, "organisation_id", None)
        if organisation_id is None and obj._meta.label == "organisations.Organisation":
            organisation_id = obj.pk
    # What pages and the API show changes with this write: a new generation, in the same
    # transaction, retires every response kept for the old one (nettonul.web.responsecache).
    generation.bump()
    return ChangeRecord.objects.create(
        actor=user,
        actor_name=user.get_username() if user else (str(actor) if actor is not None else "system"),
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        organisation_id=organisation_id,
        object_version=getattr(obj, "version", None),
        changes=changes or {},
    )


def history(obj: models.Model) -> models.QuerySet[ChangeRecord]:
    """The changes to ``obj``, newest first."""
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True), object_id=str(obj.pk),
    ).select_related("actor")
