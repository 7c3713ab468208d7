"""A plan document as the plan check and the yearly report read it: the plan and its CAPF sections.

There is one plan document and one reader (:func:`nettonul.engine.plan.spec.load_plan`);
:class:`CapfPlan` only adds the views the check and the report need (the sections on their
own, an action's details, owner and SDGs, the actions without a typed effect). The section
models themselves live in :mod:`nettonul.engine.plan.capf` and are re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nettonul.engine.plan.capf import (
    HAZARDS,
    SECTION_KEYS,
    ActionDetails,
    Adaptation,
    AdaptationAction,
    AdaptationTarget,
    Adoption,
    Barrier,
    Benefit,
    Benefits,
    Communication,
    EngagementEvent,
    Explanation,
    Financing,
    Funding,
    FundingSource,
    GapExplanation,
    Governance,
    Hazard,
    HazardAssessment,
    InventoryCoverage,
    MonitoringPlan,
    Partner,
    PlanSections,
    Power,
    RiskAssessment,
)
from nettonul.engine.plan.spec import Plan, load_plan, parse_plan

__all__ = [
    "HAZARDS", "SECTION_KEYS", "ActionDetails", "Adaptation", "AdaptationAction", "AdaptationTarget", "Adoption",
    "Barrier", "Benefit", "Benefits", "CapfPlan", "Communication", "EngagementEvent", "Explanation", "Financing",
    "Funding", "FundingSource", "GapExplanation", "Governance", "Hazard", "HazardAssessment", "InventoryCoverage",
    "MonitoringPlan", "Partner", "PlanSections", "Power", "RiskAssessment", "load_capf_plan", "parse_capf_plan",
]


#: CAPF fields an action of the plan may carry itself (besides its ``action_details`` entry).
_ACTION_OWN = ("owner", "power", "funding_status", "kpis", "co_benefits")


@dataclass(frozen=True)
class CapfPlan:
    """A plan document read whole: the plan, its CAPF sections (a view of the same plan) and its file."""

    plan: Plan
    sections: PlanSections
    file: str

    @classmethod
    def of(cls, plan: Plan, file: str) -> CapfPlan:
        return cls(plan, plan.sections(), file)

    def details(self, action_id: str) -> ActionDetails:
        """The action's CAPF fields: its ``action_details`` entry, with the fields it leaves
        empty taken from the action itself (owner, power, funding status, KPIs, co-benefits)."""
        d = self.sections.action_details.get(action_id) or ActionDetails.model_validate({})
        for a in self.plan.actions:
            if a.id == action_id:
                fill = {k: getattr(a, k) for k in _ACTION_OWN if getattr(a, k) and not getattr(d, k)}
                return d.model_copy(update=fill) if fill else d
        return d

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


def parse_capf_plan(data: Any, file: str = "<plan>", text: str | None = None) -> CapfPlan:
    """:func:`~nettonul.engine.plan.spec.parse_plan`, with the check's views of the result."""
    return CapfPlan.of(parse_plan(data, file, text), file)


def load_capf_plan(path: str | Path) -> CapfPlan:
    """:func:`~nettonul.engine.plan.spec.load_plan`, with the check's views of the result."""
    return CapfPlan.of(load_plan(path), str(path))
