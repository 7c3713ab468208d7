"""``nettonul check`` and ``nettonul report``: exit codes, JSON, languages and written files."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import openpyxl
from pypdf import PdfReader
from typer.testing import CliRunner

from nettonul.cli.main import app

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "check"
PASSING = str(EXAMPLES / "middelfart_plan.yaml")
DEFECTIVE = str(EXAMPLES / "defective_plan.yaml")


def test_passing_plan_exits_0_with_json() -> None:
    result = runner.invoke(app, ["check", PASSING, "--json"])
    assert result.exit_code == 0, result.output  # with its (illustrative) land-use inventory it passes
    data = json.loads(result.stdout)
    assert data["verdict"] == "pass_with_warnings"
    assert data["counts"]["fail"] == 0
    pth2 = next(c for c in data["criteria"] if c["id"] == "PTH-2")
    # transport 108,730.1 of 263,159.8 + 16,000 t (land use) = 38.9 %
    assert pth2["evidence"][0] == {"label": "Share of transport 2023 (2 actions)", "value": 38.9, "unit": "%"}
    assert (pth2["capf"], pth2["fields"]) == ("2.4", ["actions", "action_details"])


def test_defective_plan_exits_1_and_says_what_to_fix() -> None:
    result = runner.invoke(app, ["check", DEFECTIVE])
    assert result.exit_code == 1
    flat = " ".join(result.stdout.split())
    assert "What to fix" in flat
    assert ("GOV-1 Name the lead unit and how the work is coordinated. (governance.lead_unit, "
            "governance.coordination)") in flat
    assert "PTH-3 Give the action a typed effect, or mark it as an enabling action if it is deliberately not " \
           "quantified. (actions.green-procurement.effect, action_details.green-procurement.enabling)" in flat
    assert "The plan FAILS essential criteria." in flat


def test_danish_json_messages() -> None:
    result = runner.invoke(app, ["check", DEFECTIVE, "--language", "da", "--json"])
    assert result.exit_code == 1
    messages = {c["id"]: c["message"] for c in json.loads(result.stdout)["criteria"]}
    assert messages["TGT-2"] == "Intet delmål for 2030."


def test_custom_criteria_file(tmp_path: Path) -> None:
    criteria = tmp_path / "subset.yaml"
    criteria.write_text(
        "id: subset\nname: {en: Subset, da: Delmængde}\nversion: '1'\nsource: test\ncriteria:\n"
        "  - {id: MON-2, severity: E, group: monitoring, rule: review_cycle, params: {max_years: 10},\n"
        "     title: {en: Review, da: Revision}, fix: {en: Fix, da: Ret}}\n", encoding="utf-8")
    result = runner.invoke(app, ["check", DEFECTIVE, "--criteria", str(criteria), "--json"])
    assert result.exit_code == 0  # the defective plan reviews every 8 years; this set allows 10
    assert [c["id"] for c in json.loads(result.stdout)["criteria"]] == ["MON-2"]


def test_bad_plan_exits_2_listing_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\norganisation: '410'\ngovernance: {leader: me}\nmonitoring: {frequency_years: 0}\n",
                   encoding="utf-8")
    result = runner.invoke(app, ["check", str(bad), "--json"])
    assert result.exit_code == 2
    problems = json.loads(result.stdout)["problems"]
    assert {(p["row"], p["column"]) for p in problems} == {(3, "governance.leader"),
                                                           (4, "monitoring.frequency_years")}


def test_report_writes_pdf_excel_and_snapshot(tmp_path: Path) -> None:
    pdf, xlsx, snap = tmp_path / "r.pdf", tmp_path / "r.xlsx", tmp_path / "s.json"
    result = runner.invoke(app, ["report", PASSING, "--year", "2025", "--monitoring",
                                 str(EXAMPLES / "monitoring_2025.yaml"), "--out", str(pdf), "--excel", str(xlsx),
                                 "--snapshot", str(snap), "--issued", "2026-01-15", "--language", "da", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["snapshot"]["issued"] == "2026-01-15"
    assert json.loads(snap.read_text(encoding="utf-8"))["digest"] == data["digest"]
    assert "Klimahandleplan: statusrapport 2025" in PdfReader(pdf).pages[0].extract_text()
    assert openpyxl.load_workbook(xlsx).sheetnames[0] == "Sammenfatning"


def test_report_rejects_monitoring_for_unknown_actions(tmp_path: Path) -> None:
    mon = tmp_path / "m.yaml"
    mon.write_text("as_of: 2025-12-31\nupdates:\n  - {action: nope, date: 2025-01-01, status: in_progress, "
                   "percent: 5}\n", encoding="utf-8")
    result = runner.invoke(app, ["report", PASSING, "--year", "2025", "--monitoring", str(mon), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["problems"][0]["reason"] == "the plan has no action 'nope'"


def test_an_issued_snapshot_renders_again_identically(tmp_path: Path) -> None:
    snap, first, again = tmp_path / "s.json", tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    args = ["--issued", "2026-01-15", "--json"]
    built = runner.invoke(app, ["report", PASSING, "--year", "2025", "--snapshot", str(snap), "--excel", str(first),
                                *args])
    assert built.exit_code == 0, built.output
    again_result = runner.invoke(app, ["report", str(snap), "--excel", str(again), "--json"])
    assert again_result.exit_code == 0, again_result.output
    assert json.loads(again_result.stdout)["digest"] == json.loads(built.stdout)["digest"]
    sheet = openpyxl.load_workbook(again)["Summary"]
    # a date cell, which Excel shows in the reader's date format
    assert [r[1] for r in sheet.iter_rows(values_only=True) if r[0] == "Issued"] == [datetime(2026, 1, 15)]
    tampered = json.loads(snap.read_text(encoding="utf-8"))
    tampered["snapshot"]["year"] = 2024
    snap.write_text(json.dumps(tampered), encoding="utf-8")
    refused = runner.invoke(app, ["report", str(snap), "--json"])
    assert refused.exit_code == 2
    assert "changed after issue" in json.loads(refused.stdout)["error"]


def test_report_help_explains_a_plan_file_and_an_organisation() -> None:
    result = runner.invoke(app, ["report", "--help"], terminal_width=200)
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "a plan file (.yaml or .json, a path that exists)" in text
    assert "an organisation (kommunekode such as 410, or a municipality name) in the database" in text
    listed = runner.invoke(app, ["--help"], terminal_width=200).stdout
    assert "report-org" not in listed  # the old name is a hidden alias


def test_report_of_a_missing_file_exits_2(tmp_path: Path) -> None:
    for missing in (str(tmp_path / "nope.yaml"), "plans/nope"):
        result = runner.invoke(app, ["report", missing, "--year", "2025", "--json"])
        assert result.exit_code == 2, result.output
        assert json.loads(result.stdout)["error"] == f"{missing}: no such file"


def test_report_options_of_the_other_form_are_refused() -> None:
    result = runner.invoke(app, ["report", "410", "--year", "2025", "--monitoring", "m.yaml", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"] == "--monitoring: only for a plan file; '410' is an organisation"
    result = runner.invoke(app, ["report", PASSING, "--year", "2025", "--plan", "3", "--json"])
    assert result.exit_code == 2
    assert "--plan applies to an organisation" in json.loads(result.stdout)["error"]
