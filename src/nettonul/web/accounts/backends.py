"""Login throttling: django-axes' backend, and the client address it counts failures by.

The backend refuses every login attempt while the account or the address is locked out
(settings ``AXES_*``); :class:`axes.middleware.AxesMiddleware` turns that refusal into the
lock-out page. An ``authenticate()`` call without a request (a management command checking a
password) is not an attempt over the network and is left to the next backend.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class ThrottledBackend(AxesStandaloneBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request: HttpRequest) -> str | None:
    """The client's address: the connection's, or behind ``PROXY_COUNT`` trusted reverse
    proxies the entry the outermost of them appended to ``X-Forwarded-For`` (entries further
    left are whatever the client sent and are not trusted)."""
    count = getattr(settings, "PROXY_COUNT", 0)
    if count > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """The lock-out page (HTTP 429), in the user's language, naming the limit and the wait."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "accounts/locked_out.html",
                      {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
