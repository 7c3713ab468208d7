"""The ministry demo: a foreign ministry with its 15 climate front posts (the unit tree of
``examples/ministry/``), its ILLUSTRATIVE footprint and peers, a strategy created by importing
the real strategy text shipped in ``demo_data/`` (see its PROVENANCE.md) with every candidate
accepted and filed under suggested themes and values, and one demo user per role for the
ministry plus an editor of one embassy. Idempotent: nothing is added twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from nettonul import examples_dir
from nettonul.web import demologins
from nettonul.web.imports import services as imports
from nettonul.web.organisations.models import Membership, Organisation
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.orgunits import services
from nettonul.web.plans import services as plans
from nettonul.web.strategy import services as strategy

EXAMPLES = examples_dir() / "ministry"
STRATEGY_TEXT = Path(__file__).resolve().parent / "demo_data" / "udenrigsstrategi_2022_del1.txt"
CODE_PREFIX = "demo-"
STRATEGY_TITLE = "Udenrigs- og sikkerhedspolitisk strategi 2022 (kapitel 1-3)"
STRATEGY_SOURCE = ("Udenrigs- og sikkerhedspolitisk strategi, januar 2022 (Udenrigsministeriet), kapitel 1-3, "
                   "tekst udtrukket fra den offentliggjorte PDF")
THEMES = ("Værdidiplomati", "Tryghedsdiplomati", "Klimadiplomati", "Migrationsdiplomati", "Økonomisk diplomati")
VALUES = ("Lighed", "Retfærdighed", "Demokrati", "Tryghed", "Frihed", "Klima", "Bæredygtighed", "Velfærd",
          "Menneskerettigheder")
#: (user name, role, unit id, description)
USERS = (
    ("admin-mfa@demo", "admin", "mfa", "administrator of the demo ministry (all its units)"),
    ("editor-mfa@demo", "editor", "mfa", "editor of the demo ministry (all its units)"),
    ("viewer-mfa@demo", "viewer", "mfa", "viewer of the demo ministry"),
    ("editor-berlin@demo", "editor", "emb-berlin", "editor of the embassy in Berlin only"),
)


def load_ministry_demo(result: Any, with_users: bool = True) -> None:
    """Add the ministry demo to ``result`` (the demo loader's DemoResult)."""
    if not (EXAMPLES / "units.yaml").is_file():
        result.notes.append("ministry demo not loaded: examples/ministry/ is not there")
        return
    root = Organisation.objects.filter(code=f"{CODE_PREFIX}mfa").first()
    with transaction.atomic():
        if root is None:
            root = services.import_units(SYSTEM, EXAMPLES / "units.yaml", code_prefix=CODE_PREFIX)
            result.organisations_created += Organisation.objects.filter(code__startswith=CODE_PREFIX).count()
            _footprint(root)
        _strategy(root, result)
    if with_users:
        _users(root, result)


def _footprint(root: Organisation) -> None:
    services.upload_footprint(
        SYSTEM, root, ("illustrative_activities.csv", (EXAMPLES / "illustrative_activities.csv").read_bytes()),
        ("illustrative_factors.csv", (EXAMPLES / "illustrative_factors.csv").read_bytes()), publish=True)
    services.upload_peers(SYSTEM, root, "illustrative_peers.csv",
                          (EXAMPLES / "illustrative_peers.csv").read_bytes(), publish=True)


def _strategy(root: Organisation, result: Any) -> None:
    if root.plans.filter(kind="strategy", title=STRATEGY_TITLE).exists():
        return
    plan = plans.create_plan(SYSTEM, root, title=STRATEGY_TITLE, kind="strategy", published=True,
                             framework="ghgp-corporate", source=STRATEGY_SOURCE,
                             description="Demo: the commitments were imported from the strategy text and accepted "
                                         "automatically; owners and statuses are not set.")
    document = imports.import_text(SYSTEM, plan, STRATEGY_TEXT.read_text(encoding="utf-8"),
                                   filename=STRATEGY_TEXT.name, provenance=STRATEGY_SOURCE)
    _accepted, skipped = imports.accept_all(SYSTEM, document)
    result.notes.extend(f"demo strategy: candidate not accepted: {s}" for s in skipped)
    for i, name in enumerate(THEMES):
        strategy.add_theme(SYSTEM, plan, taxonomy="theme", name=name, position=i)
    for i, name in enumerate(VALUES):
        strategy.add_theme(SYSTEM, plan, taxonomy="value", name=name, position=i)
    strategy.link_suggestions(SYSTEM, plan)
    result.plans_created += 1


def _users(root: Organisation, result: Any) -> None:
    stored = demologins.passwords(name for name, *_rest in USERS)
    units = {o.code.removeprefix(CODE_PREFIX): o for o in Organisation.objects.filter(code__startswith=CODE_PREFIX)}
    model = get_user_model()
    for name, role, unit, description in USERS:
        user = model.objects.filter(username=name).first()
        if user is None:
            user = model(username=name, email="")
            user.set_password(stored[name])
            user.save()
            result.users_created += 1
        Membership.objects.get_or_create(user=user, organisation=units[unit], defaults={"role": role})
        result.logins.append({"username": name, "password": stored[name], "role": description})
