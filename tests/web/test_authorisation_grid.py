"""The authorisation grid: every URL pattern of the site (walked from the resolver) and every
operation of the REST API (read from its OpenAPI document), for each role, against the
unpublished data of one organisation (København): a draft plan with a target, an action, an
indicator, a theme, an imported document with its candidates, a draft inventory and an API
token, every one of them named with a marker.

For the roles outside København (anonymous, the editor of Aarhus, the support body, an API token
of the editor of Aarhus) no response of any route contains the marker, the routes that only
members may read refuse them, and no write of any method changes the data (the data generation,
which every write changes, stays the same, and the token stays as it was). København's viewer
reads but cannot write. København's editor and administrator and the site administrator read
the same routes, which shows the grid is not empty. An embassy's editor in a ministry's unit
tree writes nothing of a sibling embassy, the group above or the ministry. Every route has a rule in
:data:`PAGE_RULES` or :data:`API_RULES`: a new route without one fails
:func:`test_every_route_has_a_rule`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from nettonul.web.api.api import api
from nettonul.web.api.models import ApiToken
from nettonul.web.api.services import create_token
from nettonul.web.audit import generation
from nettonul.web.imports import services as imports
from nettonul.web.inventory import services as inventory
from nettonul.web.inventory.models import InventoryVersion
from nettonul.web.monitoring import services as monitoring
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services as plans
from nettonul.web.strategy import services as strategy

MARK = "Hemmelig-kladde-7f3a"

#: Who may read a page. ``open``: anyone; it shows no organisation's unpublished data.
#: ``published``: anyone; it shows what an organisation has published, never a draft.
#: ``members``: only a role in the organisation (or the site administrator); anyone else is
#: refused (login, 403 or 404). ``account``: the logged-in user's own account only.
PAGE_RULES: dict[str, str] = {
    "health": "open", "favicon": "open", "set_language": "open", "switch_language": "open", "ui:ping": "open",
    "public:overview": "open", "public:login": "open", "public:logout": "open", "plans:search": "open",
    "orgunits:index": "open",
    "public:dashboard": "published", "monitoring:public": "published", "ui:inventory_csv": "published",
    "ui:pathway_csv": "published", "orgunits:tree": "published", "orgunits:peers": "published",
    "public:rollup": "published", "public:national_optimum": "published", "ui:rollup_csv": "published",
    "ui:rollup_xlsx": "published",
    "ui:inventory_xlsx": "published", "ui:pathway_xlsx": "published", "inventory:template_csv": "published",
    "inventory:template_xlsx": "published",
    "public:account": "account", "public:password_change": "account", "public:token_create": "account",
    "public:token_rotate": "account", "public:token_revoke": "account",
    **dict.fromkeys((
        "public:plan_optimum", "plans:create", "plans:detail", "plans:costs_download", "plans:edit", "plans:revise",
        "plans:retire",
        "plans:target_create",
        "plans:target_edit",
        "plans:target_delete", "plans:action_create", "plans:action_edit", "plans:action_delete",
        "plans:action_confirm",
        "inventory:upload", "inventory:detail", "inventory:publish", "inventory:discard", "inventory:restore",
        "inventory:original", "inventory:records_csv", "inventory:records_xlsx", "ui:scenario_xlsx",
        "monitoring:emissions_xlsx",
        "audit:object", "imports:upload", "imports:queue", "imports:accept_all", "imports:draft_plan", "imports:decide",
        "imports:quote",
        "strategy:detail", "strategy:compass", "strategy:themes", "strategy:theme_delete", "strategy:suggest",
        "strategy:links", "orgunits:upload", "orgunits:edit", "ui:editor", "ui:scenario_csv", "ui:action_preview",
        "ui:action_save", "monitoring:check", "monitoring:sections", "monitoring:section",
        "monitoring:sections_advanced", "monitoring:sections_yaml", "monitoring:plan", "monitoring:emissions_csv",
        "monitoring:indicator_create", "monitoring:indicator_edit", "monitoring:observation_create",
        "monitoring:update_create", "monitoring:delete", "monitoring:reports", "monitoring:report_issue",
        "monitoring:report_download", "monitoring:settings", "public:members",
    ), "members"),
}

#: The same for the API's operations (``METHOD path``).
API_RULES: dict[str, str] = {
    "GET /api/organisations": "open", "POST /api/organisations": "members",
    "GET /api/organisations/{org_id}": "published", "PATCH /api/organisations/{org_id}": "members",
    "DELETE /api/organisations/{org_id}": "members", "GET /api/organisations/{org_id}/members": "members",
    "PUT /api/organisations/{org_id}/members/{username}": "members",
    "DELETE /api/organisations/{org_id}/members/{username}": "members",
    "GET /api/organisations/{org_id}/pathway": "published", "GET /api/organisations/{org_id}/plans": "published",
    "POST /api/organisations/{org_id}/plans": "members", "GET /api/actions/search": "published",
    "GET /api/organisations/{org_id}/inventories": "published",
    "POST /api/organisations/{org_id}/inventories": "members",
    "GET /api/rollup": "published", "GET /api/rollup/optimum": "published",
    **dict.fromkeys((
        "GET /api/plans/{plan_id}/optimum",
        "GET /api/plans/{plan_id}", "PATCH /api/plans/{plan_id}", "DELETE /api/plans/{plan_id}",
        "POST /api/plans/{plan_id}/revisions", "POST /api/plans/{plan_id}/retire",
        "GET /api/plans/{plan_id}/versions", "GET /api/plans/{plan_id}/pathway",
        "GET /api/plans/{plan_id}/scenario", "GET /api/plans/{plan_id}/simulation", "GET /api/plans/{plan_id}/targets",
        "POST /api/plans/{plan_id}/targets", "GET /api/targets/{target_id}", "PATCH /api/targets/{target_id}",
        "DELETE /api/targets/{target_id}", "GET /api/plans/{plan_id}/actions", "POST /api/plans/{plan_id}/actions",
        "GET /api/actions/{action_id}", "PATCH /api/actions/{action_id}", "DELETE /api/actions/{action_id}",
        "POST /api/inventories/{inventory_id}/publish", "POST /api/inventories/{inventory_id}/restore",
        "GET /api/inventories/{inventory_id}", "PATCH /api/inventories/{inventory_id}",
        "DELETE /api/inventories/{inventory_id}", "GET /api/inventories/{inventory_id}/records",
        "GET /api/inventories/{inventory_id}/file", "GET /api/inventories/{inventory_id}/export",
        "GET /api/history/{kind}/{object_id}", "POST /api/plans/{plan_id}/documents",
        "GET /api/documents/{document_id}", "GET /api/documents/{document_id}/candidates",
        "POST /api/documents/{document_id}/candidates/{candidate_id}/decision", "GET /api/plans/{plan_id}/monitoring",
        "POST /api/plans/{plan_id}/progress-updates", "POST /api/indicators/{indicator_id}/observations",
        "GET /api/plans/{plan_id}/reports", "POST /api/plans/{plan_id}/reports",
    ), "members"),
}

#: Statuses that refuse someone outside the organisation.
REFUSED = {302, 401, 403, 404, 405}

DOCUMENT = (f"{MARK}: klimaplan for København.\n\n"
            "Kommunen vil reducere udledningen af drivhusgasser med 70 % i 2030 i forhold til 1990.\n"
            "Vi vil opsætte 40 nye ladestandere til elbiler inden 2027.\n")


def _walk(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and not prefix.startswith("api/"):
            yield namespace + (entry.name or str(entry.pattern)), prefix + str(entry.pattern)


@functools.cache
def _operations() -> tuple[tuple[str, str], ...]:
    return tuple((method.upper(), path) for path, operations in api.get_openapi_schema()["paths"].items()
                 for method in operations)


@pytest.fixture
def world(orgs: dict[str, Any], users: dict[str, Any]) -> dict[str, Any]:
    kbh = orgs["101"]
    plan = plans.create_plan(SYSTEM, kbh, title=f"{MARK} plan", base_year=1990)
    target = plans.add_target(SYSTEM, plan, kind="reduction", year=2030, value=0.7, against=1990)
    action = plans.add_action(SYSTEM, plan, title=f"{MARK} handling", sector="energy",
                              effect={"type": "factor", "sector": "energy", "reduction": 0.2})
    indicator = monitoring.add_indicator(SYSTEM, plan, key="hemmelig", name=f"{MARK} indikator", unit="GWh",
                                         direction="decrease")
    theme = strategy.add_theme(SYSTEM, plan, taxonomy="theme", name=f"{MARK} tema")
    document = imports.import_text(SYSTEM, plan, DOCUMENT, filename="hemmelig.txt")
    candidate = document.candidates.order_by("pk").first()
    base = InventoryVersion.objects.get(organisation=kbh, is_current=True)
    draft = inventory.store(SYSTEM, kbh, list(base.records.values(*_record_columns())), framework=base.framework,
                            gwp_set=base.gwp_set, title=f"{MARK} opgørelse")
    token, _secret = create_token(users["editor-kbh"], f"{MARK} token")
    values = {
        "org_id": kbh.pk, "plan_id": plan.pk, "target_id": target.pk, "action_id": action.pk,
        "inventory_id": draft.pk, "document_id": document.pk, "candidate_id": candidate.pk if candidate else 0,
        "start": 0, "end": len(DOCUMENT), "theme_id": theme.pk, "indicator_id": indicator.pk, "code": kbh.code,
        "report_id": 0, "token_id": token.pk, "username": "viewer-kbh@demo", "object_id": plan.pk,
    }
    return {"values": values, "token": token, "plan": plan, "indicator": indicator}


def _record_columns() -> list[str]:
    from nettonul.web.engine.inventories import RECORD_COLUMNS

    return list(RECORD_COLUMNS)


def _page_url(name: str, pattern: str, world: dict[str, Any]) -> str:
    values = dict(world["values"])
    if name == "audit:object":
        values["kind"] = "plan"
    if name == "monitoring:delete":
        values.update(kind="indicator", pk=world["indicator"].pk)
    if name == "monitoring:report_download":
        values["kind"] = "pdf"
    if name == "monitoring:section":
        values["section"] = "adoption"
    if name == "plans:costs_download":
        values.update(which="macc", fmt="csv")

    def fill(match: re.Match[str]) -> str:
        return str(values[match.group(2)])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, pattern)


def _api_url(path: str, world: dict[str, Any]) -> str:
    values = {**world["values"], "kind": "plan"}
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def _clients(users: dict[str, Any]) -> dict[str, Client]:
    out: dict[str, Client] = {"anonymous": Client()}
    for name in ("editor-aarhus", "support", "viewer-kbh", "editor-kbh", "admin-kbh", "admin"):
        client = Client()
        client.force_login(users[name])
        out[name] = client
    _token, secret = create_token(users["editor-aarhus"], "grid")
    out["token-aarhus"] = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return out


OUTSIDERS = ("anonymous", "editor-aarhus", "support", "token-aarhus")


def test_every_route_has_a_rule() -> None:
    pages = {name for name, _ in _walk()}
    assert sorted(pages - set(PAGE_RULES)) == [], "routes without a rule: add them to PAGE_RULES"
    assert sorted(set(PAGE_RULES) - pages) == [], "rules for routes that no longer exist"
    operations = {f"{m} {p}" for m, p in _operations()}
    assert sorted(operations - set(API_RULES)) == [], "API operations without a rule: add them to API_RULES"
    assert sorted(set(API_RULES) - operations) == [], "rules for API operations that no longer exist"


def _token_state(world: dict[str, Any]) -> tuple[Any, ...]:
    token = ApiToken.objects.get(pk=world["token"].pk)
    return token.token_hash, token.revoked, token.expires_at


def _requests(world: dict[str, Any]) -> Iterator[tuple[str, str, str, str]]:
    """(rule, label, method, url) of every page route and API operation."""
    for name, pattern in _walk():
        url = _page_url(name, pattern, world)
        for method in ("GET", "POST"):
            yield PAGE_RULES[name], name, method, url
    for method, path in _operations():
        yield API_RULES[f"{method} {path}"], f"{method} {path}", method, _api_url(path, world)


def _send(client: Client, method: str, url: str) -> Any:
    if url.startswith("/api/") and method != "GET":
        return client.generic(method, url, data=b'{"version": 1, "title": "x", "role": "editor"}',
                              content_type="application/json")
    return client.get(url) if method == "GET" else client.post(url, {"version": 1, "title": "x"})


@pytest.mark.parametrize("who", OUTSIDERS)
def test_no_outsider_reads_or_changes_an_organisations_unpublished_data(
        who: str, world: dict[str, Any], users: dict[str, Any]) -> None:
    client = _clients(users)[who]
    leaks: list[str] = []
    cells = 0
    for rule, label, method, url in _requests(world):
        if rule == "account" and method != "GET":
            continue  # the user's own account (their own tokens); the token check below covers others'
        before, token = generation.current(), _token_state(world)
        response = _send(client, method, url)
        cells += 1
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if MARK.encode() in body:
            leaks.append(f"{method} {url} ({label}): {response.status_code} shows the draft")
        if rule == "members" and response.status_code not in REFUSED and response.status_code != 422:
            leaks.append(f"{method} {url} ({label}): {response.status_code}, not refused")
        if method != "GET" and generation.current() != before:
            leaks.append(f"{method} {url} ({label}): {response.status_code} changed the data")
        if _token_state(world) != token:
            leaks.append(f"{method} {url} ({label}): changed another user's token")
    assert cells > 150
    assert leaks == []


def _writes_that_changed_data(client: Client, world: dict[str, Any]) -> list[str]:
    """Every write of every route (but the user's own account and the open routes) sent by
    ``client``: those that changed the data generation."""
    changed: list[str] = []
    for rule, label, method, url in _requests(world):
        if method == "GET" or rule in ("account", "open"):
            continue
        before = generation.current()
        response = _send(client, method, url)
        if generation.current() != before:
            changed.append(f"{method} {url} ({label}): {response.status_code}")
    return changed


def test_the_viewer_reads_but_never_writes(world: dict[str, Any], users: dict[str, Any]) -> None:
    client = _clients(users)["viewer-kbh"]
    assert _writes_that_changed_data(client, world) == []
    shown = client.get(_page_url("plans:detail", "plans/<int:plan_id>/", world))
    assert shown.status_code == 200
    assert MARK in shown.content.decode()


@pytest.mark.parametrize("who", ["editor-kbh", "admin-kbh", "admin"])
def test_the_grid_is_not_empty_members_read_the_members_routes(who: str, world: dict[str, Any],
                                                               users: dict[str, Any]) -> None:
    """København's editor and administrator, and the site administrator, read what outsiders may not."""
    client = _clients(users)[who]
    read = shows = 0
    members = [(label, url) for rule, label, method, url in _requests(world) if rule == "members" and method == "GET"
               and not label.startswith(("DELETE", "PATCH", "POST", "PUT"))]
    for _label, url in members:
        response = client.get(url)
        read += response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        shows += MARK.encode() in body
    assert read >= 0.6 * len(members), (read, len(members))
    assert shows >= 10


@pytest.mark.parametrize("unit", ["emb-fr", "min", "posts"])
def test_a_unit_editor_writes_nothing_above_or_beside_the_unit(unit: str, world: dict[str, Any]) -> None:
    """An embassy's editor (ministry tree of tests/web/data/orgunits_units.yaml) sends every write
    of every route against a sibling embassy, the group above and the ministry: none changes data."""
    from pathlib import Path

    from django.contrib.auth import get_user_model

    from nettonul.web.organisations.models import Membership, Organisation
    from nettonul.web.orgunits import services as orgunits

    orgunits.import_units(SYSTEM, Path(__file__).parent / "data" / "orgunits_units.yaml", code_prefix="g-")
    units = {o.code[2:]: o for o in Organisation.objects.filter(code__startswith="g-")}
    editor = get_user_model().objects.create_user("grid-emb-editor", password=None)
    Membership.objects.create(user=editor, organisation=units["emb-de"], role="editor")
    client = Client()
    client.force_login(editor)
    target = {**world, "values": {**world["values"], "org_id": units[unit].pk, "code": units[unit].code}}
    assert _writes_that_changed_data(client, target) == []
    own = client.get(f"/units/{units['emb-de'].pk}/edit/")
    assert own.status_code == 200  # the editor does edit the own unit: the refusals above are not blanket
