"""Criteria sets and check results, and how results are worded from the message catalogue.

A criteria set is data (``data/dk2020.yaml`` ships the DK2020/CAPF set of methodology
sections 1.3 and 9.5): per criterion an id, a severity (E essential, R recommended, I
informational), a group, the CAPF section it comes from (``capf``: ``"1.3"``, see
:data:`CAPF_SECTIONS`), the plan field paths it is about (``fields``: paths in the plan
document such as ``adoption.adopted`` or ``action_details.*.owner``, ``*`` standing for any
action id or list item, so that a form can link a fix to its field), the name of a rule in
:mod:`nettonul.engine.check.rules` with its parameters (thresholds live here, never in code)
and a title and fix in English and Danish. A country or network can ship its own set with a
subset of the criteria or other thresholds.

A rule returns an :class:`Outcome` (met / not met / not applicable, a message key with its
arguments, and the evidence: numbers with units). :func:`nettonul.engine.check.criteria.run_check`
turns outcomes into a :class:`CheckResult` worded in one language. Message keys and the
words of terms (hazards, benefits) are ids of the ``nettonul`` gettext catalogue
(:mod:`nettonul.engine.core.i18n`); keys built from data are marked with ``N_``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from nettonul.engine.core import frameworks, i18n
from nettonul.engine.core.i18n import N_

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


#: The sections of the CAPF 2020 (Realdania's Danish edition; methodology §9.5).
CAPF_SECTIONS: dict[str, Text] = {
    "1.1": Text(en="Vision and commitment", da="Vision og forpligtelse"),
    "1.2": Text(en="Coordination with other institutions", da="Koordinering med andre institutioner"),
    "1.3": Text(en="Targets for mitigation, adaptation and benefits", da="Mål for reduktion, tilpasning og merværdi"),
    "1.4": Text(en="Staff resources", da="Personaleressourcer"),
    "1.5": Text(en="Communication", da="Kommunikation"),
    "2.1": Text(en="Context", da="Kontekst"),
    "2.2": Text(en="Governance and powers", da="Styring og beføjelser"),
    "2.3": Text(en="Emissions inventory", da="Drivhusgasopgørelse"),
    "2.4": Text(en="Emission pathways", da="Udledningsforløb"),
    "2.5": Text(en="Climate risk assessment", da="Klimarisikovurdering"),
    "3.1": Text(en="Equitable and inclusive actions", da="Retfærdige og inkluderende tiltag"),
    "3.2": Text(en="Barriers", da="Barrierer"),
    "3.3": Text(en="Implementation and financing", da="Implementering og finansiering"),
    "3.4": Text(en="Monitoring, evaluation, reporting and revision",
                da="Monitorering, evaluering, rapportering og revision"),
}


class CriterionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[A-Z]{2,5}-[0-9]{1,3}$")
    severity: Severity
    group: str
    capf: str | None = Field(None, description="The CAPF section the criterion comes from (a key of CAPF_SECTIONS); "
                                               "every criterion of the shipped set names one.")
    rule: str
    params: dict[str, Any] = Field(default_factory=dict)
    title: Text
    fix: Text
    #: The plan document fields the fix is about, as paths (``adoption.adopted``,
    #: ``adaptation.risk_assessment.hazards``); ``*`` stands for any action id or list item, in
    #: an action path for each action the rule names (``action_details.*.kpis``). A user
    #: interface links each path to where it is edited.
    fields: list[str] = Field(default_factory=list, description="Plan field paths the criterion is about.")


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
    capf: str = ""
    capf_title: str = ""
    #: The criterion's field paths (:attr:`CriterionSpec.fields`) and the actions a failed
    #: rule named (what ``*`` in an action path stands for).
    fields: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        failed = self.result != "pass"
        return {"id": self.id, "severity": self.severity, "group": self.group, "title": self.title,
                "capf": self.capf, "capf_title": self.capf_title, "fields": list(self.fields),
                "result": self.result, "message": self.message, "fix": self.fix if failed else "",
                "evidence": [dict(e) for e in self.evidence], "subjects": list(self.subjects) if failed else []}


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
    """The text of a data file shipped with the plan check (criteria sets)."""
    return (resources.files("nettonul.engine.check") / "data" / name).read_text(encoding="utf-8")


#: The words of hazard and benefit codes (terms built from plan data, marked for extraction).
DATA_TERMS = (
    N_("hazard.pluvial_flood"), N_("hazard.fluvial_flood"), N_("hazard.coastal_flood_storm_surge"),
    N_("hazard.sea_level_rise"), N_("hazard.groundwater_rise"), N_("hazard.extreme_heat"), N_("hazard.drought"),
    N_("hazard.storm_wind"), N_("hazard.erosion"), N_("hazard.water_scarcity"), N_("hazard.vector_borne_disease"),
    N_("benefit.health"), N_("benefit.jobs"), N_("benefit.economy"), N_("benefit.nature"), N_("benefit.air_quality"),
    N_("benefit.energy_security"), N_("benefit.equity"), N_("benefit.other"),
    N_("power.own"), N_("power.regulate"), N_("power.facilitate"), N_("power.partner"), N_("power.none"),
)


def hazard_term(h: str) -> Term:
    """The catalogue term of a hazard code (``hazard.flooding``)."""
    return Term(f"hazard.{h}")


_JOINERS = {"or": N_("word.or"), "and": N_("word.and")}


def _word(value: Any, language: str) -> str:
    if isinstance(value, Term):
        if value.key.startswith("sector."):
            fw = frameworks.get_framework("dk-municipal")
            code = value.key.removeprefix("sector.")
            name = fw.sector(code).name(language) if code in fw else code
            # "Agriculture" -> "agriculture" inside a sentence, but "LULUCF" stays as it is
            return name[:1].lower() + name[1:] if name[1:2].islower() else name
        return i18n.text(value.key, language) if i18n.has_text(value.key, language) else value.key.split(".")[-1]
    if isinstance(value, Choice):
        joiner = i18n.text(_JOINERS[value.joiner], language)
        return f" {joiner} ".join(_word(t, language) for t in value.terms)
    if isinstance(value, bool):
        return i18n.text(N_("word.yes") if value else N_("word.no"), language)
    if isinstance(value, date):  # 10.12.2025 in Danish
        return i18n.day(value, language)
    if isinstance(value, int):
        return str(value) if 1800 <= value <= 2200 else i18n.number(value, language)  # years stay unseparated
    if isinstance(value, float):
        return i18n.number(value, language, 0 if abs(value) >= 100 or value.is_integer() else 1)
    if isinstance(value, list | tuple):
        return ", ".join(str(_word(v, language)) for v in value)
    return str(value)


def word(key: str, args: dict[str, Any], language: str) -> str:
    """The catalogue message ``key`` in ``language`` with its arguments filled in."""
    if not i18n.has_text(key, language):
        return key
    text = i18n.text(key, language, **{k: _word(v, language) for k, v in args.items()})
    return text[:1].upper() + text[1:]
