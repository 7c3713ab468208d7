"""Criteria sets and check results, and the message catalogue both are worded from.

A criteria set is data (``data/dk2020.yaml`` ships the DK2020/CAPF set of methodology
section 1.3): per criterion an id, a severity (E essential, R recommended, I informational),
a group, the name of a rule in :mod:`nettonul.engine.check.rules` with its parameters
(thresholds live here, never in code) and a title and fix in English and Danish. A country
or network can ship its own set with a subset of the criteria or other thresholds.

A rule returns an :class:`Outcome` (met / not met / not applicable, a message key with its
arguments, and the evidence: numbers with units). :func:`nettonul.engine.check.criteria.run_check`
turns outcomes into a :class:`CheckResult` worded in one language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from nettonul.engine.core import frameworks

Severity = Literal["E", "R", "I"]
Status = Literal["pass", "fail", "warn", "n.a."]
Language = Literal["en", "da"]
LANGUAGES: tuple[str, ...] = ("en", "da")


class Text(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    en: str
    da: str

    def get(self, language: str) -> str:
        return self.da if language == "da" else self.en


class CriterionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[A-Z]{2,5}-[0-9]{1,3}$")
    severity: Severity
    group: str
    rule: str
    params: dict[str, Any] = Field(default_factory=dict)
    title: Text
    fix: Text


class CriteriaSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: Text
    version: str
    source: str
    criteria: list[CriterionSpec] = Field(min_length=1)


# --------------------------------------------------------------------------- outcomes
@dataclass(frozen=True)
class Term:
    """A word from the catalogue (a hazard, a sector), translated when the message is worded."""

    key: str


@dataclass(frozen=True)
class Choice:
    """Terms worded as 'a or b or c' (or 'a and b') in the message language."""

    terms: tuple[Term, ...]
    joiner: str = "or"


@dataclass(frozen=True)
class Evidence:
    """One figure a rule used: a catalogue label key, the value and its unit."""

    label: str
    value: float | int | str | bool | None
    unit: str = ""
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """What a rule found. ``met`` None means not applicable; ``soft`` turns a failed
    essential criterion into a warning (e.g. a 2030 target below the national one with a
    documented gap, methodology note on sector-split targets)."""

    met: bool | None
    key: str
    args: dict[str, Any] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()
    soft: bool = False


@dataclass(frozen=True)
class CriterionResult:
    id: str
    severity: Severity
    group: str
    title: str
    result: Status
    message: str
    fix: str
    evidence: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "severity": self.severity, "group": self.group, "title": self.title,
                "result": self.result, "message": self.message, "fix": self.fix if self.result != "pass" else "",
                "evidence": [dict(e) for e in self.evidence]}


@dataclass(frozen=True)
class CheckResult:
    """The result of checking one plan against one criteria set, worded in ``language``."""

    plan: str
    organisation: str
    criteria_set: str
    criteria_version: str
    language: str
    results: tuple[CriterionResult, ...]

    @property
    def essential_failures(self) -> tuple[CriterionResult, ...]:
        return tuple(r for r in self.results if r.result == "fail")

    @property
    def verdict(self) -> Literal["pass", "pass_with_warnings", "fail"]:
        if self.essential_failures:
            return "fail"
        return "pass_with_warnings" if any(r.result == "warn" for r in self.results) else "pass"

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(("pass", "fail", "warn", "n.a."), 0)
        for r in self.results:
            out[r.result] += 1
        return out

    def get(self, criterion_id: str) -> CriterionResult:
        for r in self.results:
            if r.id == criterion_id:
                return r
        raise KeyError(criterion_id)

    def to_dict(self) -> dict[str, Any]:
        return {"plan": self.plan, "organisation": self.organisation, "criteria_set": self.criteria_set,
                "criteria_version": self.criteria_version, "language": self.language, "verdict": self.verdict,
                "counts": self.counts(), "criteria": [r.to_dict() for r in self.results]}


# --------------------------------------------------------------------------- loading and wording
def data_text(name: str) -> str:
    """The text of a data file shipped with the plan check (criteria sets, messages)."""
    return (resources.files("nettonul.engine.check") / "data" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Message key -> {en, da} templates (``str.format`` fields)."""
    data: dict[str, dict[str, str]] = yaml.safe_load(data_text("messages.yaml"))
    return data


def hazard_term(h: str) -> Term:
    """The catalogue term of a hazard code (``hazard.flooding``)."""
    return Term(f"hazard.{h}")


def number(value: float | int, language: str, digits: int = 0) -> str:
    """``12,345.6`` in English, ``12.345,6`` in Danish."""
    text = f"{value:,.{digits}f}"
    if language == "da":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def _word(value: Any, language: str) -> str:
    if isinstance(value, Term):
        if value.key.startswith("sector."):
            fw = frameworks.get_framework("dk-municipal")
            code = value.key.removeprefix("sector.")
            name = fw.sector(code).name(language) if code in fw else code
            # "Agriculture" -> "agriculture" inside a sentence, but "LULUCF" stays as it is
            return name[:1].lower() + name[1:] if name[1:2].islower() else name
        entry = catalogue().get(value.key)
        return entry[language] if entry else value.key.split(".")[-1]
    if isinstance(value, Choice):
        words = {"or": {"en": " or ", "da": " eller "}, "and": {"en": " and ", "da": " og "}}[value.joiner]
        return words["da" if language == "da" else "en"].join(_word(t, language) for t in value.terms)
    if isinstance(value, bool):
        return {"en": ("no", "yes"), "da": ("nej", "ja")}[language if language == "da" else "en"][int(value)]
    if isinstance(value, int):
        return str(value) if 1800 <= value <= 2200 else number(value, language)  # years stay unseparated
    if isinstance(value, float):
        return number(value, language, 0 if abs(value) >= 100 or value.is_integer() else 1)
    if isinstance(value, list | tuple):
        return ", ".join(str(_word(v, language)) for v in value)
    return str(value)


def word(key: str, args: dict[str, Any], language: str) -> str:
    """The catalogue message ``key`` in ``language`` with its arguments filled in."""
    entry = catalogue().get(key)
    if entry is None:
        return key
    text = entry[language].format(**{k: _word(v, language) for k, v in args.items()})
    return text[:1].upper() + text[1:]
