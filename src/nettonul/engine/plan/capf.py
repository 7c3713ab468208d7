"""The CAPF sections of a plan document: everything of a DK2020/CAPF plan beyond its targets and actions.

A DK2020/CAPF plan is more than targets and actions (methodology section 1.2): it records the
council's adoption and the commitment letter, the engagement of citizens and stakeholders,
the climate risk assessment with its hazards, ratings, scenarios and horizon, adaptation
actions per hazard, benefits and an equity assessment, the governance structure and the
monitoring and review cycle, and per action its owner, funding, the municipality's power,
KPIs, SDGs and co-benefits. These are top-level keys of the one plan document
(:class:`nettonul.engine.plan.spec.Plan` has them as fields, from :class:`PlanSections`)::

    adoption:        {status, adopted, body, decision_ref, commitment_signed, commitment_by}
    engagement:      [{date, kind, title, audience, participants, phase}]
    communication:   {plan, channels}
    inventory_coverage: {not_occurring, not_estimated, electricity_method, reference_method}
    gap:             {explanation, size_t, year, strategy}
    residuals:       {explanation}
    adaptation:      {coastal, risk_assessment: {screened, hazards: [{hazard, likelihood, impact, rating}],
                      scenarios, horizon, present_day, assessed}, targets: [{description, year, hazard,
                      indicator}], actions}
    benefits:        {assessment: [{kind, description}], equity_assessment}
    governance:      {lead_unit, coordination, powers_analysis, partners: [{name, role}]}
    barriers:        [{description, response, actions}]
    financing:       {plan, sources: [{name, amount, status}]}
    monitoring:      {frequency_years, review_cycle_years, risk_review_years, stale_after_months}
    action_details:  {<action id>: {owner, start, end, funding_status, staff_fte, power, kpis,
                                    sdgs, co_benefits, enabling, title, sector}}

Which CAPF section each key serves is listed with the criteria of the plan check
(``nettonul.engine.check`` data file ``dk2020.yaml``, field ``capf``).

Every command that reads a plan (``scenario``, ``simulate``, ``check``, ``report``) reads the
same document with :func:`nettonul.engine.plan.spec.load_plan`; a plan without these sections
is just as valid.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from nettonul.engine.core.vocabulary import Year

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
    decision_ref: str | None = Field(
        None, description="Reference of the council decision (case or agenda item number, or a link).")
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
    audience: str | None = Field(None, description="Who took part, e.g. citizens, businesses, young people.")
    participants: int | None = Field(None, ge=0)
    phase: Literal["development", "implementation"] | None = Field(
        None, description="Whether the event shapes the plan or its implementation; an event dated after "
                          "the adoption is counted as implementation when left out.")


class Communication(_Strict):
    """How the plan is communicated to citizens, businesses and staff (CAPF 1.5)."""

    plan: str | None = Field(None, description="The communication plan or strategy, in a few sentences.")
    channels: list[str] = Field(default_factory=list, description="e.g. website, newsletter, local press")


class InventoryCoverage(_Strict):
    """What the inventory leaves out and how it was made (checker INV-2, INV-3, INV-6)."""

    not_occurring: list[str] = Field(default_factory=list, description="Sectors flagged NO (not occurring).")
    not_estimated: dict[str, str] = Field(default_factory=dict, description="Sector -> why it is not estimated.")
    electricity_method: Literal["national_average_location", "local_production", "market"] | None = None
    reference_method: str | None = Field(None, description="How the reference-year value was found.")


class Explanation(_Strict):
    explanation: str = Field(min_length=1)


Level = Literal["low", "medium", "high"]
_LEVEL_SCORE = {"low": 1, "medium": 2, "high": 3}


def risk_rating(likelihood: str, impact: str) -> str:
    """The rating of a hazard from its likelihood and impact on the usual 3 x 3 risk matrix:
    the product of the two scores (low 1, medium 2, high 3) is high from 6, medium from 3."""
    score = _LEVEL_SCORE[likelihood] * _LEVEL_SCORE[impact]
    return "high" if score >= 6 else "medium" if score >= 3 else "low"


class GapExplanation(Explanation):
    """The gap ('manko') a plan has not closed with actions: how large it is and how it will be
    closed (methodology §9.5: an explanation passes only with its size and a named strategy)."""

    size_t: float | None = Field(None, ge=0, description="The gap as the plan states it, t CO2e.")
    year: Year | None = Field(None, description="The target year the size refers to; the first year short.")
    strategy: str | None = Field(None, description="The named strategy that is to close the gap.")


class HazardAssessment(_Strict):
    """One assessed hazard: its likelihood and impact and the rating they give
    (:func:`risk_rating`), or a rating on its own as older plans state it."""

    hazard: Hazard
    likelihood: Level | None = None
    impact: Level | None = None
    rating: Level
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _rated(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("rating") is None:
            likelihood, impact = data.get("likelihood"), data.get("impact")
            if likelihood in _LEVEL_SCORE and impact in _LEVEL_SCORE:
                return {**data, "rating": risk_rating(likelihood, impact)}
        return data


class RiskAssessment(_Strict):
    screened: list[Hazard] = Field(default_factory=list, description="Hazards the municipality's own risk "
                                   "screening found relevant (e.g. from Klimaatlas).")
    hazards: list[HazardAssessment] = Field(default_factory=list)
    scenarios: list[str] = Field(default_factory=list, description="Named climate scenarios, e.g. RCP8.5, SSP2-4.5.")
    horizon: Year | None = Field(None, description="Last year the assessment looks at.")
    present_day: bool = Field(False, description="The assessment also covers today's climate.")
    source: str | None = None
    assessed: date | None = Field(None, description="When the risk assessment was made or last reviewed.")


class AdaptationTarget(_Strict):
    """A target for adaptation and resilience (CAPF 1.3: targets for adaptation, not only mitigation)."""

    description: str = Field(min_length=1)
    year: Year
    hazard: Hazard | None = None
    indicator: str | None = Field(None, description="How progress is measured.")


class AdaptationAction(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    title: str
    hazards: list[Hazard] = Field(min_length=1)
    owner: str | None = None
    start: Year | None = None
    end: Year | None = None


class Adaptation(_Strict):
    coastal: bool | None = Field(None, description="The municipality has a coastline (coastal hazards apply).")
    risk_assessment: RiskAssessment | None = None
    targets: list[AdaptationTarget] = Field(default_factory=list)
    actions: list[AdaptationAction] = Field(default_factory=list)


class Benefit(_Strict):
    kind: Literal["health", "jobs", "economy", "nature", "air_quality", "energy_security", "equity", "other"]
    description: str


class Benefits(_Strict):
    assessment: list[Benefit] = Field(default_factory=list)
    equity_assessment: str | None = None


class Partner(_Strict):
    name: str = Field(min_length=1)
    role: str | None = Field(None, description="What the partner does for the plan.")


class Governance(_Strict):
    """Who carries the plan (CAPF 1.2, 1.4, 2.2, 3.2, 3.3)."""

    lead_unit: str | None = None
    coordination: str | None = Field(None, description="Coordination with departments and other institutions.")
    powers_analysis: str | None = Field(None, description="Which emissions and hazards the municipality can act on "
                                        "itself, regulate, facilitate or only influence through partners (CAPF 2.2).")
    partners: list[Partner] = Field(default_factory=list, description="Other institutions the plan coordinates "
                                    "with (CAPF 1.2).")


class Barrier(_Strict):
    """A barrier to implementation and the plan's response to it (CAPF 3.2)."""

    description: str = Field(min_length=1)
    response: str | None = None
    actions: list[str] = Field(default_factory=list, description="Ids of the actions it affects.")


class FundingSource(_Strict):
    name: str = Field(min_length=1)
    amount: float | None = Field(None, ge=0, description="In the plan's currency.")
    status: Literal["secured", "expected", "applied_for", "unsecured"] | None = None


class Financing(_Strict):
    """How the implementation is paid for (CAPF 3.3)."""

    plan: str | None = None
    sources: list[FundingSource] = Field(default_factory=list)


class MonitoringPlan(_Strict):
    frequency_years: float | None = Field(None, gt=0, description="Years between inventory and status updates.")
    review_cycle_years: float | None = Field(None, gt=0, description="Years between plan revisions.")
    risk_review_years: float | None = Field(None, gt=0, description="Years between reviews of the climate risk "
                                            "assessment.")
    stale_after_months: int = Field(12, ge=1, le=120, description="An action not updated for longer is stale.")


class ActionDetails(_Strict):
    """CAPF fields of one action. An id that is not among the plan's actions is an action
    without a typed effect, and needs a ``title``, a ``sector`` and, if it is not meant to be
    quantified, ``enabling: true``."""

    title: str | None = None
    sector: str | None = None
    owner: str | None = None
    start: Year | None = None
    end: Year | None = None
    funding_status: Funding | None = None
    staff_fte: float | None = Field(None, ge=0, description="Staff resources for the action, full-time equivalents.")
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
    communication: Communication = Field(default_factory=lambda: Communication.model_validate({}))
    inventory_coverage: InventoryCoverage = Field(default_factory=lambda: InventoryCoverage.model_validate({}))
    gap: GapExplanation | None = None
    residuals: Explanation | None = None
    adaptation: Adaptation = Field(default_factory=lambda: Adaptation.model_validate({}))
    benefits: Benefits = Field(default_factory=lambda: Benefits.model_validate({}))
    governance: Governance = Field(default_factory=lambda: Governance.model_validate({}))
    barriers: list[Barrier] = Field(default_factory=list)
    financing: Financing = Field(default_factory=lambda: Financing.model_validate({}))
    monitoring: MonitoringPlan = Field(default_factory=lambda: MonitoringPlan.model_validate({}))
    action_details: dict[str, ActionDetails] = Field(default_factory=dict)


#: Top-level keys of a plan file that this module owns.
SECTION_KEYS: tuple[str, ...] = tuple(PlanSections.model_fields)


def section_problems(sections: PlanSections, action_ids: Iterable[str]) -> list[tuple[tuple[int | str, ...], str]]:
    """Checks across the sections and the plan's actions, as (document location, reason)."""
    out: list[tuple[tuple[int | str, ...], str]] = []
    known = set(action_ids)
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
    for i, barrier in enumerate(sections.barriers):
        for ref in barrier.actions:
            if ref not in known and ref not in sections.action_details:
                out.append((("barriers", i, "actions"), f"'{ref}' is not an action of the plan"))
    cra = sections.adaptation.risk_assessment
    if cra is not None:
        names = [h.hazard for h in cra.hazards]
        for i, h in enumerate(cra.hazards):
            if names.count(h.hazard) > 1:
                out.append((("adaptation", "risk_assessment", "hazards", i, "hazard"),
                            f"hazard '{h.hazard}' is assessed more than once"))
    return out
