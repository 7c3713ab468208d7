"""Authentication hardening: login throttling per account and per address, password
validators, API tokens that expire and rotate, the one ``next=`` check, and only the HTTP
methods a route supports."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from nettonul.web import pages
from nettonul.web.api.models import ApiToken
from nettonul.web.api.services import create_token, rotate_token, user_for_token
from nettonul.web.config.settings import AXES_FAILURE_LIMIT

PASSWORD = "Lang-og-sikker-2030"


@pytest.fixture
def editor(users: dict[str, Any]) -> Any:
    user = users["editor-kbh"]
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(client: Client, username: str, password: str, address: str = "192.0.2.1", **extra: Any) -> Any:
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


# ----------------------------------------------------------------------------- throttling
def test_the_limit_of_wrong_passwords_locks_the_account_even_for_the_right_one(editor: Any) -> None:
    client = Client()
    for _ in range(AXES_FAILURE_LIMIT - 1):
        assert _login(client, editor.username, "wrong").status_code == 200  # the form again, with an error
    assert _login(client, editor.username, PASSWORD).status_code == 302  # 4 failures: still allowed
    client.post("/logout/")
    for _ in range(AXES_FAILURE_LIMIT):
        _login(client, editor.username, "wrong")
    response = _login(client, editor.username, PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60
    assert b"Too many failed logins" in response.content
    assert b"failed 5 times" in response.content
    assert "_auth_user_id" not in client.session
    # From another address too: the account is locked, not only the address.
    assert _login(Client(), editor.username, PASSWORD, address="198.51.100.7").status_code == 429


def test_one_address_trying_many_accounts_is_locked_out(editor: Any, users: dict[str, Any]) -> None:
    client = Client()
    for name in ("viewer-kbh", "admin-kbh", "editor-aarhus", "nobody@demo", "admin"):
        _login(client, users[name].username if name in users else name, "wrong", address="203.0.113.9")
    assert _login(client, editor.username, PASSWORD, address="203.0.113.9").status_code == 429
    # The account itself had no failure: from elsewhere it logs in.
    assert _login(Client(), editor.username, PASSWORD, address="203.0.113.10").status_code == 302


def test_the_lock_out_message_is_danish_for_a_danish_visitor(editor: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    for _ in range(AXES_FAILURE_LIMIT):
        _login(client, editor.username, "forkert")
    response = _login(client, editor.username, PASSWORD)
    text = response.content.decode()
    assert response.status_code == 429
    assert "For mange mislykkede login" in text
    assert "Prøv igen om 15 minutter" in text


def test_a_success_resets_the_accounts_count(editor: Any) -> None:
    client = Client()
    for _ in range(AXES_FAILURE_LIMIT - 1):
        _login(client, editor.username, "wrong")
    assert _login(client, editor.username, PASSWORD).status_code == 302
    client.post("/logout/")
    for _ in range(AXES_FAILURE_LIMIT - 1):
        _login(client, editor.username, "wrong", address="192.0.2.50")
    assert _login(client, editor.username, PASSWORD, address="192.0.2.51").status_code == 302


def test_client_address_behind_trusted_proxies(settings: Any) -> None:
    from nettonul.web.accounts.backends import client_address

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.8")
    settings.PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.1"
    settings.PROXY_COUNT = 1  # the proxy appended 192.0.2.8; 6.6.6.6 is what the client claimed
    assert client_address(request) == "192.0.2.8"


# ----------------------------------------------------------------------------- passwords
@pytest.mark.parametrize("weak", ["kort1", "1234567890123", "password123", "editor-kbh@demo"])
def test_weak_passwords_are_refused(weak: str, users: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        validate_password(weak, users["editor-kbh"])
    validate_password(PASSWORD, users["editor-kbh"])


def test_the_password_change_page_applies_the_validators(editor: Any) -> None:
    client = Client()
    client.force_login(editor)
    response = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "12345678901",
                                                   "new_password2": "12345678901"})
    assert response.status_code == 200
    assert b"entirely numeric" in response.content
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)
    new = "Et-helt-andet-kodeord-77"
    response = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": new,
                                                   "new_password2": new})
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password(new)


# ----------------------------------------------------------------------------- tokens
def test_a_new_token_expires_after_a_year_and_then_is_refused(users: dict[str, Any]) -> None:
    token, secret = create_token(users["viewer-kbh"], "one year")
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=365))) < dt.timedelta(minutes=1)
    assert user_for_token(secret) == users["viewer-kbh"]
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert user_for_token(secret) is None
    assert Client().get("/api/organisations", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_rotation_replaces_the_secret(users: dict[str, Any]) -> None:
    token, old = create_token(users["viewer-kbh"], "ci")
    new_token, new = rotate_token(users["viewer-kbh"], token)
    assert new != old
    assert new_token.name == "ci"
    assert new_token.pk != token.pk
    assert user_for_token(old) is None
    assert user_for_token(new) == users["viewer-kbh"]


def test_the_account_page_shows_expiry_and_last_use_and_rotates(users: dict[str, Any]) -> None:
    user = users["viewer-kbh"]
    token, secret = create_token(user, "nightly export")
    client = Client()
    client.force_login(user)
    page = client.get("/account/").content.decode()
    assert token.expires_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d") in page
    assert "never" in page
    assert "Bearer &lt;token&gt;" in page  # the placeholder is shown, not swallowed as a tag
    Client().get("/api/organisations", HTTP_AUTHORIZATION=f"Bearer {secret}")
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.localtime(token.last_used_at).strftime("%Y-%m-%d %H:%M") in client.get("/account/").content.decode()
    response = client.post(f"/account/tokens/{token.pk}/rotate/", follow=True)
    shown = response.content.decode().split('id="new-token">')[1].split("<")[0]
    assert shown.startswith("nn_")
    assert user_for_token(shown) == user
    assert user_for_token(secret) is None
    # Another user's token cannot be rotated.
    other, _secret = create_token(users["editor-kbh"], "not yours")
    assert client.post(f"/account/tokens/{other.pk}/rotate/").status_code == 404


def test_the_migration_gives_existing_tokens_a_year(tmp_path: Path) -> None:
    script = """
import datetime as dt
from nettonul.web import setup
setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
call_command("migrate", "api", "0001", verbosity=0)
with connection.cursor() as c:
    c.execute("INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, "
              "is_active, date_joined) VALUES ('', 0, 'u', '', '', '', 0, 1, '2020-01-01')")
    c.execute("INSERT INTO api_apitoken (user_id, name, prefix, token_hash, created_at, revoked) "
              "VALUES (1, 'old', 'nn_x', 'h', '2020-01-01', 0)")
call_command("migrate", "api", verbosity=0)
from django.utils import timezone
from nettonul.web.api.models import ApiToken
print((ApiToken.objects.get().expires_at - timezone.now()).total_seconds())
"""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "NETTONUL_TEST_DATABASE")}
    env["NETTONUL_DATA_DIR"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    seconds = float(done.stdout.strip().splitlines()[-1])
    assert 365 * 86400 - 600 < seconds <= 365 * 86400


# ----------------------------------------------------------------------------- next=
@pytest.mark.parametrize("wanted", ["https://evil.example/phish", "//evil.example/", "javascript:alert(1)",
                                    "http://testserver.evil.example/", "\\\\evil.example"])
def test_next_to_another_site_is_ignored(wanted: str) -> None:
    request = RequestFactory().get("/", {"next": wanted})
    assert pages.next_url(request, "public:overview") == "/"


def test_next_to_a_path_on_the_site_is_followed() -> None:
    wanted = RequestFactory().get("/", {"next": "/plans/3/?tab=a"})
    assert pages.next_url(wanted, "public:overview") == "/plans/3/?tab=a"
    assert pages.next_url(RequestFactory().post("/", {"next": "/account/"}), "/") == "/account/"


def test_the_monitoring_settings_do_not_redirect_off_site(client: Any, users: dict[str, Any],
                                                          orgs: dict[str, Any]) -> None:
    client.force_login(users["admin-kbh"])
    url = f"/monitoring/organisations/{orgs['101'].pk}/settings/"
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({name: field.initial for name, field in form.fields.items()
                 if name not in data and field.initial is not None})
    data.setdefault("version", "")
    response = client.post(url + "?next=https://evil.example/phish", data)
    assert response.status_code == 302, response.content[:2000]
    assert response["Location"] == "/"
    response = client.post(url + "?next=/organisations/1/", {**data, "version": _version(orgs["101"])})
    assert response["Location"] == "/organisations/1/"


def _version(org: Any) -> Any:
    from nettonul.web.monitoring import services

    row = services.settings_for(org)
    return row.version if row else ""


def test_login_next_off_site_is_ignored(editor: Any) -> None:
    response = Client().post("/login/?next=https://evil.example/", {"username": editor.username,
                                                                    "password": PASSWORD,
                                                                    "next": "https://evil.example/"},
                             REMOTE_ADDR="192.0.2.77")
    assert response.status_code == 302
    # where a login without a next lands: the editor's organisation (or her list of them)
    orgs = list(editor.memberships.values_list("organisation_id", flat=True))
    assert response["Location"] == (f"/organisations/{orgs[0]}/" if len(orgs) == 1 else "/account/")


# ----------------------------------------------------------------------------- methods
def _paths(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """One concrete path per URL pattern (path converters filled with 1 or 'x')."""
    import re

    found: list[str] = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found.extend(_paths(entry, route))
        elif isinstance(entry, URLPattern):
            concrete = re.sub(r"<int:[^>]+>", "1", route)
            concrete = re.sub(r"<(?:str|slug|path:)?[^>]*>", "x", concrete)
            if "^" in concrete or "(?P" in concrete:  # the API's and i18n's regex routes
                continue
            found.append("/" + concrete)
    return found


def test_trace_and_unknown_methods_answer_405_on_every_route(client: Any, users: dict[str, Any]) -> None:
    paths = _paths()
    assert len(paths) > 40
    assert "/" in paths
    assert "/login/" in paths
    client.force_login(users["admin"])
    for path in [*paths, "/api/organisations", "/api/plans/1", "/static/nettonul/base.css"]:
        for method in ("TRACE", "PROPFIND", "CONNECT"):
            response = client.generic(method, path)
            assert response.status_code == 405, (method, path, response.status_code)
            assert "TRACE" not in response["Allow"]


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options"])
def test_pages_answer_only_get_head_and_post(client: Any, db: None, method: str) -> None:
    response = getattr(client, method)("/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"


@pytest.mark.parametrize("path", ["/", "/organisations/1/", "/ui/ping/", "/account/"])
def test_read_only_pages_refuse_post(client: Any, users: dict[str, Any], path: str) -> None:
    client.force_login(users["viewer-kbh"])
    assert client.head(path).status_code in (200, 404)
    assert client.post(path).status_code == 405


def test_api_operations_answer_only_their_methods(client: Any, db: None) -> None:
    assert client.get("/api/organisations").status_code == 200
    assert client.delete("/api/organisations").status_code == 405
