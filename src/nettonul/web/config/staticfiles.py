"""The static files handler ``nettonul serve`` wraps the site in.

Django's :class:`StaticFilesHandler` answers ``/static/`` itself, before any middleware, so
the headers :class:`~nettonul.web.config.middleware.SecurityHeadersMiddleware` sets are added
here too, and static files answer only GET and HEAD.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.http import HttpResponseNotAllowed


class SecureStaticFilesHandler(StaticFilesHandler):
    def get_response(self, request: Any) -> Any:
        if request.method not in ("GET", "HEAD"):
            response = HttpResponseNotAllowed(["GET", "HEAD"])
        else:
            response = super().get_response(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
