"""Action costs: net present cost, cost per tonne abated, and the marginal abatement cost curve.

Method (documented in ``docs/actions-and-scenarios.md``): an action's capital cost is turned
into an *equivalent annual cost* with the capital recovery factor
``CRF = r / (1 - (1 + r)^-L)`` (``r`` discount rate, ``L`` lifetime), which assumes
equipment is replaced at the end of its life for as long as the effect lasts. In every year
the action costs ``(capex x CRF + opex) x adoption(year)``. The net present cost (NPC) is the
sum of those costs discounted to the plan's first year; the cost per tonne is the levelised
cost ``NPC / sum(abated_t / (1 + r)^t)``, with the abatement attributed to the action
(:mod:`nettonul.engine.plan.attribution`). Negative costs are savings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from nettonul.engine.core.arrays import FloatArray, IntArray


class Cost(BaseModel):
    """Costs at full adoption, in ``currency`` (DKK by default, real prices)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    capex: float = Field(0.0, description="Investment at full adoption.")
    opex_per_year: float = Field(0.0, description="Running cost per year at full adoption; negative for savings.")
    lifetime_years: int = Field(20, ge=1, le=200)
    discount_rate: float | None = Field(None, ge=-0.05, le=0.5, description="The plan's rate when left out.")
    currency: str = "DKK"


def capital_recovery_factor(rate: float, lifetime: int) -> float:
    """Share of an investment that, paid every year of its life, has the same present value."""
    if rate == 0:
        return 1.0 / lifetime
    return rate / (1.0 - (1.0 + rate) ** -lifetime)


def discount_factors(years: IntArray, rate: float, first_year: int | None = None) -> FloatArray:
    """``1 / (1 + rate)^(year - first_year)`` for each year."""
    y0 = int(years[0]) if first_year is None else first_year
    out: FloatArray = (1.0 + rate) ** -(np.asarray(years, dtype=np.float64) - y0)
    return out


def annual_costs(cost: Cost, adoption: FloatArray, rate: float) -> FloatArray:
    """Cost in each year (same shape as ``adoption``)."""
    eac = cost.capex * capital_recovery_factor(rate, cost.lifetime_years) + cost.opex_per_year
    out: FloatArray = eac * np.asarray(adoption, dtype=np.float64)
    return out


@dataclass(frozen=True)
class ActionCost:
    """Cost figures of one action for one organisation over the evaluated years."""

    action: str
    currency: str
    discount_rate: float
    npc: float
    discounted_abatement_t: float
    abatement_t: float
    cost_per_t: float | None
    #: The cost in each evaluated year, undiscounted (fixed prices).
    annual: tuple[float, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"action": self.action, "currency": self.currency, "discount_rate": self.discount_rate,
                "net_present_cost": self.npc, "abatement_t_co2e": self.abatement_t,
                "discounted_abatement_t_co2e": self.discounted_abatement_t,
                "cost_per_t_co2e": self.cost_per_t, "annual_costs": list(self.annual)}


def action_cost(action: str, cost: Cost, adoption: FloatArray, abatement: FloatArray, years: IntArray,
                default_rate: float) -> ActionCost:
    """Net present cost and levelised cost per tonne from yearly adoption and abatement (t)."""
    rate = default_rate if cost.discount_rate is None else cost.discount_rate
    d = discount_factors(years, rate)
    yearly = annual_costs(cost, adoption, rate)
    npc = float(np.sum(yearly * d))
    dab = float(np.sum(abatement * d))
    per_t = npc / dab if dab > 1e-9 else None
    return ActionCost(action, cost.currency, rate, npc, dab, float(np.sum(abatement)), per_t,
                      tuple(float(v) for v in yearly))


@dataclass(frozen=True)
class MaccBar:
    action: str
    title: str
    cost_per_t: float
    abatement_t: float  # width: abatement in the MACC year
    x0: float  # where the bar starts on the cumulative abatement axis

    def to_dict(self) -> dict[str, object]:
        return {"action": self.action, "title": self.title, "cost_per_t_co2e": self.cost_per_t,
                "abatement_t_co2e": self.abatement_t, "x0": self.x0}


def macc(actions: list[tuple[str, str, float | None, float]]) -> list[MaccBar]:
    """Bars of a marginal abatement cost curve from (id, title, cost per t, abatement in the
    chosen year): cheapest first; actions without a cost or without abatement are left out."""
    usable = [(a, t, c, w) for a, t, c, w in actions if c is not None and w > 0]
    usable.sort(key=lambda x: (x[2], x[0]))
    bars, x = [], 0.0
    for a, t, c, w in usable:
        assert c is not None
        bars.append(MaccBar(a, t, c, w, x))
        x += w
    return bars
