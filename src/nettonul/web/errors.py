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
uses :func:`status_of` and :func:`error_body`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from nettonul.engine import ValidationError as EngineValidationError
from nettonul.errors import NettonulError

T = TypeVar("T")

__all__ = [
    "ErrorResponseMiddleware", "InvalidInputError", "NettonulError", "NotAllowedError", "NotFoundError",
    "StaleEditError", "WebError", "error_body", "error_response", "form_write", "problems_of", "status_of",
    "wants_json",
]


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
    """The HTTP status an error is answered with: a web error's own, else 422."""
    return exc.status if isinstance(exc, WebError) else 422


def title_of(exc: NettonulError) -> str:
    return str(exc.title if isinstance(exc, WebError) else _("The input could not be used"))


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
    return render(request, "error.html", {"title": title_of(exc), "message": str(exc).splitlines()[0],
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


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page (``handler500``): the site's layout in the visitor's language, without
    details of what went wrong; JSON for the API. When even the layout cannot be drawn (the
    database is down, say), a plain page, still translated."""
    from django.utils.translation import gettext

    title, message = gettext("Something went wrong"), gettext(
        "The server could not answer this request. Nothing you entered was lost if it was saved "
        "before; please try again in a moment.")
    if wants_json(request):
        return JsonResponse({"error": message, "problems": []}, status=500)
    try:
        return render(request, "500.html", {"title": title, "message": message}, status=500)
    except Exception:  # the error page must not fail in turn
        from django.utils.html import escape

        return HttpResponse(f"<!DOCTYPE html><title>{escape(title)}</title><h1>{escape(title)}</h1>"
                            f"<p>{escape(message)}</p>", status=500)
