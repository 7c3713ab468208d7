"""Issuing the yearly report from the database: build the snapshot through
:mod:`nettonul.reports`, render the PDF and the Excel workbook, and store all of it once.

An issued :class:`~nettonul.web.monitoring.models.ReportSnapshot` is never changed: there is
no update function, the model refuses a second save, and the stored text is checked against
its digest (:func:`verify`) whenever it is read back.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from nettonul.engine import EngineError
from nettonul.engine import ValidationError as EngineValidationError
from nettonul.reports.build import build_snapshot
from nettonul.reports.excel import render_excel
from nettonul.reports.pdf import render_pdf
from nettonul.reports.snapshot import Snapshot
from nettonul.web.audit import services as audit
from nettonul.web.engine import monitoring as engine_monitoring
from nettonul.web.errors import InvalidInputError
from nettonul.web.monitoring import services
from nettonul.web.monitoring.models import ReportSnapshot
from nettonul.web.organisations import permissions
from nettonul.web.plans.models import Plan

LANGUAGES = ("da", "en")


def as_of_for(year: int, issued: dt.date) -> dt.date:
    """The status date of a report for ``year``: the year's last day, or the issue date
    while the year is still running."""
    return min(dt.date(year, 12, 31), issued)


def build(plan: Plan, year: int, issued: dt.date) -> Snapshot:
    """The frozen snapshot of ``plan``'s report for ``year`` from the database as it is now."""
    r = services.plan_records(plan)
    as_of = as_of_for(year, issued)
    try:
        inputs = engine_monitoring.plan_report(plan, r, as_of, year)
    except EngineValidationError as exc:
        raise InvalidInputError({(p.column or "plan"): p.reason for p in exc.problems},
                                _("the plan cannot be evaluated")) from None
    except EngineError as exc:
        raise InvalidInputError({"plan": str(exc)}, _("the plan cannot be evaluated")) from None
    return build_snapshot(inputs, issued)


def issue_report(actor: Any, plan: Plan, year: int, language: str, issued: dt.date | None = None) -> ReportSnapshot:
    """Issue the yearly report of ``plan`` for ``year`` in ``language`` (editor role)."""
    permissions.require_edit(actor, plan)
    if language not in LANGUAGES:
        raise InvalidInputError({"language": _("choose Danish (da) or English (en)")})
    issued = issued or timezone.localdate()
    if not 1990 <= year <= issued.year:
        raise InvalidInputError({"year": _("the report year must be between 1990 and %(y)s") % {"y": issued.year}})
    snap = build(plan, year, issued)
    pdf, excel = render_pdf(snap, language), render_excel(snap, language)
    user = actor if getattr(actor, "pk", None) is not None else None
    with transaction.atomic():
        report = ReportSnapshot.objects.create(
            organisation_id=plan.organisation_id, plan=plan, plan_title=plan.title, year=year, language=language,
            issued=issued, issued_by=user, issued_by_name=services._name(actor), snapshot=snap.text,
            digest=snap.digest, pdf=pdf, excel=excel)
        audit.record(actor, "create", report, {"year": [None, year], "language": [None, language],
                                               "digest": [None, snap.digest]},
                     organisation_id=plan.organisation_id)
    return report


def verify(report: ReportSnapshot) -> Snapshot:
    """The stored snapshot, after checking that its text still matches its digest."""
    return Snapshot.from_json(json.dumps({"digest": report.digest, "snapshot": json.loads(report.snapshot)}))


def reports_of(plan: Plan) -> QuerySet[ReportSnapshot]:
    """Issued reports of every version of ``plan``, newest first, without the file bytes."""
    return (ReportSnapshot.objects.filter(plan__lineage=plan.lineage).select_related("plan")
            .defer("pdf", "excel", "snapshot").order_by("-issued", "-id"))
