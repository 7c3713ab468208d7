"""Whole responses kept between requests, for the most requested read-only pages.

The organisation dashboard (``/organisations/<id>/``), the overview (``/``), the public
monitoring dashboard (``/p/<code>/``), the API's pathway (``/api/organisations/<id>/pathway``),
the roll-up (``/rollup/``) and the API's roll-up (``/api/rollup``) are kept as rendered under
a key made of everything a response depends on:

* the path and the query parameters the page uses (:data:`KEPT`), in a fixed order: a
  parameter the page does not read (``?utm_source=``, a random ``?x=123`` meant to bypass the
  cache) is dropped from the request before the view sees it, so the page rendered and kept
  is the same for every such query string and is served from the cache;
* the language the request arrived with, and whether the user chose one (without a choice a
  page about an organisation opens in the organisation's language, which is data);
* who asks: ``anonymous``, or the user's id, name, superuser and active flags and their roles
  in every organisation (a page shows the user's name and what their role lets them do, so a
  response is never shared between two users, let alone between roles);
* the data generation (:mod:`nettonul.web.audit.generation`), which every write changes in its own
  transaction: a response kept for an older state is never served again;
* the date (the monitoring state of a plan is as of today);
* nettonul's version, so a cache shared across an upgrade (Redis) never serves old templates.

Not kept or not served from the cache: anything but a GET, requests with an ``Authorization``
header (the API's token users), requests with messages waiting to be shown, responses other
than 200, responses that set cookies, and streaming responses.

Pages carry a CSRF token (the language switch, the logout button). The kept copy has a
placeholder in its place, and each served copy gets the token of the request it answers, as
a freshly rendered page would, so a kept page never hands one visitor another's token.

``NETTONUL_RESPONSE_CACHE = False`` in the settings turns it off (every request then renders
its page, as tests of the layers below it need). The entries live in the ``responses`` cache
(``CACHES`` in the settings): a memory cache in each server process. Every process reads the
generation from the database, so a write made through one process retires the kept pages of
all of them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.utils import timezone

from nettonul import __version__
from nettonul.web.audit import generation
from nettonul.web.organisations import permissions

#: The paths whose responses are kept, each with the query parameters its view reads (the
#: overview's filters and sort, the dashboard's chosen plan, the API pathway's language).
KEPT: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"^/$"), ("q", "kind", "status", "sort")),
    (re.compile(r"^/organisations/\d+/$"), ("plan", "draft")),
    (re.compile(r"^/api/organisations/\d+/pathway$"), ("lang",)),
    (re.compile(r"^/p/[^/]+/$"), ()),
    (re.compile(r"^/rollup/$"), ("sort",)),
    (re.compile(r"^/api/rollup$"), ("region", "draws", "seed")),
)
#: Query strings longer than this are not kept (each would be a new entry).
MAX_KEPT_QUERY = 512
#: Kept responses are exact (keyed by the data generation); this bounds memory only.
KEPT_SECONDS = 3600
_PLACEHOLDER = "nettonul-csrf-token-placeholder"
_CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition")


def viewer(request: HttpRequest) -> Any:
    """Who asks, as far as the content of a page can depend on it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous"
    return [user.pk, user.get_username(), user.is_superuser, user.is_active,
            sorted(permissions.roles(user).items())]


def key_for(request: HttpRequest) -> str:
    """The cache key of this request's response (see the module's docstring)."""
    chose_language = settings.LANGUAGE_COOKIE_NAME in request.COOKIES
    # The version: a cache shared across an upgrade (Redis) must not serve the old templates.
    parts = [__version__, request.path, used_query(request), getattr(request, "LANGUAGE_CODE", ""),
             chose_language, viewer(request), generation.current(), timezone.localdate()]
    # repr() of plain values (strings, numbers, booleans, lists, a date) is unambiguous and
    # cheaper than the JSON of results.cache_key; the digest bounds the key's length.
    return "nettonul:response:" + hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def used_parameters(path: str) -> tuple[str, ...] | None:
    """The query parameters the page at ``path`` reads, or None when it is not kept."""
    for pattern, names in KEPT:
        if pattern.match(path):
            return names
    return None


def used_query(request: HttpRequest) -> str:
    """The request's query string with only the parameters its page uses, in their fixed order,
    each with the one value the page reads (the last, as ``QueryDict.get`` gives it)."""
    names = used_parameters(request.path_info) or ()
    return urlencode([(name, request.GET[name]) for name in names if name in request.GET])


def _cacheable_request(request: HttpRequest) -> bool:
    if not getattr(settings, "NETTONUL_RESPONSE_CACHE", True):
        return False
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return False
    if used_parameters(request.path_info) is None:
        return False
    waiting = getattr(request, "_messages", None)
    return waiting is None or len(waiting) == 0


def _only_used_parameters(request: HttpRequest) -> None:
    """Drop the query parameters the page does not read, so what it renders (links that carry
    the query string, such as the login link's ``next``) depends on the kept key only."""
    query = used_query(request)
    if query != request.META.get("QUERY_STRING", ""):
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)


class ResponseCacheMiddleware:
    """Serves kept responses and keeps new ones (placed after the authentication, messages and
    CSRF middleware, so it knows the user and the messages and the CSRF cookie is still set)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cacheable_request(request):
            return self.get_response(request)
        _only_used_parameters(request)
        if len(request.META.get("QUERY_STRING", "")) > MAX_KEPT_QUERY:
            return self.get_response(request)
        store = caches["responses"]
        key = key_for(request)
        kept = store.get(key)
        if kept is not None:
            return _serve(request, kept)
        response = self.get_response(request)
        entry = _entry(response)
        if entry is not None:
            store.set(key, entry, KEPT_SECONDS)
        return response


def _entry(response: HttpResponse) -> dict[str, Any] | None:
    """What is kept of a response, or None when it must not be kept."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    content = response.content
    for token in set(_CSRF_INPUT.findall(content)):
        content = content.replace(token, _PLACEHOLDER.encode())
    return {"content": content, "headers": {h: response[h] for h in _HEADERS if response.has_header(h)}}


def _serve(request: HttpRequest, kept: dict[str, Any]) -> HttpResponse:
    content: bytes = kept["content"]
    if _PLACEHOLDER.encode() in content:
        content = content.replace(_PLACEHOLDER.encode(), get_token(request).encode())
    response = HttpResponse(content)
    for name, value in kept["headers"].items():
        response[name] = value
    return response
