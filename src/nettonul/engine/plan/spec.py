"""Plan files: a climate action plan as one YAML or JSON document, validated with clear errors.

A plan names its organisation, the inventory it starts from, its targets, an *activity model*
(how each sector's base-year emissions split into carriers/activities with emission factors),
its actions with typed effects, schedules and costs, and the uncertainty of any number; and,
optionally, the CAPF sections of a DK2020 plan (adoption, engagement, adaptation, monitoring,
action details, ...; :mod:`nettonul.engine.plan.capf`). :class:`Plan` is the one schema of
that document and :func:`load_plan` its one reader: ``nettonul scenario``, ``simulate``,
``check`` and ``report`` all read the same file with it.

Every problem is reported at once with its path in the document (``actions[3].effect.share``)
and its line in the file; an unknown field is a problem too; nothing is half-loaded. The
reference for authors is ``docs/actions-and-scenarios.md`` (``docs/plan-check-and-reports.md`` for the
CAPF sections).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pydantic
import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from nettonul.engine.core import frameworks
from nettonul.engine.core.errors import Problem, UnknownFrameworkError, ValidationError
from nettonul.engine.core.vocabulary import DEFAULT_CURVE, LAST_YEAR, VALUED_TARGET_KINDS, Curve, TargetKind, Year
from nettonul.engine.inventory.model import Inventory
from nettonul.engine.io.problems import line_of, load_document, path_of, pydantic_problems, yaml_node
from nettonul.engine.io.tables import read_text_file
from nettonul.engine.plan.capf import Funding, PlanSections, Power, section_problems
from nettonul.engine.plan.costs import Cost
from nettonul.engine.plan.distributions import Correlation, Distribution
from nettonul.engine.plan.effects import PARAMETERS, Effect

#: Carriers whose factor can follow a published projection, and the reference table column.
REFERENCE_FACTORS = ("br18.electricity", "br18.district_heating", "br18.grid_gas")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class Row(_Strict):
    """One carrier or activity of a sector: its share of the sector's base-year emissions and
    its emission factor (t CO2e per unit of activity, or a reference projection)."""

    carrier: str = Field(pattern=r"^[a-z0-9_]+$")
    share: float = Field(ge=0.0, le=1.0)
    unit: str = "MWh"
    factor: float | Literal["br18.electricity", "br18.district_heating", "br18.grid_gas"]
    source: str | None = None
    assumption: bool = False
    reason: str | None = None

    @model_validator(mode="after")
    def _marked(self) -> Row:
        if self.source is None and not (self.assumption and self.reason):
            raise ValueError("give a 'source', or mark the numbers 'assumption: true' with a 'reason'")
        if isinstance(self.factor, float) and self.factor <= 0:
            raise ValueError("an emission factor must be positive (removals are actions)")
        return self


class Schedule(_Strict):
    start: Year
    full: Year | None = Field(None, description="Full-effect year; the start year when left out.")
    curve: Curve = DEFAULT_CURVE

    @model_validator(mode="after")
    def _order(self) -> Schedule:
        if self.full is not None and self.full < self.start:
            raise ValueError(f"full-effect year {self.full} is before the start year {self.start}")
        return self

    @property
    def full_year(self) -> int:
        return self.start if self.full is None else self.full


class Action(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    title: str
    effect: Effect
    schedule: Schedule
    cost: Cost | None = None
    uncertainty: dict[str, Distribution] = Field(default_factory=dict)
    owner: str | None = None
    sdgs: list[int] = Field(default_factory=list)
    # The CAPF fields of the action, as in its ``action_details`` entry (which wins where both
    # give one): the municipality's power over it, its funding status, KPIs and co-benefits.
    power: Power | None = None
    funding_status: Funding | None = None
    kpis: list[str] = Field(default_factory=list)
    co_benefits: list[str] = Field(default_factory=list)
    sources: dict[str, str] = Field(default_factory=dict, description="field path -> where the number comes from")
    assumptions: dict[str, str] = Field(default_factory=dict, description="field path -> why it was assumed")
    in_baseline: bool = Field(False, description="A national measure already in KF25 'with existing measures' "
                                                 "(e.g. EV uptake, the oil-boiler phase-out): shown with the "
                                                 "plan, but not counted as a municipal reduction.")

    @model_validator(mode="after")
    def _known_parameters(self) -> Action:
        names = PARAMETERS[self.effect.type]
        unknown = [k for k in self.uncertainty if k not in names]
        if unknown:
            raise ValueError(f"uncertainty for {', '.join(unknown)}: a {self.effect.type} effect has "
                             f"{', '.join(names)}")
        bad = [s for s in self.sdgs if not 1 <= s <= 17]
        if bad:
            raise ValueError(f"SDG numbers run from 1 to 17, not {bad}")
        return self


class TargetSpec(_Strict):
    """A target of the plan, for its total or, with ``sector``, for one top-level sector."""

    kind: TargetKind
    year: Year
    value: float | None = Field(None, description="Reduction as a share (0.7 = -70 %), t CO2e for absolute, "
                                                  "t CO2e per inhabitant for per_capita.")
    against: Year | None = Field(None, description="Reference year of a reduction; the inventory year when left out.")
    sector: str | None = Field(None, description="Top-level sector the target is for; the total when left out.")

    @model_validator(mode="after")
    def _value(self) -> TargetSpec:
        if self.kind in VALUED_TARGET_KINDS and self.value is None:
            raise ValueError(f"a {self.kind} target needs a value")
        if self.kind == "per_capita" and self.value is not None and self.value < 0:
            raise ValueError("a per-capita target is a level of emissions per inhabitant, not below zero")
        return self


class InventoryRef(_Strict):
    source: str = Field("shipped:klimaregnskab", description="'shipped:klimaregnskab', 'file' or 'inline'.")
    path: str | None = Field(None, description="Inventory file (CSV, Excel, YAML) for source 'file', "
                                               "relative to the plan file.")
    year: int | None = Field(None, description="Base data year; the latest year of the source when left out.")
    emissions: dict[str, float] | None = Field(None, description="Inline base-year t CO2e by sector.")
    land_use: str | None = Field(None, description="A land-use (LULUCF) inventory file (CSV, Excel, YAML: lowland "
                                                   "soils, forest, mineral soils), relative to the plan file; its "
                                                   "lulucf records join the inventory as the sector 'lulucf'.")
    note: str | None = None
    #: The records of a 'file' inventory already in memory (see :func:`with_inventory`);
    #: ``path`` then only names them in messages.
    _records: Inventory | None = PrivateAttr(None)
    #: The records of the land-use inventory already in memory (see :func:`with_land_use`).
    _land_use_records: Inventory | None = PrivateAttr(None)

    @property
    def records(self) -> Inventory | None:
        return self._records

    @property
    def land_use_records(self) -> Inventory | None:
        return self._land_use_records

    @model_validator(mode="after")
    def _inline(self) -> InventoryRef:
        if self.source == "inline" and (self.emissions is None or self.year is None):
            raise ValueError("an inline inventory needs 'year' and 'emissions'")
        if self.source == "file" and not self.path:
            raise ValueError("an inventory from a file needs its 'path'")
        if self.source not in ("inline", "file", "shipped:klimaregnskab"):
            raise ValueError("inventory source must be 'shipped:klimaregnskab', 'file' or 'inline'")
        if self.source == "inline" and self.land_use is not None:
            raise ValueError("an inline inventory gives land use as 'lulucf' under 'emissions', not as a file")
        return self


class BaseYearFigure(_Strict):
    """The plan's own documented emissions in a base year (e.g. 1990), which replace the back-cast
    estimate wherever a target is measured against that year (methodology §9.2: early movers)."""

    year: Year
    emissions_t: float = Field(gt=0, description="Total emissions in that year, t CO2e, as the plan documents them.")
    source: str = Field(min_length=1, description="Where the figure comes from (report, consultant, method).")


class BaselineSpec(_Strict):
    """BAU for sectors without an activity split (``kf25`` national index, ``frozen`` per
    inhabitant or ``constant``), and an activity trend (share per year) for split sectors."""

    method: Literal["kf25", "frozen", "constant"] = "kf25"
    activity_trend: dict[str, float] = Field(default_factory=dict)
    reference: BaseYearFigure | None = Field(None, description="The plan's own documented base-year figure; "
                                             "it overrides the back-cast estimate for that year.")
    assumptions: dict[str, str] = Field(default_factory=dict)


class Plan(PlanSections):
    """The one plan document: the mitigation plan (targets, activity model, actions) and, as
    further top-level keys inherited from :class:`~nettonul.engine.plan.capf.PlanSections`, its
    CAPF sections. A key that is neither is an error."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    name: str
    organisation: str
    framework: str = "dk-municipal"
    gwp: str = "AR5"
    currency: str = "DKK"
    discount_rate: float = Field(0.035, ge=-0.05, le=0.5)
    horizon: int = Field(2050, ge=2000, le=LAST_YEAR)
    inventory: InventoryRef = Field(default_factory=lambda: InventoryRef.model_validate({}))
    baseline: BaselineSpec = Field(default_factory=lambda: BaselineSpec.model_validate({}))
    activity: dict[str, list[Row]] = Field(default_factory=dict)
    targets: list[TargetSpec] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    uncertainty: dict[str, Distribution] = Field(default_factory=dict)
    correlations: list[Correlation] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    assumptions: dict[str, str] = Field(default_factory=dict)
    sources: dict[str, str] = Field(default_factory=dict)

    def action(self, action_id: str) -> Action:
        for a in self.actions:
            if a.id == action_id:
                return a
        raise KeyError(action_id)

    def sections(self) -> PlanSections:
        """The plan's CAPF sections on their own (as the web stores them)."""
        keys = set(PlanSections.model_fields)
        return PlanSections.model_construct(self.model_fields_set & keys, **{k: getattr(self, k) for k in keys})


# --------------------------------------------------------------------------- loading
def _is_branch(part: int | str) -> bool:
    """A union branch pydantic names in an error location, not a key of the document."""
    return isinstance(part, str) and (part.startswith(("function-", "literal[")) or
                                      part in ("float", "int", "date", "bool"))


def _path(loc: tuple[int | str, ...]) -> str:
    """``('actions', 3, 'effect', 'switch', 'share')`` -> ``actions[3].effect.share``."""
    return path_of(_keys(loc))


def _keys(loc: tuple[int | str, ...]) -> list[int | str]:
    keys: list[int | str] = []
    prev: int | str | None = None
    for part in loc:
        if (prev == "effect" and part in PARAMETERS) or _is_branch(part):
            prev = part
            continue
        keys.append(part)
        prev = part
    return keys


def _line(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    return line_of(node, _keys(loc))


def parse_plan(data: Any, file: str = "<plan>", text: str | None = None) -> Plan:
    """A :class:`Plan` from parsed YAML/JSON data, or a ValidationError listing every problem."""
    node = yaml_node(text)
    if not isinstance(data, dict):
        why = "a plan must be a mapping of fields (organisation, actions, ...)"
        raise ValidationError([Problem(file, None, None, why)], what="plan")
    try:
        plan = Plan.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ValidationError(_in_file_order(pydantic_problems(exc, file, node=node, keys=_keys)),
                              what="plan") from None
    problems = [Problem(file, _line(node, loc), _path(loc), why) for loc, why in _semantic_problems(plan)]
    if problems:
        raise ValidationError(_in_file_order(problems), what="plan")
    return plan


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


def read_plan_document(path: str | Path) -> tuple[Any, str | None]:
    """The parsed content of a plan file and, for YAML, its text (for line numbers in errors)."""
    p = Path(path)
    text, _ = read_text_file(p, what="plan")
    data = load_document(text, str(p), json_format=p.suffix == ".json", what="plan")
    return data, None if p.suffix == ".json" else text


def resolve_paths(plan: Plan, plan_file: str | Path) -> Plan:
    """Inventory files named relative to the plan are found next to it, wherever the command runs."""
    update = {key: str(Path(plan_file).parent / value) for key in ("path", "land_use")
              if (value := getattr(plan.inventory, key)) is not None and not Path(value).is_absolute()}
    if not update:
        return plan
    return plan.model_copy(update={"inventory": plan.inventory.model_copy(update=update)})


def with_inventory(plan: Plan, inventory: Inventory, name: str) -> Plan:
    """A copy of ``plan`` whose inventory is ``inventory``, in memory (source 'file', named
    ``name`` in messages), as a caller that holds the records rather than a file hands them
    over; the plan's ``inventory.year`` and ``note`` are kept."""
    ref = plan.inventory.model_copy(update={"source": "file", "path": name})
    ref._records = inventory
    ref._land_use_records = plan.inventory.land_use_records
    return plan.model_copy(update={"inventory": ref})


def with_land_use(plan: Plan, inventory: Inventory, name: str) -> Plan:
    """A copy of ``plan`` whose land-use inventory is ``inventory``, in memory (named ``name``)."""
    ref = plan.inventory.model_copy(update={"land_use": name})
    ref._records = plan.inventory.records
    ref._land_use_records = inventory
    return plan.model_copy(update={"inventory": ref})


def load_plan(path: str | Path) -> Plan:
    """Read and validate a plan file (``.yaml``, ``.yml`` or ``.json``)."""
    data, text = read_plan_document(path)
    return resolve_paths(parse_plan(data, str(path), text), path)


# --------------------------------------------------------------------------- document-level checks
_PARAM_PATH = re.compile(r"^(activity\.[a-z0-9_.]+\.[a-z0-9_]+\.factor|baseline\.activity_trend\.[a-z0-9_.]+|"
                         r"actions\.[A-Za-z0-9_.-]+\.[a-z_]+)$")


def _semantic_problems(plan: Plan) -> Iterator[tuple[tuple[int | str, ...], str]]:
    """Checks that need the whole document: known sectors, carriers and parameter names."""
    try:
        fw = frameworks.get_framework(plan.framework)
        sectors = set(fw.top_level_codes())
    except UnknownFrameworkError as exc:
        yield ("framework",), str(exc)
        return
    for sector, rows in plan.activity.items():
        if sector not in sectors:
            yield ("activity", sector), f"'{sector}' is not a sector of {plan.framework}"
        total = sum(r.share for r in rows)
        if rows and abs(total - 1.0) > 1e-6:
            yield ("activity", sector), f"the shares of the rows add up to {total:g}, not 1"
        names = [r.carrier for r in rows]
        for dup in sorted({n for n in names if names.count(n) > 1}):
            yield ("activity", sector), f"carrier '{dup}' appears twice"
    ids = [a.id for a in plan.actions]
    for i, a in enumerate(plan.actions):
        if ids.count(a.id) > 1:
            yield ("actions", i, "id"), f"action id '{a.id}' is used more than once"
        e = a.effect
        if e.sector not in sectors:
            yield ("actions", i, "effect", "sector"), f"'{e.sector}' is not a sector of {plan.framework}"
            continue
        carriers = {r.carrier for r in plan.activity.get(e.sector, [])}
        if e.type in ("demand", "factor") and e.carriers:
            for c in e.carriers:
                if c not in carriers:
                    yield ("actions", i, "effect", "carriers"), _no_row(e.sector, c, carriers)
        if e.type in ("switch", "shift"):
            if e.from_ not in carriers:
                yield ("actions", i, "effect", "from"), _no_row(e.sector, e.from_, carriers)
            to_sector = e.to_sector or e.sector
            to_carriers = {r.carrier for r in plan.activity.get(to_sector, [])}
            if e.to not in to_carriers:
                yield ("actions", i, "effect", "to"), _no_row(to_sector, e.to, to_carriers)
        if e.type == "removal" and not fw.allows_negative(e.sector):
            yield ("actions", i, "effect", "sector"), (f"removals belong on a sector that allows negative values "
                                                       f"(e.g. lulucf or removals), not '{e.sector}'")
        if a.schedule.start > plan.horizon:
            yield ("actions", i, "schedule", "start"), f"starts after the plan horizon {plan.horizon}"
    seen_targets: dict[tuple[str | None, int], int] = {}
    for j, t in enumerate(plan.targets):
        if t.sector is not None and t.sector not in sectors:
            yield ("targets", j, "sector"), f"'{t.sector}' is not a top-level sector of {plan.framework}"
        if (t.sector, t.year) in seen_targets:
            yield ("targets", j, "year"), (f"a second target for {t.sector or 'the total'} in {t.year} "
                                           f"(targets[{seen_targets[(t.sector, t.year)]}]); keep one")
        seen_targets.setdefault((t.sector, t.year), j)
        if t.kind == "reduction" and t.against is not None and t.against >= t.year:
            yield ("targets", j, "against"), f"the reference year {t.against} must be before the target year {t.year}"
    yield from section_problems(plan, (a.id for a in plan.actions))
    for key in plan.uncertainty:
        if not _PARAM_PATH.match(key):
            yield ("uncertainty", key), ("unknown parameter; use activity.<sector>.<carrier>.factor, "
                                         "baseline.activity_trend.<sector> or actions.<id>.<field>")
    known = set(parameter_names(plan))
    for j, corr in enumerate(plan.correlations):
        for name in corr.between:
            if name not in known:
                yield ("correlations", j, "between"), f"'{name}' is not an uncertain parameter of this plan"


def _no_row(sector: str, carrier: str, carriers: set[str]) -> str:
    if not carriers:
        return f"sector '{sector}' has no activity split; add rows under activity.{sector} to name '{carrier}'"
    return f"sector '{sector}' has no row '{carrier}' (it has {', '.join(sorted(carriers))})"


def parameter_names(plan: Plan) -> list[str]:
    """Names of every uncertain parameter of the plan, in a stable order."""
    names = list(plan.uncertainty)
    names += [f"actions.{a.id}.{field}" for a in plan.actions for field in a.uncertainty]
    return names


def unmarked_numbers(plan: Plan) -> list[str]:
    """Paths of action numbers that are neither sourced nor marked as an assumption."""
    out: list[str] = []
    for i, a in enumerate(plan.actions):
        marked = set(a.sources) | set(a.assumptions)
        fields = [f"effect.{name}" for name in PARAMETERS[a.effect.type]]
        if a.cost is not None:
            fields += [f"cost.{name}" for name, v in a.cost.model_dump().items()
                       if isinstance(v, int | float) and name != "currency"]
        out += [f"actions[{i}].{f}" for f in fields if f not in marked and f.split(".")[0] not in marked]
    return out
