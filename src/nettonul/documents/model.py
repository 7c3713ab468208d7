"""Result types of a document import: sections, targets, commitments, SDG mentions.

These dataclasses are the contract between the importer and everything that shows or stores
its candidates (CLI, the web review queue). Every offset is a character index into
``ImportResult.text``, the cleaned text, so ``text[start:end] == quote`` always holds. Ids are
built from offsets and stay the same when the same document is imported again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

TargetKind = Literal["reduction_pct", "net_zero", "absolute_level", "absolute_reduction", "per_capita", "energy",
                     "share", "area", "count", "finance", "ranking", "other"]
TARGET_KINDS: tuple[str, ...] = ("reduction_pct", "net_zero", "absolute_level", "absolute_reduction", "per_capita",
                                 "energy", "share", "area", "count", "finance", "ranking", "other")


@dataclass(frozen=True)
class Mention:
    """One place where a target is stated; a target restated in a document has several."""

    quote: str
    start: int
    end: int
    section: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"quote": self.quote, "start": self.start, "end": self.end, "section": self.section}


@dataclass(frozen=True)
class TableCell:
    """Where a target stands in a table: its row and column headers."""

    table: int
    row: str | None
    column: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"table": self.table, "row": self.row, "column": self.column}


@dataclass(frozen=True)
class Section:
    """A numbered chapter (or, in documents without numbering, a heading) and its span."""

    title: str
    start: int
    end: int
    number: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Target:
    """A quantitative target: who wants how much of what, against which base year, by when.

    ``value`` is the figure as written (a percentage as 70.0 for 70 %); a range such as
    "2-3 mia. kr." has ``value`` 2.0 and ``value_high`` 3.0. ``target_year`` is the year by
    which the target applies, or for a recurring target (finance per year) the year it starts.
    """

    subject: str | None
    kind: TargetKind
    value: float | None
    unit: str | None
    base_year: int | None
    target_year: int | None
    qualifier: str | None
    quote: str
    section: str | None
    start: int
    end: int
    value_high: float | None = None
    why: str = ""
    owner: str | None = None
    context: bool = False
    variant: str | None = None
    relative: bool = False
    mentions: tuple[Mention, ...] = ()
    table: TableCell | None = None

    @property
    def id(self) -> str:
        return f"t{self.start}-{self.end}"

    def all_mentions(self) -> tuple[Mention, ...]:
        """Every place the target is stated, the first (its own quote) included."""
        return self.mentions or (Mention(self.quote, self.start, self.end, self.section),)

    def json_value(self) -> float | list[float] | None:
        """The value as JSON shows it: a number, or ``[low, high]`` for a range."""
        if self.value is not None and self.value_high is not None:
            return [self.value, self.value_high]
        return self.value

    def to_json(self) -> dict[str, Any]:
        """The keys of ``nettonul import-doc --json``: the original eleven, then the id, owner,
        context, mentions and table cell added later (old readers can ignore them)."""
        return {
            "subject": self.subject, "kind": self.kind, "value": self.json_value(), "unit": self.unit,
            "base_year": self.base_year, "target_year": self.target_year, "qualifier": self.qualifier,
            "quote": self.quote, "section": self.section, "start": self.start, "end": self.end,
            "id": self.id, "owner": self.owner, "context": self.context, "variant": self.variant,
            "relative": self.relative, "mentions": [m.to_dict() for m in self.all_mentions()],
            "table": self.table.to_dict() if self.table else None,
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything, with the stable id and the rule that found it, for review screens."""
        return {**self.to_json(), "why": self.why}


@dataclass(frozen=True)
class Tag:
    """A suggested tag with the words that suggested it, so a reviewer sees why."""

    code: str
    because: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "because": list(self.because)}


@dataclass(frozen=True)
class SdgMention:
    """An SDG named in the text by number and/or by title.

    ``conflict`` is set when the number and the title point at different goals (for example
    "verdensmål 7 – livet i havet", whose title is goal 14): the importer
    reports both and suggests neither.
    """

    quote: str
    start: int
    end: int
    number: int | None
    title_goal: int | None

    @property
    def conflict(self) -> bool:
        return self.number is not None and self.title_goal is not None and self.number != self.title_goal

    @property
    def goal(self) -> int | None:
        """The goal meant, when the text is unambiguous."""
        if self.conflict:
            return None
        return self.number if self.number is not None else self.title_goal

    def message(self) -> str:
        if self.conflict:
            return (f"'{self.quote}' names SDG {self.number} but the title of SDG {self.title_goal}; "
                    "check which goal is meant")
        return f"'{self.quote}' names SDG {self.goal}"

    def to_dict(self) -> dict[str, Any]:
        return {"quote": self.quote, "start": self.start, "end": self.end, "number": self.number,
                "title_goal": self.title_goal, "conflict": self.conflict, "message": self.message()}


@dataclass(frozen=True)
class Commitment:
    """A candidate action: something the author says they will do, with suggested tags.

    ``text`` is the action itself (the words after "vil"/"will" or the list item); ``quote`` is
    the whole sentence it comes from. ``sector`` is the best-supported sector code or None;
    ``sdgs`` are suggested goal numbers; ``flags`` tell the reviewer what needs a decision.
    ``owner`` and ``context`` are read as for targets: a commitment of the nation, the EU or
    another named body is context, never the plan owner's action.
    """

    text: str
    quote: str
    section: str | None
    sector: str | None
    sdgs: tuple[int, ...]
    start: int
    end: int
    theme: str | None = None
    actor: str | None = None
    sector_tags: tuple[Tag, ...] = ()
    sdg_tags: tuple[Tag, ...] = ()
    flags: tuple[str, ...] = ()
    owner: str | None = None
    context: bool = False

    @property
    def id(self) -> str:
        return f"c{self.start}-{self.end}"

    def to_json(self) -> dict[str, Any]:
        """The keys of ``nettonul import-doc --json``, exactly."""
        return {"text": self.text, "quote": self.quote, "section": self.section, "sector": self.sector,
                "sdgs": list(self.sdgs), "start": self.start, "end": self.end, "id": self.id}

    def to_dict(self) -> dict[str, Any]:
        return {**self.to_json(), "theme": self.theme, "actor": self.actor, "owner": self.owner,
                "context": self.context,
                "sector_tags": [t.to_dict() for t in self.sector_tags],
                "sdg_tags": [t.to_dict() for t in self.sdg_tags], "flags": list(self.flags)}


@dataclass(frozen=True)
class ImportResult:
    """Everything found in one document."""

    source: str
    language: str
    text: str
    sections: tuple[Section, ...]
    targets: tuple[Target, ...]
    commitments: tuple[Commitment, ...]
    sdg_mentions: tuple[SdgMention, ...] = ()
    kind: str = "text"
    notes: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The document as ``nettonul import-doc --json`` prints it: exactly these six keys."""
        return {
            "source": self.source,
            "language": self.language,
            "sections": [s.to_dict() for s in self.sections],
            "targets": [t.to_json() for t in self.targets],
            "commitments": [c.to_json() for c in self.commitments],
            "text": self.text,
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything, including ids, tag reasons, SDG mentions and notes."""
        return {
            "source": self.source, "language": self.language, "kind": self.kind,
            "sections": [s.to_dict() for s in self.sections],
            "targets": [t.to_dict() for t in self.targets],
            "commitments": [c.to_dict() for c in self.commitments],
            "sdg_mentions": [m.to_dict() for m in self.sdg_mentions],
            "notes": list(self.notes),
            "text": self.text,
        }
