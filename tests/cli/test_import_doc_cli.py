"""``nettonul import-doc``: exact JSON, the readable view, and errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nettonul.cli.main import app

runner = CliRunner()

PLAN = ("1. Klima\n\nKommunen skal reducere udledningen med 70 procent i 2030 i forhold til 1990.\n\n"
        "2. Indsatser\n\nVi vil arbejde med verdensmål 11 – ansvarligt forbrug og produktion.\n\n"
        "Kommunen vil udskifte oliefyr med varmepumper.")


def test_json_output_is_exactly_the_documented_shape(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    result = runner.invoke(app, ["import-doc", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["source", "language", "sections", "targets", "commitments", "text"]
    assert data["source"] == str(path)
    assert data["language"] == "da"
    assert [s["title"] for s in data["sections"]] == ["1. Klima", "2. Indsatser"]
    target = data["targets"][0]
    assert {k: target[k] for k in ("kind", "value", "unit", "base_year", "target_year", "section")} == {
        "kind": "reduction_pct", "value": 70.0, "unit": "%", "base_year": 1990, "target_year": 2030,
        "section": "1. Klima"}
    assert data["text"][target["start"]:target["end"]] == target["quote"]
    assert [(c["text"], c["sector"], c["sdgs"]) for c in data["commitments"]] == [
        ("arbejde med verdensmål 11 – ansvarligt forbrug og produktion", None, []),
        ("udskifte oliefyr med varmepumper", "buildings", [7, 11, 13]),
    ]


def test_readable_view_shows_candidates_and_the_sdg_conflict(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    result = runner.invoke(app, ["import-doc", str(path)])
    assert result.exit_code == 0, result.output
    words = " ".join(result.stdout.split())   # the terminal width decides where lines wrap
    assert "Targets (1)" in words
    assert "Commitments (2)" in words
    assert "vs 1990" in words
    assert "names SDG 11 but the title of SDG 12" in words
    assert "(check SDG)" in words


def test_a_missing_file_is_bad_input(tmp_path: Path) -> None:
    result = runner.invoke(app, ["import-doc", str(tmp_path / "nope.pdf"), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["ok"] is False


def test_a_damaged_pdf_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4 nothing else")
    result = runner.invoke(app, ["import-doc", str(path)])
    assert result.exit_code == 2
    assert "broken.pdf" in result.stderr


def test_an_unknown_language_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    result = runner.invoke(app, ["import-doc", str(path), "--language", "fr"])
    assert result.exit_code == 2


def test_readable_view_says_when_nothing_was_found(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Mødet blev holdt i går. Der var kaffe.", encoding="utf-8")
    result = runner.invoke(app, ["import-doc", str(path)])
    assert result.exit_code == 0
    words = " ".join(result.stdout.split())
    assert "No quantitative targets found." in words
    assert "No commitments found." in words


NORDBY = Path(__file__).parents[1] / "documents" / "draft_plan_nordby.txt"


def test_draft_plan_is_written_evaluated_and_checked(tmp_path: Path) -> None:
    out = tmp_path / "draft.yaml"
    result = runner.invoke(app, ["import-doc", str(NORDBY), "--owner", "Nordby Kommune", "--year", "2024",
                                 "--draft-plan", str(out), "--organisation", "741", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["targets"], report["actions"], report["draft_plan"]) == (2, 19, str(out))
    assert "COM-1" in {m["id"] for m in report["check"]["missing"]}
    # the written file is a plan the scenario command reads as it is
    scenario = runner.invoke(app, ["scenario", str(out), "--json"])
    assert scenario.exit_code == 0, scenario.output
    assert json.loads(scenario.stdout)["unmarked_numbers"] == []


def test_draft_plan_needs_an_organisation(tmp_path: Path) -> None:
    result = runner.invoke(app, ["import-doc", str(NORDBY), "--draft-plan", str(tmp_path / "d.yaml")])
    assert result.exit_code == 2
    assert "--organisation" in result.output
    assert not (tmp_path / "d.yaml").exists()
