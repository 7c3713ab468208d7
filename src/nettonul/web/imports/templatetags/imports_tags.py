"""``{% imported_sources plan %}``: on a plan page, the targets and actions that come from an
imported document, each with a link to its quote, and the review queues."""

from __future__ import annotations

from typing import Any

from django import template

from nettonul.web.imports.models import Candidate, SourceDocument
from nettonul.web.organisations import permissions

register = template.Library()


@register.inclusion_tag("imports/_plan_sources.html", takes_context=True)
def imported_sources(context: dict[str, Any], plan: Any) -> dict[str, Any]:
    user = context["request"].user
    accepted = (Candidate.objects.filter(document__plan=plan, status=Candidate.Status.ACCEPTED)
                .select_related("target", "action", "document").only(
                    "start", "end", "quote", "kind", "document__filename", "document__id",
                    "target__kind", "target__year", "target__value", "target__against", "target__sector",
                    "target__description", "action__title", "action__effect"))
    items = []
    for c in accepted:
        obj = c.target or c.action
        if obj is None:  # the target or action was deleted since
            continue
        items.append({"label": str(obj) if c.target else c.action.title, "quote": c.quote, "start": c.start,
                      "end": c.end, "document_id": c.document.pk, "filename": c.document.filename,
                      "not_quantified": c.action is not None and not c.action.effect})
    can_review = permissions.can_view_history(user, plan)
    return {"plan": plan, "items": items, "can_review": can_review,
            "documents": SourceDocument.objects.filter(plan=plan).only("id", "filename") if can_review else [],
            "can_upload": plan.is_current and permissions.can_edit(user, plan)}
