"""The change history of one object: who changed what and when, field by field
(``/history/<kind>/<id>/``, URL name ``audit:object``). The kinds are those the apps
registered with :mod:`nettonul.web.audit.registry`; the records are shown by the audit
app's ``audit/history.html``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
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
    rows = [{"record": r, "changes": worded_changes(registered.model, r.changes)} for r in page]
    return render(request, "audit/history.html", {"obj": obj, "kind": kind, "page": page, "rows": rows})


def worded_changes(model: type[Model], changes: dict[str, Any]) -> list[tuple[str, tuple[str, str]]]:
    """A record's changes for a reader, in the active language: each field by its name
    (``Startår``, not ``start_year``), its choices by their label, numbers with the
    language's separators, yes/no for flags and nested values (an effect, a cost) as
    ``name: value`` pairs instead of Python's notation; sorted by the worded name."""
    out = []
    for name, values in changes.items():
        label, choices = name.replace("_", " "), {}
        try:
            field = model._meta.get_field(name)
            label = str(capfirst(getattr(field, "verbose_name", label)))
            choices = {k: str(v) for k, v in (getattr(field, "flatchoices", None) or ())}
        except FieldDoesNotExist:
            pass
        old, new = (values if isinstance(values, (list, tuple)) and len(values) == 2 else (None, values))
        out.append((label, (worded_value(old, choices), worded_value(new, choices))))
    return sorted(out)


def worded_value(value: Any, choices: dict[Any, str] | None = None) -> str:
    """One recorded value as a reader sees it (``–`` for none)."""
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if choices and not isinstance(value, (dict, list)) and value in choices:
        return choices[value]
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (int, float)):
        # thousands separated from 10,000 up, so a year stays 2030
        return str(formats.number_format(value, decimal_pos=None if isinstance(value, int) else _digits(value),
                                         use_l10n=True, force_grouping=abs(value) >= 10_000))
    if isinstance(value, dict):
        return "; ".join(f"{str(k).replace('_', ' ')}: {worded_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(worded_value(v) for v in value)
    return str(value)


def _digits(value: float) -> int:
    """Decimals enough to show a recorded number as it was typed (at most 6)."""
    text = f"{value:.6f}".rstrip("0")
    return max(0, len(text.split(".")[1])) if "." in text else 0
