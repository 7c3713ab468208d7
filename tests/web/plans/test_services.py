"""Writes to plans, targets and actions (nettonul/web/plans/services.py): permissions,
optimistic concurrency, the change history, plan versions and the action search."""

from __future__ import annotations

from typing import Any

import pytest

from nettonul.web.audit.models import ChangeRecord
from nettonul.web.audit.services import history
from nettonul.web.errors import InvalidInputError, NotAllowedError, StaleEditError
from nettonul.web.plans import services
from nettonul.web.plans.models import Action, Plan, Target


def test_an_editor_of_one_municipality_cannot_touch_anothers_plan(users: dict[str, Any],
                                                                  plans: dict[str, Any]) -> None:
    kbh = plans["kbh"]
    editor_aarhus = users["editor-aarhus"]
    with pytest.raises(NotAllowedError):
        services.update_plan(editor_aarhus, kbh, kbh.version, title="taken over")
    with pytest.raises(NotAllowedError):
        services.add_action(editor_aarhus, kbh, title="foreign action")
    action = kbh.actions.get()
    with pytest.raises(NotAllowedError):
        services.update_action(editor_aarhus, action, action.version, title="foreign")
    with pytest.raises(NotAllowedError):
        services.delete_action(editor_aarhus, action, action.version)
    kbh.refresh_from_db()
    assert kbh.title == "KBH draft plan"
    assert kbh.actions.get().title == "Kystnære vindmøller ved Amager"


def test_a_viewer_cannot_write(users: dict[str, Any], plans: dict[str, Any]) -> None:
    with pytest.raises(NotAllowedError):
        services.add_target(users["viewer-kbh"], plans["kbh"], kind="net_zero", year=2045)
    assert plans["kbh"].targets.count() == 2


def test_only_an_admin_may_publish(users: dict[str, Any], plans: dict[str, Any]) -> None:
    kbh = plans["kbh"]
    with pytest.raises(NotAllowedError):
        services.update_plan(users["editor-kbh"], kbh, kbh.version, published=True)
    saved = services.update_plan(users["admin-kbh"], kbh, kbh.version, published=True)
    assert saved.published
    assert saved.version == 2


def test_a_stale_edit_is_refused_and_the_first_edit_survives(users: dict[str, Any], plans: dict[str, Any]) -> None:
    action = plans["kbh"].actions.get()
    seen = action.version
    first = services.update_action(users["editor-kbh"], Action.objects.get(pk=action.pk), seen, title="First edit")
    assert first.version == seen + 1
    with pytest.raises(StaleEditError) as caught:
        services.update_action(users["admin-kbh"], Action.objects.get(pk=action.pk), seen, title="Second edit")
    assert caught.value.current == seen + 1
    assert "changed by someone else" in str(caught.value)
    stored = Action.objects.get(pk=action.pk)
    assert (stored.title, stored.version) == ("First edit", seen + 1)
    assert ChangeRecord.objects.filter(object_id=str(action.pk), action="update").count() == 1


def test_every_write_is_recorded_with_who_and_what(users: dict[str, Any], plans: dict[str, Any]) -> None:
    editor = users["editor-kbh"]
    kbh = plans["kbh"]
    target = services.add_target(editor, kbh, kind="absolute", year=2040, value=100_000.0)
    target = services.update_target(editor, target, target.version, value=90_000.0)
    services.delete_target(editor, target, target.version)
    plan = services.update_plan(editor, kbh, kbh.version, description="Adopted text")
    records = list(ChangeRecord.objects.filter(object_id=str(target.pk), content_type__model="target")
                   .order_by("id"))
    assert [r.action for r in records] == ["create", "update", "delete"]
    assert all(r.actor == editor and r.actor_name == "editor-kbh@demo" for r in records)
    assert records[1].changes == {"value": [100000.0, 90000.0]}
    assert records[0].organisation_id == kbh.organisation_id
    plan_change = history(plan).first()
    assert plan_change.changes == {"description": ["", "Adopted text"]}


def test_an_unchanged_save_writes_nothing(users: dict[str, Any], plans: dict[str, Any]) -> None:
    kbh = plans["kbh"]
    before = ChangeRecord.objects.count()
    same = services.update_plan(users["editor-kbh"], kbh, kbh.version, title=kbh.title)
    assert same.version == kbh.version
    assert ChangeRecord.objects.count() == before


def test_effects_and_targets_are_checked_by_the_engine(users: dict[str, Any], plans: dict[str, Any]) -> None:
    editor = users["editor-kbh"]
    with pytest.raises(InvalidInputError) as caught:
        services.add_action(editor, plans["kbh"], title="Bad", effect={"type": "switch", "sector": "energy",
                                                                      "from": "oil", "to": "electricity",
                                                                      "share": 1.5, "efficiency_ratio": 0.3})
    assert "effect.share" in caught.value.problems
    with pytest.raises(InvalidInputError) as caught:
        services.add_target(editor, plans["kbh"], kind="reduction", year=2035)
    assert "value" in caught.value.problems
    with pytest.raises(InvalidInputError) as caught:
        services.add_target(editor, plans["kbh"], kind="net_zero", year=2045, sector="spaceflight")
    assert "sector" in caught.value.problems


def test_a_revision_is_a_new_version_and_the_old_one_stays_readable_and_frozen(
    users: dict[str, Any], plans: dict[str, Any]
) -> None:
    editor = users["editor-kbh"]
    old = plans["kbh"]
    new = services.revise_plan(editor, old, old.version)
    old.refresh_from_db()
    assert (old.revision, old.is_current, new.revision, new.is_current) == (1, False, 2, True)
    assert new.lineage == old.lineage
    assert [str(t) for t in new.targets.all()] == [str(t) for t in old.targets.all()]
    assert new.actions.get().key == old.actions.get().key
    services.update_action(editor, new.actions.get(), 1, title="Revised")
    assert old.actions.get().title == "Kystnære vindmøller ved Amager"
    with pytest.raises(NotAllowedError):
        services.update_plan(editor, old, old.version, title="rewrite history")
    assert list(services.plan_versions(new)) == [new, old]
    with pytest.raises(StaleEditError):
        services.revise_plan(editor, new, new.version + 5)


@pytest.mark.parametrize(("query", "expected"), [
    ("kystnære vindmøller", {"Kystnære vindmøller ved Amager"}),
    ("KYSTNÆRE VINDMØLLE", {"Kystnære vindmøller ved Amager"}),
    ("heat pumps", {"Heat pumps replace oil boilers"}),
    ("heat pump oil", {"Heat pumps replace oil boilers"}),
    ("heat vindmøller", set()),
    # Danish words find English titles and English words Danish ones
    ("varmepumpe", {"Heat pumps replace oil boilers"}),
    ("varmepumper oliefyr", {"Heat pumps replace oil boilers"}),
    ("wind turbines", {"Kystnære vindmøller ved Amager"}),
    ("varmepumpe vindmøller", set()),
    ("   ", set()),
])
def test_action_search_matches_every_word_case_insensitively(users: dict[str, Any], plans: dict[str, Any],
                                                             query: str, expected: set[str]) -> None:
    found = {a.title for a in services.search_actions(users["admin"], query)}
    assert found == expected


def test_action_search_shows_only_what_the_user_may_read(users: dict[str, Any], plans: dict[str, Any]) -> None:
    assert not services.search_actions(users["anonymous"], "vindmøller").exists()
    assert not services.search_actions(users["editor-aarhus"], "vindmøller").exists()
    assert services.search_actions(users["viewer-kbh"], "vindmøller").count() == 1
    assert services.search_actions(users["anonymous"], "heat pumps").count() == 1


def test_deleting_a_current_version_makes_the_previous_one_current(users: dict[str, Any],
                                                                   plans: dict[str, Any]) -> None:
    old = plans["kbh"]
    new = services.revise_plan(users["editor-kbh"], old, old.version)
    services.delete_plan(users["editor-kbh"], new, new.version)
    assert Plan.objects.get(pk=old.pk).is_current
    assert not Target.objects.filter(plan_id=new.pk).exists()


def test_a_superseded_published_version_can_be_unpublished_and_archived_by_an_administrator(
        users: dict[str, Any], plans: dict[str, Any], client_for: Any) -> None:
    from django.test import Client

    anonymous = Client()
    old = services.update_plan(users["admin-kbh"], plans["kbh"], plans["kbh"].version, published=True)
    new = services.revise_plan(users["admin-kbh"], old, old.version)
    old.refresh_from_db()
    assert (old.published, old.is_current) == (True, False)
    assert anonymous.get(f"/plans/{old.pk}/").status_code == 200
    # an editor may not retire a version, nor may anyone retire the current one this way
    with pytest.raises(NotAllowedError):
        services.retire_version(users["editor-kbh"], old, old.version)
    assert client_for("editor-kbh").post(f"/plans/{old.pk}/retire/", {"version": old.version}).status_code == 403
    with pytest.raises(NotAllowedError):
        services.retire_version(users["admin-kbh"], new, new.version)
    admin = client_for("admin-kbh")
    assert f"/plans/{old.pk}/retire/" in admin.get(f"/plans/{old.pk}/").content.decode()
    assert f"/plans/{new.pk}/retire/" not in admin.get(f"/plans/{new.pk}/").content.decode()
    assert admin.post(f"/plans/{old.pk}/retire/", {"version": old.version}).status_code == 302
    status_before = old.status
    old.refresh_from_db()
    assert (old.published, old.status, old.is_current) == (False, status_before, False)
    assert anonymous.get(f"/plans/{old.pk}/").status_code == 404
    record = (ChangeRecord.objects.filter(object_id=str(old.pk), content_type__model="plan", action="update")
              .order_by("pk").last())
    assert record is not None
    assert record.changes == {"published": [True, False]}
    # archiving: a stale version is refused, the current one works and is audited too
    with pytest.raises(StaleEditError):
        services.retire_version(users["admin-kbh"], old, old.version - 1, archive=True)
    archived = services.retire_version(users["admin-kbh"], old, old.version, archive=True)
    assert archived.status == "archived"
    assert ChangeRecord.objects.filter(object_id=str(old.pk), content_type__model="plan",
                                       action="update").count() == 3  # publish, unpublish, archive
    assert Plan.objects.get(pk=new.pk).is_current


def test_the_api_retires_a_superseded_version(users: dict[str, Any], plans: dict[str, Any]) -> None:
    import json

    from django.test import Client

    from nettonul.web.api.services import create_token

    old = services.update_plan(users["admin-kbh"], plans["kbh"], plans["kbh"].version, published=True)
    services.revise_plan(users["admin-kbh"], old, old.version)
    old.refresh_from_db()
    client = Client(raise_request_exception=False)

    def post(who: str, body: dict[str, Any]) -> Any:
        secret = create_token(users[who], "test")[1]
        return client.post(f"/api/plans/{old.pk}/retire", json.dumps(body), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert post("editor-kbh", {"version": old.version}).status_code == 403
    assert post("admin-kbh", {"version": old.version + 3, "archive": True}).status_code == 409
    response = post("admin-kbh", {"version": old.version, "archive": True})
    assert response.status_code == 200
    assert (response.json()["published"], response.json()["status"]) == (False, "archived")
    assert Client().get(f"/api/plans/{old.pk}").status_code == 404
