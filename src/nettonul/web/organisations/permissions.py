"""Who may see and change what: the one place views, the API and services ask.

Rules:
- a superuser may do everything;
- an organisation's basic facts (name, kind, population) are public;
- its other data (plans, targets, actions, inventories) is visible to everyone once
  published, and before that only to its members (viewer, editor, admin);
- editors and admins of an organisation may change its data; admins may also manage it;
- a role in an organisation also holds in every unit below it (``parent``): an editor of a
  ministry may edit its embassies, an editor of an embassy never its siblings or its parent;
- who may publish an inventory draft (and restore an earlier version) is the organisation's
  ``publishing`` rule: any editor (``editors``), an editor or admin other than the uploader
  (``four_eyes``), or admins only (``admins``);
- the change history of an object is visible to the organisation's members only.

Objects other than :class:`Organisation` expose ``organisation_id`` and ``is_published``.
A user's roles are read with one query and cached on the user object for the request, so
checking many objects costs no further queries.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from nettonul.web.errors import NotAllowedError
from nettonul.web.organisations.models import Membership, Organisation


class SystemActor:
    """The actor of writes made by nettonul itself (demo data, management commands run by
    the operator): allowed everything, recorded in the history as ``system``."""

    is_authenticated = True
    is_superuser = True
    is_active = True
    pk = None

    def get_username(self) -> str:
        return "system"

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()

_ROLE_RANK: dict[str, int] = {"viewer": 1, "editor": 2, "admin": 3}
_CACHE = "_nettonul_roles"


def roles(user: Any) -> dict[int, str]:
    """organisation id -> role for this user (empty for anonymous users)."""
    if user is None or not user.is_authenticated or isinstance(user, SystemActor):
        return {}
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = {}
        for org_id, role in _roles_down_the_tree(user.pk):
            if _ROLE_RANK.get(role, 0) > _ROLE_RANK.get(cached.get(org_id, ""), 0):
                cached[org_id] = role
        setattr(user, _CACHE, cached)
    return cached


def _roles_down_the_tree(user_id: int) -> list[tuple[int, str]]:
    """(organisation id, role) for the user's memberships and every unit below each of them,
    in one recursive query; a unit reached twice keeps its highest role (see :func:`roles`)."""
    member, org = Membership._meta.db_table, Organisation._meta.db_table
    sql = (f"WITH RECURSIVE reach(org_id, role) AS ("
           f"SELECT organisation_id, role FROM {member} WHERE user_id = %s "
           f"UNION SELECT o.id, r.role FROM {org} o JOIN reach r ON o.parent_id = r.org_id) "
           "SELECT org_id, role FROM reach")
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        return [(int(o), str(r)) for o, r in cursor.fetchall()]


def forget_roles(user: Any) -> None:
    """Drop the cached roles after memberships change."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def role_in(user: Any, organisation_id: int) -> str | None:
    return roles(user).get(organisation_id)


def _organisation_id(obj: Any) -> int:
    return int(obj.pk if isinstance(obj, Organisation) else obj.organisation_id)


def _has_role(user: Any, obj: Any, minimum: str) -> bool:
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    role = role_in(user, _organisation_id(obj))
    return role is not None and _ROLE_RANK.get(role, 0) >= _ROLE_RANK[minimum]


def can_view(user: Any, obj: Any) -> bool:
    """May ``user`` read ``obj``?"""
    if isinstance(obj, Organisation):
        return True
    if getattr(obj, "is_published", False):
        return True
    return _has_role(user, obj, "viewer")


def can_edit(user: Any, obj: Any) -> bool:
    """May ``user`` change ``obj`` (or add things to it, for an organisation or plan)?"""
    return _has_role(user, obj, "editor")


def can_administer(user: Any, obj: Any) -> bool:
    """May ``user`` manage the organisation itself (its facts, members, publication)?"""
    return _has_role(user, obj, "admin")


def can_publish(user: Any, obj: Any, uploaded_by_id: int | None = None) -> bool:
    """May ``user`` publish a draft of ``obj``'s organisation uploaded by the account
    ``uploaded_by_id`` (None: no account, e.g. a restore or a system import), by the
    organisation's publishing rule? Superusers always may."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    if not can_edit(user, obj):
        return False
    org = obj if isinstance(obj, Organisation) else obj.organisation
    if org.publishing == Organisation.Publishing.ADMINS:
        return can_administer(user, obj)
    if org.publishing == Organisation.Publishing.FOUR_EYES:
        return uploaded_by_id is None or uploaded_by_id != user.pk
    return True


def require_publish(user: Any, obj: Any, uploaded_by_id: int | None = None) -> None:
    if can_publish(user, obj, uploaded_by_id):
        return
    org = obj if isinstance(obj, Organisation) else obj.organisation
    if org.publishing == Organisation.Publishing.FOUR_EYES and can_edit(user, obj):
        raise NotAllowedError(_("%(org)s publishes by four eyes: another editor or an administrator than the one "
                                "who uploaded the draft must publish it") % {"org": org.name})
    if org.publishing == Organisation.Publishing.ADMINS and can_edit(user, obj):
        raise NotAllowedError(_("only an administrator of %(org)s may publish an inventory") % {"org": org.name})
    raise NotAllowedError(f"you may not change data of {_name(obj)}")


def can_view_history(user: Any, obj: Any) -> bool:
    return _has_role(user, obj, "viewer")


def require_edit(user: Any, obj: Any) -> None:
    if not can_edit(user, obj):
        raise NotAllowedError(f"you may not change data of {_name(obj)}")


def require_administer(user: Any, obj: Any) -> None:
    if not can_administer(user, obj):
        raise NotAllowedError(f"only an administrator of {_name(obj)} may do this")


def _name(obj: Any) -> str:
    if isinstance(obj, Organisation):
        return obj.name
    org = getattr(obj, "organisation", None)
    return str(org) if org is not None else "this organisation"


def visible_filter(user: Any, organisation_field: str = "organisation", published_field: str = "published") -> Q:
    """A queryset filter for rows ``user`` may read: published or of their organisations."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return Q()
    q = Q(**{published_field: True})
    member_of = list(roles(user))
    if member_of:
        q |= Q(**{f"{organisation_field}__in": member_of})
    return q
