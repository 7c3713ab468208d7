"""Yearly reports issued from the database: the snapshot is frozen (later edits of the plan,
its sections and its monitoring data change neither the stored text, nor its digest, nor
the PDF and Excel bytes), only editors issue, downloads follow the plan's visibility, and
``nettonul report ORG`` issues the same way from the command line."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader
from typer.testing import CliRunner

from nettonul.cli.main import app
from nettonul.reports.snapshot import SnapshotError
from nettonul.web.errors import InvalidInputError, NotAllowedError
from nettonul.web.monitoring import reporting, services
from nettonul.web.monitoring.models import PlanSections, ReportSnapshot
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services as plan_services
from nettonul.web.plans.models import Plan

from .monitoring_support import MONITORING, PASSING, english, load, middelfart, person

ISSUED = date(2026, 1, 20)


@pytest.fixture
def monitored(db: None) -> Any:
    plan = load(PASSING)
    services.import_monitoring_file(SYSTEM, plan, MONITORING)
    return plan


def test_the_report_is_frozen_against_later_edits(monitored: Any) -> None:
    plan = monitored
    editor = person("editor-mdf", "editor")
    report = reporting.issue_report(editor, plan, 2025, "da", ISSUED)
    stored = ReportSnapshot.objects.get(pk=report.pk)
    text, digest, pdf, excel = stored.snapshot, stored.digest, bytes(stored.pdf), bytes(stored.excel)
    content = json.loads(text)
    assert content["issued"] == "2026-01-20"
    assert content["as_of"] == "2025-12-31"
    states = {a["id"]: a["state"] for a in content["actions"]}
    assert states["less-car-traffic"] == "stale"
    assert states["waste-sorting"] == "completed"
    assert stored.issued_by_name == "editor-mdf"

    # Edit everything the report was built from.
    action = plan.actions.get(key="fossil-free-heat")
    plan_services.update_action(editor, action, action.version, title="Renamed after the report",
                                effect={"type": "factor", "sector": "energy", "reduction": 0.5})
    row = PlanSections.objects.get(plan=plan)
    services.save_sections(editor, plan, dict(row.data, governance={"lead_unit": "Changed"}), row.version)
    services.add_progress_update(editor, plan, action_key="less-car-traffic", date=date(2025, 12, 1),
                                 status="in_progress", percent=40)
    plan_services.update_plan(editor, plan, plan.version, title="Renamed plan")

    again = ReportSnapshot.objects.get(pk=report.pk)
    assert (again.snapshot, again.digest, bytes(again.pdf), bytes(again.excel)) == (text, digest, pdf, excel)
    assert reporting.verify(again).digest == digest
    # A report issued now from the same inputs differs, in content and digest.
    rebuilt = reporting.build(Plan.objects.get(pk=plan.pk), 2025, ISSUED)
    assert rebuilt.digest != digest
    assert {a["id"]: a["state"] for a in rebuilt.content["actions"]}["less-car-traffic"] == "on_track"
    assert "Renamed after the report" in rebuilt.text
    assert "Renamed after the report" not in text

    # The stored report cannot be rewritten, and tampering is detected.
    with pytest.raises(ValueError, match="cannot be changed"):
        again.save()
    again.snapshot = text.replace("Middelfart", "Elsewhere")
    with pytest.raises(SnapshotError):
        reporting.verify(again)

    # The files are a real PDF and a real workbook in Danish.
    assert "statusrapport 2025" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert openpyxl.load_workbook(io.BytesIO(excel)).sheetnames[0] == "Sammenfatning"


def test_only_editors_of_the_organisation_issue(db: None, orgs: dict[str, Any]) -> None:
    plan = load(PASSING)
    for who in (person("viewer-mdf", "viewer"), person("editor-kbh2", "editor", orgs["101"])):
        with pytest.raises(NotAllowedError):
            reporting.issue_report(who, plan, 2025, "en", ISSUED)
    with pytest.raises(InvalidInputError) as err:
        reporting.issue_report(SYSTEM, plan, 2030, "en", ISSUED)
    assert "year" in err.value.problems
    assert not ReportSnapshot.objects.exists()


def test_button_list_and_downloads(client: Any, db: None) -> None:
    plan = load(PASSING)
    url = reverse("monitoring:reports", args=[plan.pk])
    english(client).force_login(person("viewer-mdf", "viewer"))
    page = client.get(url).content.decode()
    assert "Issue yearly report" not in page
    assert 'id="issue-report"' not in page
    assert client.post(reverse("monitoring:report_issue", args=[plan.pk]),
                       {"year": 2025, "language": "en"}).status_code == 403
    client.force_login(person("editor-mdf", "editor"))
    assert 'id="issue-report"' in client.get(url).content.decode()
    response = client.post(reverse("monitoring:report_issue", args=[plan.pk]), {"year": 2025, "language": "en"})
    assert response.status_code == 302
    report = ReportSnapshot.objects.get()
    assert report.language == "en"
    assert report.issued_by_name == "editor-mdf"
    page = client.get(url).content.decode()
    assert report.digest[:12] in page
    pdf = client.get(reverse("monitoring:report_download", args=[report.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("monitoring:report_download", args=[report.pk, "xlsx"]))
    assert xlsx.content.startswith(b"PK")
    snap = json.loads(client.get(reverse("monitoring:report_download", args=[report.pk, "json"])).content)
    assert snap["digest"] == report.digest
    # Unpublished plan: anonymous users get nothing; once the plan is published, they do.
    client.logout()
    assert client.get(reverse("monitoring:report_download", args=[report.pk, "pdf"])).status_code == 404
    plan_services.update_plan(SYSTEM, plan, plan.version, published=True)
    assert client.get(reverse("monitoring:report_download", args=[report.pk, "pdf"])).status_code == 200


def test_report_command_issues_and_writes_for_an_organisation(db: None, tmp_path: Any) -> None:
    plan = load(PASSING)
    out, excel = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    result = CliRunner().invoke(app, ["report", "410", "--year", "2025", "--language", "en", "--out", str(out),
                                      "--excel", str(excel), "--issued", "2026-01-20", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    report = ReportSnapshot.objects.get()
    assert data["digest"] == report.digest
    assert data["plan"] == plan.pk
    assert data["issued"] == "2026-01-20"
    assert out.read_bytes() == bytes(report.pdf)
    assert excel.read_bytes() == bytes(report.excel)
    # By name, and through the old command name, kept as a hidden alias; Danish by default.
    by_name = CliRunner().invoke(app, ["report", "middelfart", "--year", "2025", "--json"])
    assert by_name.exit_code == 0, by_name.output
    assert (json.loads(by_name.output)["plan"], json.loads(by_name.output)["language"]) == (plan.pk, "da")
    alias = CliRunner().invoke(app, ["report-org", "410", "--year", "2025", "--json"])
    assert alias.exit_code == 0, alias.output
    assert ReportSnapshot.objects.count() == 3
    bad = CliRunner().invoke(app, ["report", "999999", "--year", "2025", "--json"])
    assert bad.exit_code == 2
    assert "no organisation '999999' in the database" in json.loads(bad.output)["error"]
    assert ReportSnapshot.objects.count() == 3


def test_report_command_on_an_empty_database_says_what_to_do(db: None) -> None:
    from nettonul.web.inventory.models import InventoryVersion
    from nettonul.web.organisations.models import Organisation

    InventoryVersion.objects.all().delete()  # what no demo and no upload leaves
    Plan.objects.all().delete()
    Organisation.objects.all().delete()
    result = CliRunner().invoke(app, ["report", "410", "--year", "2025"], terminal_width=200)
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "the database has no organisations yet: run `nettonul demo` to load the demo, or upload an inventory" in text
    middelfart()
    result = CliRunner().invoke(app, ["report", "410", "--year", "2025", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output)["error"] == ("Middelfart has no plan in the database: import one in the web app, "
                                                  "or run `nettonul demo` for the example plans")
