"""Headers: static files (served by WhiteNoise inside the application, as ``nettonul serve``
runs it) carry ``nosniff`` and the CSP, come compressed with a year-long cache for hashed
names, and answer only GET and HEAD; a logged-in user's pages carry
``Cache-Control: private`` so no shared cache keeps them; public pages do not."""

from __future__ import annotations

import gzip
import io
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.wsgi import get_wsgi_application
from django.templatetags.static import static


def _wsgi(method: str, path: str, **extra: str) -> tuple[str, dict[str, str], bytes]:
    environ: dict[str, Any] = {"REQUEST_METHOD": method, "PATH_INFO": path, "wsgi.input": io.BytesIO(b""),
                               "SERVER_NAME": "127.0.0.1", "HTTP_HOST": "127.0.0.1", **extra}
    setup_testing_defaults(environ)
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        seen["status"], seen["headers"] = status, dict(headers)
        return lambda _data: None

    body = b"".join(get_wsgi_application()(environ, start_response))
    return seen["status"], seen["headers"], body


@pytest.mark.parametrize("path", ["/static/nettonul/base.css", "/static/no-such-file.js"])
def test_static_files_carry_nosniff_and_the_csp(db: None, path: str) -> None:
    status, headers, body = _wsgi("GET", path)
    assert status.split()[0] == ("200" if "base.css" in path else "404")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    if "base.css" in path:
        assert headers["Content-Type"].startswith("text/css")
        assert b".visually-hidden" in body


@pytest.mark.parametrize("method", ["POST", "PUT", "TRACE", "PROPFIND"])
def test_static_files_answer_only_get_and_head(db: None, method: str) -> None:
    status, headers, _body = _wsgi(method, "/static/nettonul/base.css")
    assert status.split()[0] == "405"
    allowed = set(headers["Allow"].replace(" ", "").split(","))
    assert method not in allowed
    assert {"GET", "HEAD"} <= allowed
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_chart_library_comes_compressed_and_cached_for_a_year(db: None) -> None:
    """plotly.min.js is some 4.8 MB; gzip makes it under a third of that, and its hashed name
    lets a browser keep it without asking again."""
    url = static("ui/vendor/plotly.min.js")
    assert url != "/static/ui/vendor/plotly.min.js"  # a hashed name from the manifest
    status, plain_headers, plain = _wsgi("GET", url)
    status_gz, headers, body = _wsgi("GET", url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert status.split()[0] == status_gz.split()[0] == "200"
    assert "Content-Encoding" not in plain_headers
    assert headers["Content-Encoding"] == "gzip"
    assert len(body) < len(plain) / 3
    assert gzip.decompress(body) == plain
    assert "immutable" in headers["Cache-Control"]
    max_age = int(headers["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age >= 365 * 24 * 3600
    assert headers["Vary"] == "Accept-Encoding"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "Access-Control-Allow-Origin" not in headers


def test_pages_through_the_static_handler_keep_the_sites_headers(db: None) -> None:
    status, headers, _body = _wsgi("GET", "/ui/ping/")
    assert status.split()[0] == "200"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Cache-Control" not in headers


@pytest.mark.parametrize("path", ["/", "/account/", "/organisations/1/"])
def test_a_logged_in_users_pages_are_private(client: Any, users: dict[str, Any], path: str) -> None:
    client.force_login(users["viewer-kbh"])
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert response["Cache-Control"] == "private, no-cache"


def test_public_pages_are_not_marked_private(client: Any, db: None) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "Cache-Control" not in response
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_api_token_request_is_private(client: Any, users: dict[str, Any]) -> None:
    from nettonul.web.api.services import create_token

    secret = create_token(users["viewer-kbh"], "t")[1]
    response = client.get("/api/organisations", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
