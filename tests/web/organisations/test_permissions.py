"""Who may see and change what (nettonul/web/organisations/permissions.py)."""

from __future__ import annotations

from typing import Any

import pytest

from nettonul.web.organisations import permissions


@pytest.mark.parametrize(
    ("user", "kbh_view", "kbh_edit", "kbh_admin", "aarhus_view", "aarhus_edit"),
    [
        ("anonymous", False, False, False, True, False),
        ("support", False, False, False, True, False),
        ("viewer-kbh", True, False, False, True, False),
        ("editor-kbh", True, True, False, True, False),
        ("admin-kbh", True, True, True, True, False),
        ("editor-aarhus", False, False, False, True, True),
        ("admin", True, True, True, True, True),
    ],
)
def test_roles_decide_what_a_user_may_see_and_change(
    users: dict[str, Any], plans: dict[str, Any], user: str, kbh_view: bool, kbh_edit: bool, kbh_admin: bool,
    aarhus_view: bool, aarhus_edit: bool,
) -> None:
    u = users[user]
    kbh, aarhus = plans["kbh"], plans["aarhus"]  # KBH's plan is unpublished, Aarhus' published
    assert permissions.can_view(u, kbh) is kbh_view
    assert permissions.can_edit(u, kbh) is kbh_edit
    assert permissions.can_administer(u, kbh.organisation) is kbh_admin
    assert permissions.can_view(u, aarhus) is aarhus_view
    assert permissions.can_edit(u, aarhus) is aarhus_edit
    target = kbh.targets.first()
    assert permissions.can_view(u, target) is kbh_view
    assert permissions.can_edit(u, target) is kbh_edit


def test_organisation_facts_are_public(users: dict[str, Any], orgs: dict[str, Any]) -> None:
    assert permissions.can_view(users["anonymous"], orgs["101"])
    assert not permissions.can_edit(users["anonymous"], orgs["101"])


def test_roles_are_read_once_per_user(users: dict[str, Any], plans: dict[str, Any],
                                      django_assert_num_queries: Any) -> None:
    user = users["editor-kbh"]
    permissions.forget_roles(user)
    with django_assert_num_queries(1):
        for _ in range(5):
            permissions.can_edit(user, plans["kbh"])
            permissions.can_view(user, plans["aarhus"])


def test_visible_filter_hides_unpublished_plans_of_other_organisations(users: dict[str, Any],
                                                                      plans: dict[str, Any]) -> None:
    from nettonul.web.plans.models import Plan

    def titles(name: str) -> set[str]:
        return set(Plan.objects.filter(permissions.visible_filter(users[name])).values_list("title", flat=True))

    assert titles("anonymous") == {"Aarhus plan"}
    assert titles("editor-aarhus") == {"Aarhus plan"}
    assert titles("viewer-kbh") == {"Aarhus plan", "KBH draft plan"}
    assert titles("admin") == {"Aarhus plan", "KBH draft plan"}
