"""Browser tests: Playwright drives Debian's Chromium (``/usr/bin/chromium``, installed by
``scripts/ensure-services``; never a browser downloaded by Playwright) against the app
served by pytest-django's ``live_server``.

``live_server`` makes these tests transactional: the database is emptied after each one, so
each test loads the data it needs itself (pytest-django runs transactional tests after the
others, which still see the session's small world).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler

# The live server's static handler looks files up by their source names, but pages name the
# collected, hashed files: let /static/ through to the application, whose WhiteNoise serves
# them from STATIC_ROOT (collected by tests/web/conftest.py), as ``nettonul serve`` does.
StaticFilesHandler._should_handle = lambda self, path: False  # type: ignore[method-assign]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PASSWORD = "browser-test-password"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)
            if not os.path.exists(CHROMIUM):
                item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is absent (scripts/ensure-services installs "
                                                        "Debian's chromium)"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API keeps an event loop running in this thread; Django then
    # refuses database calls from the test unless told that this thread is not async code.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "1"
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            yield chromium
            chromium.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def aarhus(transactional_db: None) -> dict[str, Any]:
    """Aarhus with its shipped inventory, its editor (known password) and a plan whose one
    action the tests edit; everything made through the demo loader and the services."""
    from django.contrib.auth import get_user_model

    from nettonul.web.demo import load_demo
    from nettonul.web.organisations.models import Organisation
    from nettonul.web.organisations.permissions import SYSTEM
    from nettonul.web.plans import services

    load_demo(codes=["751"], with_plans=False)
    org = Organisation.objects.get(code="751")
    user = get_user_model().objects.get(username="editor-aarhus@demo")
    user.set_password(PASSWORD)
    user.save()
    split = {"activity": {"energy": [
        {"carrier": "oil", "share": 0.3, "factor": 0.266, "assumption": True, "reason": "test split"},
        {"carrier": "electricity", "share": 0.7, "factor": "br18.electricity", "assumption": True,
         "reason": "test split"},
    ]}}
    plan = services.create_plan(SYSTEM, org, title="Aarhus test plan", published=True, base_year=1990, model=split)
    services.add_target(SYSTEM, plan, kind="reduction", year=2030, value=0.7, against=1990)
    services.add_target(SYSTEM, plan, kind="net_zero", year=2050)
    action = services.add_action(SYSTEM, plan, title="Heat pumps replace oil boilers", sector="energy",
                                 start_year=2025, full_year=2030,
                                 effect={"type": "switch", "sector": "energy", "from": "oil", "to": "electricity",
                                         "share": 0.9, "efficiency_ratio": 0.33})
    return {"org": org, "user": user, "password": PASSWORD, "plan": plan, "action": action}
