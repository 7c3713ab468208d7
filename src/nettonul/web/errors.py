"""Errors the web services raise, and the one mapping from any nettonul error to a response.

The web's branch of the tree in :mod:`nettonul.errors`::

    NettonulError                     nettonul.errors
    └── WebError              400     raised by the web services on purpose
        ├── InvalidInputError 422     field values rejected; ``problems`` maps field paths to messages
        ├── NotAllowedError   403     the user may not do this to this organisation's data
        ├── NotFoundError     404     absent, or not visible to this user
        └── StaleEditError    409     the object changed since the editor loaded it; nothing was written

Every error carries its HTTP status; engine, document and report errors are answered with
422 (the input cannot be used as given). :func:`error_response` is the one place that turns
an error into a response: a page in the site's layout with a translated heading, or, for the
API and for htmx and JSON requests, ``{"error": ..., "problems": [...]}``.
:class:`ErrorResponseMiddleware` answers every such error a view lets through with it;
:func:`form_write` is the view helper that puts the errors a form can show (stale edit,
rejected fields) on the form and lets the others through; the REST API's exception handler
uses :func:`status_of` and :func:`error_body`. :func:`server_error` answers what no view
expected: 503 while the database cannot be reached (a restart, a lost connection; the next
request opens a new connection, so nothing needs restarting), else 500.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from nettonul.engine import ValidationError as EngineValidationError
from nettonul.errors import FileLimitError, NettonulError

T = TypeVar("T")

__all__ = [
    "ErrorResponseMiddleware", "InvalidInputError", "NettonulError", "NotAllowedError", "NotFoundError",
    "StaleEditError", "WebError", "error_body", "error_response", "form_write", "problems_of", "server_error",
    "status_of", "wants_json",
]

#: Seconds a client is asked to wait before trying again while the database is unreachable.
RETRY_AFTER_SECONDS = 5


class WebError(NettonulError):
    """Base of the errors web services raise on purpose; the message is for the user."""

    status = 400
    title: str | Promise = _("The request could not be carried out")


class StaleEditError(WebError):
    """An edit based on an old version: someone else saved first. Nothing was overwritten."""

    status = 409
    title = _("Someone else saved first")

    def __init__(self, what: str, expected: int, current: int | None) -> None:
        self.expected = expected
        self.current = current
        if current is None:
            message = f"{what} was deleted by someone else; your change was not saved"
        else:
            message = (f"{what} was changed by someone else since you opened it (you edited version "
                       f"{expected}, it is now version {current}); your change was not saved. "
                       "Reload to see the current values and make your change again.")
        super().__init__(message)


class NotAllowedError(WebError):
    """The user lacks the role this write needs."""

    status = 403
    title = _("You may not do this")


class NotFoundError(WebError):
    """What was asked for does not exist, or the user may not see it (the two look the same)."""

    status = 404
    title = _("Not found")


class InvalidInputError(WebError):
    """Input rejected as a whole; ``problems`` maps a field path (``effect.share``) to why."""

    status = 422
    title = _("The input was rejected")

    def __init__(self, problems: Mapping[str, str], message: str = "invalid input") -> None:
        self.problems = dict(problems)
        detail = "; ".join(f"{k}: {v}" for k, v in self.problems.items())
        super().__init__(f"{message}: {detail}" if detail else message)


def status_of(exc: NettonulError) -> int:
    """The HTTP status an error is answered with: a web error's own, a file limit's (413 too
    large, 422 malformed), else 422."""
    if isinstance(exc, WebError | FileLimitError):
        return exc.status
    return 422


def title_of(exc: NettonulError) -> str:
    if isinstance(exc, FileLimitError):
        return str(_("The file is too large") if exc.status == 413 else _("The file was refused"))
    return str(exc.title if isinstance(exc, WebError) else _("The input could not be used"))


#: The message of each file limit in the user's language (nettonul.engine.io.limits).
LIMIT_MESSAGES: dict[str, Promise] = {
    "bytes": _("%(file)s: the file is %(actual)s, more than the upload limit of %(allowed)s"),
    "request": _("The request is %(actual)s, more than the limit of %(allowed)s; send a smaller file"),
    "fields": _("The request's fields are more than %(allowed)s"),
    "inflated": _("%(file)s: the file unpacks to %(actual)s or more, more than the limit of %(allowed)s "
                  "for unpacked contents"),
    "ratio": _("%(file)s: the file unpacks to %(actual)s times its size, more than the compression-ratio "
               "limit of %(allowed)s (a zip bomb?)"),
    "rows": _("%(file)s: the table has more than the limit of %(allowed)s rows"),
    "cells": _("%(file)s: the table has more than the limit of %(allowed)s cells"),
    "pages": _("%(file)s: the PDF has %(actual)s pages, more than the limit of %(allowed)s pages"),
    "xml": _("%(file)s: the file's XML declares a document type or entities (<!DOCTYPE or <!ENTITY), "
             "which are refused: they can read files on the server or expand without end"),
}
_SIZES = ("bytes", "request", "fields", "inflated")


def limit_message(exc: FileLimitError) -> str:
    """A file limit's message in the active language, with the limit's figures."""
    from django.utils.formats import number_format

    def size_text(n: float) -> str:  # as nettonul.engine.io.limits.size_text, in the active language's format
        if n >= 1_000_000:
            mb = n / 1_000_000
            digits = 0 if mb >= 10 or mb == int(mb) else 1
            return f"{number_format(mb, digits, force_grouping=True)} MB"
        return f"{number_format(int(n), force_grouping=True)} bytes"

    template = LIMIT_MESSAGES.get(exc.limit)
    if template is None or (exc.allowed is None and exc.limit != "xml"):
        return str(exc)

    def figure(value: float | None) -> str:
        if value is None:
            return "?"
        if exc.limit in _SIZES:
            return size_text(value)
        return str(number_format(round(value), force_grouping=True))

    if exc.limit == "bytes" and exc.allowed is not None and exc.actual == exc.allowed + 1:
        template = _("%(file)s: the file is more than the upload limit of %(allowed)s")
    return str(template) % {"file": exc.file, "actual": figure(exc.actual), "allowed": figure(exc.allowed)}


def problems_of(exc: NettonulError) -> list[dict[str, Any]]:
    """The located problems of an error, as the API and JSON answers list them."""
    if isinstance(exc, InvalidInputError):
        return [{"path": k, "message": v} for k, v in exc.problems.items()]
    if isinstance(exc, EngineValidationError):
        return [{"path": ".".join(x for x in (f"row {p.row}" if p.row is not None else "", p.column or "") if x),
                 "file": p.file, "row": p.row, "column": p.column, "message": p.reason} for p in exc.problems]
    return []


def message_of(exc: NettonulError) -> str:
    """The one-line message: a validation error's first line (its problems are listed apart)."""
    if isinstance(exc, InvalidInputError):
        return "invalid input"
    if isinstance(exc, FileLimitError):
        return limit_message(exc)
    return str(exc).splitlines()[0] if isinstance(exc, EngineValidationError) else str(exc)


def wants_json(request: HttpRequest) -> bool:
    """Is ``request`` answered in JSON: the API, htmx requests and clients that ask for JSON."""
    if request.path.startswith("/api/"):
        return True
    if request.headers.get("HX-Request") == "true":
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def form_write(form: Any, write: Callable[[], T]) -> tuple[T | None, int]:
    """Run a service write for a form page: ``(result, 200)``, or ``(None, status)`` with the
    error on the form when someone saved first (409) or fields were rejected (422; each
    problem on its field when the form has it). Every other error goes on to
    :class:`ErrorResponseMiddleware` (a refused permission is a 403 page)."""
    try:
        return write(), 200
    except StaleEditError as exc:
        form.add_error(None, str(exc))
        return None, exc.status
    except InvalidInputError as exc:
        if hasattr(form, "add_problems"):  # a form that knows where each field path goes
            form.add_problems(exc.problems)
            return None, exc.status
        for path, message in exc.problems.items():
            field = path.split(".", 1)[0]
            form.add_error(field if field in form.fields else None, f"{path}: {message}" if "." in path else message)
        return None, exc.status


def error_body(exc: NettonulError) -> dict[str, Any]:
    """``{"error": message, "problems": [...]}`` (and, for a stale edit, ``current_version``)."""
    body: dict[str, Any] = {"error": message_of(exc), "problems": problems_of(exc)}
    if isinstance(exc, StaleEditError):
        body["current_version"] = exc.current
    return body


def error_response(request: HttpRequest, exc: NettonulError) -> HttpResponse:
    """The answer to ``exc``: JSON for the API, htmx and JSON clients, else the site's error page."""
    status = status_of(exc)
    body = error_body(exc)
    if wants_json(request):
        return JsonResponse(body, status=status)
    message = limit_message(exc) if isinstance(exc, FileLimitError) else str(exc).splitlines()[0]
    return render(request, "error.html", {"title": title_of(exc), "message": message,
                                          "problems": body["problems"], "status": status}, status=status)


class ErrorResponseMiddleware:
    """Answers any nettonul error a view lets through with :func:`error_response`, so a refused
    permission is a 403 page, a stale edit a 409 and a rejected input a 422, never a 500."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NettonulError):
            return error_response(request, exception)
        return None


def _disk_full(exc: BaseException | None) -> bool:
    text = str(exc).lower()
    return "disk is full" in text or "no space left" in text or "could not extend file" in text


def server_error(request: HttpRequest) -> HttpResponse:
    """The site's answer to an error no view expected (Django's ``handler500``, called while the
    exception is being handled): 503 with ``Retry-After`` when the database cannot be reached,
    else 500; JSON for the API. The page is rendered without the request, so it needs no
    database (no session, no user) to be shown."""
    exc = sys.exc_info()[1]
    unavailable = isinstance(exc, (OperationalError, InterfaceError))
    if unavailable and _disk_full(exc):
        status, title = 503, _("The server's disk is full")
        message = _("Nothing from this request was saved. Tell the administrator of this nettonul installation.")
    elif unavailable:
        status, title = 503, _("nettonul is unavailable for a moment")
        message = _("The database cannot be reached just now. Nothing from this request was saved; "
                    "try again in a moment.")
    else:
        status, title = 500, _("Something went wrong on our side")
        message = _("The error has been logged. Nothing from this request was saved.")
    response: HttpResponse
    if wants_json(request):
        response = JsonResponse({"error": str(title), "problems": []}, status=status)
    else:
        response = HttpResponse(render_to_string("500.html", {"title": title, "message": message}), status=status)
    if unavailable:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
