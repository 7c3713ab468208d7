"""Every write to organisations and memberships, shared by views, the API and commands."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from nettonul.web.audit import services as audit
from nettonul.web.errors import InvalidInputError, NotAllowedError
from nettonul.web.organisations import permissions
from nettonul.web.organisations.models import Membership, Organisation
from nettonul.web.versioning import apply_edit, delete_checked, save_new, validate

ORGANISATION_FIELDS = ("code", "name", "kind", "country", "parent", "population", "population_year", "language",
                       "framework", "publishing")


def _superuser(actor: Any) -> None:
    if not (actor is not None and actor.is_authenticated and actor.is_superuser):
        raise NotAllowedError(_("only a site administrator may do this"))


def default_language(country: str) -> str:
    """Danish organisations open in Danish, all others in English."""
    return "da" if country.upper() == "DK" else "en"


def create_organisation(actor: Any, **fields: Any) -> Organisation:
    _superuser(actor)
    unknown = sorted(set(fields) - set(ORGANISATION_FIELDS))
    if unknown:
        raise InvalidInputError({k: _("unknown field") for k in unknown})
    fields.setdefault("language", default_language(fields.get("country", "DK")))
    org = Organisation(**fields)
    validate(org)
    if Organisation.objects.filter(code=org.code).exists():
        raise InvalidInputError({"code": _("an organisation with this code exists")})
    return save_new(actor, org, [f for f in ORGANISATION_FIELDS if f != "parent"])


def update_organisation(actor: Any, org: Organisation, expected_version: int, **changes: Any) -> Organisation:
    permissions.require_administer(actor, org)
    unknown = sorted(set(changes) - set(ORGANISATION_FIELDS))
    if unknown:
        raise InvalidInputError({k: _("unknown field") for k in unknown})
    if "code" in changes and changes["code"] != org.code:
        _superuser(actor)  # the code is the key other systems use
    return apply_edit(actor, org, expected_version, changes)


def delete_organisation(actor: Any, org: Organisation, expected_version: int) -> None:
    """Delete an organisation without plans or inventories (site administrators only)."""
    _superuser(actor)
    if org.plans.exists() or org.inventories.exists() or org.children.exists():
        raise InvalidInputError({"organisation": _("it still has plans, inventories or units; delete those first")})
    with transaction.atomic():
        delete_checked(org, expected_version, f"organisation '{org}'")
        audit.record(actor, "delete", org, audit.removed(org), unlinked=True)


def set_role(actor: Any, org: Organisation, user: Any, role: str) -> Membership:
    """Give ``user`` ``role`` in ``org`` (admins of ``org`` only)."""
    permissions.require_administer(actor, org)
    if role not in Membership.Role.values:
        raise InvalidInputError({"role": _("choose viewer, editor or admin")})
    with transaction.atomic():
        membership = Membership.objects.filter(user=user, organisation=org).first()
        if membership is None:
            membership = Membership.objects.create(user=user, organisation=org, role=role)
            audit.record(actor, "create", membership, {"role": [None, role], "user": [None, user.get_username()]},
                         organisation_id=org.pk)
        elif membership.role != role:
            membership = apply_edit(actor, membership, membership.version, {"role": role}, organisation_id=org.pk)
    permissions.forget_roles(user)
    return membership


def remove_member(actor: Any, org: Organisation, user: Any) -> None:
    permissions.require_administer(actor, org)
    with transaction.atomic():
        membership = Membership.objects.filter(user=user, organisation=org).first()
        if membership is not None:
            membership.delete()
            audit.record(actor, "delete", membership, {"role": [membership.role, None]}, organisation_id=org.pk)
    permissions.forget_roles(user)
