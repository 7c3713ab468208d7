"""The three writes every service is made of: :func:`save_new` (create), :func:`apply_edit`
(update) and :func:`delete_checked` (delete), each with its audit record in the same
transaction.

Optimistic concurrency: an edit names the version it was based on, and is refused when
the object has moved on since. Nothing is locked while a user edits; a stale save is
detected by ``UPDATE ... WHERE id = %s AND version = %s`` changing no row.

Uniqueness: a service checks a unique rule (an action's key in its plan) before it writes,
and the database enforces it too. Two requests that pass the check at the same time both
reach the database; the second one's unique constraint fails, and ``duplicate`` (the
problems the check gives) turns that into the same refusal as the check, never a 500."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from nettonul.web.audit import services as audit
from nettonul.web.errors import InvalidInputError, StaleEditError

M = TypeVar("M", bound=models.Model)


def validate(obj: models.Model, exclude: list[str] | None = None) -> None:
    """Run the model's field validation; raise :class:`InvalidInputError` with field paths."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except DjangoValidationError as exc:
        raise InvalidInputError({k: " ".join(str(m) for m in v) for k, v in exc.message_dict.items()}) from None


def save_new(actor: Any, obj: M, fields: list[str] | None = None, organisation_id: int | None = None,
             duplicate: dict[str, str] | None = None) -> M:
    """Save the new, already validated ``obj`` and record its creation (``fields``: the values
    the record shows; all concrete fields when None) in one transaction; return it.

    With ``duplicate``, a unique constraint that fails (another request stored the same key
    since the service's check) raises :class:`InvalidInputError` with those problems."""
    try:
        with transaction.atomic():
            obj.save()
            audit.record(actor, "create", obj, audit.snapshot(obj, fields), organisation_id=organisation_id)
    except IntegrityError:
        if duplicate is None:
            raise
        obj.pk = None
        raise InvalidInputError(duplicate) from None
    return obj


def apply_edit(actor: Any, obj: M, expected_version: int, changes: dict[str, Any],
               organisation_id: int | None = None, duplicate: dict[str, str] | None = None) -> M:
    """Write ``changes`` to ``obj`` if it is still at ``expected_version``; record the change.

    Returns the object as saved (version incremented). Raises :class:`StaleEditError`, and
    writes nothing, when someone else saved first; with ``duplicate``, raises
    :class:`InvalidInputError` when the change breaks a unique constraint (see the module).
    """
    try:
        return _apply_edit(actor, obj, expected_version, changes, organisation_id)
    except IntegrityError:
        if duplicate is None:
            raise
        raise InvalidInputError(duplicate) from None


def _apply_edit(actor: Any, obj: M, expected_version: int, changes: dict[str, Any],
                organisation_id: int | None) -> M:
    model = type(obj)
    what = f"{model._meta.verbose_name} '{obj}'"
    with transaction.atomic():
        current = model._default_manager.filter(pk=obj.pk).first()
        if current is None or current.version != expected_version:
            raise StaleEditError(what, expected_version, None if current is None else current.version)
        fields = audit.diff(current, changes)
        for name, value in changes.items():
            setattr(current, name, value)
        validate(current)
        if not fields:
            return current
        stamp: dict[str, Any] = {name: getattr(current, name) for name in fields}
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            stamp["updated_at"] = timezone.now()
        updated = model._default_manager.filter(pk=obj.pk, version=expected_version).update(
            version=F("version") + 1, **stamp)
        if updated == 0:  # someone saved between our read and our write
            latest = model._default_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
            raise StaleEditError(what, expected_version, latest)
        current.version = expected_version + 1
        audit.record(actor, "update", current, fields, organisation_id=organisation_id)
        return current


def delete_checked(obj: models.Model, expected_version: int, what: str | None = None) -> None:
    """Delete ``obj`` if it is still at ``expected_version`` (call inside the caller's
    transaction, with its audit record). Raises :class:`StaleEditError`, deleting nothing,
    when someone else saved or deleted first."""
    model = type(obj)
    deleted, _rows = model._default_manager.filter(pk=obj.pk, version=expected_version).delete()
    if not deleted:
        current = model._default_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        raise StaleEditError(what or f"{model._meta.verbose_name} '{obj}'", expected_version, current)
