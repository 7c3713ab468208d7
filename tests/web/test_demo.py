"""Demo data (nettonul/web/demo.py): all 98 municipalities, idempotent, demo users."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import authenticate

from nettonul.engine.reference import datasets
from nettonul.web import demo, demologins
from nettonul.web.inventory.models import EmissionRecord, InventoryVersion
from nettonul.web.organisations.models import Membership, Organisation


def test_load_all_98_municipalities_once(db: None) -> None:
    first = demo.load_demo(with_plans=False)
    assert first.organisations_created == 98 - 3  # three are in the session's small world
    assert Organisation.objects.filter(kind="municipality").count() == 98
    assert InventoryVersion.objects.filter(is_current=True, published=True).count() == 98
    # 98 municipalities x 5 sectors x 6 years (2018-2023) of the Energi- og CO2-regnskab
    assert EmissionRecord.objects.count() == 98 * 5 * 6
    again = demo.load_demo(with_plans=False)
    assert (again.organisations_created, again.inventories_created, again.records_created,
            again.users_created) == (0, 0, 0, 0)
    kbh = Organisation.objects.get(code="101")
    assert kbh.name == "København"
    assert kbh.population == int(datasets.population().row("101")[-1])
    total_2023 = sum(r.co2e_t for r in EmissionRecord.objects.filter(inventory__organisation=kbh, year=2023))
    k = datasets.klimaregnskab()
    assert abs(total_2023 - k.values[k.codes.index("101"), :, -1].sum()) < 1e-6


def test_demo_users_log_in_with_the_printed_passwords(db: None) -> None:
    logins = {x["username"]: x["password"] for x in demo.demo_logins()}
    assert set(logins) == {"admin@demo", "admin-kbh@demo", "editor-kbh@demo", "viewer-kbh@demo",
                           "editor-aarhus@demo", "editor-samsoe@demo", "support@demo"}
    user = authenticate(username="editor-kbh@demo", password=logins["editor-kbh@demo"])
    assert user is not None
    assert Membership.objects.get(user=user).organisation.code == "101"
    assert authenticate(username="admin@demo", password=logins["admin@demo"]).is_superuser
    assert demologins.logins_file().stat().st_mode & 0o077 == 0  # readable by the owner only


def test_example_plans_are_loaded_when_present(db: None, tmp_path: Path, monkeypatch: Any) -> None:
    plan = tmp_path / "kbh.yaml"
    plan.write_text(
        'name: "Example plan"\norganisation: "101"\ntargets:\n  - {kind: reduction, year: 2030, value: 0.7, '
        'against: 1990}\nactions:\n  - id: led\n    title: "LED street lights"\n    effect: {type: demand, '
        'sector: energy, reduction: 0.01}\n    schedule: {start: 2025, full: 2027}\n    assumptions: '
        '{effect.reduction: "assumed"}\n', encoding="utf-8")
    monkeypatch.setattr(demo, "EXAMPLE_PLANS", tmp_path)
    assert demo.load_demo(codes=["101"], with_users=False).plans_created == 1
    assert demo.load_demo(codes=["101"], with_users=False).plans_created == 0
    loaded = Organisation.objects.get(code="101").plans.get()
    assert (loaded.title, loaded.published, loaded.illustrative) == ("Example plan", True, True)
    assert loaded.actions.get().effect == {"type": "demand", "sector": "energy", "reduction": 0.01}
    assert str(loaded.targets.get()) == "-70% 2030 vs 1990"
