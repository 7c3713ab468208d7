"""The non-mitigation parts of a CAPF plan, read from the same plan file as the actions.

A DK2020/CAPF plan is more than targets and actions (methodology section 1.2): it records the
council's adoption and the commitment letter, the engagement of citizens and stakeholders,
the climate risk assessment with its hazards, ratings, scenarios and horizon, adaptation
actions per hazard, benefits and an equity assessment, the governance structure and the
monitoring and review cycle, and per action its owner, funding, the municipality's power,
KPIs, SDGs and co-benefits. These live under their own top-level keys of the plan file::

    adoption:        {status, adopted, body, commitment_signed, commitment_by}
    engagement:      [{date, kind, title, participants}]
    inventory_coverage: {not_occurring, not_estimated, electricity_method, reference_method}
    gap:             {explanation}
    residuals:       {explanation}
    adaptation:      {coastal, risk_assessment: {hazards, scenarios, horizon, present_day}, actions}
    benefits:        {assessment: [{kind, description}], equity_assessment}
    governance:      {lead_unit, coordination}
    monitoring:      {frequency_years, review_cycle_years, stale_after_months}
    action_details:  {<action id>: {owner, start, end, funding_status, power, kpis, sdgs,
                                    co_benefits, enabling, title, sector}}

:func:`load_capf_plan` reads the YAML once, hands the keys :mod:`nettonul.engine.plan.spec` knows
to its loader unchanged (so that strict model needs no edit) and validates the rest here;
every problem of both halves is reported together with its document path and line, and
nothing is loaded when any is found.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

import pydantic
import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from nettonul.engine.core.errors import Problem, ValidationError
from nettonul.engine.io.problems import document_keys, line_of, path_of, pydantic_problems, yaml_node
from nettonul.engine.plan.spec import Plan, parse_plan, read_plan_document, resolve_paths

Hazard = Literal[
    "pluvial_flood", "fluvial_flood", "coastal_flood_storm_surge", "sea_level_rise", "groundwater_rise",
    "extreme_heat", "drought", "storm_wind", "erosion", "water_scarcity", "vector_borne_disease",
]
#: The hazard vocabulary of methodology section 1.3.
HAZARDS: tuple[str, ...] = Hazard.__args__  # type: ignore[attr-defined]
Power = Literal["own", "regulate", "facilitate", "partner"]
Funding = Literal["funded", "partly_funded", "applied_for", "unfunded"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Adoption(_Strict):
    """The council decision and the political commitment (CAPF: commitment & collaboration)."""

    status: Literal["draft", "adopted"] = "adopted"
    adopted: date | None = Field(None, description="Date the municipal council adopted the plan.")
    body: str | None = Field(None, description="Who adopted it, e.g. 'Byrådet'.")
    commitment_signed: date | None = Field(None, description="Date the mayor signed the commitment letter.")
    commitment_by: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Adoption:
        if self.status == "adopted" and self.adopted is None:
            raise ValueError("an adopted plan needs the date of adoption ('adopted'), or set status: draft")
        if self.status == "draft" and self.adopted is not None:
            raise ValueError("a draft has no adoption date; set status: adopted")
        return self


class EngagementEvent(_Strict):
    date: date
    kind: str = Field(description="e.g. citizens' assembly, workshop, hearing, survey")
    title: str
    participants: int | None = Field(None, ge=0)


class InventoryCoverage(_Strict):
    """What the inventory leaves out and how it was made (checker INV-2, INV-3, INV-6)."""

    not_occurring: list[str] = Field(default_factory=list, description="Sectors flagged NO (not occurring).")
    not_estimated: dict[str, str] = Field(default_factory=dict, description="Sector -> why it is not estimated.")
    electricity_method: Literal["national_average_location", "local_production", "market"] | None = None
    reference_method: str | None = Field(None, description="How the reference-year value was found.")


class Explanation(_Strict):
    explanation: str = Field(min_length=1)


class HazardAssessment(_Strict):
    hazard: Hazard
    rating: Literal["low", "medium", "high"]
    note: str | None = None


class RiskAssessment(_Strict):
    hazards: list[HazardAssessment] = Field(default_factory=list)
    scenarios: list[str] = Field(default_factory=list, description="Named climate scenarios, e.g. RCP8.5, SSP2-4.5.")
    horizon: int | None = Field(None, ge=2000, le=2200, description="Last year the assessment looks at.")
    present_day: bool = Field(False, description="The assessment also covers today's climate.")
    source: str | None = None


class AdaptationAction(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    title: str
    hazards: list[Hazard] = Field(min_length=1)
    owner: str | None = None
    start: int | None = Field(None, ge=1990, le=2100)
    end: int | None = Field(None, ge=1990, le=2100)


class Adaptation(_Strict):
    coastal: bool | None = Field(None, description="The municipality has a coastline (coastal hazards apply).")
    risk_assessment: RiskAssessment | None = None
    actions: list[AdaptationAction] = Field(default_factory=list)


class Benefit(_Strict):
    kind: Literal["health", "jobs", "economy", "nature", "air_quality", "energy_security", "equity", "other"]
    description: str


class Benefits(_Strict):
    assessment: list[Benefit] = Field(default_factory=list)
    equity_assessment: str | None = None


class Governance(_Strict):
    lead_unit: str | None = None
    coordination: str | None = None


class MonitoringPlan(_Strict):
    frequency_years: float | None = Field(None, gt=0, description="Years between inventory and status updates.")
    review_cycle_years: float | None = Field(None, gt=0, description="Years between plan revisions.")
    stale_after_months: int = Field(12, ge=1, le=120, description="An action not updated for longer is stale.")


class ActionDetails(_Strict):
    """CAPF fields of one action. An id that is not among the plan's actions is an action
    without a typed effect, and needs a ``title``, a ``sector`` and, if it is not meant to be
    quantified, ``enabling: true``."""

    title: str | None = None
    sector: str | None = None
    owner: str | None = None
    start: int | None = Field(None, ge=1990, le=2100)
    end: int | None = Field(None, ge=1990, le=2100)
    funding_status: Funding | None = None
    power: Power | None = None
    kpis: list[str] = Field(default_factory=list)
    sdgs: list[int] = Field(default_factory=list)
    co_benefits: list[str] = Field(default_factory=list)
    enabling: bool = Field(False, description="Enabling action, deliberately not quantified in t CO2e.")

    @model_validator(mode="after")
    def _valid(self) -> ActionDetails:
        bad = [s for s in self.sdgs if not 1 <= s <= 17]
        if bad:
            raise ValueError(f"SDG numbers run from 1 to 17, not {bad}")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"end year {self.end} is before the start year {self.start}")
        return self


class PlanSections(_Strict):
    adoption: Adoption | None = None
    engagement: list[EngagementEvent] = Field(default_factory=list)
    inventory_coverage: InventoryCoverage = Field(default_factory=lambda: InventoryCoverage.model_validate({}))
    gap: Explanation | None = None
    residuals: Explanation | None = None
    adaptation: Adaptation = Field(default_factory=lambda: Adaptation.model_validate({}))
    benefits: Benefits = Field(default_factory=lambda: Benefits.model_validate({}))
    governance: Governance = Field(default_factory=lambda: Governance.model_validate({}))
    monitoring: MonitoringPlan = Field(default_factory=lambda: MonitoringPlan.model_validate({}))
    action_details: dict[str, ActionDetails] = Field(default_factory=dict)


#: Top-level keys of a plan file that this module owns.
SECTION_KEYS: tuple[str, ...] = tuple(PlanSections.model_fields)


@dataclass(frozen=True)
class CapfPlan:
    """A plan file read whole: the mitigation plan and its CAPF sections."""

    plan: Plan
    sections: PlanSections
    file: str

    def details(self, action_id: str) -> ActionDetails:
        return self.sections.action_details.get(action_id) or ActionDetails.model_validate({})

    def owner(self, action_id: str) -> str | None:
        d = self.details(action_id).owner
        if d:
            return d
        for a in self.plan.actions:
            if a.id == action_id:
                return a.owner
        return None

    def sdgs(self, action_id: str) -> list[int]:
        plan_sdgs = [s for a in self.plan.actions if a.id == action_id for s in a.sdgs]
        return sorted(set(plan_sdgs) | set(self.details(action_id).sdgs))

    def unquantified_ids(self) -> list[str]:
        """Actions given only in ``action_details`` (no typed effect)."""
        known = {a.id for a in self.plan.actions}
        return [k for k in self.sections.action_details if k not in known]


# --------------------------------------------------------------------------- loading
def _is_tag(part: int | str) -> bool:
    return isinstance(part, str) and (part.startswith(("function-", "literal[")) or part in ("date", "int", "float",
                                                                                             "bool"))


def _keys(loc: tuple[int | str, ...]) -> list[int | str]:
    return document_keys(loc, _is_tag)


def _loc_path(loc: tuple[int | str, ...]) -> str:
    return path_of(_keys(loc))


def _line(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    return line_of(node, _keys(loc))

def parse_capf_plan(data: Any, file: str = "<plan>", text: str | None = None) -> CapfPlan:
    """A :class:`CapfPlan` from parsed YAML/JSON data; a ValidationError lists every problem of
    both halves (mitigation plan and CAPF sections)."""
    if not isinstance(data, dict):
        raise ValidationError([Problem(file, None, None, "a plan must be a mapping of fields")], what="plan")
    node = yaml_node(text)
    mine = {k: v for k, v in data.items() if k in SECTION_KEYS}
    rest = {k: v for k, v in data.items() if k not in SECTION_KEYS}
    problems: list[Problem] = []
    plan: Plan | None = None
    try:
        plan = parse_plan(rest, file, text)
    except ValidationError as exc:
        problems += exc.problems
    sections: PlanSections | None = None
    try:
        sections = PlanSections.model_validate(mine)
    except pydantic.ValidationError as exc:
        problems += pydantic_problems(exc, file, node=node, keys=_keys)
    if plan is not None and sections is not None:
        for loc, why in _cross_problems(plan, sections):
            problems.append(Problem(file, _line(node, loc), _loc_path(loc), why))
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column or ""))
        raise ValidationError(problems, what="plan")
    assert plan is not None
    assert sections is not None
    return CapfPlan(plan, sections, file)


def _cross_problems(plan: Plan, sections: PlanSections) -> list[tuple[tuple[int | str, ...], str]]:
    out: list[tuple[tuple[int | str, ...], str]] = []
    known = {a.id for a in plan.actions}
    for action_id, d in sections.action_details.items():
        if action_id in known:
            if d.sector is not None:
                out.append((("action_details", action_id, "sector"),
                            "the sector of an action with an effect is the effect's sector; remove it here"))
            continue
        if not d.title or not d.sector:
            out.append((("action_details", action_id),
                        f"'{action_id}' is not an action of the plan; an action without an effect needs "
                        "'title' and 'sector' (and 'enabling: true' if it is not quantified)"))
    adaptation_ids = [a.id for a in sections.adaptation.actions]
    for i, a in enumerate(sections.adaptation.actions):
        if adaptation_ids.count(a.id) > 1:
            out.append((("adaptation", "actions", i, "id"), f"adaptation action id '{a.id}' is used more than once"))
    cra = sections.adaptation.risk_assessment
    if cra is not None:
        names = [h.hazard for h in cra.hazards]
        for i, h in enumerate(cra.hazards):
            if names.count(h.hazard) > 1:
                out.append((("adaptation", "risk_assessment", "hazards", i, "hazard"),
                            f"hazard '{h.hazard}' is assessed more than once"))
    return out


def load_capf_plan(path: str | Path) -> CapfPlan:
    """Read and validate a whole plan file (``.yaml``, ``.yml`` or ``.json``)."""
    data, text = read_plan_document(path)
    capf = parse_capf_plan(data, str(path), text)
    return replace(capf, plan=resolve_paths(capf.plan, path))
