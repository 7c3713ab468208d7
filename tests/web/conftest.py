"""Django test set-up for the web application.

Settings are loaded here, before Django starts, with a temporary data directory. With
``NETTONUL_TEST_DATABASE=postgres`` the tests run on the PostgreSQL server at
127.0.0.1:5432 (trust auth; ``NETTONUL_TEST_POSTGRES_URL`` names another); when it is
unreachable they are skipped with a visible notice, except in CI (``CI=true``), where that
is an error.

A small world is loaded once per session (three municipalities with their shipped
inventories and the demo users); every test runs in a transaction that is rolled back.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest

POSTGRES_URL = os.environ.get("NETTONUL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/nettonul")
WANT_POSTGRES = os.environ.get("NETTONUL_TEST_DATABASE", "").lower() in ("postgres", "postgresql")
POSTGRES_PROBLEM: str | None = None

if WANT_POSTGRES:
    try:
        import psycopg

        psycopg.connect(POSTGRES_URL.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
    except Exception as exc:  # any failure to connect means: not reachable
        where = POSTGRES_URL.split("@")[-1].rsplit("/", 1)[0]
        POSTGRES_PROBLEM = f"PostgreSQL is not reachable on {where} ({type(exc).__name__})"
    if POSTGRES_PROBLEM and os.environ.get("CI") == "true":
        raise pytest.UsageError(POSTGRES_PROBLEM + "; in CI the PostgreSQL run is mandatory")
    os.environ["DATABASE_URL"] = POSTGRES_URL
else:
    os.environ.pop("DATABASE_URL", None)

os.environ["NETTONUL_DATA_DIR"] = tempfile.mkdtemp(prefix="nettonul-web-tests-")
os.environ["DJANGO_SETTINGS_MODULE"] = "nettonul.web.config.settings"
os.environ.pop("SECRET_KEY", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Pages name their static files by the manifest collectstatic writes (hashed, compressed):
# collected once per run into the temporary data directory, as ``nettonul serve`` does.
from nettonul.web.config.staticfiles import collect  # noqa: E402

collect()

# Tests create users; the real hasher is deliberately slow.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if WANT_POSTGRES:
    # One test database per run, so two runs on one server (two developers, or a developer
    # and CI on the same machine) never drop each other's database.
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"test_nettonul_{os.getpid()}"


def pytest_report_header(config: pytest.Config) -> str:
    if POSTGRES_PROBLEM:
        return f"NOTICE: {POSTGRES_PROBLEM}: the PostgreSQL run of the web tests is SKIPPED"
    return f"web tests on {'PostgreSQL' if WANT_POSTGRES else 'SQLite'}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if POSTGRES_PROBLEM:
        skip = pytest.mark.skip(reason=f"NOTICE: {POSTGRES_PROBLEM}: PostgreSQL web tests SKIPPED")
        for item in items:
            if "tests/web/" in str(item.fspath).replace(os.sep, "/"):
                item.add_marker(skip)


WORLD = ("101", "751", "147")  # København, Aarhus, Frederiksberg


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    from nettonul.web.demo import load_demo

    with django_db_blocker.unblock():
        load_demo(codes=list(WORLD), with_plans=False)


@pytest.fixture
def users(db: None) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    found = {u.username.split("@")[0]: u for u in get_user_model().objects.all()}
    found["anonymous"] = _anonymous()
    return found


def _anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.fixture
def orgs(db: None) -> dict[str, Any]:
    from nettonul.web.organisations.models import Organisation

    return {o.code: o for o in Organisation.objects.filter(code__in=WORLD)}


@pytest.fixture
def plans(orgs: dict[str, Any]) -> dict[str, Any]:
    """An unpublished draft plan of København and a published plan of Aarhus, each with
    targets and actions (made through the services, as the system)."""
    from nettonul.web.organisations.permissions import SYSTEM
    from nettonul.web.plans import services

    kbh = services.create_plan(SYSTEM, orgs["101"], title="KBH draft plan", base_year=1990)
    services.add_target(SYSTEM, kbh, kind="reduction", year=2030, value=0.7, against=1990)
    services.add_target(SYSTEM, kbh, kind="net_zero", year=2050)
    services.add_action(SYSTEM, kbh, title="Kystnære vindmøller ved Amager", sector="energy",
                        effect={"type": "factor", "sector": "energy", "reduction": 0.2})
    split = {"activity": {"energy": [
        {"carrier": "oil", "share": 0.3, "factor": 0.266, "assumption": True, "reason": "test split"},
        {"carrier": "electricity", "share": 0.7, "factor": "br18.electricity", "assumption": True,
         "reason": "test split"},
    ]}}
    aarhus = services.create_plan(SYSTEM, orgs["751"], title="Aarhus plan", published=True, base_year=1990,
                                  model=split)
    services.add_target(SYSTEM, aarhus, kind="reduction", year=2030, value=0.7, against=1990)
    services.add_action(SYSTEM, aarhus, title="Heat pumps replace oil boilers", sector="energy", start_year=2025,
                        full_year=2030,
                        effect={"type": "switch", "sector": "energy", "from": "oil", "to": "electricity",
                                "share": 0.9, "efficiency_ratio": 0.33})
    return {"kbh": kbh, "aarhus": aarhus}


@pytest.fixture
def client_for(client: Any, users: dict[str, Any]) -> Callable[[str], Any]:
    """``client_for("editor-kbh")``: the test client logged in as that demo user."""

    def login(name: str) -> Any:
        client.logout()
        if name != "anonymous":
            client.force_login(users[name])
        return client

    return login


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language: a request leaves its language active in the
    thread, which would otherwise leak into the next test's code outside a request."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_kept_responses() -> None:
    """Each test starts without kept whole responses (nettonul.web.responsecache): a page kept
    by an earlier test is correct for the same data, but a test reads the first response's
    template context, which only a rendered page has."""
    from django.core.cache import caches

    caches["responses"].clear()
