"""What no view expected (nettonul.web.errors.server_error): while the database cannot be reached
the site answers 503 with Retry-After, in the user's language, as a page or as JSON; any other
unexpected error is a 500 page that shows nothing internal. The page needs no database."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from nettonul.web.config.urls import handler500
from nettonul.web.config.urls import urlpatterns as site_urlpatterns


def lost_database(request: HttpRequest) -> HttpResponse:
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


def full_disk(request: HttpRequest) -> HttpResponse:
    raise OperationalError("database or disk is full")


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


# This module is the URL map of its tests: the site's, plus pages whose database has gone.
urlpatterns = [path("lost-database/", lost_database), path("api/lost-database", lost_database),
               path("full-disk/", full_disk), path("broken/", broken), *site_urlpatterns]
__all__ = ["handler500", "urlpatterns"]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def anonymous() -> Client:
    return Client(raise_request_exception=False)


@override_settings(LANGUAGE_CODE="da")
def test_lost_database_is_a_503_page_in_danish_with_retry_after(anonymous: Client) -> None:
    response = anonymous.get("/lost-database/", HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    text = response.content.decode()
    assert "Databasen kan ikke nås lige nu" in text
    assert "5432" not in text
    assert "Connection refused" not in text


def test_lost_database_through_the_api_is_json_503(anonymous: Client) -> None:
    response = anonymous.get("/api/lost-database")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "nettonul is unavailable for a moment", "problems": []}


def test_other_errors_are_a_500_page_without_internals(anonymous: Client) -> None:
    response = anonymous.get("/broken/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500
    assert "Retry-After" not in response
    text = response.content.decode()
    assert "Something went wrong on our side" in text
    assert "a bug" not in text
    assert "RuntimeError" not in text


def test_the_page_is_drawn_without_the_request_user(anonymous: Client, monkeypatch: Any) -> None:
    """With the database gone, reading the session's user would fail again: the page must not."""
    from django.contrib.auth import middleware

    def no_user(request: Any) -> Any:
        raise AssertionError("the error page read the user")

    monkeypatch.setattr(middleware, "get_user", no_user)
    assert anonymous.get("/lost-database/").status_code == 503


def test_health_says_ok_with_the_database_and_503_without(anonymous: Client, monkeypatch: Any) -> None:
    ok = anonymous.get("/healthz")
    assert ok.status_code == 200
    assert ok.json()["status"] == "ok"
    assert "no-cache" in ok["Cache-Control"]
    assert anonymous.post("/healthz").status_code == 405

    from django.db.backends.utils import CursorWrapper

    def refuse(self: Any, sql: str, params: Any = None) -> Any:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    down = anonymous.get("/healthz")
    assert down.status_code == 503
    assert down["Retry-After"] == "5"
    assert down.json() == {"status": "unavailable", "database": "unreachable"}


def test_a_full_disk_says_so_in_danish(anonymous: Client) -> None:
    response = anonymous.get("/full-disk/", HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 503
    text = response.content.decode()
    assert "Serverens disk er fuld" in text
    assert "Intet fra denne forespørgsel blev gemt" in text
