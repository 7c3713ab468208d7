"""The data generation changes with every write, in the writing transaction, and only then."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from typing import Any

import pytest
from django.db import transaction

import nettonul.web
from nettonul.web.audit import generation
from nettonul.web.organisations import services as org_services
from nettonul.web.organisations.models import Organisation
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services as plan_services
from nettonul.web.plans.models import Plan


def test_a_service_write_gives_a_new_generation_and_a_read_does_not(plans: dict[str, Any]) -> None:
    plan = plans["aarhus"]
    before = generation.current()
    assert generation.current() == before
    list(plan_services.visible_plans(SYSTEM))
    assert generation.current() == before
    plan_services.update_plan(SYSTEM, plan, plan.version, title="Aarhus plan, edited")
    edited = generation.current()
    assert edited != before
    plan.refresh_from_db()
    plan_services.update_plan(SYSTEM, plan, plan.version, title="Aarhus plan, edited")  # no change
    assert generation.current() == edited


def test_role_changes_and_deletions_give_new_generations(orgs: dict[str, Any], users: dict[str, Any]) -> None:
    org = orgs["101"]
    seen = {generation.current()}
    org_services.set_role(SYSTEM, org, users["viewer-kbh"], "editor")
    seen.add(generation.current())
    org_services.remove_member(SYSTEM, org, users["viewer-kbh"])
    seen.add(generation.current())
    assert len(seen) == 3


def test_a_write_that_bypasses_the_services_still_gives_a_new_generation(orgs: dict[str, Any],
                                                                           plans: dict[str, Any]) -> None:
    org = orgs["101"]
    before = generation.current()
    Organisation.objects.filter(pk=org.pk).first().save()  # type: ignore[union-attr]
    saved = generation.current()
    Plan.objects.get(pk=plans["kbh"].pk).delete()
    deleted = generation.current()
    assert len({before, saved, deleted}) == 3


def test_a_rolled_back_write_leaves_the_generation_as_it_was(plans: dict[str, Any]) -> None:
    plan = plans["aarhus"]
    before = generation.current()
    inside: list[str] = []

    def write_then_fail() -> None:
        with transaction.atomic():
            plan_services.update_plan(SYSTEM, plan, plan.version, title="never saved")
            inside.append(generation.current())
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert inside[0] != before  # visible inside the writing transaction
    assert generation.current() == before


_BULK = {"bulk_create", "bulk_update"}
_QUERYSETS = {"filter", "exclude", "all", "select_for_update", "objects"}
_BUMPS = {"record", "apply_edit", "bump"}
#: Bulk writes that change nothing a page or an API response shows, with the reason.
_NOT_SHOWN = {
    "nettonul.web.api.services.user_for_token": "a token's last-use time, shown on no kept page",
}


def _calls(node: ast.AST) -> set[str]:
    return {c.func.attr if isinstance(c.func, ast.Attribute) else getattr(c.func, "id", "")
            for c in ast.walk(node) if isinstance(c, ast.Call)}


def _is_bulk_write(call: ast.Call) -> bool:
    """``bulk_create``/``bulk_update``, or ``update`` on a queryset (``X.objects.filter(...)``)."""
    if not isinstance(call.func, ast.Attribute):
        return False
    if call.func.attr in _BULK:
        return True
    receiver = call.func.value
    name = receiver.func.attr if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute) \
        else getattr(receiver, "attr", None)
    return call.func.attr == "update" and name in _QUERYSETS


def _bulk_writers_without_record(module: Any) -> list[str]:
    functions = {f.name: f for f in ast.walk(ast.parse(inspect.getsource(module))) if isinstance(f, ast.FunctionDef)}
    records = {name for name, f in functions.items() if _calls(f) & _BUMPS}
    out = []
    for name, function in functions.items():
        if name in records or not any(_is_bulk_write(c) for c in ast.walk(function) if isinstance(c, ast.Call)):
            continue
        callers = [f for f in functions.values() if name in _calls(f)]
        if name.startswith("_") and callers and all(c.name in records for c in callers):
            continue  # a private helper whose every caller records the change
        out.append(f"{module.__name__}.{name}")
    return out


def test_every_bulk_write_records_its_change() -> None:
    """Writes of single objects (save, delete, create, m2m) give a new generation through the
    signal receiver; writes of many rows at once (``QuerySet.update``, ``bulk_create``) send
    no signal, so a function making one must also record its change or bump the generation
    (or be a private helper of functions that do). This fails for new code anywhere in the
    web application that writes in bulk without doing so. (The application writes no SQL of
    its own; its one hand-written query, the roles, reads.)"""
    offenders = []
    for info in pkgutil.walk_packages(nettonul.web.__path__, "nettonul.web."):
        if ".migrations" in info.name or info.name.endswith(".generation") or info.ispkg:
            continue
        offenders += _bulk_writers_without_record(importlib.import_module(info.name))
    assert sorted(set(offenders) - set(_NOT_SHOWN)) == []
    assert set(_NOT_SHOWN) <= set(offenders)  # the exceptions still exist as described


def test_the_check_finds_a_bulk_write_without_a_record(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    module = types.ModuleType("nettonul.web.example.services")
    source = ("def hide(plan):\n    Plan.objects.filter(pk=plan.pk).update(published=False)\n\n"
              "def _helper(plan):\n    Plan.objects.filter(pk=plan.pk).update(title='x')\n\n"
              "def rename(actor, plan):\n    _helper(plan)\n    audit.record(actor, 'update', plan)\n")
    monkeypatch.setattr(inspect, "getsource", lambda obj: source)
    assert _bulk_writers_without_record(module) == ["nettonul.web.example.services.hide"]
