"""Helpers shared by the server-rendered views of every app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, resolve_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from nettonul.web.organisations import permissions
from nettonul.web.organisations.models import Organisation


def get_visible(request: HttpRequest, model: type[Model], pk: int, related: tuple[str, ...] = ()) -> Any:
    """The object, or 404 when it is absent or the user may not read it (not revealed)."""
    obj = get_object_or_404(model._default_manager.select_related(*related), pk=pk)
    if not permissions.can_view(request.user, obj):
        raise Http404
    return obj


def use_organisation_language(request: HttpRequest, org: Organisation) -> None:
    """Pages about an organisation open in its language (Danish for Danish organisations)
    unless the user has chosen a language with the switch."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return
    if org.language in dict(settings.LANGUAGES):
        translation.activate(org.language)
        request.LANGUAGE_CODE = org.language


def language(request: HttpRequest) -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def next_url(request: HttpRequest, fallback: str) -> str:
    """Where to go after a form: the request's ``next`` (query string or form) when it is a
    path on this site, else ``fallback`` (a URL name or path). Every ``next=`` redirect goes
    through here; a ``next`` naming another host or scheme (``https://evil.example/``,
    ``//evil.example``, ``javascript:``) is ignored, never followed."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return wanted
    return resolve_url(fallback)
