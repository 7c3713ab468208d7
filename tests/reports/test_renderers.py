"""The PDF and Excel renderings of the report snapshot: pages, text, sheets and figures."""

from __future__ import annotations

import io

import openpyxl
import pytest
from pypdf import PdfReader

from nettonul.reports.excel import render_excel
from nettonul.reports.pdf import render_pdf
from nettonul.reports.snapshot import Snapshot


@pytest.fixture(scope="module")
def pdf_en(snapshot: Snapshot) -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(snapshot, "en")))


def test_pdf_pages_and_text(pdf_en: PdfReader, snapshot: Snapshot) -> None:
    assert len(pdf_en.pages) == 7
    text = [" ".join(p.extract_text().split()) for p in pdf_en.pages]
    assert "Climate action plan: status report 2025" in text[0]
    assert snapshot.digest in text[0].replace(" ", "")
    assert "ILLUSTRATIVE EXAMPLE" in text[0]
    assert "279.2 kt" in text[1]  # emissions 2023: 263.2 kt in the regnskab + 16.0 kt illustrative land use
    assert "85,661" in text[2]
    assert "30.7 %" in text[2]  # agriculture: 85,660.7 of 279,159.8 t
    assert "Late" in text[3]
    assert "start year 2024 has passed with 0 % done" in text[3]
    assert "PTH-2" in text[4]
    assert "AR5" in text[6]
    assert all(f"Page {i + 1}" in t for i, t in enumerate(text))


def test_pdf_in_danish(snapshot: Snapshot) -> None:
    reader = PdfReader(io.BytesIO(render_pdf(snapshot, "da")))
    text = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert "Klimahandleplan: statusrapport 2025" in text[0]
    assert "279,2 kt" in text[1]
    assert "Forsinket" in text[3]
    assert "Landbrug" in text[2]
    assert "85.661" in text[2]


def test_pdf_is_the_same_whenever_rendered(snapshot: Snapshot) -> None:
    assert render_pdf(snapshot, "en") == render_pdf(snapshot, "en")


def test_excel_sheets_and_figures(snapshot: Snapshot) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(render_excel(snapshot, "en")))
    assert wb.sheetnames == ["Summary", "Emissions", "Actions", "Indicators", "Check"]
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["Snapshot digest (SHA-256)"] == snapshot.digest
    assert summary["Emissions 2023"] == pytest.approx(263160.0 + 16000.0, abs=0.1)
    emissions = list(wb["Emissions"].iter_rows(values_only=True))
    header = emissions[0]
    row_2023 = next(r for r in emissions if r[0] == 2023)
    assert row_2023[header.index("Agriculture")] == pytest.approx(85660.7)
    assert not row_2023[header.index("Back-cast estimate")]
    assert next(r for r in emissions if r[0] == 1990)[2] == "yes"
    actions = list(wb["Actions"].iter_rows(values_only=True))
    assert len(actions) == 1 + 11
    assert wb["Check"].max_row == 1 + 44
    da = openpyxl.load_workbook(io.BytesIO(render_excel(snapshot, "da")))
    assert da.sheetnames == ["Sammenfatning", "Udledninger", "Tiltag", "Indikatorer", "Tjek"]
