"""Sector and SDG suggestions from Danish and English lexicons, and SDG mentions in the text.

The lexicons are data (``lexicons/sectors.yaml``, ``lexicons/sdgs.yaml``). A stem matches at
the start of a word, or inside a Danish compound when it has six letters or more
("godstransport" contains "transport"); a stem ending in "$" must be the whole word, so
"bil$" finds "bil" but not "bilateral". Every suggestion carries the stems that caused it.

An SDG named by number and title that disagree ("verdensmål 7 – livet i havet": the title
is goal 14's) is reported as a conflict and suggests neither goal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from nettonul.documents.kernels import casefree
from nettonul.documents.model import SdgMention, Tag

_COMPOUND_MIN = 6
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


@dataclass(frozen=True)
class Entry:
    """One sector or goal of a lexicon: single-word stems, and multi-word phrases as a pattern."""

    code: str
    names: dict[str, str]
    sdgs: tuple[int, ...]
    stems: tuple[str, ...]
    phrases: re.Pattern[str] | None


def _stem_matches(stem: str, word: str) -> bool:
    """The matching rule of the lexicons for one lowercase word."""
    if stem.endswith("$"):
        return word == stem[:-1]
    if len(stem) >= _COMPOUND_MIN:
        return stem in word
    return word.startswith(stem)


def _entry(code: str, names: dict[str, str], sdgs: tuple[int, ...], keywords: list[str]) -> Entry:
    stems = tuple(k.lower() for k in keywords if " " not in k)
    phrases = [k.lower() for k in keywords if " " in k]
    pattern = None
    if phrases:
        parts = [r"(?<![\w])" + re.escape(p.rstrip("$")).replace(r"\ ", r"\s+") for p in phrases]
        pattern = re.compile("|".join(parts), re.IGNORECASE)
    return Entry(code, names, sdgs, stems, pattern)


def _load(name: str) -> dict[str, Any]:
    text = resources.files("nettonul.documents").joinpath("lexicons", name).read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@cache
def sectors() -> tuple[Entry, ...]:
    data = _load("sectors.yaml")["sectors"]
    return tuple(
        _entry(code, dict(spec["name"]), tuple(spec["sdgs"]),
               list(spec["keywords"]["da"]) + list(spec["keywords"]["en"]))
        for code, spec in data.items()
    )


@cache
def goals() -> tuple[Entry, ...]:
    data = _load("sdgs.yaml")["goals"]
    return tuple(
        _entry(str(number), {"en": spec["en"], "da": spec["da"]}, (int(number),),
               list(spec["keywords"]["da"]) + list(spec["keywords"]["en"]))
        for number, spec in sorted(data.items())
    )


def goal_name(number: int, language: str = "en") -> str:
    return goals()[number - 1].names["da" if language == "da" else "en"]


def _entries(lexicon: str) -> tuple[Entry, ...]:
    return sectors() if lexicon == "sectors" else goals()


@cache
def _word_hits(lexicon: str, word: str) -> tuple[tuple[int, str], ...]:
    """(entry index, stem) pairs for one lowercase word; cached, as words repeat in a document."""
    return tuple((i, stem.rstrip("$")) for i, e in enumerate(_entries(lexicon)) for stem in e.stems
                 if _stem_matches(stem, word))


def _all_hits(lexicon: str, text: str) -> dict[int, tuple[str, ...]]:
    """Entry index -> distinct stems found, in order of appearance."""
    found: dict[int, list[str]] = {}
    lowered = text.lower()
    folded = len(lowered) == len(text)   # then the phrases match case-free on the lowercased text
    for word in _WORD.findall(lowered):
        for index, stem in _word_hits(lexicon, word):
            words = found.setdefault(index, [])
            if stem not in words:
                words.append(stem)
    for index, entry in enumerate(_entries(lexicon)):
        if entry.phrases is not None:
            matches = casefree(entry.phrases).finditer(lowered) if folded else entry.phrases.finditer(text)
            for match in matches:
                phrase = " ".join(match.group(0).lower().split())
                words = found.setdefault(index, [])
                if phrase not in words:
                    words.append(phrase)
    return {i: tuple(w) for i, w in found.items()}


def suggest_sector(text: str) -> tuple[str | None, tuple[Tag, ...]]:
    """The sector with most distinct stems in ``text`` (None when none), and all sector tags."""
    hits = _all_hits("sectors", text)
    tags = [Tag(e.code, hits[i]) for i, e in enumerate(sectors()) if i in hits]
    if not tags:
        return None, ()
    # most distinct stems wins; a tie goes to stems that start a word (the "bygning" inside
    # "udbygning" counts less than "fjernvarme"), then to the stem that comes first in the text
    lowered = text.lower()

    def at_word_start(tag: Tag) -> int:
        return sum(1 for w in tag.because if re.search(r"(?<!\w)" + re.escape(w), lowered))

    ranked = sorted(tags, key=lambda t: (-len(t.because), -at_word_start(t), min(lowered.find(w) for w in t.because)))
    best = ranked[0].code
    return best, tuple(ranked)


def suggest_sdgs(text: str, sector_codes: tuple[str, ...] = (),
                 mentions: tuple[SdgMention, ...] = ()) -> tuple[Tag, ...]:
    """Goals suggested by the goal lexicon, the sectors found and unambiguous explicit mentions."""
    reasons: dict[int, list[str]] = {}
    for index, words in _all_hits("goals", text).items():
        reasons.setdefault(index + 1, []).extend(words)
    by_code = {e.code: e for e in sectors()}
    for code in sector_codes:
        for goal in by_code[code].sdgs:
            reasons.setdefault(goal, []).append(f"sector {code}")
    for mention in mentions:
        if mention.goal is not None:
            reasons.setdefault(mention.goal, []).append(f"named: {mention.quote}")
    return tuple(Tag(str(goal), tuple(reasons[goal])) for goal in sorted(reasons))


@cache
def _mention_patterns() -> tuple[re.Pattern[str], list[tuple[int, re.Pattern[str]]], re.Pattern[str]]:
    data = _load("sdgs.yaml")
    prefixes = sorted(data["number_prefixes"], key=len, reverse=True)
    numbered = re.compile(
        r"(?<![\w])(?:" + "|".join(re.escape(p) for p in prefixes) + r")\s*(?:nr\.?\s*|no\.?\s*)?(\d{1,2})(?![\d])",
        re.IGNORECASE)
    titles: list[tuple[int, re.Pattern[str]]] = []
    for number, spec in data["goals"].items():
        for name in (spec["en"], spec["da"]):
            words = re.escape(name.lower()).replace(r"\ ", r"\s+")
            titles.append((int(number), re.compile(rf"(?<![\w]){words}(?![\w])", re.IGNORECASE)))
    separator = re.compile(r"\s*(?:[-–—:,]|\(|\s)\s*[\"“”„]?")
    return numbered, titles, separator


def find_sdg_mentions(text: str) -> tuple[SdgMention, ...]:
    """Goals named by number ("verdensmål 4", "SDG 7"), with the title written next to them,
    and goals named only by a title of three words or more."""
    numbered, titles, separator = _mention_patterns()
    mentions: list[SdgMention] = []
    covered: list[tuple[int, int]] = []
    lowered = text.lower()
    if not any(word in lowered for word in ("verdensmål", "sdg", "goal", "mål nr", "sustainable", "global")):
        numbered_matches: list[re.Match[str]] = []
    else:
        numbered_matches = list(numbered.finditer(text))
    for match in numbered_matches:
        number = int(match.group(1))
        if not 1 <= number <= 17:
            continue
        end = match.end()
        title_goal = None
        sep = separator.match(text, end)
        if sep:
            for goal, pattern in titles:
                title = pattern.match(text, sep.end())
                if title:
                    title_goal, end = goal, title.end()
                    break
        mentions.append(SdgMention(text[match.start():end], match.start(), end, number, title_goal))
        covered.append((match.start(), end))
    for goal, pattern in titles:
        words = pattern.pattern.split(r"\s+")
        if len(words) < 3:
            continue
        first = words[0].replace("(?<![\\w])", "").replace("\\", "")
        at = lowered.find(first)
        while at != -1:
            title = pattern.match(text, at)
            if title and not any(s <= at < e for s, e in covered):
                mentions.append(SdgMention(title.group(0), title.start(), title.end(), None, goal))
                covered.append((title.start(), title.end()))
            at = lowered.find(first, at + 1)
    return tuple(sorted(mentions, key=lambda m: m.start))
