"""Kept whole responses: served again only for the same viewer, language and data generation,
so every write shows on the very next request and no user ever gets another's page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nettonul.web.organisations import services as org_services
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services as plan_services


def _dashboard(org_id: int) -> str:
    return reverse("public:dashboard", args=[org_id])


def _queries(client: Any, url: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize("page", [
    lambda plan: _dashboard(plan.organisation_id),
    lambda plan: reverse("api:organisation_pathway", args=[plan.organisation_id]),
    lambda plan: reverse("public:overview"),
    lambda plan: reverse("monitoring:public", args=[plan.organisation.code]),
])
def test_a_second_anonymous_request_is_served_kept_with_one_query(client: Any, plans: dict[str, Any],
                                                                   page: Any) -> None:
    url = page(plans["aarhus"])
    rendered, first = _queries(client, url)
    kept, second = _queries(client, url)
    assert rendered > 1
    assert kept == 1  # the data generation
    assert second.context is None  # not rendered
    assert _without_token(second.content) == _without_token(first.content)
    assert second["Content-Type"] == first["Content-Type"]
    assert second["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in second


def _without_token(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[A-Za-z0-9]+"', b"", content)


def test_an_edit_and_a_publication_change_show_on_the_next_request(client: Any, plans: dict[str, Any]) -> None:
    plan = plans["aarhus"]
    url = _dashboard(plan.organisation_id)
    api = reverse("api:organisation_pathway", args=[plan.organisation_id])
    client.get(url), client.get(url), client.get(api)
    plan = plan_services.update_plan(SYSTEM, plan, plan.version, title="Aarhus plan, second edition")
    assert "Aarhus plan, second edition" in client.get(url).content.decode()
    target = plan.targets.get()
    plan_services.update_target(SYSTEM, target, target.version, value=0.5)
    assert "-50% in 2030 vs 1990" in client.get(api).json()["targets"]
    plan_services.update_plan(SYSTEM, plan, plan.version, published=False)
    page = client.get(url).content.decode()
    assert "Aarhus plan, second edition" not in page
    assert "-50% in 2030 vs 1990" not in client.get(api).json()["targets"]


def test_an_upload_through_the_page_shows_on_the_next_request(client_for: Any, orgs: dict[str, Any]) -> None:
    kbh = orgs["101"]
    client = client_for("editor-kbh")
    url = _dashboard(kbh.pk)
    before = kbh.inventories.order_by("-number").first()
    assert reverse("inventory:detail", args=[before.pk]) in client.get(url).content.decode()
    client.get(url)
    good = SimpleUploadedFile("good.csv", b"organisation,year,sector,gas,amount,unit\n101,2024,energy,CO2e,5,t CO2e\n")
    assert client.post(reverse("inventory:upload", args=[kbh.pk]), {"file": good}).status_code == 302
    new = kbh.inventories.order_by("-number").first()
    assert new.pk != before.pk
    assert reverse("inventory:detail", args=[new.pk]) in client.get(url).content.decode()  # with the message
    assert reverse("inventory:detail", args=[new.pk]) in client.get(url).content.decode()  # and after it


def test_a_role_change_shows_on_the_next_request(client_for: Any, orgs: dict[str, Any],
                                                 users: dict[str, Any]) -> None:
    kbh = orgs["101"]
    new_plan = reverse("plans:create", args=[kbh.pk])
    client = client_for("viewer-kbh")
    url = _dashboard(kbh.pk)
    assert new_plan not in client.get(url).content.decode()
    client.get(url)
    org_services.set_role(SYSTEM, kbh, users["viewer-kbh"], "editor")
    assert new_plan in client.get(url).content.decode()
    org_services.set_role(SYSTEM, kbh, users["viewer-kbh"], "viewer")
    assert new_plan not in client.get(url).content.decode()


def test_a_viewer_never_gets_an_editors_page(client_for: Any, plans: dict[str, Any]) -> None:
    kbh = plans["kbh"].organisation
    url = _dashboard(kbh.pk)
    new_plan = reverse("plans:create", args=[kbh.pk])
    for name in ("editor-kbh", "editor-kbh", "admin", "admin"):
        page = client_for(name).get(url).content.decode()
        assert new_plan in page
        assert f"{name}@demo" in page
    for name in ("viewer-kbh", "viewer-kbh"):
        page = client_for(name).get(url).content.decode()
        assert new_plan not in page
        assert "viewer-kbh@demo" in page
        assert "KBH draft plan" in page  # a member sees the draft
    for _ in range(2):
        page = client_for("anonymous").get(url).content.decode()
        assert new_plan not in page
        assert "@demo" not in page
        assert "KBH draft plan" not in page


def _token(content: bytes) -> str:
    found = re.search(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', content)
    assert found is not None
    return found.group(1).decode()


def test_a_kept_page_carries_a_csrf_token_valid_for_its_own_visitor(plans: dict[str, Any],
                                                                    users: dict[str, Any]) -> None:
    # A member's page carries a token (the logout form); two sessions of one user share the kept page.
    url = _dashboard(plans["aarhus"].organisation_id)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(users["editor-aarhus"])
    second.force_login(users["editor-aarhus"])
    assert first.get(url).context is not None
    response = second.get(url)
    assert response.context is None  # served kept
    token = _token(response.content)
    assert "nettonul-csrf" not in response.content.decode()
    assert second.post(reverse("public:logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    third = Client(enforce_csrf_checks=True)
    third.force_login(users["editor-aarhus"])
    assert third.post(reverse("public:logout"), {"csrfmiddlewaretoken": token}).status_code == 403


def test_an_anonymous_page_carries_no_token_and_the_language_switch_needs_none(plans: dict[str, Any]) -> None:
    url = _dashboard(plans["aarhus"].organisation_id)
    visitor = Client(enforce_csrf_checks=True)
    assert b"csrfmiddlewaretoken" not in visitor.get(url).content
    switched = visitor.post(reverse("switch_language"), {"language": "da", "next": url})
    assert switched.status_code == 302
    assert visitor.get(url).content.decode().count('lang="da"') == 1


def test_the_language_is_part_of_the_key(client: Any, plans: dict[str, Any]) -> None:
    url = reverse("public:overview")
    english = client.get(url, headers={"Accept-Language": "en"}).content.decode()
    danish = client.get(url, headers={"Accept-Language": "da"}).content.decode()
    assert client.get(url, headers={"Accept-Language": "da"}).context is None
    assert 'lang="da"' in danish
    assert 'lang="en"' in english


def test_token_requests_and_waiting_messages_are_not_served_kept(client_for: Any, plans: dict[str, Any]) -> None:
    plan = plans["aarhus"]
    api = reverse("api:organisation_pathway", args=[plan.organisation_id])
    client = client_for("anonymous")
    client.get(api)
    assert client.get(api, headers={"Authorization": "Bearer nonsense"}).status_code == 401
    editor = client_for("editor-aarhus")
    url = _dashboard(plan.organisation_id)
    editor.get(url)
    action = plan.actions.get()
    edited = editor.post(reverse("plans:action_delete", args=[plan.pk, action.pk]), {"version": action.version})
    assert edited.status_code == 302
    assert editor.get(url).context is not None  # rendered, with the message of the deletion


def test_a_random_query_string_is_served_from_the_cache(client: Any, plans: dict[str, Any]) -> None:
    """Parameters a page does not read are dropped, so they cannot be used to bypass the cache."""
    url = reverse("public:overview")
    rendered, first = _queries(client, url + "?sort=-emissions")
    assert rendered > 1
    for junk in ("&x=1", "&utm_source=mail&x=2", "&sort=-emissions&cachebust=9"):
        kept, again = _queries(client, url + "?sort=-emissions" + junk)
        assert kept == 1, junk
        assert again.context is None
        assert _without_token(again.content) == _without_token(first.content)
    # The parameter the page reads does key it: another sort is rendered, then kept.
    assert _queries(client, url + "?sort=name&x=1")[0] > 1
    assert _queries(client, url + "?x=2&sort=name")[0] == 1
    # The page never repeats a dropped parameter: the overview's login link has no next= at all,
    # and a dashboard's carries only the parameter the page reads.
    assert b"cachebust" not in first.content
    aarhus = plans["aarhus"]
    dashboard = _dashboard(aarhus.organisation_id)
    page = client.get(f"{dashboard}?plan={aarhus.pk}&cachebust=9")
    assert b"cachebust" not in page.content
    assert f"?next={dashboard}%3Fplan%3D{aarhus.pk}".encode() in page.content


def test_the_dashboard_keys_its_plan_parameter_only(client: Any, plans: dict[str, Any]) -> None:
    plan = plans["aarhus"]
    url = _dashboard(plan.organisation_id)
    assert _queries(client, f"{url}?plan={plan.pk}")[0] > 1
    assert _queries(client, f"{url}?plan={plan.pk}&random=1")[0] == 1
    assert _queries(client, f"{url}?plan=0")[0] > 1
