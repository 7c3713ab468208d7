"""A draft plan from an imported document: its own targets and, from its commitments, actions
with a suggested sector, effect kind and parameters.

What a commitment's sentence states is taken as it stands: a percentage becomes the effect's
share or reduction, an area in hectares a removal's amount, one year the year of full effect
and two years the start and the full year. Counts, capacities (MW) and tonnes are quoted with
the action as what the document states, since an effect changes activity and emission factors,
never "so many tonnes" (``nettonul.engine.plan.effects``). Everything else an effect needs (the
carriers, an efficiency ratio, a removal rate, a share the sentence does not give, the effect
kind itself) is *assumed*: it is written into the action's ``assumptions`` under its field path,
worded "assumption - needs review" ("antagelse - skal gennemgås"), and stays so until an editor
confirms it. What is stated goes into ``sources`` under its path with the words it comes from.

The draft is a plan document of the engine's schema (``nettonul.engine.plan.spec``): it
evaluates as it is, and the plan check says what it lacks. Targets and commitments of other
bodies (``context``) are left out; indicator targets the engine does not compute (shares,
areas, counts, energy) are listed in the draft's notes.

All rules are language patterns in Danish and English; nothing here knows any document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nettonul.documents.kernels import find_kernels
from nettonul.documents.model import Commitment, ImportResult, Target
from nettonul.documents.quantities import YEAR_RE
from nettonul.engine.core import i18n
from nettonul.engine.core.vocabulary import EFFECT_KINDS, FIRST_YEAR, LAST_YEAR

_I = re.IGNORECASE

#: The mark of every assumed number, by language (engine catalogue key ``draft.assumed``).
ASSUMED_KEY = "draft.assumed"
STATED_KEY = "draft.stated"

#: Sector of the sector lexicon -> sector of the dk-municipal framework (buildings' heat is energy).
FRAMEWORK_SECTOR = {"energy": "energy", "buildings": "energy", "transport": "transport", "industry": "industry",
                    "agriculture": "agriculture", "waste": "waste", "nature": "lulucf"}

#: The activity split a draft starts from when no base plan gives one: one row per carrier an
#: effect rule names. Shares and factors are assumptions (BR18 reference factors where they
#: exist); a municipality replaces them with its own split.
GENERIC_ACTIVITY: dict[str, list[dict[str, Any]]] = {
    "energy": [
        {"carrier": "oil", "share": 0.25, "unit": "MWh", "factor": 0.266},
        {"carrier": "natural_gas", "share": 0.25, "unit": "MWh", "factor": "br18.grid_gas"},
        {"carrier": "electricity", "share": 0.35, "unit": "MWh", "factor": "br18.electricity"},
        {"carrier": "district_heating", "share": 0.15, "unit": "MWh", "factor": "br18.district_heating"},
    ],
    "transport": [
        {"carrier": "cars", "share": 0.60, "unit": "MWh", "factor": 0.264},
        {"carrier": "buses", "share": 0.10, "unit": "MWh", "factor": 0.266},
        {"carrier": "other_road", "share": 0.30, "unit": "MWh", "factor": 0.266},
    ],
}


def generic_activity(language: str) -> dict[str, list[dict[str, Any]]]:
    """:data:`GENERIC_ACTIVITY` with every row marked as an assumption awaiting review."""
    assumed = i18n.text(ASSUMED_KEY, language)
    return {sector: [{**row, "assumption": True, "reason": assumed} for row in rows]
            for sector, rows in GENERIC_ACTIVITY.items()}


@dataclass(frozen=True)
class Stated:
    """What a commitment's sentence states: percentages, areas (ha), years, and the figures
    quoted as they stand (counts, MW, tonnes, MWh)."""

    percents: tuple[float, ...] = ()
    hectares: tuple[float, ...] = ()
    years: tuple[int, ...] = ()
    quoted: tuple[str, ...] = ()


def stated_in(sentence: str, language: str) -> Stated:
    """The parameters ``sentence`` states (see :class:`Stated`)."""
    percents, hectares, quoted = [], [], []
    for k in find_kernels(sentence, language):
        if k.value is None:
            continue
        if k.unit == "%":
            percents.append(k.value)
        elif k.unit == "ha":
            hectares.append(k.value)
        else:
            quoted.append(sentence[k.start:k.end])
    years = sorted({int(m.group(1)) for m in YEAR_RE.finditer(sentence)
                    if FIRST_YEAR < int(m.group(1)) <= LAST_YEAR})
    return Stated(tuple(percents), tuple(hectares), tuple(years), tuple(quoted))


@dataclass
class _Effect:
    """An effect under construction: its fields and which of them the sentence states."""

    fields: dict[str, Any]
    stated: dict[str, str] = field(default_factory=dict)   # field -> the words it comes from


def _share(stated: Stated, default: float, name: str, effect: dict[str, Any], out: _Effect) -> None:
    pct = next((p for p in stated.percents if 0 < p <= 100), None)
    if pct is None:
        effect[name] = default
    else:
        effect[name] = round(pct / 100, 6)
        out.stated[name] = f"{pct:g} %"


def _switch(sector: str, from_: str, to: str, ratio: float, default: float,
            to_sector: str | None = None) -> Callable[[Stated], _Effect]:
    def build(stated: Stated) -> _Effect:
        effect: dict[str, Any] = {"type": "switch", "sector": sector, "from": from_, "to": to,
                                  "efficiency_ratio": ratio}
        if to_sector:
            effect["to_sector"] = to_sector
        out = _Effect(effect)
        _share(stated, default, "share", effect, out)
        return out
    return build


def _reduce(kind: str, sector: str, default: float, carriers: list[str] | None = None) -> Callable[[Stated], _Effect]:
    def build(stated: Stated) -> _Effect:
        effect: dict[str, Any] = {"type": kind, "sector": sector}
        if carriers:
            effect["carriers"] = list(carriers)
        out = _Effect(effect)
        _share(stated, default, "reduction", effect, out)
        return out
    return build


def _removal(activity: str, rate: float, default_ha: float) -> Callable[[Stated], _Effect]:
    def build(stated: Stated) -> _Effect:
        effect: dict[str, Any] = {"type": "removal", "sector": "lulucf", "activity": activity, "unit": "ha",
                                  "rate": rate, "amount": default_ha}
        out = _Effect(effect)
        if stated.hectares:
            effect["amount"] = stated.hectares[0]
            out.stated["amount"] = f"{stated.hectares[0]:g} ha"
        return out
    return build


# (words in the commitment, the effect it suggests): the first rule whose words occur wins.
# The defaults are assumptions: efficiency ratios of 0.30 (a boiler's 0.9 over a heat pump's
# COP 3; a petrol car's MWh against an electric car's), 1.0 for district heat replacing gas,
# 8 t CO2e per hectare and year for new forest and 15 for rewetted organic soil. Local solar and
# wind get a factor change of 0 on electricity: the Energi- og CO2-regnskab counts consumed
# electricity at the national average factor and does not subtract local production
# (methodology, electricity and heat), so the draft claims nothing until an editor decides.
_RULES: tuple[tuple[re.Pattern[str], Callable[[Stated], _Effect]], ...] = tuple(
    (re.compile(words, _I), build) for words, build in (
        (r"skovrejsning|\bskov\w*|træer|\bforest\w*|afforest\w*|\btrees?\b",
         _removal("afforestation", 8.0, 100.0)),
        (r"lavbund\w*|vådområde\w*|udtag\w* af \w*jord|\bmose\w*|rewet\w*|peat\w*|wetland\w*|organic soil",
         _removal("rewetting", 15.0, 100.0)),
        (r"fjernvarme\w*|district heat\w*", _switch("energy", "natural_gas", "district_heating", 1.0, 0.5)),
        (r"biogas\w*|biomethane", _reduce("factor", "energy", 0.3, ["natural_gas"])),
        (r"naturgas\w*|gasfyr\w*|natural gas|gas boilers?", _switch("energy", "natural_gas", "electricity", 0.30, 0.5)),
        (r"varmepumpe\w*|oliefyr\w*|\bolie\w*|heat pumps?|oil[- ]boilers?|heating oil",
         _switch("energy", "oil", "electricity", 0.30, 0.5)),
        (r"solcelle\w*|solenergi|vindmølle\w*|vindkraft|havvind|\bsol\w*park\w*|solar|wind|vedvarende|renewable",
         _reduce("factor", "energy", 0.0, ["electricity"])),   # see the comment above the rules
        (r"elbus\w*|el-bus\w*|elektriske busser|\bbusser\b|\bbus\w*|electric bus\w*",
         _switch("transport", "buses", "electricity", 0.35, 0.5, "energy")),
        (r"elbil\w*|elektriske biler|ladestander\w*|ladeinfrastruktur|ladepunkt\w*|electric (?:cars?|vehicles?)"
         r"|charging|\bevs?\b", _switch("transport", "cars", "electricity", 0.30, 0.2, "energy")),
        (r"cykel\w*|cykl\w*|kollektiv\w* trafik|samkørsel|delebil\w*|bicycl\w*|cycl\w*|public transport|car[- ]shar\w*",
         _reduce("demand", "transport", 0.05, ["cars"])),
        (r"energirenover\w*|\w*isoler\w*|renover\w*|energibesparel\w*|energieffektiv\w*|\bled\b|insulat\w*|retrofit\w*"
         r"|efficien\w*|bygning\w*|building\w*", _reduce("demand", "energy", 0.1)),
        (r"landbrug\w*|gylle\w*|foder\w*|kvæg\w*|husdyr\w*|agricultur\w*|farm\w*|livestock|manure|slurry",
         _reduce("demand", "agriculture", 0.1)),
        (r"affald\w*|genanvend\w*|deponi\w*|waste|recycl\w*|landfill", _reduce("demand", "waste", 0.1)),
        (r"industri\w*|virksomhed\w*|erhverv\w*|industr\w*|business\w*|compan\w*", _reduce("demand", "industry", 0.05)),
    ))


_FROM_YEAR = re.compile(r"\b(?:fra|fra og med|from|starting(?: in| from)?|as of)\s+(?:år\s+)?(?:19|20)\d\d\b", _I)


@dataclass(frozen=True)
class DraftAction:
    """One action of the draft, with the commitment it comes from."""

    commitment: Commitment
    spec: dict[str, Any]
    #: Field paths the sentence states, and the paths assumed (awaiting an editor's confirmation).
    stated: tuple[str, ...]
    assumed: tuple[str, ...]


@dataclass(frozen=True)
class DraftPlan:
    """A plan document (the engine's schema) and what went into it."""

    document: dict[str, Any]
    actions: tuple[DraftAction, ...]
    targets: tuple[Target, ...]
    left_out: tuple[str, ...]   # why some targets and commitments are not in the draft

    def assumed_paths(self) -> list[str]:
        """Every assumed field of every action, as ``actions[i].<path>``."""
        return [f"actions[{i}].{p}" for i, a in enumerate(self.actions) for p in a.assumed]


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa"))
    return slug.strip("-")[:48].strip("-") or "action"


def _target_spec(t: Target) -> dict[str, Any] | None:
    """The engine target a document target is, or None for an indicator target."""
    if t.target_year is None or not FIRST_YEAR <= t.target_year <= LAST_YEAR:
        return None
    if t.kind == "reduction_pct" and t.value is not None and 0 < t.value <= 100:
        spec: dict[str, Any] = {"kind": "reduction", "year": t.target_year, "value": round(t.value / 100, 6)}
        if t.base_year is not None:
            spec["against"] = t.base_year
        return spec
    if t.kind == "net_zero" and t.variant in (None, "net_zero", "climate_neutral"):
        return {"kind": "net_zero", "year": t.target_year}
    if t.kind == "absolute_level" and t.value is not None and t.unit == "t CO2e":
        return {"kind": "absolute", "year": t.target_year, "value": t.value}
    if t.kind == "per_capita" and t.value is not None:
        return {"kind": "per_capita", "year": t.target_year, "value": t.value}
    return None


def target_spec_of(found: dict[str, Any]) -> dict[str, Any] | None:
    """:func:`_target_spec` of a target as its ``to_dict`` stored it (the web's candidates)."""
    value = found.get("value")
    low, high = (value[0], value[1]) if isinstance(value, list) else (value, None)
    return _target_spec(Target(
        subject=found.get("subject"), kind=found.get("kind", "other"), value=low, value_high=high,
        unit=found.get("unit"), base_year=found.get("base_year"), target_year=found.get("target_year"),
        qualifier=found.get("qualifier"), quote=found.get("quote", ""), section=found.get("section"),
        start=int(found.get("start", 0)), end=int(found.get("end", 0)), variant=found.get("variant"),
        context=bool(found.get("context"))))


def _sector_of(commitment: Commitment) -> str | None:
    return FRAMEWORK_SECTOR.get(commitment.sector or "")


def draft_action(commitment: Commitment, language: str, key: str, document_year: int | None,
                 activity: dict[str, list[dict[str, Any]]]) -> DraftAction:
    """The action a commitment suggests (see the module docstring for what is stated and assumed)."""
    words = f"{commitment.text} {commitment.quote}"
    stated = stated_in(commitment.quote, language)
    built: _Effect | None = None
    for pattern, build in _RULES:
        if pattern.search(words):
            built = build(stated)
            break
    sector = _sector_of(commitment)
    if built is None:
        built = _reduce("demand", sector if sector not in (None, "lulucf") else "energy", 0.05)(stated)
    effect = built.fields
    # a carrier the activity split lacks cannot be named: act on the whole sector instead
    rows = {r["carrier"] for r in activity.get(effect["sector"], [])}
    to_rows = {r["carrier"] for r in activity.get(effect.get("to_sector") or effect["sector"], [])}
    if (effect["type"] in ("switch", "shift") and (effect["from"] not in rows or effect["to"] not in to_rows)) or (
            effect.get("carriers") and not set(effect["carriers"]) <= rows):
        share = effect.get("share", effect.get("reduction", 0.05))
        said = built.stated.get("share", built.stated.get("reduction"))
        built = _Effect({"type": "demand", "sector": effect["sector"], "reduction": share},
                        {"reduction": said} if said else {})
        effect = built.fields
    assert effect["type"] in EFFECT_KINDS
    schedule: dict[str, Any] = {}
    schedule_stated: dict[str, str] = {}
    years = list(stated.years)
    start_default = max(document_year or 2025, 2025) + 1
    if len(years) >= 2:
        schedule["start"], schedule["full"] = years[0], years[-1]
        schedule_stated = {"start": str(years[0]), "full": str(years[-1])}
    elif years and _FROM_YEAR.search(commitment.quote):
        schedule["start"], schedule["full"] = years[0], years[0] + 5   # "fra 2025": a start, no end
        schedule_stated = {"start": str(years[0])}
    elif years:
        schedule["start"], schedule["full"] = min(start_default, years[0]), years[0]
        schedule_stated = {"full": str(years[0])}
    else:
        schedule["start"], schedule["full"] = start_default, start_default + 5
    schedule["curve"] = "linear"
    spec: dict[str, Any] = {"id": key, "title": commitment.text[:300] or commitment.quote[:300],
                            "effect": effect, "schedule": schedule}
    if commitment.sdgs:
        spec["sdgs"] = list(commitment.sdgs)
    if commitment.owner and not commitment.context:
        spec["owner"] = commitment.owner
    stated_paths = {f"effect.{k}": v for k, v in built.stated.items()}
    stated_paths.update({f"schedule.{k}": v for k, v in schedule_stated.items()})
    # every field of the effect (its kind and sector too) and of the schedule is stated or assumed
    all_paths = ["effect.type", "effect.sector", *(f"effect.{k}" for k in effect if k not in ("type", "sector")),
                 "schedule.start", "schedule.full", "schedule.curve"]
    assumed = [p for p in all_paths if p not in stated_paths]
    spec["sources"] = {p: i18n.text(STATED_KEY, language, value=v, quote=_short(commitment.quote))
                       for p, v in stated_paths.items()}
    spec["assumptions"] = {p: i18n.text(ASSUMED_KEY, language) for p in assumed}
    if stated.quoted:
        spec["sources"]["effect"] = i18n.text(STATED_KEY, language, value="; ".join(stated.quoted),
                                              quote=_short(commitment.quote))
    return DraftAction(commitment, spec, tuple(stated_paths), tuple(assumed))


def _short(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def draft_plan(result: ImportResult, *, organisation: str, name: str | None = None,
               base: dict[str, Any] | None = None, document_year: int | None = None) -> DraftPlan:
    """The draft plan of an imported document (see the module docstring).

    ``organisation`` is the plan's organisation as the engine names it (a kommunekode for the
    shipped inventory). ``base`` is a plan document whose inventory, baseline and activity split
    the draft keeps (its targets and actions are replaced); without it the draft reads the
    shipped inventory and starts from :data:`GENERIC_ACTIVITY`, every row marked as assumed.
    """
    language = result.language if result.language in ("da", "en") else "da"
    left_out: list[str] = []
    targets: list[Target] = []
    target_specs: list[dict[str, Any]] = []
    seen: set[tuple[Any, int]] = set()
    for t in result.targets:
        if t.context:
            left_out.append(f"{t.id}: target of {t.owner or 'another body'} (context)")
            continue
        spec = _target_spec(t)
        if spec is None:
            left_out.append(f"{t.id}: {t.kind} target, an indicator the scenario does not compute: "
                            f"{_short(t.quote, 90)}")
            continue
        if (spec.get("sector"), spec["year"]) in seen:
            left_out.append(f"{t.id}: a second target for {spec['year']}: {_short(t.quote, 90)}")
            continue
        seen.add((spec.get("sector"), spec["year"]))
        targets.append(t)
        target_specs.append(spec)
    doc: dict[str, Any] = dict(base or {})
    for key in ("targets", "actions", "uncertainty", "correlations"):
        doc.pop(key, None)
    doc["name"] = name or f"{organisation}: draft from {result.source}"
    doc["organisation"] = str(doc.get("organisation") or organisation)
    doc.setdefault("inventory", {"source": "shipped:klimaregnskab"})
    if not doc.get("activity"):
        doc["activity"] = generic_activity(language)
    actions: list[DraftAction] = []
    keys: set[str] = set()
    for c in result.commitments:
        if c.context:
            left_out.append(f"{c.id}: commitment of {c.owner or 'another body'} (context)")
            continue
        if c.sector == "adaptation":
            left_out.append(f"{c.id}: adaptation, not an emissions action: {_short(c.text, 90)}")
            continue
        key = _slug(c.text)
        while key in keys:
            key = f"{key}-{len(keys)}"
        keys.add(key)
        actions.append(draft_action(c, language, key, document_year, doc["activity"]))
    doc["targets"] = target_specs
    doc["actions"] = [a.spec for a in actions]
    return DraftPlan(doc, tuple(actions), tuple(targets), tuple(left_out))


def evaluate_draft(draft: DraftPlan, language: str = "da", plan_file: str = "<draft plan>") -> dict[str, Any]:
    """Run the scenario and the plan check on a draft: the gap to each target, the verdict and
    what is missing (each failed or warned criterion with its fix), and every assumed field."""
    from nettonul.engine.check import run_check
    from nettonul.engine.plan.compile import compile_plan
    from nettonul.engine.plan.scenario import evaluate, summarise
    from nettonul.engine.plan.sections import parse_capf_plan

    capf = parse_capf_plan(draft.document, plan_file)
    summary = summarise(capf.plan, evaluate(compile_plan(capf.plan)))
    check = run_check(capf, None, language)
    return {
        "targets": len(draft.document["targets"]), "actions": len(draft.document["actions"]),
        "assumed": draft.assumed_paths(), "left_out": list(draft.left_out),
        "scenario": {"organisation": summary["organisation"], "targets": summary["targets"]},
        "check": {"verdict": check.verdict, "counts": check.counts(),
                  "missing": [{"id": r.id, "result": r.result, "title": r.title, "fix": r.fix}
                              for r in check.results if r.result in ("fail", "warn")]},
    }
