"""Read the tabular files users import (CSV, Excel, YAML lists) as rows of text.

The organisational footprint reads three kinds of user file (organisation units, emission
factors, activity data) that people keep in spreadsheets. This module turns any of them into
:class:`Row` objects that remember the row number a user sees in the spreadsheet, so every
validation problem can name file, row and column. Parsing of the text into numbers, dates and
codes is left to the caller, which knows what each column means; the small ``parse_*``
helpers here return either a value or a reason, never raise, so callers can collect every
problem of a file before rejecting it as a whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from nettonul.engine.core.errors import Problem, ValidationError

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
YAML_SUFFIXES = (".yaml", ".yml")


class InMemoryFile(NamedTuple):
    """A user file already in memory (an upload, a stored file): its display name, whose
    suffix says how to read it, and its bytes."""

    name: str
    data: bytes


#: What the readers of user tables accept: a path, or a file in memory.
TableSource = str | Path | InMemoryFile


def source_name(source: TableSource) -> str:
    """The name a problem in ``source`` is reported under."""
    return source.name if isinstance(source, InMemoryFile) else Path(source).name


@dataclass(frozen=True)
class Row:
    """One data row: its spreadsheet row number and its cells as stripped text.

    Column names are lower-case with surrounding blanks removed; a missing or empty cell is
    the empty string.
    """

    number: int
    values: Mapping[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


def _cell_text(value: Any) -> str:
    """Spreadsheet cells as the text a user typed: 2024.0 from Excel reads back as '2024'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _rows_from_matrix(matrix: Sequence[tuple[int, Sequence[Any]]], name: str) -> tuple[list[str], list[Row]]:
    """Header and data rows from (row number, cells) pairs; blank and '#' rows are skipped."""
    header: list[str] | None = None
    rows: list[Row] = []
    overflow: list[Problem] = []
    for number, cells in matrix:
        texts = [_cell_text(c) for c in cells]
        if not any(texts) or texts[0].startswith("#"):
            continue
        if header is None:
            header = [t.strip().lower() for t in texts]
            continue
        if any(texts[len(header):]):
            # Usually an unquoted comma inside a cell (e.g. in a source): the columns have shifted.
            overflow.append(Problem(name, number, None, f"the row has {len(texts)} cells but the header has "
                                    f"{len(header)} columns; quote cells that contain the separator"))
        values = {col: (texts[i] if i < len(texts) else "") for i, col in enumerate(header) if col}
        rows.append(Row(number=number, values=values))
    if header is None:
        raise ValidationError([Problem(name, None, None, "the file has no header row")], what=name)
    duplicates = sorted({c for c in header if c and header.count(c) > 1})
    if duplicates:
        raise ValidationError(
            [Problem(name, None, c, "the column appears more than once in the header") for c in duplicates],
            what=name,
        )
    if overflow:
        raise ValidationError(overflow, what=name)
    return [c for c in header if c], rows


def _read_csv(name: str, data: bytes) -> tuple[list[str], list[Row]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValidationError([Problem(name, line, None, "the file is not UTF-8 text; save it as 'CSV UTF-8' "
                                       "(or as .xlsx)")], what=name) from exc
    sample = next((line for line in text.splitlines() if line.strip() and not line.startswith("#")), "")
    # Spreadsheets set to a Danish locale save CSV with semicolons; tabs come from .tsv exports.
    delimiter = max((",", ";", "\t"), key=sample.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return _rows_from_matrix([(reader.line_num, cells) for cells in reader], name)


def _read_xlsx(name: str, data: bytes) -> tuple[list[str], list[Row]]:
    import openpyxl  # imported here: only Excel users pay for it

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        matrix = [(i, tuple(cells)) for i, cells in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()
    return _rows_from_matrix(matrix, name)


def read_table(source: TableSource) -> tuple[list[str], list[Row]]:
    """Header and rows of a CSV/TSV or Excel file (first sheet), from a path or in memory.

    Rows whose first cell starts with ``#`` are comments (for example a line saying the
    numbers are illustrative); blank rows are skipped. Row numbers are the file's own.
    """
    if isinstance(source, InMemoryFile):
        name, data = source.name, bytes(source.data)
    else:
        p = Path(source)
        if not p.exists():
            raise FileNotFoundError(f"{p}: no such file")
        name, data = p.name, p.read_bytes()
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(name, data)
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_csv(name, data)
    raise ValidationError(
        [Problem(name, None, None, f"unsupported file type '{suffix}'; use CSV or Excel (.xlsx)")],
        what=name,
    )


def read_yaml(path: str | Path) -> Any:
    """A YAML document, with a syntax error reported as a located problem."""
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file")
    try:
        return yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise ValidationError([Problem(p.name, row, None, f"not valid YAML: {exc}")], what=p.name) from exc


# ----------------------------------------------------------------------------- cell parsers
def parse_float(text: str) -> float | str:
    """A finite number, or the reason it is not one."""
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        return f"'{text}' is not a number (use a point as decimal separator)"
    if not math.isfinite(value):
        return f"'{text}' is not a finite number"
    return value


def parse_int(text: str) -> int | str:
    """A whole number (also '2024.0' as Excel writes it), or the reason it is not one."""
    value = parse_float(text)
    if isinstance(value, str):
        return value
    if not value.is_integer():
        return f"'{text}' is not a whole number"
    return int(value)


def parse_date(text: str) -> dt.date | str:
    """An ISO date (YYYY-MM-DD), or the reason it is not one."""
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return f"'{text}' is not a date; write it as YYYY-MM-DD"


def parse_bool(text: str) -> bool | str:
    """yes/no, true/false, 1/0 (any case), or the reason it is neither."""
    low = text.strip().lower()
    if low in ("1", "true", "yes", "y", "ja", "x"):
        return True
    if low in ("0", "false", "no", "n", "nej", ""):
        return False
    return f"'{text}' is not yes/no"
