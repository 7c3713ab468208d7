"""Who may publish an inventory draft: the organisation's publishing rule
(nettonul/web/organisations/permissions.py ``can_publish``), enforced by the publish and
restore services, the API and the pages, and chosen on the members page by an administrator.
København has the demo users admin-kbh, editor-kbh and viewer-kbh; each test adds a second
editor where it needs one."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from nettonul.web.api.services import create_token
from nettonul.web.errors import NotAllowedError
from nettonul.web.inventory import services
from nettonul.web.inventory.models import InventoryVersion
from nettonul.web.organisations.models import Membership, Organisation

ROW = "organisation;year;sector;gas;amount;unit\n101;2024;energy;CO2e;1.000;t CO2e\n"


def _rule(org: Organisation, rule: str) -> Organisation:
    Organisation.objects.filter(pk=org.pk).update(publishing=rule)
    return Organisation.objects.get(pk=org.pk)


def _second_editor(org: Organisation) -> Any:
    user = get_user_model().objects.create_user("editor2-kbh@demo", password="x")
    Membership.objects.create(user=user, organisation=org, role="editor")
    return user


def _draft(user: Any, org: Organisation) -> InventoryVersion:
    return services.import_file(user, org, ROW.encode(), filename="kbh-2024.csv")


def test_a_viewer_cannot_publish_under_any_rule(users: dict[str, Any], orgs: dict[str, Any]) -> None:
    for rule in ("editors", "four_eyes", "admins"):
        kbh = _rule(orgs["101"], rule)
        draft = _draft(users["editor-kbh"], kbh)
        with pytest.raises(NotAllowedError):
            services.publish_version(users["viewer-kbh"], draft, draft.version)
        assert not InventoryVersion.objects.get(pk=draft.pk).published
        services.discard(users["editor-kbh"], draft, draft.version)


def test_under_four_eyes_the_uploader_cannot_publish_but_another_editor_can(users: dict[str, Any],
                                                                            orgs: dict[str, Any]) -> None:
    kbh = _rule(orgs["101"], "four_eyes")
    colleague = _second_editor(kbh)
    draft = _draft(users["editor-kbh"], kbh)
    with pytest.raises(NotAllowedError, match="four eyes"):
        services.publish_version(users["editor-kbh"], draft, draft.version)
    with pytest.raises(NotAllowedError):  # uploading with publish=True is refused before anything is stored
        services.import_file(users["editor-kbh"], kbh, ROW.encode(), filename="again.csv", publish=True)
    assert InventoryVersion.objects.filter(organisation=kbh, published=False).count() == 1
    published = services.publish_version(colleague, draft, draft.version)
    assert (published.is_current, published.published_by_id, published.created_by_id) == (
        True, colleague.pk, users["editor-kbh"].pk)
    # an administrator may publish a draft an editor uploaded, but not one of their own
    second = _draft(colleague, kbh)
    with pytest.raises(NotAllowedError):
        services.publish_version(colleague, second, second.version)
    assert services.publish_version(users["admin-kbh"], second, second.version).is_current
    own = _draft(users["admin-kbh"], kbh)
    with pytest.raises(NotAllowedError):
        services.publish_version(users["admin-kbh"], own, own.version)


def test_under_admins_only_an_administrator_publishes_and_restores(users: dict[str, Any],
                                                                   orgs: dict[str, Any]) -> None:
    kbh = _rule(orgs["101"], "admins")
    draft = _draft(users["editor-kbh"], kbh)
    with pytest.raises(NotAllowedError, match="administrator"):
        services.publish_version(users["editor-kbh"], draft, draft.version)
    services.publish_version(users["admin-kbh"], draft, draft.version)
    first = InventoryVersion.objects.get(organisation=kbh, number=1)
    with pytest.raises(NotAllowedError):
        services.restore(users["editor-kbh"], first, first.version)
    assert services.restore(users["admin-kbh"], first, first.version).restored_from_id == first.pk


def test_the_api_enforces_the_rule_and_another_organisation_sees_no_draft(users: dict[str, Any],
                                                                          orgs: dict[str, Any], client: Any) -> None:
    kbh = _rule(orgs["101"], "four_eyes")
    colleague = _second_editor(kbh)

    def auth(user: Any) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'test')[1]}"}

    draft = _draft(users["editor-kbh"], kbh)
    url = f"/api/inventories/{draft.pk}/publish"
    body = {"version": draft.version}
    assert client.post(url, body, content_type="application/json", **auth(users["viewer-kbh"])).status_code == 403
    refused = client.post(url, body, content_type="application/json", **auth(users["editor-kbh"]))
    assert refused.status_code == 403
    assert "four eyes" in refused.content.decode()
    listed = client.get(f"/api/organisations/{kbh.pk}/inventories", **auth(users["editor-aarhus"])).json()
    assert [v["number"] for v in listed["items"]] == [1]  # only the published one, never the draft
    assert client.get(f"/api/inventories/{draft.pk}", **auth(users["editor-aarhus"])).status_code == 404
    assert services.drafts(users["editor-aarhus"], kbh) == []
    assert [d.pk for d in services.drafts(colleague, kbh)] == [draft.pk]
    done = client.post(url, body, content_type="application/json", **auth(colleague))
    assert done.status_code == 200, done.content
    assert done.json()["is_current"] is True
    rule = client.get(f"/api/organisations/{kbh.pk}", **auth(users["viewer-kbh"])).json()["publishing"]
    assert rule == "four_eyes"


def test_the_pages_show_the_rule_and_an_administrator_chooses_it(users: dict[str, Any], orgs: dict[str, Any],
                                                                 client_for: Any) -> None:
    kbh = _rule(orgs["101"], "four_eyes")
    draft = _draft(users["editor-kbh"], kbh)
    page = client_for("editor-kbh").get(reverse("inventory:detail", args=[draft.pk])).content.decode()
    assert reverse("inventory:publish", args=[draft.pk]) not in page
    assert 'id="publish-rule"' in page
    assert client_for("editor-kbh").post(reverse("inventory:publish", args=[draft.pk]),
                                         {"version": draft.version}).status_code == 302
    assert not InventoryVersion.objects.get(pk=draft.pk).published
    members = reverse("public:members", args=[kbh.pk])
    assert client_for("editor-kbh").post(members, {"publishing": "editors", "version": kbh.version}).status_code == 404
    assert Organisation.objects.get(pk=kbh.pk).publishing == "four_eyes"
    admin = client_for("admin-kbh")
    assert 'value="four_eyes" checked' in admin.get(members).content.decode()
    assert admin.post(members, {"publishing": "editors", "version": kbh.version}).status_code == 302
    assert Organisation.objects.get(pk=kbh.pk).publishing == "editors"
    page = client_for("editor-kbh").get(reverse("inventory:detail", args=[draft.pk])).content.decode()
    assert reverse("inventory:publish", args=[draft.pk]) in page
    admin = client_for("admin-kbh")  # the one test client, logged in again
    assert admin.post(members, {"publishing": "nobody", "version": kbh.version + 1}).status_code == 302
    assert Organisation.objects.get(pk=kbh.pk).publishing == "editors"
