"""Sections and headings of a cleaned text.

A numbered heading ("1. Indledning", "2.3 Transport") opens a section that runs to the next
heading of the same or a higher level. The numbers must follow on from each other, so a
numbered list item or a date in the text does not open a chapter. A document without
numbered headings (a web article) gets a section per unnumbered heading instead. Unnumbered
headings inside numbered chapters become the *theme* of what follows them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from nettonul.documents.cleaning import is_heading_line
from nettonul.documents.model import Section
from nettonul.documents.text import Span, paragraphs

_NUMBERED = re.compile(r"^(\d{1,2})((?:\.\d{1,2})*)(\.?)\s+(\S.*)$")
_CHAPTER = re.compile(r"^(?:kapitel|chapter|del|part|afsnit|section)\s+(\d{1,2})\s*[.:–-]?\s+(\S.*)$", re.IGNORECASE)
_MONTHS = re.compile(
    r"^(?:januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|"
    r"january|february|march|may|june|july|october)\b", re.IGNORECASE)


def _number(paragraph: str) -> tuple[int, ...] | None:
    chapter = _CHAPTER.match(paragraph)
    if chapter and is_heading_line(paragraph) and chapter.group(2)[:1].isupper():
        return (int(chapter.group(1)),)
    match = _NUMBERED.match(paragraph)
    if not match or not is_heading_line(paragraph):
        return None
    top, rest, dot, body = match.groups()
    if not (dot or rest) or _MONTHS.match(body) or not body[:1].isupper():
        return None
    return (int(top), *(int(x) for x in rest.split(".")[1:]))


def _follows(previous: tuple[int, ...] | None, number: tuple[int, ...]) -> bool:
    """Whether ``number`` can come next after ``previous`` in a document's numbering."""
    if previous is None:
        return len(number) == 1 or number[-1] == 1
    for depth in range(len(number)):
        head, last = number[:depth], number[depth]
        if len(number) == depth + 1:
            if previous[:depth] == head and len(previous) > depth and previous[depth] + 1 == last:
                return True   # next sibling (or next chapter after a subsection)
            if previous == head and last == 1:
                return True   # first child
    return False


@dataclass(frozen=True)
class Outline:
    """Sections (chapters) and themes (other headings) with lookup by offset."""

    sections: tuple[Section, ...]
    themes: tuple[Span, ...]

    def __post_init__(self) -> None:
        # lookups by bisection: a document with thousands of headings stays linear
        object.__setattr__(self, "_section_starts", [s.start for s in self.sections])
        object.__setattr__(self, "_theme_starts", [t.start for t in self.themes])

    def section_at(self, offset: int) -> Section | None:
        """The innermost section containing ``offset``: the last one starting at or before it
        that still runs past it (sections come in text order and nest)."""
        starts: list[int] = self.__dict__["_section_starts"]
        i = bisect.bisect_right(starts, offset) - 1
        while i >= 0:
            section = self.sections[i]
            if offset < section.end:
                return section
            i -= 1
        return None

    def theme_at(self, offset: int) -> str | None:
        """The nearest heading before ``offset`` inside the same section."""
        starts: list[int] = self.__dict__["_theme_starts"]
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return None
        theme = self.themes[i]
        section = self.section_at(offset)
        if section is not None and theme.start < section.start:
            return None
        return theme.text


def outline(text: str) -> Outline:
    """Find the sections and themes of a cleaned text."""
    paras = list(paragraphs(text))
    numbered: list[tuple[tuple[int, ...], Span]] = []
    previous: tuple[int, ...] | None = None
    for p in paras:
        number = _number(p.text)
        if number is not None and _follows(previous, number):
            numbered.append((number, p))
            previous = number
    headings = [p for p in paras if is_heading_line(p.text) and not p.text.startswith(("•", "●", "-", "–"))]
    numbered_starts = {p.start for _, p in numbered}
    themes = tuple(p for p in headings if p.start not in numbered_starts)
    if numbered:
        # a section ends where the next one of the same or a higher level starts: with a stack of
        # open sections each heading closes the deeper or equal ones before it, in one pass
        ends = [len(text)] * len(numbered)
        open_: list[int] = []
        for k, (number, p) in enumerate(numbered):
            while open_ and len(numbered[open_[-1]][0]) >= len(number):
                ends[open_.pop()] = p.start
            open_.append(k)
        sections = [Section(title=re.sub(r"\s+", " ", p.text), start=p.start, end=ends[k],
                            number=".".join(map(str, number))) for k, (number, p) in enumerate(numbered)]
        return Outline(tuple(sections), themes)
    plain = [p for p in headings if len(p.text.split()) >= 2]
    sections = [Section(title=p.text, start=p.start, end=plain[k + 1].start if k + 1 < len(plain) else len(text))
                for k, p in enumerate(plain)]
    return Outline(tuple(sections), themes)
