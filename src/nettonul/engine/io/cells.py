"""Cell parsers shared by every user table: numbers, booleans and dates, in Danish and English.

**One number rule.** A number written as text is read in one *convention* per file:

- Danish (``da``): ``.`` groups thousands, ``,`` is the decimal mark: ``1.234,5`` = 1234.5,
  ``15.100`` = 15100;
- English (``en``): ``,`` groups thousands, ``.`` is the decimal mark: ``1,234.5`` = 1234.5,
  ``15.100`` = 15.1.

Spaces (also non-breaking ones) may group thousands in both. The convention is decided per file
by :func:`decide_convention` from the whole set of numeric text cells: a cell such as
``0,187`` or ``1.234,5`` can only be Danish, ``0.187`` or ``1,234.5`` only English, while
``15.100`` or ``1,234`` could be either. When the cells do not decide, the file's separator
is the hint (``;`` towards Danish, ``,`` towards English); a file whose cells disagree, or
whose ambiguous cells nothing decides, is one located problem that lists the cells. Then every
cell is read by the chosen convention with :func:`parse_number`. Numbers that are already
numbers (Excel numeric cells, YAML numbers) are taken as they are and never re-read as text.

Every parser returns a value or the reason it is not one (a ``str``) and never raises, so a
reader can collect every problem of a file before rejecting it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from nettonul.engine.core.errors import Problem

Convention = Literal["da", "en"]
DANISH: Convention = "da"
ENGLISH: Convention = "en"
CONVENTION_NAMES: dict[Convention, str] = {"da": "Danish (1.234,5)", "en": "English (1,234.5)"}

_GROUPING_SPACES = re.compile(r"[ \u00a0\u202f]")
_DA = re.compile(r"^[+-]?(?:[1-9]\d{0,2}(?:\.\d{3})+|\d+)(?:,\d+)?(?:[eE][+-]?\d+)?$")
_EN = re.compile(r"^[+-]?(?:(?:[1-9]\d{0,2}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$")

#: The plain shapes most cells have, read without grouping or exponent handling (subsets of the above).
_PLAIN_DA = re.compile(r"-?[0-9]+(?:,[0-9]+)?")
_PLAIN_EN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")

TRUE_WORDS = frozenset({"ja", "j", "sand", "yes", "y", "true", "1", "x"})
FALSE_WORDS = frozenset({"nej", "n", "falsk", "no", "false", "0"})

_DMY = re.compile(r"^(\d{1,2})([-./])(\d{1,2})\2(\d{4})$")
#: Excel's day numbers for 1900-01-01 .. 9999-12-31 (a date cell stored as a plain number).
_EXCEL_SERIALS = (1, 2_958_465)


def _compact(text: str) -> str:
    return _GROUPING_SPACES.sub("", text.strip())


def _read(text: str, convention: Convention) -> float | None:
    """The number ``text`` denotes in ``convention`` (already compacted), or None."""
    if convention == DANISH:
        if not _DA.match(text):
            return None
        text = text.replace(".", "").replace(",", ".")
    else:
        if not _EN.match(text):
            return None
        text = text.replace(",", "")
    value = float(text)
    return value if math.isfinite(value) else None


Evidence = Literal["da", "en", "either", "same", "none"]


#: digits 1-9 -> "1": a cell's evidence depends only on where its digits, zeros and marks are
_SHAPE = str.maketrans("23456789", "11111111")


def evidence(text: str) -> Evidence:
    """What a text cell says about the convention.

    ``da``/``en``: a number only in that convention; ``either``: a number in both, with
    different values (``15.100``); ``same``: the same number in both (``2024``); ``none``:
    not a number at all.
    """
    return _evidence_of_shape(text.translate(_SHAPE))


@lru_cache(maxsize=4096)
def _evidence_of_shape(text: str) -> Evidence:
    # Whether each convention reads the text, and whether both give one value, depend on the
    # positions of digits, leading zeros and marks only, so a file's thousands of cells share
    # a handful of shapes ("1111,1", "11.111").
    compact = _compact(text)
    da, en = _read(compact, DANISH), _read(compact, ENGLISH)
    if da is None and en is None:
        return "none"
    if da is None:
        return "en"
    if en is None:
        return "da"
    return "same" if da == en else "either"


class Cell(NamedTuple):
    """Where a text cell is, for messages: the row a user sees and the column as written.
    (A named tuple: files have many numeric cells, and a tuple is cheap to make.)"""

    row: int | None
    column: str
    text: str

    def __str__(self) -> str:
        where = f"row {self.row} " if self.row is not None else ""
        return f"{where}{self.column} '{self.text}'"


@dataclass(frozen=True)
class NumberRule:
    """The convention a file's numbers are read in, and why (for reports)."""

    convention: Convention
    reason: str

    def describe(self) -> str:
        return f"numbers read in the {CONVENTION_NAMES[self.convention]} convention ({self.reason})"


_SAMPLES = 5


def _listed(cells: list[Cell], total: int) -> str:
    shown = ", ".join(str(c) for c in cells[:_SAMPLES])
    return shown + (f" and {total - _SAMPLES} more" if total > _SAMPLES else "")


def decide_convention(cells: Iterable[Cell], *, file: str, hint: Convention | None = None,
                      hint_reason: str = "") -> tuple[NumberRule, list[Problem]]:
    """The one convention for a file's numeric text cells, or the problem that prevents it.

    Cells that are a number in only one convention decide it; a file with cells of both kinds
    is a problem listing them. Otherwise ``hint`` (from the separator) decides; a file with
    ambiguous cells and no hint is a problem listing those cells. With nothing ambiguous the
    convention does not matter and the hint (else English) is returned.
    """
    seen: dict[str, list[Cell]] = {"da": [], "en": [], "either": []}
    counts = dict.fromkeys(seen, 0)
    for cell in cells:
        text = cell.text
        if "," not in text and "." not in text:
            continue  # no mark at all: the same number (or none) in both conventions
        kind = evidence(text)
        if kind in seen:
            counts[kind] += 1
            if len(seen[kind]) < _SAMPLES:  # messages list a few cells and count the rest
                seen[kind].append(cell)
    da, en, either = seen["da"], seen["en"], seen["either"]
    if da and en:
        reason = (f"numbers are written in two conventions: Danish in {_listed(da, counts['da'])}; English in "
                  f"{_listed(en, counts['en'])}. Write every number of the file one way: 1.234,5 or 1,234.5")
        return NumberRule(hint or ENGLISH, "mixed"), [Problem(file, (da + en)[0].row, None, reason)]
    if da:
        return NumberRule(DANISH, f"decided by {da[0]}"), []
    if en:
        return NumberRule(ENGLISH, f"decided by {en[0]}"), []
    if hint is not None:
        return NumberRule(hint, hint_reason or "hint"), []
    if either:
        reason = (f"cannot tell how these numbers are written: {_listed(either, counts['either'])} reads as "
                  f"{_read(_compact(either[0].text), DANISH):g} in the Danish convention and as "
                  f"{_read(_compact(either[0].text), ENGLISH):g} in the English one; write a decimal "
                  "mark in at least one number (15.100,0 or 15,100.0) or drop the thousands separators")
        return NumberRule(ENGLISH, "undecided"), [Problem(file, either[0].row, None, reason)]
    return NumberRule(ENGLISH, "no number needed it"), []


def separator_hint(separator: str | None) -> tuple[Convention | None, str]:
    """The convention a CSV separator suggests: ``;`` Danish, ``,`` English, otherwise none."""
    if separator == ";":
        return DANISH, "';'-separated file"
    if separator == ",":
        return ENGLISH, "','-separated file"
    return None, ""


# ----------------------------------------------------------------------------- the parsers
def is_blank(value: Any) -> bool:
    """A missing cell: None, or text with nothing but blanks."""
    return value is None or (isinstance(value, str) and not value.strip())


def parse_number(value: Any, convention: Convention = ENGLISH) -> float | str:
    """A finite number from a cell, or the reason it is not one.

    Numbers (not booleans) are taken as they are; text is read in ``convention``.
    """
    if value.__class__ is str:  # most cells: 1234 or 1234,5
        text = value.strip()
        if (_PLAIN_DA if convention == DANISH else _PLAIN_EN).fullmatch(text):
            return float(text.replace(",", ".")) if convention == DANISH else float(text)
        return _parse_text(text, convention)
    if isinstance(value, bool):
        return f"'{value}' is not a number"
    if isinstance(value, int | float):
        number = float(value)
        return number if math.isfinite(number) else f"'{value}' is not a finite number"
    return _parse_text(str(value).strip(), convention)


def _parse_text(text: str, convention: Convention) -> float | str:
    read = _read(_compact(text), convention)
    if read is not None:
        return read
    other: Convention = ENGLISH if convention == DANISH else DANISH
    if _read(_compact(text), other) is not None:
        return f"'{text}' is not a number in the {CONVENTION_NAMES[convention]} convention this file uses"
    return f"'{text}' is not a number"


def parse_int(value: Any, convention: Convention = ENGLISH) -> int | str:
    """A whole number (also 2024.0 as Excel stores it), or the reason it is not one."""
    number = parse_number(value, convention)
    if isinstance(number, str):
        return number
    if not number.is_integer():
        return f"'{value}' is not a whole number"
    return int(number)


def parse_bool(value: Any) -> bool | str:
    """ja/nej, j/n, sand/falsk, yes/no, true/false, 1/0 (any case), or the reason it is neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    low = str(value).strip().lower()
    if low in TRUE_WORDS:
        return True
    if low in FALSE_WORDS:
        return False
    return f"'{value}' is not yes or no (ja/nej)"


def parse_date(value: Any) -> dt.date | str:
    """A date from an Excel date cell or text (2024-03-31, 31-03-2024, 31.03.2024), or the reason."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _EXCEL_SERIALS[0] <= value <= _EXCEL_SERIALS[1] and float(value).is_integer():
            from openpyxl.utils.datetime import from_excel  # only Excel dates stored as numbers need it

            excel = from_excel(value)
            return excel.date() if isinstance(excel, dt.datetime) else f"'{value}' is not a date"
        return f"'{value}' is not a date"
    text = str(value).strip()
    match = _DMY.match(text)
    try:
        if match:
            return dt.date(int(match.group(4)), int(match.group(3)), int(match.group(1)))
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return f"'{text}' is not a date; write it as YYYY-MM-DD (or DD-MM-YYYY)"
