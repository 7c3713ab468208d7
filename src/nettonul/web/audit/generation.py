"""The data generation: an exact signal that something any page or API response shows has changed.

One database row (:class:`~nettonul.web.audit.models.DataGeneration`) holds a token that is
replaced, in the same transaction, by every write:

* :func:`nettonul.web.audit.services.record`, which every service calls for every change it
  makes (including the version-checked edits of :mod:`nettonul.web.versioning`, the bulk
  writes of inventory records and the role changes), calls :func:`bump`;
* a ``post_save``, ``post_delete`` and ``m2m_changed`` receiver bumps it for any other saved
  or deleted model object of the application and of user accounts, so a write that forgot
  its change record still changes the generation.

Because the token is in the database and changes in the writing transaction, every server
process sees the new generation as soon as the write is committed, and never before: a
response kept under one generation (:mod:`nettonul.web.responsecache`) is never served for a
later state. The generation is global (one row), not per organisation: a write to one
organisation also retires the kept pages of the others, which costs one page rendering per
page after a write, and keeps the rule simple enough to be exact (pages of a ministry show
its units; the overview shows every organisation). Writers serialise on the row for the
moment between their bump and their commit; services bump last-ish, with their change record.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

#: Models whose writes need no receiver: the change records (written with a bump already)
#: and the generation itself.
_IGNORED = {"audit.ChangeRecord", "audit.DataGeneration"}
_ACCOUNTS = {"auth.User", "auth.Group"}
_ROW = 1


def current() -> str:
    """The current generation token (one query by primary key).

    Read with a plain cursor: this runs on every kept response, where the ORM's own work
    for the query cost more than the rest of serving the response."""
    from nettonul.web.audit.models import DataGeneration

    table = connection.ops.quote_name(DataGeneration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {table} WHERE id = %s", [_ROW])
        row = cursor.fetchone()
    return str(row[0]) if row else "none"


def bump() -> None:
    """Give the data a new generation, in the caller's transaction."""
    from nettonul.web.audit.models import DataGeneration

    token = uuid.uuid4().hex
    if DataGeneration.objects.filter(pk=_ROW).update(token=token):
        return
    # The row is created by the migration; it is missing only after a test flushed the tables.
    try:
        with transaction.atomic():
            DataGeneration.objects.create(pk=_ROW, token=token)
    except IntegrityError:  # created meanwhile by another writer
        DataGeneration.objects.filter(pk=_ROW).update(token=token)


def _on_write(sender: Any, **kwargs: Any) -> None:
    # The application's own models and the user accounts; not Django's bookkeeping (migration
    # records, sessions, permissions) nor the historical models of migrations ("__fake__").
    if not (sender.__module__.startswith("nettonul.") or sender._meta.label in _ACCOUNTS):
        return
    if sender._meta.label in _IGNORED:
        return
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    if sender._meta.label == "auth.User" and kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # a login changes no page but the user's own, which is keyed by the user anyway
    bump()


def connect() -> None:
    """Listen to every model's writes (called once, from the audit app's ``ready``)."""
    post_save.connect(_on_write, dispatch_uid="nettonul-generation-save")
    post_delete.connect(_on_write, dispatch_uid="nettonul-generation-delete")
    m2m_changed.connect(_on_write, dispatch_uid="nettonul-generation-m2m")
