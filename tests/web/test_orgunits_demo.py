"""The ministry demo (nettonul/web/orgunits/demo.py): the unit tree with its 15 front posts,
the illustrative footprint labelled on every page that shows it, the strategy imported from
the shipped strategy text, and the demo users per role."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from nettonul.web.demo import DemoResult
from nettonul.web.imports.models import Candidate
from nettonul.web.organisations import permissions
from nettonul.web.organisations.models import Organisation
from nettonul.web.orgunits.demo import STRATEGY_TITLE, load_ministry_demo
from nettonul.web.plans.models import Plan
from nettonul.web.strategy.models import Theme


@pytest.fixture
def demo(db: None, settings: Any, tmp_path: Any) -> DemoResult:
    settings.DATA_DIR = tmp_path  # a logins file of its own: the session's demo logins stay as they are
    result = DemoResult()
    load_ministry_demo(result)
    return result


def test_tree_strategy_and_users(demo: DemoResult) -> None:
    assert demo.organisations_created == 18
    posts = Organisation.objects.get(code="demo-front-posts")
    assert posts.children.count() == 15
    plan = Plan.objects.get(title=STRATEGY_TITLE)
    assert plan.kind == "strategy"
    assert plan.published
    candidates = Candidate.objects.filter(document__plan=plan)
    # "accept all" takes every candidate of the plan owner and leaves other bodies' targets
    # quoted as context (the Getting-to-Zero Coalition's 2025 target) for a reviewer
    assert {c.status for c in candidates if not c.found.get("context")} == {"accepted"}
    assert [(c.status, c.found["target_year"]) for c in candidates if c.found.get("context")] == [("pending", 2025)]
    assert plan.actions.count() >= 57  # the annotated 'Vi vil'/'Regeringen vil' sentences are all there
    assert all(a.effect == {} for a in plan.actions.all())
    assert Theme.objects.filter(plan=plan, taxonomy="theme").count() == 5
    assert Theme.objects.filter(plan=plan, taxonomy="value").count() == 9
    again = DemoResult()
    load_ministry_demo(again)
    assert (again.organisations_created, again.plans_created, again.users_created) == (0, 0, 0)
    assert [x["username"] for x in again.logins] == [x["username"] for x in demo.logins]


def test_the_berlin_editor_edits_berlin_only(demo: DemoResult) -> None:
    berlin_editor = get_user_model().objects.get(username="editor-berlin@demo")
    editable = {o.code for o in Organisation.objects.filter(code__startswith="demo-")
                if permissions.can_edit(berlin_editor, o)}
    assert editable == {"demo-emb-berlin"}
    ministry_editor = get_user_model().objects.get(username="editor-mfa@demo")
    assert all(permissions.can_edit(ministry_editor, o) for o in Organisation.objects.filter(code__startswith="demo-"))


def test_every_page_with_the_footprint_says_illustrative(demo: DemoResult, client: Any) -> None:
    client.cookies["nettonul_language"] = "en"
    root = Organisation.objects.get(code="demo-mfa")
    berlin = Organisation.objects.get(code="demo-emb-berlin")
    for url in (f"/units/{root.pk}/", f"/units/{berlin.pk}/", f"/units/{root.pk}/peers/"):
        html = client.get(url).content.decode()
        assert 'id="illustrative-banner"' in html, url
    tree = client.get(f"/units/{root.pk}/").content.decode()
    assert tree.count("<tr data-unit=") == 18
    plan = Plan.objects.get(title=STRATEGY_TITLE)
    page = client.get(f"/strategy/{plan.pk}/").content.decode()
    assert "Værdidiplomati" in page
    assert "Tryghedsdiplomati" in page
    assert client.get(f"/strategy/{plan.pk}/compass/").status_code == 200


def test_ministry_logins_are_listed_with_the_demo_logins(demo: DemoResult) -> None:
    from nettonul.web.demo import demo_logins

    listed = {x["username"]: x["password"] for x in demo_logins()}
    for login in demo.logins:
        assert listed[login["username"]] == login["password"]
        user = get_user_model().objects.get(username=login["username"])
        assert user.check_password(login["password"])
