"""One reader for the tables users send: CSV (any separator, UTF-8 or Windows-1252) and Excel.

:func:`read_table` takes a path, the bytes of a file, or a binary file object, with the name
the user knows the file by (the name decides the format and appears in every message). It
returns a :class:`Table`: the header as written, the data rows with the row numbers a user sees
in a spreadsheet, and a :class:`ReadInfo` saying how the file was read (format, separator,
encoding, sheet and, once the caller has asked for it, the number convention), so a report can
print it. Cells are kept as the file holds them: text from CSV, and from Excel numbers,
dates and booleans as Excel stored them (a numeric cell is never re-read as text).

Blank rows are skipped, and so are rows whose first cell starts with ``#`` (a comment such as
"the numbers are illustrative"). The header is the first remaining row. A file that cannot
be read at all raises :class:`~nettonul.engine.core.errors.ValidationError` with one located
problem. :func:`read_yaml` reads a YAML document from the same kinds of source.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, Literal, NamedTuple

from nettonul.engine.core.errors import Problem, ValidationError
from nettonul.engine.io import limits
from nettonul.engine.io.cells import (
    Cell,
    Convention,
    NumberRule,
    decide_convention,
    parse_int,
    parse_number,
    separator_hint,
)
from nettonul.errors import FileLimitError

#: What every reader accepts: a path, the file's bytes, or a binary file object.
Source = str | Path | bytes | bytearray | memoryview | BinaryIO

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
YAML_SUFFIXES = (".yaml", ".yml")
TABLE_SUFFIXES = CSV_SUFFIXES + EXCEL_SUFFIXES
SEPARATORS = (",", ";", "\t")

Kind = Literal["csv", "excel", "yaml"]
ErrorFactory = Callable[[Sequence[Problem]], ValidationError]


@contextmanager
def bulk() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file's rows are built.

    A table of 20,000 rows makes some 100,000 small, acyclic objects (lists, dicts, tuples) that
    reference counting frees anyway; left on, the collector scans the growing heap again and
    again and costs a third of the reading time. It is switched back on afterwards, also when
    reading fails, and left alone when something else paused it.
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _default_error(problems: Sequence[Problem]) -> ValidationError:
    return ValidationError(problems, what=problems[0].file if problems else "file")


# ----------------------------------------------------------------------------- sources
def source_bytes(source: Source, name: str | None = None) -> tuple[bytes, str]:
    """The bytes of ``source`` and the name it is shown by, within the byte limit
    (:func:`~nettonul.engine.io.limits.check_size`: a larger file raises
    :class:`~nettonul.errors.FileLimitError` before it is read).

    A path is read (``FileNotFoundError`` when missing, ``IsADirectoryError`` for a
    directory) and named by its file name unless ``name`` is given; bytes are named ``name``
    (default ``upload``); a file object is read from where it stands and named ``name`` or its
    own ``name`` attribute's base name.
    """
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.exists():
            raise FileNotFoundError(f"no such file: {path}")
        if path.is_dir():
            raise IsADirectoryError(f"{path}: is a directory, not a file")
        shown = name or path.name
        limits.check_size(path.stat().st_size, shown)
        with path.open("rb") as stream:
            return limits.read_limited(stream, shown), shown
    if isinstance(source, bytes | bytearray | memoryview):
        shown = name or "upload"
        limits.check_size(len(source), shown)
        return bytes(source), shown
    own = getattr(source, "name", None)
    shown = name or (Path(own).name if isinstance(own, str) else "upload")
    return limits.read_limited(source, shown), shown


def sources_and_names(sources: Source | Sequence[Source],
                      name: str | Sequence[str] | None = None) -> tuple[list[Source], list[str | None]]:
    """One source or several, each with its display name (None: the path's own name).

    For readers that take several files at once (``load_factor_tables([a, b], name=[...])``).
    """
    single = isinstance(sources, str | Path | bytes | bytearray | memoryview) or hasattr(sources, "read")
    items: list[Source] = [sources] if single else list(sources)  # type: ignore[list-item,arg-type]
    names: list[str | None]
    if name is None:
        names = [None] * len(items)
    elif isinstance(name, str):
        names = [name] * len(items) if len(items) == 1 else [None] * len(items)
        if len(items) != 1:
            raise ValueError("give one name per source")
    else:
        names = list(name)
        if len(names) != len(items):
            raise ValueError(f"{len(items)} sources but {len(names)} names")
    return items, names


def suffix_of(name: str) -> str:
    return Path(name).suffix.lower()


def utf16_encoding(data: bytes) -> str | None:
    """``utf-16`` for text that starts with a UTF-16 byte-order mark, ``utf-16-le`` or
    ``utf-16-be`` for UTF-16 without one (Latin text then has a zero byte in every other
    position), else None."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[:4096]
    if len(sample) >= 4:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "utf-16-be"
    return None


def decode_text(data: bytes) -> tuple[str, str]:
    """Text and encoding: UTF-8 (with or without a byte-order mark), UTF-16 (as Excel's
    "Unicode text" writes it, with a byte-order mark; or recognised by its zero bytes), else
    Windows-1252 (what Danish Excel's plain "CSV" export writes). Raises UnicodeDecodeError
    for none of them (text with zero bytes that is not UTF-16 is refused, not read as
    Windows-1252)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    wide = utf16_encoding(data)
    if wide:
        text = data.decode(wide)  # UnicodeDecodeError for an odd length or a broken pair
        return text.removeprefix("\ufeff"), wide
    if b"\x00" in data:
        raise UnicodeDecodeError("utf-8", data, data.index(b"\x00"), data.index(b"\x00") + 1,
                                 "a zero byte in text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252"), "cp1252"


# ----------------------------------------------------------------------------- the table
@dataclass(frozen=True)
class ReadInfo:
    """How a file was read, for reports: ``csv`` with its separator and encoding, or ``excel``
    with its sheet; ``numbers`` is the number convention once :meth:`Table.number_rule` decided it."""

    name: str
    kind: Kind
    separator: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    numbers: NumberRule | None = None

    def describe(self) -> str:
        if self.kind == "csv":
            sep = {"\t": "tab", ",": "comma", ";": "semicolon"}.get(self.separator or "", repr(self.separator))
            parts = [f"{self.name}: CSV, {sep}-separated, {self.encoding}"]
        elif self.kind == "excel":
            parts = [f"{self.name}: Excel, sheet '{self.sheet}'"]
        else:
            parts = [f"{self.name}: YAML"]
        if self.numbers is not None:
            parts.append(self.numbers.describe())
        return "; ".join(parts)


class TableRow(NamedTuple):
    """One data row: the row number a user sees, and its cells keyed by header as written.

    A cell is None when empty; CSV cells are stripped text, Excel cells keep their type.
    (A named tuple: a file has many rows, and a tuple is cheap to make.)
    """

    number: int
    cells: Mapping[str, Any]

    def get(self, column: str) -> Any:
        return self.cells.get(column)

    def text(self, column: str) -> str:
        """The cell as stripped text, "" when empty (Excel's 2024.0 reads back as '2024')."""
        return cell_text(self.cells.get(column))


@dataclass
class Table:
    """The header (as written, blanks dropped), the data rows, and how the file was read.

    ``file`` is the name for messages: the file's name, with the sheet for an Excel file
    whose data is not on its only sheet (``"book.xlsx (sheet 'Data')"``).
    """

    file: str
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    info: ReadInfo

    def number_rule(self, columns: Iterable[str]) -> tuple[NumberRule, list[Problem]]:
        """Decide the file's number convention from every text cell of ``columns`` (see
        :func:`~nettonul.engine.io.cells.decide_convention`); records it in :attr:`info`."""
        wanted = [c for c in columns if c in self.header]
        # only text with a decimal or grouping mark can tell the conventions apart
        cells = (Cell(row.number, column, value.strip()) for row in self.rows for column in wanted
                 if isinstance(value := row.cells.get(column), str) and ("," in value or "." in value))
        hint, why = separator_hint(self.info.separator)
        rule, problems = decide_convention(cells, file=self.file, hint=hint, hint_reason=why)
        self.info = replace(self.info, numbers=rule)
        return rule, problems

    def keyed_rows(self, numeric: Callable[[str], bool]) -> tuple[list[Row], list[Problem]]:
        """The rows keyed by lower-case header, with the number convention decided from the
        columns for which ``numeric(lower-case header)`` is true (and its problem, if any)."""
        rule, problems = self.number_rule(c for c in self.header if numeric(c.lower()))
        rows = [Row(r.number, {k.lower(): v for k, v in r.cells.items()}, rule.convention) for r in self.rows]
        return rows, problems


@dataclass(frozen=True)
class Row:
    """A data row as a validator reads it: cells by lower-case column, and the file's
    number convention, so every number of the file is read the same way."""

    number: int
    values: Mapping[str, Any]
    convention: Convention = "en"

    def get(self, column: str) -> str:
        """The cell as stripped text ("" when empty)."""
        return cell_text(self.values.get(column))

    def raw(self, column: str) -> Any:
        return self.values.get(column)

    def numeric(self, column: str) -> float | str:
        """The cell as a number in the file's convention, or the reason it is not one."""
        return parse_number(self.values.get(column), self.convention)

    def whole(self, column: str) -> int | str:
        return parse_int(self.values.get(column), self.convention)


def cell_text(value: Any) -> str:
    """A cell as the text a user typed: Excel's 2024.0 reads back as '2024', a date as ISO."""
    if value.__class__ is str:  # most cells: checked first, as files have many
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _is_comment(values: Sequence[Any]) -> bool:
    return bool(values) and isinstance(values[0], str) and values[0].strip().startswith("#")


def table_from_matrix(matrix: Iterable[tuple[int, Sequence[Any]]], info: ReadInfo, file: str,
                      error: ErrorFactory = _default_error) -> Table:
    """A :class:`Table` from (row number, cells) pairs; blank and ``#`` rows are skipped.

    Raises ``error(problems)`` when there is no header, a header names a column twice, or a
    row has more filled cells than the header has columns (an unquoted separator in a cell).
    """
    header: list[str] | None = None
    rows: list[TableRow] = []
    problems: list[Problem] = []
    width = 0
    plain = False  # every header cell named: a row is dict(zip(header, values))
    for number, raw in matrix:
        values = [(v.strip() or None) if isinstance(v, str) else v for v in raw]  # blank text -> None
        if values.count(None) == len(values) or _is_comment(values):
            continue
        if header is None:
            header = [cell_text(v) for v in values]
            width, plain = len(header), all(header)
            continue
        if len(values) > width and values[width:].count(None) != len(values) - width:
            problems.append(Problem(file, number, None, f"the row has {len(values)} cells but the header has "
                                    f"{width} columns; quote cells that contain the separator"))
        if plain and len(values) >= width:
            rows.append(TableRow(number, dict(zip(header, values, strict=False))))
        else:
            rows.append(TableRow(number, {col: (values[i] if i < len(values) else None)
                                          for i, col in enumerate(header) if col}))
    if header is None:
        raise error([Problem(file, None, None, "the file is empty: it has no header row")])
    named = [c for c in header if c]
    lowered = [c.lower() for c in named]
    twice = sorted({c for c in named if lowered.count(c.lower()) > 1})
    problems[:0] = [Problem(file, None, c, "the column appears more than once in the header") for c in twice]
    if problems:
        raise error(problems)
    return Table(file, tuple(named), tuple(rows), info)


# ----------------------------------------------------------------------------- CSV and Excel
def _read_csv(data: bytes, name: str, error: ErrorFactory) -> Table:
    if data.startswith(b"PK") or (b"\x00" in data and utf16_encoding(data) is None):
        raise error([Problem(name, None, None, "this is not a text CSV file (a spreadsheet or binary file "
                                               "renamed?); save it as CSV or .xlsx")])
    try:
        text, encoding = decode_text(data)
    except UnicodeDecodeError:
        raise error([Problem(name, None, None, "the file is neither UTF-8, UTF-16 nor Windows-1252 text; save "
                                               "it as 'CSV UTF-8' (or as .xlsx)")]) from None
    first = next((line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")
    # Spreadsheets set to a Danish locale save CSV with semicolons; tabs come from .tsv exports.
    separator = max(SEPARATORS, key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        matrix = list(limits.counted(enumerate(reader, start=1), name))
    except csv.Error as exc:
        raise error([Problem(name, None, None, f"not a readable CSV file ({exc})")]) from None
    return table_from_matrix(matrix, ReadInfo(name, "csv", separator=separator, encoding=encoding), name, error)


def _read_excel(data: bytes, name: str, sheet: str | int | None, error: ErrorFactory) -> Table:
    import openpyxl  # imported here: only Excel users pay for it
    from defusedxml import DefusedXmlException
    from openpyxl.utils.exceptions import InvalidFileException

    limits.check_zip(data, name)  # unpacked size, compression ratio, no DOCTYPE or ENTITY
    unreadable = (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, EOFError,
                  zlib.error, DefusedXmlException, SyntaxError, TypeError, AttributeError, IndexError)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except unreadable as exc:
        raise error([Problem(name, None, None, f"cannot read the file as an Excel .xlsx workbook ({exc})")]) from None
    try:
        if isinstance(sheet, int):
            if not 0 <= sheet < len(book.worksheets):
                raise error([Problem(name, None, None, f"no sheet number {sheet + 1}; the workbook has "
                                                       f"{len(book.worksheets)}")])
            ws = book.worksheets[sheet]
        elif sheet is not None:
            if sheet not in book.sheetnames:
                raise error([Problem(name, None, None, f"no sheet '{sheet}'; the workbook has "
                                                       f"{', '.join(book.sheetnames)}")])
            ws = book[sheet]
        else:
            ws = book.worksheets[0]
        title = str(ws.title)
        located = f"{name} (sheet '{title}')"
        # The declared dimension is not trusted (a sheet claiming A1:XFD1048576 would pad every
        # row to 16,384 cells): rows hold the cells the file has, counted as they stream in.
        ws.reset_dimensions()
        rows = limits.counted(enumerate(ws.iter_rows(values_only=True), start=1), name)
        try:
            return table_from_matrix(rows, ReadInfo(name, "excel", sheet=title), located, error)
        except (FileLimitError, ValidationError):
            raise
        except unreadable as exc:
            raise error([Problem(name, None, None, f"cannot read the file as an Excel .xlsx workbook "
                                                   f"({exc or type(exc).__name__})")]) from None
    finally:
        book.close()


def read_table(source: Source, *, name: str | None = None, sheet: str | int | None = None,
               error: ErrorFactory = _default_error) -> Table:
    """Header, rows and reading details of a CSV/TSV or Excel file.

    The format follows the suffix of ``name`` (default: the path's file name). ``sheet`` picks
    an Excel sheet by name or 0-based position (default: the first). ``error`` builds the
    exception for an unreadable file (e.g. :class:`InventoryValidationError`).
    """
    data, shown = source_bytes(source, name)
    suffix = suffix_of(shown)
    if suffix in EXCEL_SUFFIXES:
        with bulk():
            return _read_excel(data, shown, sheet, error)
    if suffix in CSV_SUFFIXES:
        with bulk():
            return _read_csv(data, shown, error)
    hint = "; save it as .xlsx" if suffix == ".xls" else ""
    raise error([Problem(shown, None, None, f"cannot read '{suffix or shown}' files; use CSV or Excel "
                                            f"(.xlsx){hint}")])


def read_yaml(source: Source, *, name: str | None = None, what: str | None = None) -> tuple[Any, str, str]:
    """The parsed YAML document of ``source``, its text (for line numbers) and its name.

    A syntax error is a :class:`ValidationError` with the line, from
    :func:`~nettonul.engine.io.problems.yaml_problem`.
    """
    from nettonul.engine.io.problems import load_yaml_text

    data, shown = source_bytes(source, name)
    try:
        text, _ = decode_text(data)
    except UnicodeDecodeError:
        raise ValidationError([Problem(shown, None, None, "the file is not UTF-8 text")], what=what or shown) from None
    return load_yaml_text(text, shown, what=what, data_file=True), text, shown


def read_text_file(path: str | Path, *, what: str | None = None) -> tuple[str, str]:
    """The text of a user's document file (a plan, monitoring data, criteria) and its name,
    within the byte limit, decoded as :func:`decode_text` does (UTF-8, UTF-16, Windows-1252);
    a file that is not text raises a located :class:`ValidationError`."""
    data, shown = source_bytes(path, str(path))
    try:
        text, _ = decode_text(data)
    except UnicodeDecodeError:
        raise ValidationError([Problem(shown, None, None, "the file is not text (UTF-8, UTF-16 or Windows-1252); "
                                                          "save it as UTF-8")], what=what or shown) from None
    return text, shown
