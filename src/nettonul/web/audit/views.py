"""The change history of one object: who changed what and when, field by field."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from nettonul.web import pages
from nettonul.web.audit import services
from nettonul.web.inventory.models import InventoryVersion
from nettonul.web.monitoring.models import Indicator, MonitoringSettings, PlanSections
from nettonul.web.organisations import permissions
from nettonul.web.organisations.models import Organisation
from nettonul.web.plans.models import Action, Plan, Target

MODELS: dict[str, tuple[type[Model], tuple[str, ...]]] = {
    "organisation": (Organisation, ()),
    "plan": (Plan, ("organisation",)),
    "target": (Target, ("plan", "plan__organisation")),
    "action": (Action, ("plan", "plan__organisation")),
    "inventory": (InventoryVersion, ("organisation",)),
    "capf-sections": (PlanSections, ("plan", "plan__organisation")),
    "indicator": (Indicator, ("plan", "plan__organisation")),
    "monitoring-settings": (MonitoringSettings, ("organisation",)),
}


def object_history(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    if kind not in MODELS:
        raise Http404
    model, related = MODELS[kind]
    obj: Any = pages.get_visible(request, model, object_id, related)
    if not permissions.can_view_history(request.user, obj):
        raise Http404
    page = Paginator(services.history(obj), 100).get_page(request.GET.get("page"))
    rows = [{"record": r, "changes": sorted(r.changes.items())} for r in page]
    return render(request, "audit/history.html", {"obj": obj, "kind": kind, "page": page, "rows": rows})
