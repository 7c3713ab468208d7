"""The figures a plan check works from, computed once per plan.

Criteria compare numbers, not the presence of fields: the inventory's sector shares, the 2030
target against the back-cast 1990 emissions, the plan scenario (BAU, plan, wedges, gap), the
residual emissions by sector and the removals in the neutrality year. :func:`build_context`
compiles and evaluates the plan with :mod:`nettonul.engine.plan.compile` and
:mod:`nettonul.engine.plan.scenario`, and back-casts the shipped inventory with
:mod:`nettonul.engine.inventory.backcast`; nothing here is specific to one criterion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from nettonul.engine.core.panel import Panel
from nettonul.engine.plan.compile import CompiledPlan, compile_plan, inventory_panel, plan_history
from nettonul.engine.plan.scenario import ScenarioResult, evaluate
from nettonul.engine.plan.sections import CapfPlan


@dataclass(frozen=True)
class CheckContext:
    """A plan with its evaluated scenario and inventory figures (one organisation)."""

    capf: CapfPlan
    cp: CompiledPlan
    scenario: ScenarioResult
    inventory_year: int
    inventory_gwp: str
    inventory_by_sector: dict[str, float]  # t CO2e in the inventory year, as published
    reference_1990: float | None  # t CO2e, total in 1990 (back-cast estimate where not measured)
    reference_1990_estimated: bool
    today: date
    #: the plan's own documented 1990 figure (baseline.reference) replaced the estimate
    reference_1990_plan: bool = False

    @property
    def plan_years(self) -> list[int]:
        return [int(y) for y in self.cp.years]

    def year_index(self, year: int) -> int | None:
        i = year - self.cp.base_year
        return i if 0 <= i < self.cp.years.size else None

    def plan_total(self, year: int) -> float | None:
        i = self.year_index(year)
        return None if i is None else float(self.scenario.plan[0, i])

    def bau_total(self, year: int) -> float | None:
        i = self.year_index(year)
        return None if i is None else float(self.scenario.bau[0, i])

    def plan_by_sector(self, year: int) -> dict[str, float]:
        i = self.year_index(year)
        if i is None:
            return {}
        values = self.scenario.by_sector(self.scenario.plan_rows)[0, :, i]
        return {s: float(v) for s, v in zip(self.cp.sectors, values, strict=True)}

    def wedge(self, action_id: str, year: int) -> float | None:
        i = self.year_index(year)
        if i is None:
            return None
        k = self.cp.action_ids.index(action_id)
        return float(self.scenario.wedges[0, k, i])

    def action_sectors(self) -> dict[str, set[str]]:
        """Sector -> ids of the actions in it (typed effects and actions given only in details)."""
        out: dict[str, set[str]] = {}
        for a in self.capf.plan.actions:
            out.setdefault(a.effect.sector, set()).add(a.id)
            to_sector = getattr(a.effect, "to_sector", None)
            if to_sector:
                out.setdefault(to_sector, set()).add(a.id)
        for action_id in self.capf.unquantified_ids():
            sector = self.capf.details(action_id).sector
            if sector:
                out.setdefault(sector.split(".")[0], set()).add(action_id)
        return out

    @property
    def adoption_year(self) -> int:
        adoption = self.capf.sections.adoption
        if adoption is not None and adoption.adopted is not None:
            return adoption.adopted.year
        return self.today.year


def build_context(capf: CapfPlan, today: date | None = None) -> CheckContext:
    """Compile and evaluate ``capf.plan`` and gather the inventory figures the rules need."""
    plan = capf.plan
    cp = compile_plan(plan)
    scenario = evaluate(cp)
    inv = plan.inventory
    if inv.source == "inline":
        assert inv.emissions is not None
        by_sector = {s: float(v) for s, v in inv.emissions.items()}
        year = int(cp.base_year)
        gwp = plan.gwp
        ref: float | None = None
        estimated = False
        if year == 1990:
            ref = sum(by_sector.values())
    else:
        # The same inventory the scenario was compiled from: shipped, or the plan's own file.
        panel, _ = inventory_panel(plan, cp.orgs)
        return context_from_panel(capf, cp, scenario, panel, today)
    return _with_reference(capf, cp, scenario, year, gwp, by_sector, ref, estimated, today)


def context_from_panel(capf: CapfPlan, cp: CompiledPlan, scenario: ScenarioResult, panel: Panel,
                       today: date | None = None) -> CheckContext:
    """The check's context with its inventory figures from ``panel`` (the inventory year's sectors,
    and the 1990 level back-cast where not measured, or the plan's own figure)."""
    plan = capf.plan
    year = int(cp.base_year)
    j = panel.year_index(year)
    by_sector = {s: float(np.nan_to_num(panel.values[0, i, j])) for i, s in enumerate(panel.sectors)}
    history = plan_history(plan, panel, 1990)
    k = history.year_index(1990)
    ref = float(history.total()[0, k])
    estimated = bool(history.total_estimated()[0, k])
    return _with_reference(capf, cp, scenario, year, panel.gwp_set, by_sector, None if np.isnan(ref) else ref,
                           estimated, today)


def _with_reference(capf: CapfPlan, cp: CompiledPlan, scenario: ScenarioResult, year: int, gwp: str,
                    by_sector: dict[str, float], ref: float | None, estimated: bool,
                    today: date | None) -> CheckContext:
    own = capf.plan.baseline.reference
    if own is not None and own.year == 1990:
        # the plan's own documented 1990 figure overrides the back-cast estimate (methodology §9.2)
        return CheckContext(capf, cp, scenario, year, gwp, by_sector, own.emissions_t, False,
                            today or date.today(), True)
    return CheckContext(capf, cp, scenario, year, gwp, by_sector, ref, estimated, today or date.today())
