"""The site's URL map. Each app has its own namespace (``public:``, ``plans:``,
``inventory:``, ``audit:``); the REST API lives under ``/api/`` with its OpenAPI document at
``/api/openapi.json`` and an explorer at ``/api/docs``."""

from __future__ import annotations

from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from nettonul.web.api.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # The language switch every page carries is exempt from CSRF, so a page for a visitor
    # without a session carries no token and can be served whole from the cache. A forged
    # request can do no more than change the display language in the visitor's own browser.
    path("language/", csrf_exempt(set_language), name="switch_language"),
    path("api/", api.urls),
    path("plans/", include("nettonul.web.plans.urls")),
    path("inventory/", include("nettonul.web.inventory.urls")),
    path("history/", include("nettonul.web.audit.urls")),
    path("documents/", include("nettonul.web.imports.urls")),
    path("strategy/", include("nettonul.web.strategy.urls")),
    path("units/", include("nettonul.web.orgunits.urls")),
    path("ui/", include("nettonul.web.ui.urls")),
    path("", include("nettonul.web.monitoring.urls")),
    path("", include("nettonul.web.public.urls")),
]
