"""Paragraphs and sentences of a cleaned text, with character offsets, and the language.

Sentence splitting is rule-based: a full stop, question or exclamation mark ends a sentence
when a capital, a digit or an opening quote follows, unless the word before it is a known
abbreviation (Danish and English). Offsets always index the cleaned text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


ABBREVIATIONS = _wordset(
    # Danish
    "bl.a bl f.eks eks fx mia mio kr ca jf nr pkt m.m mv tidl kl inkl ekskl evt dvs osv etc hhv "
    "vedr mht pga iht ift el ang mfl m.fl o.l s stk tlf dr prof cand mag adm dir p.t t.o.m jan feb "
    "mar apr jun jul aug sep sept okt nov dec "
    # English
    "e.g i.e approx mr mrs ms no vs st inc ltd co corp fig eq vol al"
)
_BOUNDARY = re.compile(r"[.!?]+[\"”»’)\]]*(?=\s+[\"“„«(\[]?[A-ZÆØÅÄÖÜ0-9•])")
_LEADING_BULLET = re.compile(r"^[•●▪◦‣∙·*]\s+")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?]*[\"”»’)\]]*$")


@dataclass(frozen=True)
class Span:
    """A piece of the cleaned text: ``text == source[start:end]``."""

    text: str
    start: int
    end: int


def paragraphs(text: str) -> Iterator[Span]:
    """Each paragraph (a line of the cleaned text) with its offsets."""
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            body = line.strip()
            yield Span(body, pos + lead, pos + lead + len(body))
        pos += len(line) + 1


def _is_abbreviation(paragraph: str, end: int) -> bool:
    """Whether the full stop just before ``end`` closes an abbreviation, not a sentence."""
    match = _WORD_BEFORE.search(paragraph[max(0, end - 40):end])
    if not match:
        return False
    word = match.group(1).lower().rstrip(".")
    # one-letter initials ("H. C. Andersen") and section or ordinal numbers ("1. Indledning")
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or (word.isdigit() and len(word) <= 2)


def sentences(paragraph: Span) -> Iterator[Span]:
    """The sentences of one paragraph, with offsets into the whole text."""
    text = paragraph.text
    bullet = _LEADING_BULLET.match(text)
    start = bullet.end() if bullet else 0     # a list item's sentence starts after its bullet
    for match in _BOUNDARY.finditer(text, start):
        end = match.end()
        if text[match.start()] == "." and _is_abbreviation(text, match.start() + 1):
            continue
        if text[start:end].strip():
            yield _span(text, start, end, paragraph.start)
        start = end
    if text[start:].strip():
        yield _span(text, start, len(text), paragraph.start)


def _span(text: str, start: int, end: int, offset: int) -> Span:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    body = piece.strip()
    return Span(body, offset + start + lead, offset + start + lead + len(body))


def all_sentences(text: str) -> list[Span]:
    return [s for p in paragraphs(text) for s in sentences(p)]


_DA = _wordset("og er det at af til på ikke vi som en med for de den har skal vil kan fra om også der")
_EN = _wordset("the and is it to of in on not we as a with for they has shall will can from about also there")


def detect_language(text: str) -> str:
    """'da' or 'en' by counting frequent function words ('und' when neither is found)."""
    words = re.findall(r"[a-zæøå]+", text[:20000].lower())
    da = sum(1 for w in words if w in _DA)
    en = sum(1 for w in words if w in _EN)
    if da == en == 0:
        return "und"
    return "da" if da >= en else "en"
