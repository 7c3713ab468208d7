"""Peer learning across plans: which kinds of action plans use, how large their effects are and
what they cost per tonne, compared between plans and filtered by the kind of municipality.

Actions of different plans are compared by their *family*: the sector, the effect kind and, for
a switch or shift, the rows it moves from and to (``energy / switch / oil -> electricity``), so
"Varmepumper erstatter oliefyr" in one plan and "Heat pumps replace oil boilers" in another are
one family whatever their titles. Each family reports:

* how many plans (and organisations) use it, and which;
* the effect size at full adoption, by its main parameter (the share moved for a switch or
  shift, the reduction for a demand or factor change, the amount for a removal, in its unit):
  median, lowest and highest;
* the levelised cost per tonne abated where the plan states a cost (median, lowest, highest);
* the reduction the plan attributes to it in the comparison year (median and sum).

A filter keeps the plans of one kind of municipality, e.g. those whose agriculture is above
30 % of the latest inventory's total (``agriculture_above=0.30``). The inputs are plain data
(:class:`PlanActions`), built from an engine plan and its scenario summary by
:func:`plan_actions`, so the web app and the command line compare the same way.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from nettonul.engine.plan.effects import Removal, Shift, Switch
from nettonul.engine.plan.spec import Action, Plan

#: The parameter that measures an effect's size, by effect kind.
SIZE_OF = {"switch": "share", "shift": "share", "demand": "reduction", "factor": "reduction", "removal": "amount"}


@dataclass(frozen=True)
class LibraryAction:
    """One action of one plan, as the library compares it."""

    title: str
    family: str
    kind: str
    sector: str
    size: float | None
    size_unit: str  # "share" (0-1) or a removal's unit, e.g. "ha"
    cost_per_t: float | None  # DKK per t CO2e, levelised; None without a stated cost
    reduction_t: float  # attributed reduction in the comparison year, t CO2e


@dataclass(frozen=True)
class PlanActions:
    """A plan's actions with what the filter needs to know of its organisation."""

    organisation: str  # its code (kommunekode)
    name: str  # the organisation's name
    plan: str  # the plan's title
    agriculture_share: float | None  # agriculture / total in the latest inventory year; None unknown
    actions: tuple[LibraryAction, ...]
    synthetic: bool = False  # an illustrative or generated plan, labelled wherever shown


@dataclass(frozen=True)
class Range:
    median: float
    low: float
    high: float
    n: int

    @staticmethod
    def of(values: Iterable[float]) -> Range | None:
        found = sorted(values)
        if not found:
            return None
        return Range(float(statistics.median(found)), float(found[0]), float(found[-1]), len(found))


@dataclass(frozen=True)
class FamilyFigures:
    family: str
    kind: str
    sector: str
    plans: int
    organisations: tuple[str, ...]
    titles: tuple[str, ...]
    size: Range | None
    size_unit: str
    cost_per_t: Range | None
    reduction_t: Range | None
    reduction_total_t: float
    users: tuple[dict[str, Any], ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def family_of(action: Action) -> str:
    """The family an action is compared in (see the module's docstring)."""
    e = action.effect
    if isinstance(e, Switch | Shift):
        moved = f"{e.from_} -> {e.to}" + (f" ({e.to_sector})" if e.to_sector and e.to_sector != e.sector else "")
        return f"{e.sector} / {e.type} / {moved}"
    if isinstance(e, Removal):
        return f"{e.sector} / removal / {_fold(e.activity)}"
    carriers = getattr(e, "carriers", None)
    return f"{e.sector} / {e.type}" + (f" / {', '.join(sorted(carriers))}" if carriers else "")


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).casefold()).strip()


def plan_actions(plan: Plan, summary: Mapping[str, Any], *, organisation: str, name: str,
                 agriculture_share: float | None, synthetic: bool = False) -> PlanActions:
    """The library's view of ``plan`` from its scenario ``summary``
    (:func:`nettonul.engine.plan.scenario.summarise`). Actions already in the national business
    as usual are left out: they are not the plan's own."""
    by_id = {a["id"]: a for a in summary.get("actions", [])}
    rows = []
    for a in plan.actions:
        if a.in_baseline:
            continue
        found = by_id.get(a.id, {})
        size_name = SIZE_OF[a.effect.type]
        size = getattr(a.effect, size_name, None)
        cost = (found.get("cost") or {}).get("cost_per_t_co2e")
        rows.append(LibraryAction(
            title=a.title, family=family_of(a), kind=a.effect.type, sector=a.effect.sector,
            size=float(size) if size is not None else None,
            size_unit=a.effect.unit if isinstance(a.effect, Removal) else "share",
            cost_per_t=float(cost) if cost is not None else None,
            reduction_t=float(found.get("reduction_in_macc_year_t_co2e", 0.0))))
    return PlanActions(organisation, name, plan.name, agriculture_share, tuple(rows), synthetic)


def agriculture_share(by_sector: Mapping[str, float]) -> float | None:
    """Agriculture's share of the gross total of one year's emissions by sector (sectors are
    codes; agriculture's sub-sectors count with it); None without a positive total."""
    gross = sum(v for v in by_sector.values() if v > 0)
    if gross <= 0:
        return None
    farm = sum(v for k, v in by_sector.items() if (k == "agriculture" or k.startswith("agriculture.")) and v > 0)
    return farm / gross


def compare(plans: Sequence[PlanActions], *, agriculture_above: float | None = None,
            query: str | None = None, match: Callable[[str], bool] | None = None) -> list[FamilyFigures]:
    """Figures per family over ``plans`` (only those whose agriculture share is above
    ``agriculture_above``, when given; plans with an unknown share are then left out), most
    used first. ``query`` keeps the families whose family name and action titles contain
    every word of it; ``match`` (a test of that text, e.g. one that knows synonyms) replaces it."""
    kept = [p for p in plans if agriculture_above is None
            or (p.agriculture_share is not None and p.agriculture_share > agriculture_above)]
    words = re.findall(r"\w+", _fold(query or ""))
    groups: dict[str, list[tuple[PlanActions, LibraryAction]]] = {}
    for p in kept:
        for a in p.actions:
            groups.setdefault(a.family, []).append((p, a))
    out = []
    for family, members in groups.items():
        text = _fold(" ".join([family, *(a.title for _, a in members)]))
        if match is not None:
            if not match(text):
                continue
        elif words and not all(w in text for w in words):
            continue
        first = members[0][1]
        organisations = tuple(dict.fromkeys(p.organisation for p, _ in members))
        out.append(FamilyFigures(
            family=family, kind=first.kind, sector=first.sector,
            plans=len({(p.organisation, p.plan) for p, _ in members}), organisations=organisations,
            titles=tuple(dict.fromkeys(a.title for _, a in members)),
            size=Range.of(a.size for _, a in members if a.size is not None), size_unit=first.size_unit,
            cost_per_t=Range.of(a.cost_per_t for _, a in members if a.cost_per_t is not None),
            reduction_t=Range.of(a.reduction_t for _, a in members),
            reduction_total_t=float(sum(a.reduction_t for _, a in members)),
            users=tuple({"organisation": p.organisation, "name": p.name, "plan": p.plan, "title": a.title,
                         "size": a.size, "cost_per_t": a.cost_per_t, "reduction_t": a.reduction_t,
                         "synthetic": p.synthetic}
                        for p, a in members)))
    out.sort(key=lambda f: (-f.plans, -f.reduction_total_t, f.family))
    return out


def first_year_sectors(sectors: Sequence[str], by_sector: Sequence[float]) -> dict[str, float]:
    """``{sector: t CO2e}`` of one organisation in one year (e.g. a scenario's business as usual
    by sector in its first year, the latest inventory year), for :func:`agriculture_share`."""
    return {s: float(v) for s, v in zip(sectors, by_sector, strict=True)}
