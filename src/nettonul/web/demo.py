"""Demo data from the shipped real data: the 98 Danish municipalities (DAWA/DST, population
from Danmarks Statistik), their Energi- og CO2-regnskab inventories (Energistyrelsen), the
example plans shipped in the package (``examples/plans/`` in a checkout), and one demo user per role.

Idempotent: running it again adds only what is missing. Demo passwords are random, made on
the first run and kept (owner-only) in ``demo-logins.json`` in the data directory, so
``nettonul serve`` can print them and a demo never runs with a well-known password.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from nettonul import examples_dir
from nettonul.engine import municipalities, population, shipped_inventory
from nettonul.errors import NettonulError
from nettonul.web import demologins
from nettonul.web.audit import generation
from nettonul.web.audit.models import ChangeRecord
from nettonul.web.engine import inventories
from nettonul.web.inventory.models import EmissionRecord, InventoryVersion
from nettonul.web.organisations.models import Membership, Organisation
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.orgunits.demo import USERS as MINISTRY_USERS
from nettonul.web.orgunits.demo import load_ministry_demo

#: (user name, role, kommunekode or None for the site administrator / no role, description)
DEMO_USERS: tuple[tuple[str, str | None, str | None, str], ...] = (
    ("admin@demo", "superuser", None, "site administrator: sees and may change everything"),
    ("admin-kbh@demo", "admin", "101", "administrator of København"),
    ("editor-kbh@demo", "editor", "101", "editor of København"),
    ("viewer-kbh@demo", "viewer", "101", "viewer of København"),
    ("editor-aarhus@demo", "editor", "751", "editor of Aarhus"),
    ("editor-samsoe@demo", "editor", "741", "editor of Samsø (its example plan is loaded)"),
    ("support@demo", None, None, "support body: no role, sees everything published"),
)
EXAMPLE_PLANS = examples_dir() / "plans"


@dataclass
class DemoResult:
    organisations_created: int = 0
    inventories_created: int = 0
    records_created: int = 0
    plans_created: int = 0
    users_created: int = 0
    logins: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def demo_logins() -> list[dict[str, str]]:
    """The demo users with their passwords and roles (empty before the demo was loaded)."""
    if not demologins.logins_file().exists():
        return []
    stored = demologins.stored()
    return [{"username": n, "password": stored.get(n, ""), "role": d} for n, _r, _c, d in DEMO_USERS] + [
        {"username": n, "password": stored[n], "role": d} for n, _r, _u, d in MINISTRY_USERS if n in stored]


def load_demo(codes: list[str] | None = None, with_users: bool = True, with_plans: bool = True) -> DemoResult:
    """Load the demo data (all 98 municipalities, or only ``codes``)."""
    result = DemoResult()
    wanted = set(codes) if codes else None
    with transaction.atomic():
        orgs = _organisations(wanted, result)
        _inventories(orgs, result)
        if with_users:
            _users(orgs, result)
    if with_plans:
        _example_plans(orgs, result)
        from nettonul.web.monitoring.demo import load_check_examples

        load_check_examples(orgs, result)
    if with_plans and not codes:  # the ministry demo belongs to the full demo only
        load_ministry_demo(result, with_users=with_users)
    return result


def _organisations(wanted: set[str] | None, result: DemoResult) -> dict[str, Organisation]:
    people = population()
    last_year = int(people.years[-1])
    existing = {o.code: o for o in Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)}
    new = []
    for m in municipalities():
        if (wanted is not None and m.code not in wanted) or m.code in existing:
            continue
        new.append(Organisation(code=m.code, name=m.name, kind=Organisation.Kind.MUNICIPALITY, country="DK",
                                population=int(people.row(m.code)[-1]), population_year=last_year,
                                language="da", framework="dk-municipal"))
    Organisation.objects.bulk_create(new)
    if new:  # bulk writes send no signal: the pages' data generation changes here
        generation.bump()
    result.organisations_created = len(new)
    return {o.code: o for o in Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
            if wanted is None or o.code in wanted}


def _inventories(orgs: dict[str, Organisation], result: DemoResult) -> None:
    have = set(InventoryVersion.objects.filter(organisation__in=orgs.values()).values_list("organisation__code",
                                                                                         flat=True))
    missing = [code for code in orgs if code not in have]
    if not missing:
        return
    source = inventories.shipped_source()
    inventory = shipped_inventory(missing)
    rows = inventories.records_from_inventory(inventory)
    by_org: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_org.setdefault(r["organisation_code"], []).append(r)
    versions = InventoryVersion.objects.bulk_create([
        InventoryVersion(
            organisation=orgs[code], number=1, is_current=True, framework=inventory.framework,
            gwp_set=inventory.gwp_set, title=source.title, source=source.citation(), vintage=source.vintage,
            filename=source.file, published=True,
            first_year=min(r["year"] for r in by_org[code]), last_year=max(r["year"] for r in by_org[code]),
            record_count=len(by_org[code]),
        )
        for code in missing
    ])
    records = [EmissionRecord(inventory=v, **r) for v in versions for r in by_org[v.organisation.code]]
    EmissionRecord.objects.bulk_create(records, batch_size=5000)
    kind = ContentType.objects.get_for_model(InventoryVersion)
    ChangeRecord.objects.bulk_create([
        ChangeRecord(actor_name="system", action=ChangeRecord.Action.IMPORT, content_type=kind, object_id=str(v.pk),
                     object_repr=str(v)[:200], organisation=v.organisation, object_version=1,
                     changes={"records": [0, v.record_count], "file": [None, source.file]})
        for v in versions
    ])
    generation.bump()  # bulk writes send no signal: the pages' data generation changes here
    result.inventories_created = len(versions)
    result.records_created = len(records)


def _users(orgs: dict[str, Organisation], result: DemoResult) -> None:
    user_model = get_user_model()
    passwords = demologins.passwords(name for name, *_rest in DEMO_USERS)
    for name, role, code, description in DEMO_USERS:
        user = user_model.objects.filter(username=name).first()
        if user is None:
            user = user_model(username=name, email="", is_staff=role == "superuser", is_superuser=role == "superuser")
            user.set_password(passwords[name])
            user.save()
            result.users_created += 1
        if role not in (None, "superuser") and code in orgs:
            Membership.objects.get_or_create(user=user, organisation=orgs[code], defaults={"role": role})
        result.logins.append({"username": name, "password": passwords[name], "role": description})


def _example_plans(orgs: dict[str, Organisation], result: DemoResult) -> None:
    if not EXAMPLE_PLANS.is_dir():
        result.notes.append("no example plans found (examples/plans/ is not there)")
        return
    from nettonul.web.plans.services import import_plan_file

    for path in sorted(EXAMPLE_PLANS.glob("*.y*ml")):
        try:
            created = import_plan_file(SYSTEM, path, organisations=orgs, publish=True)
        except NettonulError as exc:
            result.notes.append(f"{path.name}: not loaded: {str(exc).splitlines()[0]}")
            continue
        if created is not None:
            result.plans_created += 1
