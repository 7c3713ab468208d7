"""Compile a plan once into index arrays that every evaluation reuses.

The compiled form is the plan as numbers: rows (sector x carrier/activity; gas is CO2e, as
the shipped inventory is), a parameter vector ``theta`` holding every number an uncertainty
draw may change, one *step* per action effect pointing at rows and parameters, adoption by
action x year, and per organisation the base-year emissions each row starts from. Evaluating
after an edit, for another scenario, or for 10,000 draws only swaps ``theta`` or the action
levels; nothing is parsed or looked up again (see :mod:`nettonul.engine.plan.scenario`).

Organisations enter linearly: a row's emissions are its organisation's base-year sector
emissions (times a BAU index for sectors without an activity split) times a per-draw
intensity that does not depend on the organisation. One plan can therefore be evaluated for
all 98 municipalities with one batched matrix product.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np

from nettonul.engine.core.arrays import BoolArray, FloatArray, IntArray
from nettonul.engine.core.errors import SpecError
from nettonul.engine.core.panel import Panel
from nettonul.engine.inventory.backcast import backcast
from nettonul.engine.inventory.readers import read_inventory
from nettonul.engine.pathway.baseline import population_matrix, project_baseline
from nettonul.engine.pathway.targets import PerCapita, Reduction, Target, make_target
from nettonul.engine.pathway.trajectory import milestone_levels, target_path
from nettonul.engine.plan.adoption import adoption
from nettonul.engine.plan.effects import PARAMETERS, Demand, FactorChange, Shift, Switch
from nettonul.engine.plan.spec import Plan
from nettonul.engine.reference import datasets

StepKind = Literal["demand", "transfer", "factor", "removal"]
_ORDER: dict[str, int] = {"demand": 0, "switch": 1, "shift": 1, "factor": 2, "removal": 3}


@lru_cache(maxsize=1)
def reference_factors() -> tuple[IntArray, dict[str, FloatArray]]:
    """BR18 Annex 2 Table 8 (kg CO2e/kWh = t/MWh) by year, as shipped in data/reference."""
    text = (resources.files("nettonul.engine") / "data" / "reference" /
            "br18_annex2_table8_emission_factors.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    years = np.asarray([int(r["year"]) for r in rows], dtype=np.int64)
    cols = {c: np.asarray([float(r[f"{c}_kg_co2e_per_kwh"]) for r in rows])
            for c in ("electricity", "district_heating", "grid_gas")}
    return years, cols


def reference_factor(name: str, years: IntArray) -> FloatArray:
    """``br18.<carrier>`` interpolated linearly; held flat before 2023 and after 2040."""
    ty, cols = reference_factors()
    out: FloatArray = np.interp(np.asarray(years, dtype=np.float64), ty, cols[name.split(".", 1)[1]])
    return out


@dataclass(frozen=True)
class Step:
    """One action effect in compiled form (``rows``: rows acted on, or the source row)."""

    kind: StepKind
    action: int
    rows: IntArray
    dst: int
    mag: int  # theta index of the reduction / share / amount
    ratio: int  # theta index of the efficiency ratio / ratio / removal rate; -1 if none


@dataclass(frozen=True)
class RowLabel:
    sector: str
    carrier: str
    unit: str
    split: bool


@dataclass(frozen=True)
class SectorTargets:
    """The targets of one sector: milestone years, levels (O, J) measured on the sector's own
    emissions, and the sector's target path (O, Y), NaN after its last target year."""

    sector: str
    years: IntArray
    levels: FloatArray
    labels: tuple[str, ...]
    path: FloatArray


@dataclass(frozen=True)
class BaseYearLevel:
    """The total emissions of the year a target is measured against: the plan's own documented
    figure (``plan_figure``) or the back-cast / inventory estimate, with the estimate beside it."""

    year: int
    value: FloatArray  # (O,) t CO2e used for the targets
    estimate: FloatArray  # (O,) t CO2e back-cast (or inventory) estimate of the same year
    plan_figure: bool
    source: str

    def to_dict(self, org: int = 0) -> dict[str, object]:
        return {"year": self.year, "t_co2e": float(self.value[org]), "plan_figure": self.plan_figure,
                "source": self.source, "estimate_t_co2e": float(self.estimate[org])}


@dataclass(frozen=True)
class CompiledPlan:
    """Everything an evaluation needs, as arrays; shapes use O orgs, R rows, Y years, K actions."""

    orgs: tuple[str, ...]
    years: IntArray  # (Y,) first year = inventory year
    sectors: tuple[str, ...]
    rows: tuple[RowLabel, ...]
    row_sector: IntArray  # (R,)
    row_share: FloatArray  # (R,)
    row_ef: IntArray  # (R,) theta index of the base-year factor; -1 = 1.0 (rows without a split)
    row_trend: IntArray  # (R,) theta index of the activity trend; -1 = none
    row_ef_index: FloatArray  # (R, Y) factor relative to the base year (reference projection)
    base: FloatArray  # (O, R, Y) base-year sector emissions x BAU index (1 for removal rows)
    param_names: tuple[str, ...]
    theta: FloatArray  # (P,) central values
    steps: tuple[Step, ...]
    action_ids: tuple[str, ...]
    action_titles: tuple[str, ...]
    adoption: FloatArray  # (K, Y)
    target_years: IntArray  # (J,)
    target_levels: FloatArray  # (O, J)
    target_labels: tuple[str, ...]
    target_path: FloatArray  # (O, Y), NaN where no target path is defined
    notes: tuple[str, ...]
    sources: tuple[str, ...]
    sector_targets: tuple[SectorTargets, ...] = ()
    reference: BaseYearLevel | None = None

    @property
    def base_year(self) -> int:
        return int(self.years[0])

    def theta_with(self, values: dict[str, float]) -> FloatArray:
        """The central parameter vector with some numbers changed: an edit re-evaluated
        without compiling again (``totals(cp, cp.theta_with({"actions.ev.share": 0.5}))``)."""
        theta = self.theta.copy()
        for name, value in values.items():
            theta[self.param(name)] = value
        return theta

    def param(self, name: str) -> int:
        try:
            return self.param_names.index(name)
        except ValueError:
            raise SpecError(f"'{name}' is not a parameter of this plan") from None


LAND_USE = "lulucf"
#: What a plan, its report and its check say when the inventory holds no land use (methodology §9.1).
NO_LAND_USE = ("The inventory has no land use (LULUCF: lowland soils, forest, mineral soils); the Energi- og "
               "CO2-regnskab publishes none and does not net it into agriculture. Removals count only once land "
               "use is in the same inventory: add a land-use inventory (inventory.land_use, "
               "docs/inventory-format.md).")


def _land_use(plan: Plan, orgs: tuple[str, ...], years: IntArray) -> tuple[FloatArray, BoolArray, str]:
    """The plan's land-use inventory as (O, Y) t CO2e over ``years`` (estimated mask, and a
    note): its ``lulucf`` records rolled up to the sector, held at its first year's level for the
    years before it (no municipal land-use history is shipped; an assumption, said in the note)
    and at its last year's level after it (land use changes slowly; an inventory of the other
    sectors may be newer). Held cells within the inventory's years are not flagged as estimates,
    so a year the other sectors report stays an inventory year; the note says what is held."""
    inv = plan.inventory
    assert inv.land_use is not None
    records = (inv.land_use_records if inv.land_use_records is not None
               else read_inventory(inv.land_use, framework=plan.framework, gwp=plan.gwp))
    lu = records.to_panel("top")
    others = [s for s in lu.sectors if s != LAND_USE]
    if others or LAND_USE not in lu.sectors:
        raise SpecError(f"the land-use inventory {inv.land_use} must hold only land-use records (lulucf, "
                        f"lulucf.lowland_soils, lulucf.forest, lulucf.mineral_soils); it has "
                        f"{', '.join(lu.sectors) or 'none'}")
    missing = [o for o in orgs if o not in lu.orgs]
    if missing:
        raise SpecError(f"the land-use inventory {inv.land_use} has no records for {', '.join(missing)} "
                        f"(it has {', '.join(lu.orgs)})")
    series = lu.select(orgs).values[:, 0, :]  # (O, years of the file)
    first, last = int(lu.years[0]), int(lu.years[-1])
    out = np.full((len(orgs), years.size), np.nan)
    estimated = np.zeros(out.shape, dtype=bool)
    for j, y in enumerate(years):
        if first <= y <= last:
            out[:, j] = series[:, int(y) - first]
    held = [int(y) for y in years if y < first]
    if held:
        out[:, : len(held)] = series[:, :1]
    after = [j for j, y in enumerate(years) if y > last]
    if after:
        out[:, after] = series[:, -1:]
    note = (f"Land use (LULUCF) from {Path(inv.land_use).name}: {first}-{last}"
            + (f"; held at its {first} level for {held[0]}-{held[-1]} (assumption: no municipal land-use "
               "history is shipped)" if held else "")
            + (f"; held at its {last} level after it" if after else "") + ".")
    return out, estimated, note


def with_land_use_sector(panel: Panel, values: FloatArray, estimated: BoolArray, note: str) -> Panel:
    """``panel`` with the sector ``lulucf`` added (values (O, Y) over the panel's years)."""
    if LAND_USE in panel.sectors:
        raise SpecError("the inventory already holds land use (lulucf); a separate land-use inventory would "
                        "count it twice")
    return replace(panel, sectors=(*panel.sectors, LAND_USE),
                   values=np.concatenate([panel.values, values[:, None, :]], axis=1),
                   estimated=np.concatenate([panel.estimated, estimated[:, None, :]], axis=1),
                   notes=(*panel.notes, note) if note else panel.notes)


def with_plan_land_use(plan: Plan, panel: Panel) -> Panel:
    """``panel`` (an emissions history of the plan's organisation, e.g. an upload) with the plan's
    land-use inventory as the sector ``lulucf``, unless it has none or already holds land use."""
    if plan.inventory.land_use is None or LAND_USE in panel.sectors:
        return panel
    return with_land_use_sector(panel, *_land_use(plan, panel.orgs, panel.years))


def plan_history(plan: Plan, panel: Panel, base_year: int) -> Panel:
    """The plan's inventory back-cast to ``base_year`` (inline inventories are not back-cast).

    Land use from a land-use inventory is not indexed to the national LULUCF series (a net
    of forest sinks and soil sources that changes sign; methodology §9.1): it is held at its
    earliest level, as :func:`_land_use` does, and the other sectors are back-cast as usual.
    """
    if plan.inventory.source == "inline":
        return panel
    if plan.inventory.land_use is None or LAND_USE not in panel.sectors:
        return backcast(panel, base_year)
    j = panel.sector_index(LAND_USE)
    keep = [i for i in range(len(panel.sectors)) if i != j]
    rest = replace(panel, sectors=tuple(panel.sectors[i] for i in keep), values=panel.values[:, keep],
                   estimated=panel.estimated[:, keep])
    back = backcast(rest, base_year)
    lead = int(panel.years[0]) - int(back.years[0])
    lu = np.concatenate([np.repeat(panel.values[:, j, :1], lead, axis=1), panel.values[:, j, :]], axis=1)
    est = np.concatenate([np.ones((len(panel.orgs), lead), dtype=bool), panel.estimated[:, j, :]], axis=1)
    note = (f"Land use (LULUCF) {int(back.years[0])}-{int(panel.years[0]) - 1} held at the level of the land-use "
            "inventory's first year (assumption), not back-cast with the national index.") if lead else ""
    return with_land_use_sector(back, lu, est, note)


def inventory_panel(plan: Plan, orgs: tuple[str, ...]) -> tuple[Panel, int]:
    """The plan's inventory (shipped, file or inline) for ``orgs`` up to its base data year, and
    that year; with the plan's land-use inventory (``inventory.land_use``) as the sector ``lulucf``."""
    inv = plan.inventory
    if inv.source == "inline":
        assert inv.emissions is not None
        assert inv.year is not None
        sectors = tuple(inv.emissions)
        values = np.asarray([[inv.emissions[s] for s in sectors]] * len(orgs), dtype=np.float64)[:, :, None]
        panel = Panel(orgs, sectors, np.asarray([inv.year], dtype=np.int64), values, framework=plan.framework,
                      sources=(inv.note or "base-year emissions given in the plan file",))
        return panel, inv.year
    if inv.source == "file":
        assert inv.path is not None
        records = inv.records if inv.records is not None else read_inventory(inv.path, framework=plan.framework,
                                                                             gwp=plan.gwp)
        panel = records.to_panel("top")
        missing = [o for o in orgs if o not in panel.orgs]
        if missing:
            raise SpecError(f"inventory file {inv.path} has no records for {', '.join(missing)} "
                            f"(it has {', '.join(panel.orgs)})")
        panel = panel.select(orgs)
        what = f"the inventory file {inv.path}"
    else:
        panel = datasets.klimaregnskab_panel(orgs)
        what = "the Energi- og CO2-regnskab"
    year = int(panel.years[-1]) if inv.year is None else inv.year
    if not int(panel.years[0]) <= year <= int(panel.years[-1]):
        raise SpecError(f"inventory.year {year}: {what} covers {int(panel.years[0])}-{int(panel.years[-1])}")
    panel = panel.reindex_years(int(panel.years[0]), year)
    if inv.land_use is not None:
        # land use changes slowly: a land-use inventory older than the plan's inventory year is held
        # at its last level (said in the notes), as one newer is held back
        panel = with_land_use_sector(panel, *_land_use(plan, orgs, panel.years))
    return panel, year


def _bau_index(plan: Plan, panel: Panel, year: int, years: IntArray) -> tuple[FloatArray, list[str]]:
    """(O, S, Y) BAU index relative to the inventory year, for sectors without a split."""
    shape = (len(panel.orgs), len(panel.sectors), years.size)
    if plan.baseline.method == "constant":
        return np.ones(shape), ["BAU: emissions of sectors without an activity split held at their "
                                f"{year} level (constant baseline)."]
    # land use from a land-use inventory is held at its inventory-year level: the national LULUCF
    # projection is a net of sinks and sources that changes sign, no index for a municipality's soils
    land = plan.inventory.land_use is not None and LAND_USE in panel.sectors
    keep = [i for i, s in enumerate(panel.sectors) if not (land and s == LAND_USE)]
    projected = replace(panel, sectors=tuple(panel.sectors[i] for i in keep), values=panel.values[:, keep],
                        estimated=panel.estimated[:, keep]) if land else panel
    bau = project_baseline(projected, int(years[-1]), plan.baseline.method)
    base = bau.panel.values[:, :, :1]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = bau.panel.values / base
    index = np.ones(shape)
    index[:, keep] = np.where(np.isfinite(ratio), ratio, 1.0)
    notes = list(bau.panel.notes)
    if land:
        notes.append(f"BAU: land use (LULUCF) held at its {year} level (no municipal land-use projection is "
                     "shipped; the national KF25 LULUCF series is a net of sinks and sources).")
    return index, notes


def _targets(plan: Plan) -> list[Target]:
    return [make_target(t.kind, t.year, t.value, t.against, t.sector) for t in plan.targets]


def compile_plan(plan: Plan, orgs: tuple[str, ...] | None = None) -> CompiledPlan:
    """Compile ``plan`` for its organisation, or apply it as a template to ``orgs``."""
    if orgs is None:
        orgs = (plan.organisation if plan.inventory.source in ("inline", "file")
                else datasets.find_municipality(plan.organisation).code,)
    panel, inv_year = inventory_panel(plan, orgs)
    if plan.horizon <= inv_year:
        raise SpecError(f"horizon {plan.horizon} must be after the inventory year {inv_year}")
    years = np.arange(inv_year, plan.horizon + 1, dtype=np.int64)
    base_e = np.nan_to_num(panel.values[:, :, -1])  # (O, S0)
    bau_idx, notes = _bau_index(plan, panel, inv_year, years)
    if LAND_USE not in panel.sectors:
        notes.append(NO_LAND_USE)
    extra = [s for s in [*plan.activity, *(a.effect.sector for a in plan.actions),
                         *(t.sector for t in plan.targets if t.sector is not None)] if s not in panel.sectors]
    sectors = tuple(dict.fromkeys([*panel.sectors, *extra]))
    n_o, n_y = len(orgs), years.size

    names: list[str] = []
    theta: list[float] = []

    def param(name: str, value: float) -> int:
        names.append(name)
        theta.append(float(value))
        return len(names) - 1

    labels: list[RowLabel] = []
    r_sector, r_share, r_ef, r_trend, r_index, r_base = [], [], [], [], [], []
    row_of: dict[tuple[str, str], int] = {}
    negative_split = sorted({orgs[o] for s_i, sector in enumerate(sectors) if sector in plan.activity
                             and s_i < base_e.shape[1] for o in np.nonzero(base_e[:, s_i] < 0)[0]})
    if negative_split:
        notes.append(f"The activity split is applied to a negative sector total for {', '.join(negative_split[:10])}"
                     f"{' and others' if len(negative_split) > 10 else ''}; those rows are not meaningful.")
    for s_i, sector in enumerate(sectors):
        e_s = base_e[:, s_i] if s_i < base_e.shape[1] else np.zeros(n_o)
        trend = param(f"baseline.activity_trend.{sector}", plan.baseline.activity_trend.get(sector, 0.0))
        split = plan.activity.get(sector, [])
        if not split:
            idx = bau_idx[:, s_i, :] if s_i < bau_idx.shape[1] else np.ones((n_o, n_y))
            row_of[(sector, "all")] = len(labels)
            labels.append(RowLabel(sector, "all", "t_CO2e", False))
            r_sector.append(s_i); r_share.append(1.0); r_ef.append(-1); r_trend.append(trend)  # noqa: E702
            r_index.append(np.ones(n_y)); r_base.append(e_s[:, None] * idx)  # noqa: E702
            continue
        # A split row follows its sector's BAU index like an unsplit sector (one baseline with the
        # pathway): its BAU emissions are e_s x share x index. Where the row's factor has its own
        # projection, the activity is the index divided by that projection (activity x factor
        # = emissions), so the factor path only changes what the plan moves into or out of the row.
        idx = bau_idx[:, s_i, :] if s_i < bau_idx.shape[1] else np.ones((n_o, n_y))
        follows = plan.baseline.method != "constant"
        for row in split:
            if isinstance(row.factor, str):
                ef0 = float(reference_factor(row.factor, years[:1])[0])
                index = reference_factor(row.factor, years) / ef0
            else:
                ef0, index = row.factor, np.ones(n_y)
            row_of[(sector, row.carrier)] = len(labels)
            labels.append(RowLabel(sector, row.carrier, row.unit, True))
            r_sector.append(s_i); r_share.append(row.share); r_trend.append(trend)  # noqa: E702
            r_ef.append(param(f"activity.{sector}.{row.carrier}.factor", ef0))
            r_index.append(index)
            r_base.append(e_s[:, None] * idx / index[None, :] if follows else np.repeat(e_s[:, None], n_y, axis=1))
        if follows and sector == LAND_USE and plan.inventory.land_use is not None:
            notes.append(f"BAU of the {sector} rows ({', '.join(r.carrier for r in split)}) is held at the land-use "
                         f"inventory's {inv_year} level, as the sector is.")
        elif follows:
            own_trend = plan.baseline.activity_trend.get(sector, 0.0)
            notes.append(
                f"BAU of the {sector} rows ({', '.join(r.carrier for r in split)}) follows the {sector} "
                f"sector's {plan.baseline.method} index, as the unsplit sectors and the pathway do"
                + (f", times the plan's own activity trend of {own_trend * 100:+g} % a year." if own_trend else ".")
            )

    steps: list[Step] = []
    ordered = sorted(range(len(plan.actions)), key=lambda k: _ORDER[plan.actions[k].effect.type])
    for k in ordered:
        a = plan.actions[k]
        e = a.effect
        p = {f: param(f"actions.{a.id}.{f}", float(getattr(e, f))) for f in PARAMETERS[e.type]}

        def row_index(sector: str, carrier: str, a_id: str = a.id) -> int:
            if (sector, carrier) not in row_of:
                raise SpecError(f"action '{a_id}': sector '{sector}' has no row '{carrier}'")
            return row_of[(sector, carrier)]

        if isinstance(e, Demand | FactorChange):
            chosen = [r for (s, c), r in row_of.items() if s == e.sector and (not e.carriers or c in e.carriers)]
            m = p["reduction"]
            steps.append(Step(e.type, k, np.asarray(chosen, dtype=np.int64), -1, m, -1))
        elif isinstance(e, Switch | Shift):
            src, dst = row_index(e.sector, e.from_), row_index(e.to_sector or e.sector, e.to)
            ratio = p["efficiency_ratio"] if isinstance(e, Switch) else p["ratio"]
            steps.append(Step("transfer", k, np.asarray([src], dtype=np.int64), dst, p["share"], ratio))
        else:
            r = len(labels)
            labels.append(RowLabel(e.sector, e.activity, e.unit, True))
            r_sector.append(sectors.index(e.sector)); r_share.append(1.0); r_ef.append(-1)  # noqa: E702
            r_trend.append(-1); r_index.append(np.ones(n_y)); r_base.append(np.ones((n_o, n_y)))  # noqa: E702
            steps.append(Step("removal", k, np.asarray([r], dtype=np.int64), -1, p["amount"], p["rate"]))

    adopt = np.stack([adoption(a.schedule.curve, a.schedule.start, a.schedule.full_year, years)
                      for a in plan.actions]) if plan.actions else np.zeros((0, n_y))
    national = [k for k, a in enumerate(plan.actions) if a.in_baseline]
    if national:
        adopt[national] = 0.0
        notes.append(
            "Already in the KF25 business as usual and not counted as municipal reductions: "
            + "; ".join(plan.actions[k].title for k in national) + "."
        )
    for name in plan.uncertainty:
        if name not in names:
            raise SpecError(f"uncertainty.{name}: no such number in this plan")

    # targets, measured against the back-cast or inventory emissions of the whole organisation
    # (or, for a sector target, of that sector)
    targets = [t for t in _targets(plan) if t.year > inv_year]
    t_years, t_levels = np.zeros(0, dtype=np.int64), np.zeros((n_o, 0))
    path = np.full((n_o, n_y), np.nan)
    sector_targets: list[SectorTargets] = []
    totals_now = base_e.sum(axis=1)
    if targets:
        earliest = min([inv_year, *(t.against for t in targets if isinstance(t, Reduction) and t.against)])
        history = plan_history(plan, panel, earliest)
        if earliest < int(history.years[0]):
            raise SpecError(f"a target is measured against {earliest}, but the inline inventory starts in "
                            f"{int(history.years[0])}")
        population = _population(orgs, years, targets)
        if population is not None:
            notes.append("Per-capita targets use the population of the target year; after the last observed "
                         "population year it is held flat (an assumption).")
        total_targets = [t for t in targets if t.sector is None]
        totals, reference = _with_plan_figure(plan, history, targets, notes)
        if total_targets:
            t_years, t_levels = _levels(total_targets, history, totals, population, years, inv_year)
            path = target_path(years, inv_year, totals_now, t_years, t_levels).values
        for sector in dict.fromkeys(t.sector for t in targets if t.sector is not None):
            assert sector is not None
            own = [t for t in targets if t.sector == sector]
            known = sector in history.sectors
            s_hist = (np.nan_to_num(history.values[:, history.sector_index(sector)]) if known
                      else np.zeros((n_o, history.years.size)))
            s_now = base_e[:, panel.sectors.index(sector)] if sector in panel.sectors else np.zeros(n_o)
            s_years, s_levels = _levels(own, history, s_hist, population, years, inv_year)
            s_path = target_path(years, inv_year, s_now, s_years, s_levels).values
            s_path = np.where(years[None, :] > s_years[-1], np.nan, s_path)  # nothing said after the last one
            sector_targets.append(SectorTargets(sector, s_years, s_levels,
                                                tuple(t.describe() for t in sorted(own, key=lambda t: t.year)),
                                                s_path))
        notes += [n for n in history.notes if n not in notes]
    total_labels = tuple(t.describe() for t in sorted((t for t in targets if t.sector is None), key=lambda t: t.year))
    return CompiledPlan(
        orgs=orgs, years=years, sectors=sectors, rows=tuple(labels),
        row_sector=np.asarray(r_sector, dtype=np.int64), row_share=np.asarray(r_share),
        row_ef=np.asarray(r_ef, dtype=np.int64), row_trend=np.asarray(r_trend, dtype=np.int64),
        row_ef_index=np.stack(r_index), base=np.ascontiguousarray(np.stack(r_base, axis=1)),
        param_names=tuple(names), theta=np.asarray(theta), steps=tuple(steps),
        action_ids=tuple(a.id for a in plan.actions), action_titles=tuple(a.title for a in plan.actions),
        adoption=adopt, target_years=t_years, target_levels=t_levels,
        target_labels=total_labels, target_path=path, notes=tuple(notes), sources=panel.sources,
        sector_targets=tuple(sector_targets), reference=reference if targets else None,
    )


def _with_plan_figure(plan: Plan, history: Panel, targets: list[Target],
                      notes: list[str]) -> tuple[FloatArray, BaseYearLevel | None]:
    """The totals (O, year) targets are measured on, with the plan's own documented base-year
    figure (``baseline.reference``) in place of the back-cast estimate of that year (methodology
    §9.2: a constant municipal share erases an early mover's history), and the base-year level
    used (the earliest year a reduction is measured against)."""
    totals = history.total()
    own = plan.baseline.reference
    against = sorted({t.against for t in targets if isinstance(t, Reduction) and t.against is not None})
    if own is not None and int(history.years[0]) <= own.year <= int(history.years[-1]):
        j = history.year_index(own.year)
        estimate = totals[:, j].copy()
        totals = totals.copy()
        totals[:, j] = own.emissions_t
        if own.year in against:
            kind = "back-cast estimate" if bool(history.total_estimated()[:, j].any()) else "inventory figure"
            notes.append(f"Base year {own.year}: the plan's own figure of {own.emissions_t:,.0f} t CO2e "
                         f"({own.source}) replaces the {kind} of {float(estimate[0]):,.0f} t CO2e for the targets "
                         "on the total; sector targets stay on the sector estimates.")
        return totals, BaseYearLevel(own.year, totals[:, j], estimate, True, own.source)
    if not against:
        return totals, None
    j = history.year_index(against[0])
    estimated = bool(history.total_estimated()[:, j].any())
    source = "back-cast estimate (national sector index)" if estimated else "inventory"
    return totals, BaseYearLevel(against[0], totals[:, j], totals[:, j], False, source)


def _population(orgs: tuple[str, ...], years: IntArray, targets: list[Target]) -> FloatArray | None:
    """(O, Y) inhabitants, held flat after the last observed year, when a target is per capita."""
    if not any(isinstance(t, PerCapita) for t in targets):
        return None
    population = population_matrix(orgs, years, hold_after=True)
    unknown = [o for o, row in zip(orgs, population, strict=True) if not np.isfinite(row).all()]
    if unknown:
        raise SpecError(f"a per-capita target needs the population of {', '.join(unknown)}, which is not among "
                        "the shipped municipalities' populations; give the target in t CO2e (kind: absolute)")
    return population


def _levels(targets: list[Target], history: Panel, series: FloatArray, population: FloatArray | None,
            years: IntArray, inv_year: int) -> tuple[IntArray, FloatArray]:
    """Milestone years and levels (O, J) of targets on one series (the total or one sector):
    reductions against ``series`` (O, year over the years of ``history``), per-capita levels
    times the population of the target year."""

    def reference(y: int) -> FloatArray:
        out: FloatArray = series[:, history.year_index(y)]
        return out

    def inhabitants(y: int) -> FloatArray:
        assert population is not None
        out: FloatArray = population[:, y - int(years[0])]
        return out

    return milestone_levels(targets, reference, inhabitants, inv_year)
