"""Deleting a target or an action asks first; the answer is worded in the organisation's
language, and so is the message after it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from nettonul.web.plans.models import Action, Target


def test_deleting_an_action_asks_first_in_danish(client_for: Any, plans: dict[str, Any]) -> None:
    aarhus = plans["aarhus"]
    action = aarhus.actions.get()
    client = client_for("editor-aarhus")
    detail = client.get(reverse("plans:detail", args=[aarhus.pk])).content.decode()
    url = reverse("plans:action_delete", args=[aarhus.pk, action.pk])
    assert f'<a href="{url}">slet</a>' in detail  # a link to the question, not a button that deletes
    question = client.get(url).content.decode()
    assert "Slet “Heat pumps replace oil boilers” fra planen?" in question
    assert "Ja, slet" in question
    assert Action.objects.filter(pk=action.pk).exists()
    response = client.post(url, {"version": action.version}, follow=True)
    assert not Action.objects.filter(pk=action.pk).exists()
    assert "Slettet." in response.content.decode()
    assert "Deleted." not in response.content.decode()


def test_deleting_a_target_names_it_in_danish(client_for: Any, plans: dict[str, Any]) -> None:
    kbh = plans["kbh"]
    target = kbh.targets.get(kind="net_zero")
    client = client_for("editor-kbh")
    url = reverse("plans:target_delete", args=[kbh.pk, target.pk])
    assert "Slet “nettonul i 2050” fra planen?" in client.get(url).content.decode()
    assert Target.objects.filter(pk=target.pk).exists()
    client.post(url, {"version": target.version})
    assert not Target.objects.filter(pk=target.pk).exists()
