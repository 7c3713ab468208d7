"""Every page with every role: who sees what, who may change what, and how many SQL
queries a page runs (constant as the number of actions grows)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services
from nettonul.web.plans.models import Action


def _urls(plans: dict[str, Any], orgs: dict[str, Any]) -> dict[str, str]:
    kbh = plans["kbh"]
    action = kbh.actions.get()
    target = kbh.targets.first()
    inventory = orgs["101"].inventories.get()
    return {
        "plan": reverse("plans:detail", args=[kbh.pk]),
        "plan_edit": reverse("plans:edit", args=[kbh.pk]),
        "action_edit": reverse("plans:action_edit", args=[kbh.pk, action.pk]),
        "action_new": reverse("plans:action_create", args=[kbh.pk]),
        "target_edit": reverse("plans:target_edit", args=[kbh.pk, target.pk]),
        "target_new": reverse("plans:target_create", args=[kbh.pk]),
        "plan_new": reverse("plans:create", args=[orgs["101"].pk]),
        "upload": reverse("inventory:upload", args=[orgs["101"].pk]),
        "history_plan": reverse("audit:object", args=["plan", kbh.pk]),
        "history_inventory": reverse("audit:object", args=["inventory", inventory.pk]),
        "history_org": reverse("audit:object", args=["organisation", orgs["101"].pk]),
    }


def test_public_pages_answer_everyone(client: Any, plans: dict[str, Any], orgs: dict[str, Any]) -> None:
    for url in (reverse("public:overview"), reverse("public:dashboard", args=[orgs["101"].pk]),
                reverse("plans:search") + "?q=heat", reverse("public:login"),
                reverse("inventory:detail", args=[orgs["101"].inventories.get().pk]),
                reverse("plans:detail", args=[plans["aarhus"].pk])):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(("user", "read", "edit_form"), [
    ("anonymous", 404, 302),       # unpublished plan: not revealed; edit pages ask to log in
    ("support", 404, 404),
    ("editor-aarhus", 404, 404),
    ("viewer-kbh", 200, 403),
    ("editor-kbh", 200, 200),
    ("admin", 200, 200),
])
def test_unpublished_plan_pages_by_role(client_for: Any, plans: dict[str, Any], orgs: dict[str, Any], user: str,
                                        read: int, edit_form: int) -> None:
    client = client_for(user)
    urls = _urls(plans, orgs)
    assert client.get(urls["plan"]).status_code == read
    for name in ("plan_edit", "action_edit", "action_new", "target_edit", "target_new"):
        assert client.get(urls[name]).status_code == edit_form, name


@pytest.mark.parametrize(("user", "status"), [
    ("anonymous", 302), ("support", 403), ("viewer-kbh", 403), ("editor-aarhus", 403), ("editor-kbh", 200),
])
def test_organisation_level_write_pages_by_role(client_for: Any, plans: dict[str, Any], orgs: dict[str, Any],
                                                user: str, status: int) -> None:
    client = client_for(user)
    urls = _urls(plans, orgs)
    assert client.get(urls["plan_new"]).status_code == status
    assert client.get(urls["upload"]).status_code == status


@pytest.mark.parametrize(("user", "status"), [
    ("anonymous", 404), ("support", 404), ("editor-aarhus", 404), ("viewer-kbh", 200), ("admin", 200),
])
def test_history_is_for_members(client_for: Any, plans: dict[str, Any], orgs: dict[str, Any], user: str,
                                status: int) -> None:
    client = client_for(user)
    urls = _urls(plans, orgs)
    for name in ("history_plan", "history_inventory", "history_org"):
        assert client.get(urls[name]).status_code == status, name


def test_posting_to_another_organisations_plan_changes_nothing(client_for: Any, plans: dict[str, Any],
                                                                orgs: dict[str, Any]) -> None:
    kbh = plans["kbh"]
    action = kbh.actions.get()
    for user, status in (("editor-aarhus", 404), ("viewer-kbh", 403), ("anonymous", 302)):
        client = client_for(user)
        response = client.post(reverse("plans:action_edit", args=[kbh.pk, action.pk]),
                               {"title": "hijacked", "version": action.version, "status": "planned",
                                "curve": "linear"})
        assert response.status_code == status, user
        assert client.post(reverse("plans:action_delete", args=[kbh.pk, action.pk]),
                           {"version": action.version}).status_code == status
    assert Action.objects.get(pk=action.pk).title == "Kystnære vindmøller ved Amager"


def _action_form(action: Action, **changes: Any) -> dict[str, Any]:
    data = {"title": action.title, "key": action.key, "owner": action.owner, "status": action.status,
            "curve": action.curve, "description": action.description, "type": "factor", "sector": "energy",
            "reduction": "0.3", "sdgs": ["7", "13"], "version": action.version, "start_year": "2025",
            "full_year": "2030"}
    data.update(changes)
    return data


def test_editing_an_action_goes_through_the_version_check(client_for: Any, plans: dict[str, Any]) -> None:
    kbh = plans["kbh"]
    action = kbh.actions.get()
    url = reverse("plans:action_edit", args=[kbh.pk, action.pk])
    client = client_for("editor-kbh")
    client.cookies["django_language"] = "en"
    first = client.post(url, _action_form(action, title="Offshore wind"))
    assert first.status_code == 302
    stale = client.post(url, _action_form(action, title="Someone else's title"))
    assert stale.status_code == 409
    assert "changed by someone else" in stale.content.decode()
    saved = Action.objects.get(pk=action.pk)
    assert (saved.title, saved.version, saved.effect["reduction"], saved.sdgs) == ("Offshore wind", 2, 0.3, [7, 13])


def test_a_bad_effect_is_shown_at_its_field(client_for: Any, plans: dict[str, Any]) -> None:
    kbh = plans["kbh"]
    action = kbh.actions.get()
    client = client_for("editor-kbh")  # København's pages open in Danish
    response = client.post(reverse("plans:action_edit", args=[kbh.pk, action.pk]), _action_form(action, reduction="7"))
    assert response.status_code == 422
    html = response.content.decode()
    field = html.split('id="field-reduction"', 1)[1].split("</div>", 1)[0]
    assert "Indtast et tal på højst 1." in field
    assert Action.objects.get(pk=action.pk).version == 1


def test_revising_a_plan_from_its_page(client_for: Any, plans: dict[str, Any]) -> None:
    kbh = plans["kbh"]
    client = client_for("editor-kbh")
    response = client.post(reverse("plans:revise", args=[kbh.pk]), {"version": kbh.version})
    assert response.status_code == 302
    new = services.plan_versions(kbh).first()
    assert new.revision == 2
    page = client.get(reverse("plans:detail", args=[kbh.pk]))
    assert not page.context["can_edit"]
    assert "ældre version af planen" in page.content.decode()  # København's pages open in Danish


def test_dashboard_shows_the_engine_pathway_with_plan_targets(client: Any, plans: dict[str, Any],
                                                              orgs: dict[str, Any]) -> None:
    response = client.get(reverse("public:dashboard", args=[orgs["751"].pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    pathway = response.context["pathway"]
    # Aarhus's pages open in Danish: the targets are described in Danish too
    assert pathway["targets"] == ["-70 % i 2030 ift. 1990"]
    assert [m["year"] for m in pathway["target_path"]["milestones"]] == [2030]
    # the inventory table is the shipped Energi- og CO2-regnskab for Aarhus
    assert response.context["table"]["years"] == list(range(2018, 2024))
    assert "Energistyrelsen" in " ".join(response.context["table"]["sources"])


def test_the_gap_table_shows_the_target_path_in_danish_and_english(client: Any, plans: dict[str, Any],
                                                                   orgs: dict[str, Any]) -> None:
    url = reverse("public:dashboard", args=[orgs["751"].pk])
    response = client.get(url)
    pathway = response.context["pathway"]
    base = pathway["historical"]["total"][pathway["years"].index(1990)]
    # -70 % against 1990: the path reaches 30 % of the 1990 emissions in 2030
    level = 0.3 * base
    html = response.content.decode()
    table = html[html.index('id="gap-table"'):html.index("</table>", html.index('id="gap-table"'))]
    danish = f"{level:,.0f}".replace(",", ".")
    assert '<th scope="row">-70 % i 2030 ift. 1990</th><td class="num">' + danish + "</td>" in table
    client.post(reverse("set_language"), {"language": "en", "next": url})
    table = client.get(url).content.decode()
    assert '<th scope="row">-70% in 2030 vs 1990</th><td class="num">' + f"{level:,.0f}" + "</td>" in table


def test_danish_organisations_open_in_danish_unless_the_user_chose(client: Any, orgs: dict[str, Any]) -> None:
    url = reverse("public:dashboard", args=[orgs["101"].pk])
    assert client.get(url).headers["Content-Language"] == "da"
    client.post(reverse("set_language"), {"language": "en", "next": url})
    assert client.get(url).headers["Content-Language"] == "en"


def test_query_count_of_plan_pages_does_not_grow_with_actions(client_for: Any, plans: dict[str, Any],
                                                              orgs: dict[str, Any]) -> None:
    kbh = plans["kbh"]
    client = client_for("editor-kbh")
    urls = [reverse("plans:detail", args=[kbh.pk]), reverse("public:dashboard", args=[orgs["101"].pk]) + "?plan="
            + str(kbh.pk), reverse("plans:search") + "?q=action", reverse("public:overview")]

    def counts() -> list[int]:
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    for url in urls:  # warm caches (content types, session, the pathway kept for the inventory)
        client.get(url)
    services.add_action(SYSTEM, kbh, title="Extra action 0")
    few = counts()
    for i in range(1, 25):
        services.add_action(SYSTEM, kbh, title=f"Extra action {i}")
    assert counts() == few


def test_plan_page_shows_the_engine_scenario_with_wedges_and_band(client_for: Any, plans: dict[str, Any]) -> None:
    aarhus = plans["aarhus"]
    response = client_for("anonymous").get(reverse("plans:detail", args=[aarhus.pk]))
    computed = response.context["computed"]
    assert computed["problems"] == []
    scenario = computed["scenario"]
    assert [w["action"] for w in scenario["wedges"]] == ["heat-pumps-replace-oil-boilers"]
    assert [t["year"] for t in scenario["targets"]] == [2030]
    first = computed["rows"][0]
    assert first["bau"] == first["plan"]  # the scenario starts at the inventory year, before any action
    assert computed["simulation"]["draws"] >= 1000
    assert "wedges" in response.content.decode()


def test_account_page_creates_and_revokes_tokens(client_for: Any, users: dict[str, Any]) -> None:
    from nettonul.web.api.models import ApiToken

    client = client_for("editor-kbh")
    assert client.post(reverse("public:token_create"), {"name": "laptop"}).status_code == 302
    page = client.get(reverse("public:account")).content.decode()
    token = ApiToken.objects.get(user=users["editor-kbh"], name="laptop")
    assert token.prefix in page
    secret = page.split('id="new-token">')[1].split("<")[0]
    assert client.get("/api/organisations", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    assert secret not in client.get(reverse("public:account")).content.decode()  # shown once
    other = client_for("viewer-kbh")
    assert other.post(reverse("public:token_revoke", args=[token.pk])).status_code == 404
    client = client_for("editor-kbh")
    client.post(reverse("public:token_revoke", args=[token.pk]))
    assert ApiToken.objects.get(pk=token.pk).revoked


def test_plan_page_names_what_stops_the_scenario(client_for: Any, plans: dict[str, Any]) -> None:
    kbh = plans["kbh"]
    services.add_action(SYSTEM, kbh, title="Heat pumps", effect={"type": "switch", "sector": "energy", "from": "oil",
                                                                 "to": "electricity", "share": 0.5,
                                                                 "efficiency_ratio": 0.3})
    computed = client_for("editor-kbh").get(reverse("plans:detail", args=[kbh.pk])).context["computed"]
    assert computed["scenario"] is None
    # neither action has a start year: the engine says where, nothing is guessed
    assert any("actions[0].schedule.start" in p for p in computed["problems"])
    assert any("actions[1].schedule.start" in p for p in computed["problems"])


def test_only_administrators_see_the_publish_box(client_for: Any, plans: dict[str, Any]) -> None:
    kbh = plans["kbh"]
    url = reverse("plans:edit", args=[kbh.pk])
    assert "published" not in client_for("editor-kbh").get(url).context["form"].fields
    assert "published" in client_for("admin-kbh").get(url).context["form"].fields
    data = {"title": kbh.title, "kind": kbh.kind, "status": "adopted", "base_year": 1990, "description": "",
            "source": "", "version": kbh.version, "published": "on"}
    assert client_for("editor-kbh").post(url, data).status_code == 302  # the box is ignored
    kbh.refresh_from_db()
    assert (kbh.status, kbh.published) == ("adopted", False)
    data["version"] = kbh.version
    assert client_for("admin-kbh").post(url, data).status_code == 302
    kbh.refresh_from_db()
    assert kbh.published


def test_members_page_is_for_members_and_managed_by_administrators(client_for: Any, orgs: dict[str, Any],
                                                                   users: dict[str, Any]) -> None:
    from nettonul.web.organisations.models import Membership

    url = reverse("public:members", args=[orgs["101"].pk])
    assert client_for("support").get(url).status_code == 404
    assert client_for("editor-aarhus").get(url).status_code == 404
    page = client_for("viewer-kbh").get(url)
    assert page.status_code == 200
    assert not page.context["can_manage"]
    assert client_for("editor-kbh").post(url, {"username": "support@demo", "role": "editor"}).status_code == 404
    assert not Membership.objects.filter(user=users["support"]).exists()
    admin = client_for("admin-kbh")
    assert admin.post(url, {"username": "support@demo", "role": "editor"}).status_code == 302
    assert Membership.objects.get(user=users["support"]).role == "editor"
    admin.post(url, {"username": "support@demo", "role": "remove"})
    assert not Membership.objects.filter(user=users["support"]).exists()
