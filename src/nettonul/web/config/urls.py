"""The site's URL map. Each app has its own namespace (``plans:``, ``inventory:``,
``audit:``, ...); the REST API lives under ``/api/`` with its OpenAPI document at
``/api/openapi.json`` and an explorer at ``/api/docs``.

Two namespaces are older than the apps that now serve them and stay, since templates,
links and bookmarks name them: ``public:`` (the site's overview and dashboards, and the
accounts app's login, account and members pages) and ``ui:`` (the dashboard downloads of
the site app and the plans app's editor, under ``/ui/``); ``audit:`` names the change history
page, which the site app serves from the kinds the apps register with the audit app."""

from __future__ import annotations

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.defaults import bad_request
from django.views.i18n import set_language

from nettonul.web.accounts import urls as accounts_urls
from nettonul.web.api.api import api
from nettonul.web.config.health import health
from nettonul.web.plans import urls as plans_urls
from nettonul.web.site import urls as site_urls


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers that ask for ``/favicon.ico`` without reading a page (a PDF, a JSON answer)
    are sent to the site's icon."""
    return HttpResponsePermanentRedirect(staticfiles_storage.url("nettonul/favicon.svg"))

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("healthz", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The language switch every page carries is exempt from CSRF, so a page for a visitor
    # without a session carries no token and can be served whole from the cache. A forged
    # request can do no more than change the display language in the visitor's own browser.
    path("language/", csrf_exempt(set_language), name="switch_language"),
    path("api/", api.urls),
    path("plans/", include("nettonul.web.plans.urls")),
    path("inventory/", include("nettonul.web.inventory.urls")),
    path("history/", include((site_urls.history_urlpatterns, "audit"))),
    path("documents/", include("nettonul.web.imports.urls")),
    path("strategy/", include("nettonul.web.strategy.urls")),
    path("units/", include("nettonul.web.orgunits.urls")),
    path("ui/", include(([*site_urls.download_urlpatterns, *plans_urls.editor_urlpatterns], "ui"))),
    path("", include("nettonul.web.monitoring.urls")),
    path("", include(([*site_urls.urlpatterns, *accounts_urls.urlpatterns], "public"))),
]

#: What no view expected: 503 while the database is unreachable, else 500 (nettonul.web.errors).
handler500 = "nettonul.web.errors.server_error"

def handler400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400 page, but 413 with the site's message for a body Django refused to read
    as larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""
    if isinstance(exception, RequestDataTooBig):
        from django.conf import settings

        from nettonul.errors import FileLimitError
        from nettonul.web.errors import error_response

        cap = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return error_response(request, FileLimitError("request", "fields", f"the request's fields are more than "
                                                      f"{cap:,} bytes", allowed=cap))
    return bad_request(request, exception)
