"""Security headers Django's own middleware does not set (Django 5.2 has no CSP support),
and the HTTP methods the site answers at all."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils.translation import gettext as _

#: The methods of the server-rendered pages: read, and submit a form.
PAGE_METHODS = ("GET", "HEAD", "POST")
#: The REST API's methods besides (each operation then answers only its own, with 405).
API_METHODS = (*PAGE_METHODS, "PUT", "PATCH", "DELETE", "OPTIONS")


class KnownMethodsMiddleware:
    """Answers 405 (with ``Allow``) to TRACE, CONNECT and any unknown method everywhere, and
    to methods other than GET, HEAD and POST outside ``/api/``, before any view runs. Views
    that only read are decorated with ``require_safe`` and refuse POST as well."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        allowed = API_METHODS if request.path_info.startswith("/api/") else PAGE_METHODS
        if request.method not in allowed:
            return HttpResponseNotAllowed(allowed)
        return self.get_response(request)


class RequestSizeMiddleware:
    """Answers 413 to a request whose declared body is larger than ``MAX_REQUEST_BYTES`` (the
    upload limit plus room for the form's other fields), before anything reads the body: the
    site's error page, or JSON for the API. A body Django refuses while reading it (non-file
    fields beyond ``DATA_UPLOAD_MAX_MEMORY_SIZE``) is answered 413 too (``handler400`` in
    :mod:`nettonul.web.config.urls`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        cap = int(settings.MAX_REQUEST_BYTES)
        if declared > cap:
            from nettonul.errors import FileLimitError
            from nettonul.web.engine.limits import size_text
            from nettonul.web.errors import error_response

            exc = FileLimitError(_("request"), "request", f"the request is {size_text(declared)}, more than the "
                                 f"limit of {size_text(cap)}", actual=declared, allowed=cap)
            return error_response(request, exc)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Adds a Content-Security-Policy and a restrictive Permissions-Policy to every response,
    ``nosniff`` to every response (static files included), and ``Cache-Control: private`` to
    the responses of a logged-in user that say nothing about caching themselves, so that no
    shared cache keeps one user's page for another; ``no-store`` on server errors."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if response.status_code >= 500:
            # An error page is never kept, and deciding whose it is would ask the database
            # for the user again, which may be what just failed.
            response.headers.setdefault("Cache-Control", "no-store")
            return response
        user = getattr(request, "user", None)
        personal = (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META
        if personal and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "private, no-cache"
        return response


class JsonLimitsMiddleware:
    """Parses the JSON body of an API request once, within the size and depth limits
    (:func:`nettonul.web.engine.vocabulary.load_json`: nesting, integers of at most 30 digits, no
    ``NaN``/``Infinity``), and answers 422 with the reason when it is beyond them; the API's
    parser (:class:`nettonul.web.api.api.BoundedParser`) then uses the parsed body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (request.path_info.startswith("/api/") and request.method in ("POST", "PUT", "PATCH")
                and request.content_type == "application/json" and request.body):
            from django.core.exceptions import RequestDataTooBig

            from nettonul.web.engine.vocabulary import load_json

            try:
                request.json_body = load_json(request.body)
            except RequestDataTooBig:
                return JsonResponse({"error": "the request body is too large", "problems": [
                    {"path": "", "message": f"more than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes",
                     "type": "limit"}]}, status=413)
            except ValueError as exc:
                return JsonResponse({"error": "invalid input", "problems": [
                    {"path": "", "message": str(exc), "type": "limit"}]}, status=422)
        return self.get_response(request)
