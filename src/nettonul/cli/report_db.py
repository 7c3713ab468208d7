"""The yearly report of an organisation's plan from the database: ``nettonul report ORG --year Y``.

The report is issued exactly as the web application's "Issue yearly report" button does it
(:func:`nettonul.web.monitoring.reporting.issue_report`): from the organisation's latest
stored inventory (merged with the shipped series where it does not cover a year) and its
monitoring data; the frozen snapshot, its digest and the rendered PDF and Excel workbook are
stored in the database (and listed on the plan's report page); ``--out``, ``--excel`` and
``--snapshot`` also write them to files. ``nettonul report`` (:mod:`nettonul.cli.check`)
dispatches here when its SOURCE is not a file; ``report-org`` is kept as a hidden alias.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from nettonul.cli.output import JSON_OPTION, console, handle_errors, print_json
from nettonul.engine.core.errors import NettonulError

ORDER = 51


#: What to do on an empty database, in every message that meets one.
GET_STARTED = ("run `nettonul demo` to load the demo, or upload an inventory and a plan in the web app "
               "(`nettonul serve`)")


def _organisation(code: str) -> Any:
    from nettonul.engine.reference import datasets
    from nettonul.web.organisations.models import Organisation

    if not Organisation.objects.exists():
        raise NettonulError(f"the database has no organisations yet: {GET_STARTED}")
    org = (Organisation.objects.filter(code=code).first()
           or Organisation.objects.filter(name__iexact=code).order_by("pk").first())
    if org is None:
        try:
            org = Organisation.objects.filter(code=datasets.find_municipality(code).code).first()
        except (NettonulError, LookupError):
            org = None
    if org is None:
        raise NettonulError(f"no organisation '{code}' in the database (give a kommunekode such as 410 or a name; "
                            f"to add organisations, {GET_STARTED})")
    return org


def _plan(org: Any, plan_id: int | None) -> Any:
    from nettonul.web.plans.models import Plan

    plans = Plan.objects.filter(organisation=org).select_related("organisation")
    if plan_id is not None:
        plan = plans.filter(pk=plan_id).first()
        if plan is None:
            raise NettonulError(f"{org.name} has no plan with id {plan_id}")
        return plan
    plan = plans.filter(is_current=True).order_by("-published", "-updated_at").first()
    if plan is None:
        raise NettonulError(f"{org.name} has no plan in the database: import one in the web app, "
                            "or run `nettonul demo` for the example plans")
    return plan


def report_from_database(org: str, year: int, language: str = "da", out: Path | None = None,
                         excel: Path | None = None, snapshot: Path | None = None, plan_id: int | None = None,
                         issued: date | None = None) -> dict[str, Any]:
    """Issue and store the report of ``org``'s current plan (published first) for ``year``;
    write the requested files. Returns what was issued and written."""
    from django.db.utils import DatabaseError

    from nettonul.web import setup

    setup()
    from nettonul.web.errors import WebError
    from nettonul.web.monitoring import reporting
    from nettonul.web.organisations.permissions import SYSTEM

    if language not in ("da", "en"):
        raise NettonulError(f"--language {language}: use da or en")
    try:
        organisation = _organisation(org)
        plan = _plan(organisation, plan_id)
        report = reporting.issue_report(SYSTEM, plan, year, language, issued)
    except WebError as exc:
        raise NettonulError(str(exc)) from None
    except DatabaseError as exc:
        raise NettonulError(f"the database is not ready ({exc}): run `nettonul migrate`, then {GET_STARTED}") \
            from None
    written: dict[str, str] = {}
    if out is not None:
        out.write_bytes(bytes(report.pdf))
        written["pdf"] = str(out)
    if excel is not None:
        excel.write_bytes(bytes(report.excel))
        written["excel"] = str(excel)
    if snapshot is not None:
        snapshot.write_text(reporting.verify(report).to_json(), encoding="utf-8")
        written["snapshot"] = str(snapshot)
    return {"report": report.pk, "organisation": organisation.code, "plan": plan.pk, "plan_title": plan.title,
            "year": year, "language": language, "issued": report.issued.isoformat(), "digest": report.digest,
            "written": written}


@handle_errors
def report_org(
    org: str = typer.Argument(..., help="Organisation code (kommunekode) or municipality name."),
    year: int = typer.Option(..., "--year", help="The report year."),
    language: str = typer.Option("da", "--language", "-l", help="Language of the report: da or en."),
    out: Path | None = typer.Option(None, "--out", help="Also write the PDF here."),
    excel: Path | None = typer.Option(None, "--excel", help="Also write the Excel workbook here."),
    snapshot: Path | None = typer.Option(None, "--snapshot", help="Also write the frozen snapshot (JSON) here."),
    plan: int | None = typer.Option(None, "--plan", help="Plan id; default: the current plan, published first."),
    issued: str | None = typer.Option(None, "--issued", help="Issue date (YYYY-MM-DD); default: today."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Issue the yearly status report of an organisation's plan from the database (stored
    there like the web app's button, and written to files on request); the same as
    ``nettonul report ORG``."""
    try:
        issue_date = date.fromisoformat(issued) if issued else None
    except ValueError:
        raise NettonulError(f"--issued {issued}: use YYYY-MM-DD") from None
    print_issued(report_from_database(org, year, language, out, excel, snapshot, plan, issue_date), as_json)


def print_issued(result: dict[str, Any], as_json: bool) -> None:
    """Say what :func:`report_from_database` issued and wrote."""
    if as_json:
        print_json(result)
        return
    console.print(f"[bold]{escape(result['plan_title'])}[/]: status report {result['year']} ({result['language']}), "
                  f"issued {result['issued']}, digest {result['digest'][:12]}, stored as report {result['report']}")
    for kind, path in result["written"].items():
        console.print(f"  wrote {kind}: {path}")


def register(app: typer.Typer) -> None:
    # ``nettonul report ORG`` is the documented form; the old name keeps working, unlisted.
    app.command("report-org", hidden=True)(report_org)
