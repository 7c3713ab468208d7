"""Numbers, years and units as plans write them, in Danish and English.

Danish writes "1.000" for a thousand and "1,5" for one and a half; English the other way
round. A number is read by its shape first ("1.000.000", "2,5"), and by the document's
language only where the shape is ambiguous ("1.500": a thousand and five hundred in Danish).
"""

from __future__ import annotations

import re

NUMBER = r"\d{1,3}(?:[.,]\d{3})+(?![.,]?\d)|\d+(?:[.,]\d+)?"
YEAR = r"(?<![\w.,/:-])((?:19[5-9]|20[0-9])\d)(?![\w/]|[.,]\d)"
YEAR_RE = re.compile(YEAR)
_NUMBER_RE = re.compile(NUMBER)
_GROUPED_RE = re.compile(r"\d{1,3}(?:([.,])\d{3})+")


def parse_number(text: str, language: str = "da") -> float | None:
    """'1,5' -> 1.5 and '1.000' -> 1000 in Danish; '1,000' -> 1000 and '1.5' -> 1.5 in English."""
    s = text.strip().replace(" ", "")
    if s.isascii() and s.isdigit():
        return float(s)
    if not _NUMBER_RE.fullmatch(s):
        return None
    groups = _GROUPED_RE.fullmatch(s)
    if groups and (s.count(groups.group(1)) > 1 or language == ("da" if groups.group(1) == "." else "en")):
        return float(s.replace(groups.group(1), ""))
    return float(s.replace(",", "."))
