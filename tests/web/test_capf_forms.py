"""smoke"""
from __future__ import annotations
from typing import Any
from django.urls import reverse
from nettonul.web.monitoring.capf_forms import SECTIONS
from .monitoring_support import PASSING, load, person

def test_smoke(client: Any, db: None) -> None:
    plan = load(PASSING)
    client.force_login(person("editor-mdf", "editor"))
    for slug in SECTIONS:
        r = client.get(reverse("monitoring:section", args=[plan.pk, slug]))
        assert r.status_code == 200, slug
        open(f"/tmp/capf/{slug}.html", "w").write(r.content.decode())
    r = client.get(reverse("monitoring:check", args=[plan.pk]))
    open("/tmp/capf/check.html", "w").write(r.content.decode())

def test_smoke_action(client: Any, db: None) -> None:
    plan = load(PASSING)
    client.force_login(person("editor-mdf", "editor"))
    a = plan.actions.first()
    r = client.get(reverse("plans:action_edit", args=[plan.pk, a.pk]))
    assert r.status_code == 200
    open("/tmp/capf/action.html", "w").write(r.content.decode())
