"""The change history of one object: who changed what and when, field by field
(``/history/<kind>/<id>/``, URL name ``audit:object``). The kinds are those the apps
registered with :mod:`nettonul.web.audit.registry`; the records are shown by the audit
app's ``audit/history.html``."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from nettonul.web import pages
from nettonul.web.audit import registry, services
from nettonul.web.organisations import permissions


@require_safe
def object_history(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    registered = registry.get(kind)
    if registered is None:
        raise Http404
    obj: Any = pages.get_visible(request, registered.model, object_id, registered.related)
    if not permissions.can_view_history(request.user, obj):
        raise Http404
    page = Paginator(services.history(obj), 100).get_page(request.GET.get("page"))
    rows = [{"record": r, "changes": sorted(r.changes.items())} for r in page]
    return render(request, "audit/history.html", {"obj": obj, "kind": kind, "page": page, "rows": rows})
