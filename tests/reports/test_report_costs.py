"""The plan's costs in the yearly report: each action's net present cost and cost per tonne,
the MACC and the cost by year, in the PDF and the Excel workbook (Samsø's example plan, whose
actions carry costs)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from nettonul.engine.core.i18n import number
from nettonul.engine.plan.sections import load_capf_plan
from nettonul.reports.build import ReportInputs, build_snapshot, inputs_from_plan
from nettonul.reports.excel import render_excel
from nettonul.reports.pdf import render_pdf
from nettonul.reports.snapshot import Snapshot

SAMSOE = Path(__file__).resolve().parents[2] / "examples" / "plans" / "samsoe.yaml"


@pytest.fixture(scope="module")
def inputs() -> ReportInputs:
    return inputs_from_plan(load_capf_plan(SAMSOE), 2025)


@pytest.fixture(scope="module")
def snapshot(inputs: ReportInputs) -> Snapshot:
    return build_snapshot(inputs, date(2026, 1, 15))


def test_the_yearly_costs_discounted_add_up_to_the_net_present_costs(inputs: ReportInputs) -> None:
    """Every Samsø action is discounted at the plan's 3.5 %: discounting the plan's yearly
    totals to the first year by hand gives the sum of the actions' net present costs."""
    k = inputs.costs
    assert k is not None
    assert k["discount_rate"] == pytest.approx(0.035)
    years, total = k["by_year"]["years"], k["by_year"]["total"]
    by_hand = sum(v / 1.035 ** (y - years[0]) for y, v in zip(years, total, strict=True))
    assert by_hand == pytest.approx(sum(a["npc"] for a in k["actions"]), rel=1e-9)
    # the cost per tonne times the discounted reductions is the net present cost, so a
    # cheaper action per tonne comes first on the MACC
    assert [b["cost_per_t"] for b in k["macc"]] == sorted(b["cost_per_t"] for b in k["macc"])
    start = 0.0
    for b in k["macc"]:
        assert b["from_t"] == pytest.approx(start)
        start += b["reduction_t"]


def test_a_plan_without_costs_reports_none() -> None:
    capf = load_capf_plan(Path(__file__).resolve().parents[2] / "examples" / "check" / "middelfart_plan.yaml")
    assert inputs_from_plan(capf, 2025).costs is None


def test_the_pdf_has_a_costs_page_in_danish(snapshot: Snapshot, inputs: ReportInputs) -> None:
    reader = PdfReader(io.BytesIO(render_pdf(snapshot, "da")))
    page = next(" ".join(p.extract_text().split()) for p in reader.pages if "Omkostninger" in p.extract_text())
    assert "diskonteret med 3,5 % om året" in page
    assert "Marginalomkostningskurve (MACC) 2030" in page
    assert "Planens omkostninger år for år" in page
    assert inputs.costs is not None
    for a in inputs.costs["actions"]:
        assert number(a["npc"], "da") in page  # 127.755.607: thousands separated the Danish way
        assert "." in number(a["npc"], "da")


def test_the_workbook_has_a_costs_sheet(snapshot: Snapshot, inputs: ReportInputs) -> None:
    assert inputs.costs is not None
    wb = openpyxl.load_workbook(io.BytesIO(render_excel(snapshot, "da")))
    assert wb.sheetnames[-1] == "Omkostninger"
    rows = list(wb["Omkostninger"].iter_rows(values_only=True))
    assert rows[2][:4] == ("Tiltag", "Nutidsværdi af omkostningerne (DKK)", "Reduktion, alle år (t CO2e)",
                           "Omkostning pr. ton (DKK/t CO2e)")
    forest = next(r for r in rows[3:] if r[0] == "New forest")
    expected = next(a for a in inputs.costs["actions"] if a["id"] == "new-forest")
    assert forest[1] == pytest.approx(expected["npc"])
    assert forest[3] == pytest.approx(expected["cost_per_t"])
    year_rows = {r[0]: r[1] for r in rows if isinstance(r[0], int)}
    assert year_rows[2030] == pytest.approx(inputs.costs["by_year"]["total"][inputs.costs["by_year"]["years"]
                                                                              .index(2030)])
    assert wb.sheetnames[:5] == ["Sammenfatning", "Udledninger", "Tiltag", "Indikatorer", "Tjek"]


def test_the_danish_workbook_has_danish_headers(snapshot: Snapshot) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(render_excel(snapshot, "da")))
    english = {"Start/End", "End", "Date", "Source", "Year", "Title", "Fix", "Reasons"}
    for sheet in ("Udledninger", "Tiltag", "Indikatorer", "Tjek"):
        header = next(wb[sheet].iter_rows(values_only=True))
        assert not english & set(header), (sheet, header)
    actions = next(wb["Tiltag"].iter_rows(values_only=True))
    assert "Slut" in actions
    assert "Begrundelse" in actions
