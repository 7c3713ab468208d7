"""The REST API: ``/api/...`` with the OpenAPI document at ``/api/openapi.json`` and an
explorer at ``/api/docs``.

Authentication: ``Authorization: Bearer <token>`` (create tokens on the account page,
``/account/``). Reading without a token works for published data (and, in a browser, for
what the logged-in user may see); every write needs a token. Errors are JSON::

    {"error": "invalid input", "problems": [{"path": "effect.share", "message": "..."}]}

with status 401 (no or bad token), 403 (role too low), 404 (absent or not visible),
409 (stale ``version``: someone saved first; nothing was written) or 422 (invalid input).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from nettonul.errors import NettonulError
from nettonul.web import errors
from nettonul.web.api import services
from nettonul.web.api.endpoints import router
from nettonul.web.imports.api import router as imports_router
from nettonul.web.monitoring.api import router as monitoring_router

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TokenAuth(HttpBearer):
    """A bearer token; without one, safe requests run as the session's user (or anonymous)."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization"):
            return super().__call__(request)
        if request.method in SAFE_METHODS:
            return getattr(request, "user", None) or AnonymousUser()
        return None

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.user_for_token(token.strip())
        if user is not None:
            request.user = user
        return user


class BoundedParser(Parser):
    """The JSON body as the limits middleware parsed it (within the size and depth limits,
    finite numbers only); any other body within the same limits."""

    def parse_body(self, request: HttpRequest) -> Any:
        parsed = getattr(request, "json_body", None)
        if parsed is not None:
            return parsed
        from nettonul.web.engine.vocabulary import load_json

        return load_json(request.body)


api = NinjaAPI(
    parser=BoundedParser(),
    title="nettonul API",
    version="1",
    description=(__doc__ or "").split("\n\n", 1)[1],
    urls_namespace="api",
    auth=TokenAuth(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request: HttpRequest, status: int, message: str, problems: list[dict[str, Any]] | None = None,
           **extra: Any) -> HttpResponse:
    body: dict[str, Any] = {"error": message, "problems": problems or []}
    body.update(extra)
    return api.create_response(request, body, status=status)


def _path(loc: Any) -> str:
    # ninja reports ('body', 'payload', 'effect', 'share'): the first two name where the
    # value came from, the rest is the field path the caller wrote.
    parts = [str(p) for p in loc]
    if len(parts) > 2 and parts[0] in ("body", "query", "path", "form") and parts[1] in ("payload", "filters"):
        parts = parts[2:]
    elif len(parts) > 1 and parts[0] in ("body", "query", "path", "form"):
        parts = parts[1:]
    return ".".join(parts)


@api.exception_handler(NinjaValidationError)
def _invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    problems = [{"path": _path(e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type", "")}
                for e in exc.errors]
    return _error(request, 422, "invalid input", problems)


@api.exception_handler(NettonulError)
def _nettonul_error(request: HttpRequest, exc: NettonulError) -> HttpResponse:
    # The site's one mapping (nettonul.web.errors): 403, 404, 409 or 422 with located problems.
    return api.create_response(request, errors.error_body(exc), status=errors.status_of(exc))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = ("a valid API token is needed: send 'Authorization: Bearer <token>'"
               if request.headers.get("Authorization") or request.method not in SAFE_METHODS
               else "authentication needed")
    return _error(request, 401, message)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, str(exc) or "not found")


@api.exception_handler(ObjectDoesNotExist)
def _missing(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, "not found")


api.add_router("/", router)
api.add_router("/", imports_router)
api.add_router("/", monitoring_router)
