"""Evaluate a compiled plan: emissions of business as usual and of the plan, wedges and gap.

The kernels that compute emissions live in :mod:`nettonul.engine.plan.kernels` (their
docstring states the physical model); the wedges come from
:mod:`nettonul.engine.plan.attribution`, which builds on the same kernels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nettonul.engine.core.arrays import FloatArray
from nettonul.engine.plan.attribution import wedges
from nettonul.engine.plan.compile import CompiledPlan
from nettonul.engine.plan.costs import action_cost, macc
from nettonul.engine.plan.kernels import row_emissions
from nettonul.engine.plan.spec import Plan


# --------------------------------------------------------------------------- deterministic scenario
@dataclass(frozen=True)
class ScenarioResult:
    """A plan against business as usual, for every organisation of the compiled plan."""

    cp: CompiledPlan
    bau_rows: FloatArray  # (O, R, Y)
    plan_rows: FloatArray  # (O, R, Y)
    wedges: FloatArray  # (O, K, Y) reduction attributed to each action; sums to bau - plan
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def bau(self) -> FloatArray:
        out: FloatArray = self.bau_rows.sum(axis=1)
        return out

    @property
    def plan(self) -> FloatArray:
        out: FloatArray = self.plan_rows.sum(axis=1)
        return out

    def by_sector(self, rows: FloatArray) -> FloatArray:
        """(O, S, Y) from (O, R, Y)."""
        onehot = (self.cp.row_sector[:, None] == np.arange(len(self.cp.sectors))[None, :]).astype(np.float64)
        out: FloatArray = np.einsum("ory,rs->osy", rows, onehot)
        return out

    def gap(self) -> FloatArray:
        """(O, J) plan emissions minus the target level in each target year (> 0: short of it)."""
        idx = self.cp.target_years - self.cp.years[0]
        out: FloatArray = self.plan[:, idx] - self.cp.target_levels
        return out

    def sector_plan(self, sector: str) -> FloatArray:
        """(O, Y) the plan's emissions of one sector."""
        out: FloatArray = self.by_sector(self.plan_rows)[:, self.cp.sectors.index(sector)]
        return out

    def sector_gaps(self) -> dict[str, FloatArray]:
        """Sector -> (O, J) the sector's plan emissions minus each of its target levels."""
        out: dict[str, FloatArray] = {}
        for st in self.cp.sector_targets:
            out[st.sector] = self.sector_plan(st.sector)[:, st.years - self.cp.years[0]] - st.levels
        return out


def evaluate(cp: CompiledPlan, theta: FloatArray | None = None) -> ScenarioResult:
    """BAU, plan and wedges for the central values (or one given ``theta``)."""
    k = len(cp.action_ids)
    both = row_emissions(cp, theta, np.stack([np.zeros(k), np.ones(k)]))
    return ScenarioResult(cp, both[0], both[1], wedges(cp, theta))


def summarise(plan: Plan, result: ScenarioResult, org: int = 0, macc_year: int | None = None) -> dict[str, Any]:
    """Everything a user reads about one organisation's scenario, as plain data: emissions by
    year, the wedges, the gap to each target, and each action's costs and MACC bar."""
    cp = result.cp
    years = cp.years
    yi = {int(y): i for i, y in enumerate(years)}
    if macc_year is None:
        macc_year = int(cp.target_years[0]) if cp.target_years.size else int(years[-1])
    actions: list[dict[str, Any]] = []
    macc_input: list[tuple[str, str, float | None, float]] = []
    for k, a in enumerate(plan.actions):
        w = result.wedges[org, k]
        w = np.where(np.abs(w) < 1e-9, 0.0, w)  # rounding noise of the quadrature, not a wedge
        item: dict[str, Any] = {
            "id": a.id, "title": a.title, "type": a.effect.type, "sector": a.effect.sector,
            "start": a.schedule.start, "full": a.schedule.full_year, "curve": a.schedule.curve,
            "reduction_t_co2e": w.tolist(), "reduction_in_macc_year_t_co2e": float(w[yi[macc_year]]),
            "cumulative_reduction_t_co2e": float(w.sum()), "assumptions": dict(a.assumptions),
            "sources": dict(a.sources), "cost": None, "in_baseline": a.in_baseline,
        }
        if a.cost is not None:
            c = action_cost(a.id, a.cost, cp.adoption[k], w, years, plan.discount_rate)
            item["cost"] = c.to_dict()
            macc_input.append((a.id, a.title, c.cost_per_t, float(w[yi[macc_year]])))
        actions.append(item)
    gaps = result.gap()[org]
    targets = [{"target": lab, "sector": None, "year": int(y), "target_t_co2e": float(cp.target_levels[org, j]),
                "plan_t_co2e": float(result.plan[org, yi[int(y)]]), "gap_t_co2e": float(gaps[j]),
                "met": bool(gaps[j] <= 1e-6)}
               for j, (lab, y) in enumerate(zip(cp.target_labels, cp.target_years, strict=True))]
    sector_gaps = result.sector_gaps()
    for st in cp.sector_targets:
        plan_s = result.sector_plan(st.sector)[org]
        g = sector_gaps[st.sector][org]
        targets += [{"target": lab, "sector": st.sector, "year": int(y), "target_t_co2e": float(st.levels[org, j]),
                     "plan_t_co2e": float(plan_s[yi[int(y)]]), "gap_t_co2e": float(g[j]), "met": bool(g[j] <= 1e-6)}
                    for j, (lab, y) in enumerate(zip(st.labels, st.years, strict=True))]
    bau, planned = result.bau[org], result.plan[org]
    notes = list(cp.notes) + list(plan.notes)
    above = [int(y) for y, b, p in zip(years, bau, planned, strict=True) if p > b + 0.5]
    if above:
        rising = [a["title"] for a in actions if min(a["reduction_t_co2e"]) < -0.5]
        notes.append(
            f"The plan emits more than business as usual in {above[0]}-{above[-1]}"
            + (f", because of: {'; '.join(rising)}." if rising else ".")
        )
    removal_rows = sorted({int(st.rows[0]) for st in cp.steps if st.kind == "removal"})
    gross_rows = [r for r in range(len(cp.rows)) if r not in removal_rows]
    net_zero = []
    for t in plan.targets:
        if t.kind != "net_zero" or int(t.year) not in yi:
            continue
        y = yi[int(t.year)]
        residual = {s: float(sum(result.plan_rows[org, r, y] for r in gross_rows if cp.row_sector[r] == i))
                    for i, s in enumerate(cp.sectors)}
        gross = float(sum(result.plan_rows[org, r, y] for r in gross_rows))
        removals = float(sum(result.plan_rows[org, r, y] for r in removal_rows))
        net_zero.append({"year": int(t.year), "sector": t.sector, "gross_t_co2e": gross,
                         "removals_t_co2e": removals, "net_t_co2e": gross + removals,
                         "residual_by_sector_t_co2e": {k: v for k, v in residual.items() if abs(v) > 1e-9}})
    return {
        "plan": plan.name,
        # net zero = gross emissions minus removals in the same boundary, with residuals by sector
        "net_zero": net_zero, "organisation": cp.orgs[org], "currency": plan.currency,
        "discount_rate": plan.discount_rate, "years": years.tolist(), "unit": "t_CO2e", "gwp": plan.gwp,
        "bau_t_co2e": bau.tolist(), "plan_t_co2e": planned.tolist(),
        # The national band: what KF25 'with existing measures' changes from the inventory year,
        # kept apart from the plan's own wedges.
        "national_measures_t_co2e": (bau[0] - bau).tolist(),
        "target_path_t_co2e": cp.target_path[org].tolist(),
        "sectors": {s: {"bau": result.by_sector(result.bau_rows)[org, i].tolist(),
                        "plan": result.by_sector(result.plan_rows)[org, i].tolist()}
                    for i, s in enumerate(cp.sectors)},
        "actions": actions,
        # the base-year level the reduction targets are measured on: the plan's own documented
        # figure (plan_figure true) or the back-cast estimate, with the estimate beside it
        "reference": cp.reference.to_dict(org) if cp.reference is not None else None,
        "targets": targets,
        "sector_target_paths_t_co2e": {st.sector: st.path[org].tolist() for st in cp.sector_targets},
        "macc_year": macc_year,
        "macc": [b.to_dict() for b in macc(macc_input)],
        "notes": notes,
        "sources": list(cp.sources),
        "assumptions_note": ("Numbers marked as assumptions in the plan file are illustrative; see each "
                             "action's 'assumptions'."),
    }
