"""Values that used to end in a server error are refused with 422 and nothing is written:
a negative simulation seed, Infinity/NaN target values through the API, deeply nested JSON
in an effect, and deeply nested YAML or huge integers in the CAPF sections."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from nettonul.web.api.services import create_token
from nettonul.web.monitoring.models import PlanSections
from nettonul.web.plans.models import Action, Target


@pytest.fixture
def editor_api(users: dict[str, Any]) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {create_token(users['editor-kbh'], 'limits')[1]}")


@pytest.mark.parametrize("seed", ["-1", "4294967296", "9" * 10_000])
def test_a_seed_out_of_range_is_422_for_anyone(client: Any, plans: dict[str, Any], seed: str) -> None:
    response = client.get(f"/api/plans/{plans['aarhus'].pk}/simulation", {"seed": seed, "draws": 250})
    assert response.status_code == 422
    if seed == "-1":
        assert response.json()["problems"] == [{"path": "seed", "message": "between 0 and 4294967295"}]


def test_a_seed_in_range_still_simulates(client: Any, plans: dict[str, Any]) -> None:
    assert client.get(f"/api/plans/{plans['aarhus'].pk}/simulation", {"seed": 7, "draws": 250}).status_code == 200


@pytest.mark.parametrize("value", ["Infinity", "-Infinity", "NaN", "1e999"])
def test_a_target_value_that_is_not_finite_is_422(editor_api: Client, plans: dict[str, Any], value: str) -> None:
    kbh = plans["kbh"]
    before = Target.objects.filter(plan=kbh).count()
    body = f'{{"kind": "reduction", "year": 2035, "value": {value}, "against": 1990}}'
    response = editor_api.post(f"/api/plans/{kbh.pk}/targets", body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert "finite" in response.json()["problems"][0]["message"]
    assert Target.objects.filter(plan=kbh).count() == before


def test_deeply_nested_json_in_an_effect_is_422(editor_api: Client, plans: dict[str, Any]) -> None:
    kbh = plans["kbh"]
    before = Action.objects.filter(plan=kbh).count()
    deep = '{"type": "factor", "sector": "energy", "reduction": 0.1, "note": ' + "[" * 5000 + "]" * 5000 + "}"
    body = f'{{"title": "Deep", "effect": {deep}}}'
    response = editor_api.post(f"/api/plans/{kbh.pk}/actions", body, content_type="application/json")
    assert response.status_code == 422
    assert "nested deeper than 32 levels" in response.json()["problems"][0]["message"]
    big = '{"title": "Big", "effect": {"type": "factor", "sector": "energy", "reduction": %s}}' % ("9" * 10_000)
    response = editor_api.post(f"/api/plans/{kbh.pk}/actions", big, content_type="application/json")
    assert response.status_code == 422
    assert "10000 digits" in response.json()["problems"][0]["message"]
    assert Action.objects.filter(plan=kbh).count() == before


def test_an_effect_nested_within_the_json_limit_but_deep_is_refused_by_the_service(
        editor_api: Client, plans: dict[str, Any]) -> None:
    """The effect check itself (any write path) refuses depth beyond the limit."""
    from nettonul.web.engine.plans import action_problems

    note: Any = 1
    for _ in range(33):
        note = [note]
    action = Action(plan=plans["kbh"], title="x",
                    effect={"type": "factor", "sector": "energy", "reduction": 0.1, "note": note})
    assert action_problems(action) == {"effect": "nested deeper than 32 levels"}


@pytest.mark.parametrize(("text", "reason"), [
    ("governance:\n  lead_unit: " + "[" * 5000 + "]" * 5000, "nested deeper than 32 levels"),
    ("governance:\n  budget: " + "9" * 10_000, "a number of 10000 digits"),
    ("a: &x [1, 2]\nb: [*x, *x]", "aliases (*name) are not accepted"),
])
def test_capf_sections_beyond_the_limits_are_422(client_for: Any, plans: dict[str, Any], text: str,
                                                 reason: str) -> None:
    client = client_for("editor-kbh")
    plan = plans["kbh"]
    response = client.post(f"/monitoring/plans/{plan.pk}/sections/advanced/", {"text": text, "version": ""})
    assert response.status_code == 422
    assert reason in response.content.decode()
    assert not PlanSections.objects.filter(plan=plan).exists()
