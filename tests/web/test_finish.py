"""The finishing touches every page shares: the error pages (403, 404, 500) in the site's
layout and the visitor's language, the favicon, the chosen language kept from page to page,
and where a login lands."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import path, reverse

from nettonul.web.config import urls as site_urls
from nettonul.web.organisations.models import Membership


def _boom(request: Any) -> Any:
    raise RuntimeError("a bug")


# This module is also the URL map of the 500 test: the site's, plus a view that fails.
urlpatterns = [path("boom/", _boom), *site_urls.urlpatterns]
handler500 = site_urls.handler500


@pytest.mark.parametrize(("language", "heading", "nav"), [("da", "Ikke fundet", "Landsoversigt"),
                                                          ("en", "Not found", "National overview")])
def test_the_404_page_is_in_the_layout_and_the_visitors_language(client: Any, db: None, language: str,
                                                                 heading: str, nav: str) -> None:
    client.cookies["nettonul_language"] = language
    response = client.get("/organisations/999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert f"<h1>{heading}</h1>" in html
    assert nav in html
    assert 'class="site"' in html
    assert f'lang="{language}"' in html


def test_the_403_page_is_danish_for_a_danish_visitor(client_for: Any, orgs: dict[str, Any]) -> None:
    client = client_for("viewer-kbh")
    client.cookies["nettonul_language"] = "da"
    response = client.get(reverse("public:members", args=[orgs["751"].pk]))
    html = response.content.decode()
    assert response.status_code in (403, 404)  # another organisation's members: refused or hidden
    assert 'lang="da"' in html
    assert "Landsoversigt" in html
    assert "Forbidden" not in html
    assert "Not Found" not in html


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(("language", "heading", "message"), [
    ("da", "Noget gik galt hos os", "Fejlen er logget"), ("en", "Something went wrong on our side",
                                                           "The error has been logged")])
def test_the_500_page_is_in_the_layout_and_the_visitors_language(client: Any, db: None, language: str,
                                                                 heading: str, message: str) -> None:
    client.raise_request_exception = False
    client.cookies["nettonul_language"] = language
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site"' in html
    assert message in html
    assert "a bug" not in html
    assert "Traceback" not in html
    api = client.get("/boom/", HTTP_ACCEPT="application/json")
    assert api.status_code == 500
    assert api.json()["error"]


def test_every_page_names_the_favicon_and_the_old_address_leads_to_it(client: Any, db: None) -> None:
    icon = staticfiles_storage.url("nettonul/favicon.svg")
    assert f'<link rel="icon" href="{icon}" type="image/svg+xml">' in client.get("/").content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == icon
    svg = client.get(icon)
    assert svg.status_code == 200
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in b"".join(svg.streaming_content)


def test_the_chosen_language_stays_from_page_to_page(client: Any, orgs: dict[str, Any]) -> None:
    """København's pages open in Danish for a visitor who has not chosen; once she chooses
    English, every page stays English, whatever her browser or the organisation says."""
    org = orgs["101"]
    dashboard = reverse("public:dashboard", args=[org.pk])
    assert 'lang="da"' in client.get(dashboard, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.post(reverse("switch_language"), {"language": "en", "next": "/"})
    pages = ["/", dashboard, reverse("plans:search"), reverse("public:login"), "/organisations/999999/", dashboard]
    for page in pages:
        assert 'lang="en"' in client.get(page, HTTP_ACCEPT_LANGUAGE="da").content.decode(), page
    client.post(reverse("switch_language"), {"language": "da", "next": "/"})
    for page in pages:
        assert 'lang="da"' in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode(), page


def _log_in(client: Any, user: Any, **data: str) -> Any:
    user.set_password("finish-test-password")
    user.save()
    return client.post(reverse("public:login"), {"username": user.username, "password": "finish-test-password",
                                                 **data}, REMOTE_ADDR="192.0.2.7")


def test_login_lands_on_the_users_organisation(client: Any, users: dict[str, Any]) -> None:
    user = users["editor-kbh"]
    orgs = list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    assert len(orgs) == 1
    response = _log_in(client, user)
    assert response.status_code == 302
    assert response["Location"] == reverse("public:dashboard", args=[orgs[0]])


def test_login_with_roles_in_several_organisations_lands_on_their_list(client: Any, users: dict[str, Any],
                                                                        orgs: dict[str, Any]) -> None:
    user = users["editor-kbh"]
    Membership.objects.get_or_create(user=user, organisation=orgs["751"], defaults={"role": "viewer"})
    response = _log_in(client, user)
    assert response["Location"] == reverse("public:account")
    page = client.get(response["Location"]).content.decode()
    for org in Membership.objects.filter(user=user).select_related("organisation"):
        assert f'href="{reverse("public:dashboard", args=[org.organisation.pk])}"' in page


def test_login_with_a_next_page_goes_there_and_without_a_role_to_the_overview(client: Any,
                                                                               users: dict[str, Any]) -> None:
    user = users["editor-kbh"]
    assert _log_in(client, user, next="/plans/search/")["Location"] == "/plans/search/"
    client.logout()
    Membership.objects.filter(user=user).delete()
    assert _log_in(client, user)["Location"] == reverse("public:overview")


def test_the_overviews_login_link_does_not_send_the_user_back_to_the_overview(client: Any, db: None) -> None:
    html = client.get("/").content.decode()
    assert f'href="{reverse("public:login")}"' in html
