"""Shared set-up of the plan check, monitoring and report tests: the shipped example plans
of ``examples/check/`` loaded into the database through the services, and users with roles
in their organisation (Middelfart, kommunekode 410)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model

from nettonul.web.monitoring import services
from nettonul.web.organisations.models import Membership, Organisation
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans.models import Plan

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "check"
PASSING = EXAMPLES / "middelfart_plan.yaml"
DEFECTIVE = EXAMPLES / "defective_plan.yaml"
MONITORING = EXAMPLES / "monitoring_2025.yaml"


def middelfart() -> Organisation:
    org, _created = Organisation.objects.get_or_create(code="410", defaults={"name": "Middelfart"})
    return org


def load(path: Path, publish: bool = False) -> Plan:
    """An example plan file with its CAPF sections, imported as the system."""
    return services.import_capf_plan_file(SYSTEM, path, middelfart(), publish=publish)


def person(name: str, role: str | None, org: Organisation | None = None) -> Any:
    """A user with ``role`` in ``org`` (Middelfart by default); no role when None."""
    user = get_user_model().objects.create_user(username=name, password="x")
    if role is not None:
        Membership.objects.create(user=user, organisation=org or middelfart(), role=role)
    return user


def english(client: Any) -> Any:
    """Pages in English (a Danish organisation's pages open in Danish otherwise)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
