"""Tables as tables: rows and columns of the cleaned text, and the targets in their cells.

Every reader writes a table row as one paragraph of the form ``| cell | cell | cell |`` (a
markdown table already has it; HTML, DOCX and PDF tables are written so), and the cleaner
keeps each row on its own line. Here consecutive rows become a :class:`Table`: its first row
holds the column headers, the first cell of every other row its row header.

A cell holds a target when its table is about targets (an aim word such as "mål", "target",
"reduktion" in the lead-in paragraph, the column header or the row header) and its column is
not a base, status or unit column. The cell is read as the sentence its headers make of it
("Transport (mål) skal være -50 % i 2030 i forhold til 2018."), with the target year taken
from the column header ("Mål 2030"), a target-year column or the lead-in, the base year from a
base-year column, a base column header ("Udledning 2018") or "i forhold til 1990" anywhere
around, and the unit from the column header ("(t CO2e)") when the cell has none. The target's
quote is the cell itself and it carries the row and column headers in ``table``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from nettonul.documents.model import TableCell, Target
from nettonul.documents.sections import Outline
from nettonul.documents.text import Span, paragraphs

_I = re.IGNORECASE
ROW = re.compile(r"^\|.*\|$")
SEPARATOR = re.compile(r"^\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*$")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d|2100)\b")
_UNIT = re.compile(r"[(\[]\s*([^()\[\]]*?(?:t|ton\w*|kt|mwh|gwh|twh|ha|hektar|%|procent|co2e?|antal|stk\.?|mw)"
                   r"[^()\[\]]*)\s*[)\]]", _I)
# a table is about targets when one of these words is in its lead-in or headers
_AIM = re.compile(r"\b(?:mål\w*|delmål\w*|målsætning\w*|ambition\w*|reduktion\w*|reducer\w*|target\w*|goal\w*"
                  r"|aim\w*|reduction\w*|cut\w*|skal|will|shall)\b", _I)
_BASE_COLUMN = re.compile(r"\b(?:basis\w*|base\w*|baseline|status|udgangspunkt|historisk\w*|nuværende|current"
                          r"|actual|faktisk\w*|opgjort|udledning \d{4}|emissions? \d{4}|i dag|today)\b", _I)
_BASE_YEAR_COLUMN = re.compile(r"\b(?:basisår|base year|baseline year|referenceår|reference year)\b", _I)
_TARGET_YEAR_COLUMN = re.compile(r"^(?:målår|target year|år|year|deadline|frist|senest|inden|by|when|hvornår)\b", _I)
_SKIP_COLUMN = re.compile(r"\b(?:enhed|unit|kilde|source|note\w*|bemærkning\w*|ansvarlig\w*|responsible|owner|ejer"
                          r"|sektor|sector|nr\.?|no\.?)\b", _I)
_RELATIVE_BASE = re.compile(r"\b(?:i forhold til|sammenlignet med|compared (?:to|with)|relative to|fra|from|siden|since"
                            r"|basisår|base year)\s+(?:år\s+)?(19[5-9]\d|20\d\d)\b", _I)
_HAS_FIGURE = re.compile(r"\d|neutral|nul\b|zero|fossilfri|fossil[- ]free|halv", _I)
_UNIT_LETTERS = re.compile(r"%|procent|percent|\bt\b|ton|kt\b|mwh|gwh|twh|\bha\b|hektar|co2|neutral|nul|zero|fossil"
                           r"|kr\b|mia|mio|mw\b", _I)


@dataclass(frozen=True)
class Table:
    """Consecutive table rows of the cleaned text; ``rows[0]`` are the column headers."""

    index: int
    rows: tuple[tuple[Span, ...], ...]
    lead: str
    start: int
    end: int

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.text for c in self.rows[0])


def is_row(line: str) -> bool:
    """A table row as the cleaned text holds it: ``| a | b |``."""
    return ROW.match(line) is not None and line.count("|") >= 3


def cells(row: Span) -> tuple[Span, ...]:
    """The cells of one row, each with offsets into the whole text (empty cells included)."""
    out = []
    pos = 1
    text = row.text
    while True:
        bar = text.find("|", pos)
        if bar < 0:
            break
        piece = text[pos:bar]
        lead = len(piece) - len(piece.lstrip())
        body = piece.strip()
        out.append(Span(body, row.start + pos + lead, row.start + pos + lead + len(body)))
        pos = bar + 1
    return tuple(out)


def find_tables(text: str) -> tuple[Table, ...]:
    """The tables of a cleaned text, in order; a table needs a header row and one data row."""
    tables: list[Table] = []
    current: list[Span] = []
    previous: str = ""
    lead = ""

    def close() -> None:
        if len(current) >= 2:
            rows = tuple(cells(r) for r in current)
            tables.append(Table(len(tables) + 1, rows, lead, current[0].start, current[-1].end))
        current.clear()

    for paragraph in paragraphs(text):
        if is_row(paragraph.text):
            if not current:
                lead = previous
            current.append(paragraph)
            continue
        close()
        previous = paragraph.text
    close()
    return tuple(tables)


def row_spans(text: str) -> list[tuple[int, int]]:
    """Start and end of every table row of the cleaned text, in order."""
    return [(p.start, p.end) for p in paragraphs(text) if is_row(p.text)]


def _strip_header(header: str) -> str:
    return " ".join(_UNIT.sub(" ", _YEAR.sub(" ", header)).split())


def _cell_unit(header: str) -> str:
    m = _UNIT.search(header)
    return m.group(1).strip() if m else ""


_PERCENT = re.compile(r"^[-−–]?\s?\d[\d.,]*\s*(?:%|procent|pct\.?|percent)$", _I)
_SHARE = re.compile(r"\b(?:andel\w*|share\w*|vedvarende|renewable\w*|genanvend\w*|recycl\w*|elbil\w*"
                    r"|electric\w*|økologisk\w*|organic|dækning\w*|coverage)\b", _I)


def _sentence(row_header: str, header: str, cell: str, unit: str, year: int, base: int | None,
              language: str, cut: bool) -> str:
    """The sentence a cell's headers make of it. ``cut``: a percentage in a table of reductions
    against a base year is a reduction, also when written without a minus."""
    words = _strip_header(header)
    value = cell if not unit or _UNIT_LETTERS.search(cell) else f"{cell} {unit}"
    if cut and _PERCENT.match(cell.strip()):
        value = value.lstrip("-−– ")
        verb = "will be reduced by" if language == "en" else "skal reduceres med"
    else:
        verb = "will be" if language == "en" else "skal være"
    if language == "en":
        base_part = f" compared to {base}" if base else ""
        return f"{row_header} ({words}) {verb} {value} by {year}{base_part}."
    base_part = f" i forhold til {base}" if base else ""
    return f"{row_header} ({words}) {verb} {value} i {year}{base_part}."


def table_targets(tables: Iterable[Table], outline: Outline, language: str, plan_owner: str | None = None,
                  ) -> list[Target]:
    """Every target stated in a table cell, with its row and column headers."""
    from nettonul.documents.targets import targets_in_sentence

    found: list[Target] = []
    for table in tables:
        headers = table.headers
        lead_years = [int(y) for y in _YEAR.findall(table.lead)]
        lead_base = _RELATIVE_BASE.search(table.lead)
        year_columns = [i for i, h in enumerate(headers) if _TARGET_YEAR_COLUMN.search(h.strip())]
        base_columns = [i for i, h in enumerate(headers) if _BASE_YEAR_COLUMN.search(h)]
        for row in table.rows[1:]:
            if not row:
                continue
            row_header = row[0].text
            for c, cell in enumerate(row[1:], start=1):
                if c >= len(headers) or not cell.text or not _HAS_FIGURE.search(cell.text):
                    continue
                header = headers[c]
                if (c in year_columns or c in base_columns or _SKIP_COLUMN.search(header)
                        or _BASE_COLUMN.search(header)):
                    continue
                if not (_AIM.search(table.lead) or _AIM.search(header) or _AIM.search(row_header)):
                    continue
                if _YEAR.fullmatch(cell.text.strip()):
                    continue   # a bare year is a when, not a value
                year = _target_year(header, row, year_columns, row_header, lead_years)
                if year is None:
                    continue
                base = _base_year(headers, row, base_columns, row_header, header, table.lead, lead_base, year)
                cut = base is not None and not (_SHARE.search(header) or _SHARE.search(row_header)
                                                 or _SHARE.search(table.lead))
                sentence = _sentence(row_header, header, cell.text, _cell_unit(header) or _cell_unit(row_header),
                                     year, base, language, cut)
                for t in targets_in_sentence(Span(sentence, 0, len(sentence)), outline, language, None,
                                             plan_owner):
                    section = outline.section_at(cell.start)
                    found.append(replace(
                        t, quote=cell.text, start=cell.start, end=cell.end,
                        subject=" ".join(_UNIT.sub(" ", row_header).split()) or t.subject,
                        section=section.title if section else None, mentions=(),
                        owner=plan_owner, context=False,
                        table=TableCell(table.index, row_header or None, header or None),
                        why=f"table {table.index} cell; read as '{sentence}'; {t.why}"))
    return found


def _target_year(header: str, row: tuple[Span, ...], year_columns: list[int], row_header: str,
                 lead_years: list[int]) -> int | None:
    in_header = _YEAR.findall(header)
    if in_header and not _BASE_COLUMN.search(header):
        return int(in_header[-1])
    for i in year_columns:
        if i < len(row):
            m = _YEAR.search(row[i].text)
            if m:
                return int(m.group(1))
    in_row = _YEAR.findall(row_header)
    if in_row:
        return int(in_row[-1])
    return max(lead_years) if lead_years else None


def _base_year(headers: tuple[str, ...], row: tuple[Span, ...], base_columns: list[int], row_header: str,
               header: str, lead: str, lead_base: re.Match[str] | None, year: int) -> int | None:
    for i in base_columns:
        if i < len(row):
            m = _YEAR.search(row[i].text)
            if m and int(m.group(1)) < year:
                return int(m.group(1))
    for text in (header, row_header):
        m = _RELATIVE_BASE.search(text)
        if m:
            return int(m.group(1))
    for h in headers:
        if _BASE_COLUMN.search(h):
            m = _YEAR.search(h)
            if m and int(m.group(1)) < year:
                return int(m.group(1))
    if lead_base:
        return int(lead_base.group(1))
    return None
