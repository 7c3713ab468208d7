"""Do the municipal targets add up? The national and regional roll-up.

For each municipality of a panel (by default the 98 of the Energi- og CO2-regnskab) one value
per sector in the roll-up year (2030 unless asked otherwise), labelled by where it comes from:

* ``published plan``: the scenario of the municipality's published plan (every action at its
  planned level, :func:`plan_scenario`) in the roll-up year, by sector; the plan's own target
  path is its target. Sectors outside the municipal accounts (LULUCF) are left out.
* ``stated target``: the municipality's own targets drawn as a path
  (:func:`nettonul.engine.pathway.pathway.compute_pathway`, anchored at the last inventory year,
  reductions against its back-cast 1990). "Meets its own target" means emissions at most the
  path: where business as usual is already below the path, BAU is used. The path is a total;
  it is split over sectors in proportion to the municipality's BAU sectors (an assumption).
* ``assumed: national target``: with ``assume_national``, a municipality without stated
  targets is given the national -70 % in 2030 against 1990 (an assumption, labelled so).
* ``business as usual``: KF25 'with existing measures' indexed to the last inventory year, the
  one baseline of :mod:`nettonul.engine.pathway.baseline`.

The municipal values are summed by region and for the nation and set against the national
inventory of KF25 (Energistyrelsen, CRF tables, CO2e AR5). The Climate Act's -70 % is against
1990 **including** LULUCF (79.18 Mt); the municipal accounts have no LULUCF, so the roll-up's
main comparison is against 1990 **without** LULUCF (72.47 Mt), and the figure with LULUCF adds
KF25's own LULUCF projection. The CRF categories municipalities do not cover (refining,
offshore, fugitive, border trade, military and recreational craft, composting and biogas, CCS,
KF25's corrections) are carried at their KF25 values as their own band. The municipal
accounts and the mapped national categories do not agree exactly (methodology §9.1); the
difference in the last inventory year is reported as the reconciliation residual, not hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from nettonul.engine.core.arrays import BoolArray, FloatArray
from nettonul.engine.core.errors import Problem, SpecError, ValidationError
from nettonul.engine.core.panel import Panel
from nettonul.engine.io.tables import Source, read_table
from nettonul.engine.pathway.pathway import PathwaySpec, compute_pathway
from nettonul.engine.pathway.targets import Reduction, Target, parse_targets
from nettonul.engine.reference import datasets

PLAN = "published plan"
STATED = "stated target"
ASSUMED = "assumed: national target"
BAU = "business as usual"
#: The national target the roll-up is measured against: -70 % in 2030 against 1990.
NATIONAL_REDUCTION = 0.70
NATIONAL_TARGET_YEAR = 2030
BASE_YEAR = 1990
MT = 1e6  # t CO2e per Mt


@dataclass(frozen=True)
class Band:
    """A national CRF category carried at KF25: Mt CO2e in 1990, the last inventory year and the
    roll-up year."""

    crf: str
    description: str
    base: float
    last: float
    year: float


@dataclass(frozen=True)
class PlanScenario:
    """A published plan's scenario in the roll-up year (:func:`nettonul.engine.plan.sources.plan_scenario`
    computes it): t CO2e by sector with every action at its planned level, and the plan's own
    target path in that year (NaN where the plan has none)."""

    plan: str
    sectors: Mapping[str, float]
    target: float


@dataclass(frozen=True)
class Totals:
    """Sums over a set of municipalities, t CO2e."""

    base: float  # back-cast 1990
    last: float  # last inventory year
    bau: float  # BAU in the roll-up year
    rolled: float  # the roll-up in the roll-up year
    count: int
    with_target: int

    @property
    def reduction(self) -> float:
        """Fall of the roll-up against 1990, a fraction (0.7 = -70 %)."""
        return 1.0 - self.rolled / self.base if self.base else float("nan")

    @property
    def bau_reduction(self) -> float:
        return 1.0 - self.bau / self.base if self.base else float("nan")


@dataclass(frozen=True)
class Rollup:
    """The roll-up; arrays are over ``codes`` (org) and ``sectors``, in t CO2e."""

    year: int
    last_year: int
    codes: tuple[str, ...]
    names: tuple[str, ...]
    regions: tuple[str, ...]
    labels: tuple[str, ...]  # PLAN, STATED, ASSUMED or BAU per municipality
    sectors: tuple[str, ...]
    base: FloatArray  # (org,) back-cast 1990 total
    last: FloatArray  # (org, sector) last inventory year
    bau: FloatArray  # (org, sector) BAU in the roll-up year
    rolled: FloatArray  # (org, sector) roll-up in the roll-up year (the source order)
    target_level: FloatArray  # (org,) the own (or assumed) target path in the year; NaN without
    bands: tuple[Band, ...]  # uncovered national categories, Mt
    national_base_excl_lulucf: float  # Mt, 1990
    national_base_incl_lulucf: float  # Mt, 1990
    national_last_excl_lulucf: float  # Mt, last inventory year
    kf25_year_excl_lulucf: float  # Mt, KF25 WEM in the roll-up year
    kf25_lulucf_year: float  # Mt, KF25 LULUCF in the roll-up year
    kf25_covered_year: float  # Mt, KF25 WEM of the mapped (covered) categories in the roll-up year
    kf25_covered_base: float  # Mt, the mapped categories in 1990
    sources: tuple[str, ...]
    notes: tuple[str, ...]
    #: (org, sector) what each municipality does without assuming its target is met: its
    #: published plan's scenario, otherwise BAU (the default is BAU)
    own: FloatArray | None = None

    @property
    def scenario(self) -> FloatArray:
        out: FloatArray = self.bau if self.own is None else self.own
        return out

    @property
    def met(self) -> FloatArray:
        """(org, sector) every municipality meets its own target: at most its target path, split
        over sectors in proportion to its own scenario; without a target, its own scenario."""
        own = self.scenario
        total = own.sum(axis=1)
        has = np.isfinite(self.target_level)
        capped = np.where(has, np.fmin(self.target_level, total), total)
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(total != 0, capped / total, 1.0)
        out: FloatArray = own * scale[:, None]
        return out

    # ------------------------------------------------------------------ sums
    def totals(self, mask: Sequence[bool] | BoolArray | None = None) -> Totals:
        m = np.ones(len(self.codes), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
        return Totals(
            base=float(np.nansum(self.base[m])), last=float(np.nansum(self.last[m])),
            bau=float(np.nansum(self.bau[m])), rolled=float(np.nansum(self.rolled[m])),
            count=int(m.sum()), with_target=int(np.isfinite(self.target_level[m]).sum()),
        )

    def region_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.regions))

    def by_region(self) -> dict[str, Totals]:
        regions = np.asarray(self.regions)
        return {r: self.totals(regions == r) for r in self.region_names()}

    def region_mask(self, region: str) -> BoolArray:
        folded = {r.lower().removeprefix("region ").strip(): r for r in self.region_names()}
        key = region.lower().removeprefix("region ").strip()
        if key not in folded:
            raise SpecError(f"no region '{region}'; use one of {', '.join(self.region_names())}")
        out: BoolArray = np.asarray(self.regions) == folded[key]
        return out

    # ------------------------------------------------------------------ national frame
    @property
    def uncovered_year(self) -> float:
        """Mt in the roll-up year of the categories municipalities do not cover."""
        return float(sum(b.year for b in self.bands))

    @property
    def uncovered_last(self) -> float:
        return float(sum(b.last for b in self.bands))

    @property
    def residual_last(self) -> float:
        """Mt: national total without LULUCF in the last inventory year minus (the municipal sum
        plus the uncovered categories); what the municipal accounts and CRF do not agree on."""
        return self.national_last_excl_lulucf - (self.totals().last / MT + self.uncovered_last)

    @property
    def national_year(self) -> float:
        """Mt without LULUCF in the roll-up year: the municipal roll-up plus the uncovered band."""
        return self.totals().rolled / MT + self.uncovered_year

    @property
    def national_target_excl_lulucf(self) -> float:
        return (1.0 - NATIONAL_REDUCTION) * self.national_base_excl_lulucf

    @property
    def national_target_incl_lulucf(self) -> float:
        return (1.0 - NATIONAL_REDUCTION) * self.national_base_incl_lulucf

    @property
    def gap(self) -> float:
        """Mt above the -70 % (without LULUCF) in the roll-up year; negative = below it."""
        return self.national_year - self.national_target_excl_lulucf

    @property
    def gap_incl_lulucf(self) -> float:
        """Mt above the legal -70 % (with LULUCF, KF25's LULUCF added) in the roll-up year."""
        return self.national_year + self.kf25_lulucf_year - self.national_target_incl_lulucf

    # ------------------------------------------------------------------ detail
    def contributions(self) -> FloatArray:
        """(org, sector) t CO2e fall from the last inventory year to the roll-up year."""
        out: FloatArray = self.last - self.rolled
        return out

    def shortfalls(self) -> list[dict[str, Any]]:
        """Municipalities with a target, furthest from it first: their own scenario (the
        published plan, otherwise BAU) minus the target path in the roll-up year (t CO2e, > 0 =
        the target is missed). The key ``bau`` holds that own scenario."""
        bau = self.scenario.sum(axis=1)
        rows = [
            {"code": c, "name": n, "region": r, "source": lab, "bau": float(bau[i]),
             "target": float(self.target_level[i]), "shortfall": float(bau[i] - self.target_level[i]),
             "shortfall_share": float((bau[i] - self.target_level[i]) / self.target_level[i])
             if self.target_level[i] > 0 else float("nan")}
            for i, (c, n, r, lab) in enumerate(zip(self.codes, self.names, self.regions, self.labels, strict=True))
            if np.isfinite(self.target_level[i])
        ]
        return sorted(rows, key=lambda d: -d["shortfall"])

    def headlines(self, mask: Sequence[bool] | BoolArray | None = None) -> dict[str, Any]:
        t = self.totals(mask)
        m = np.ones(len(self.codes), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
        met = float(self.met[m].sum())
        return {
            "covered_reduction": t.reduction, "covered_bau_reduction": t.bau_reduction,
            "covered_reduction_if_targets_met": 1.0 - met / t.base if t.base else float("nan"),
            "with_plan": int(sum(1 for i in np.nonzero(m)[0] if self.labels[i] == PLAN)),
            "municipalities": t.count, "with_target": t.with_target,
            "national_reduction_excl_lulucf": 1.0 - self.national_year / self.national_base_excl_lulucf,
            "gap_mt": self.gap, "gap_incl_lulucf_mt": self.gap_incl_lulucf,
            "uncovered_mt": self.uncovered_year,
        }

    def to_dict(self, region: str | None = None) -> dict[str, Any]:
        mask = None if region is None else self.region_mask(region)
        sel = np.ones(len(self.codes), dtype=bool) if mask is None else np.asarray(mask)
        contrib = self.contributions()

        def totals(t: Totals) -> dict[str, Any]:
            return {"base_1990_t": t.base, f"inventory_{self.last_year}_t": t.last, f"bau_{self.year}_t": t.bau,
                    f"rollup_{self.year}_t": t.rolled, "reduction_vs_1990": t.reduction,
                    "bau_reduction_vs_1990": t.bau_reduction, "municipalities": t.count,
                    "with_target": t.with_target}

        return {
            "year": self.year, "base_year": BASE_YEAR, "last_inventory_year": self.last_year,
            "unit": "t_CO2e (national figures in Mt_CO2e)", "region": region,
            "headlines": self.headlines(mask),
            "covered": totals(self.totals(mask)),
            "regions": {r: totals(t) for r, t in self.by_region().items()},
            "national": {
                "base_1990_excl_lulucf_mt": self.national_base_excl_lulucf,
                "base_1990_incl_lulucf_mt": self.national_base_incl_lulucf,
                "target_excl_lulucf_mt": self.national_target_excl_lulucf,
                "target_incl_lulucf_mt": self.national_target_incl_lulucf,
                f"rollup_{self.year}_excl_lulucf_mt": self.national_year,
                f"kf25_wem_{self.year}_excl_lulucf_mt": self.kf25_year_excl_lulucf,
                f"kf25_lulucf_{self.year}_mt": self.kf25_lulucf_year,
                f"kf25_wem_covered_categories_{self.year}_mt": self.kf25_covered_year,
                "covered_categories_1990_mt": self.kf25_covered_base,
                "gap_to_target_excl_lulucf_mt": self.gap, "gap_to_target_incl_lulucf_mt": self.gap_incl_lulucf,
                f"reconciliation_residual_{self.last_year}_mt": self.residual_last,
                "uncovered": [{"crf": b.crf, "description": b.description, "base_1990_mt": b.base,
                               f"kf25_{self.last_year}_mt": b.last, f"kf25_{self.year}_mt": b.year}
                              for b in self.bands],
            },
            "municipalities": [
                {"code": self.codes[i], "name": self.names[i], "region": self.regions[i],
                 "source": self.labels[i], "base_1990_t": float(self.base[i]),
                 f"inventory_{self.last_year}_t": float(self.last[i].sum()),
                 f"bau_{self.year}_t": float(self.bau[i].sum()), f"rollup_{self.year}_t": float(self.rolled[i].sum()),
                 "target_path_t": float(self.target_level[i]),
                 f"own_scenario_{self.year}_t": float(self.scenario[i].sum()),
                 "contribution_by_sector_t": {s: float(contrib[i, j]) for j, s in enumerate(self.sectors)}}
                for i in np.nonzero(sel)[0]
            ],
            "contribution_by_sector_t": {s: float(contrib[sel, j].sum()) for j, s in enumerate(self.sectors)},
            "furthest_from_target": [r for r in self.shortfalls() if sel[self.codes.index(r["code"])]],
            "sources": list(self.sources), "notes": list(self.notes),
        }


def national_target() -> tuple[Target, ...]:
    return (Reduction(NATIONAL_TARGET_YEAR, NATIONAL_REDUCTION, BASE_YEAR),)


def read_targets(source: Source, name: str | None = None) -> dict[str, tuple[Target, ...]]:
    """Stated targets by kommunekode from a CSV/Excel file with columns ``municipality``
    (code or name) and ``targets`` (compact target strings separated by ``;``, e.g.
    ``2030:-70%@1990; netzero:2050``). Every bad row is reported at once."""
    table = read_table(source, name=name)
    problems: list[Problem] = []
    out: dict[str, tuple[Target, ...]] = {}
    for column in ("municipality", "targets"):
        if column not in table.header:
            problems.append(Problem(table.file, 1, column, f"the column '{column}' is missing"))
    if problems:
        raise ValidationError(problems, f"targets file {table.file}")
    for row in table.rows:
        try:
            code = datasets.find_municipality(row.text("municipality")).code
            texts = [t for t in row.text("targets").split(";") if t.strip()]
            if not texts:
                raise SpecError("no targets given")
            if code in out:
                raise SpecError(f"municipality {code} appears twice")
            out[code] = parse_targets(texts)
        except SpecError as exc:
            problems.append(Problem(table.file, row.number, None, str(exc)))
    if problems:
        raise ValidationError(problems, f"targets file {table.file}")
    return out


def _bands(inv: datasets.NationalInventory, covered: set[str], last: int, year: int) -> tuple[Band, ...]:
    def at(i: int, y: int) -> float:
        return float(inv.values[i, y - int(inv.years[0])])

    return tuple(
        Band(c, d, at(i, BASE_YEAR), at(i, last), at(i, year))
        for i, (c, d) in enumerate(zip(inv.crf_codes, inv.descriptions, strict=True))
        if c not in covered and not c.startswith("4")
    )


def rollup(
    targets: Mapping[str, Sequence[Target]] | None = None,
    *,
    plans: Mapping[str, PlanScenario] | None = None,
    year: int = NATIONAL_TARGET_YEAR,
    assume_national: bool = False,
    panel: Panel | None = None,
    regions: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Rollup:
    """The roll-up of ``panel`` (default: the 98 municipalities' Energi- og CO2-regnskab) in
    ``year``. ``plans`` maps kommunekode -> its published plan's scenario (first in the source
    order), ``targets`` kommunekode -> stated targets; ``regions`` and ``names`` default
    to the shipped municipality list. ``on_progress(n)`` is called as target groups finish."""
    advance = on_progress or (lambda n: None)
    panel = panel if panel is not None else datasets.klimaregnskab_panel()
    if panel.framework != "dk-municipal":
        raise SpecError("the roll-up needs dk-municipal inventories")
    known = {m.code: m for m in datasets.municipalities()}
    regions = regions or {c: known[c].region_name for c in panel.orgs if c in known}
    names = names or {c: known[c].name for c in panel.orgs if c in known}
    targets = dict(targets or {})
    plans = dict(plans or {})
    unknown = sorted((set(targets) | set(plans)) - set(panel.orgs))
    if unknown:
        raise SpecError(f"targets or plans for municipalities not in the inventory: {', '.join(unknown[:5])}")

    base_pw = compute_pathway(panel, PathwaySpec(targets=national_target(), end_year=max(year, 2031)))
    if not base_pw.last_inventory_year < year:
        raise SpecError(f"the roll-up year {year} must be after the last inventory year "
                        f"{base_pw.last_inventory_year}")
    yi = year - BASE_YEAR
    last_year = base_pw.last_inventory_year
    base = base_pw.at(base_pw.historical, BASE_YEAR)
    last = np.nan_to_num(base_pw.history.values[:, :, last_year - BASE_YEAR])
    bau = np.nan_to_num(base_pw.bau.values[:, :, yi])
    advance(1)

    labels = [BAU] * len(panel.orgs)
    level = np.full(len(panel.orgs), np.nan)
    groups: dict[tuple[Target, ...], list[int]] = {}
    own = bau.copy()
    for i, code in enumerate(panel.orgs):
        if code in plans:
            sc = plans[code]
            own[i] = [float(sc.sectors.get(sector, 0.0)) for sector in panel.sectors]
            level[i] = sc.target
            labels[i] = PLAN
        elif code in targets:
            groups.setdefault(tuple(targets[code]), []).append(i)
            labels[i] = STATED
        elif assume_national:
            groups.setdefault(national_target(), []).append(i)
            labels[i] = ASSUMED
    for tset, rows in groups.items():
        pw = compute_pathway(panel.select([panel.orgs[i] for i in rows]),
                             PathwaySpec(targets=tset, end_year=max(year, *(t.year for t in tset))))
        level[rows] = pw.at(pw.path.values, year)
        advance(1)

    bau_total = bau.sum(axis=1)
    has = np.isfinite(level)
    met = np.where(has, np.fmin(level, bau_total), bau_total)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(bau_total != 0, met / bau_total, 1.0)
    rolled = bau * scale[:, None]
    is_plan = np.array([lab == PLAN for lab in labels], dtype=bool)
    rolled[is_plan] = own[is_plan]

    inv = datasets.national_inventory()
    series = datasets.national_sector_series(panel.framework)
    covered = {c for s in panel.sectors for c in series.crf.get(s, ())}
    lulucf = np.array([c.startswith("4") for c in inv.crf_codes])
    y0 = int(inv.years[0])
    cov_rows = [series.sectors.index(s) for s in panel.sectors if s in series.sectors]
    notes = [
        f"Roll-up year {year}: each municipality's value is its published plan's scenario where one is "
        "given, otherwise its stated target path where it has one "
        f"(at most its BAU), otherwise BAU (KF25 'with existing measures' indexed to {last_year}).",
        "A target path is a total; it is split over sectors in proportion to the municipality's BAU "
        "sectors (an assumption).",
        "The Climate Act's -70 % is against 1990 including LULUCF (79.18 Mt). The municipal accounts have "
        "no LULUCF, so the main comparison is against the national 1990 without LULUCF; the figure with "
        "LULUCF adds KF25's own LULUCF projection.",
        "Categories municipalities do not cover are carried at KF25 as their own band.",
        "The municipal 1990 values are back-cast with the national sector index; their sum is not "
        "reconciled to the national 1990 (methodology §9.2), so the covered reduction is against the "
        "municipalities' own 1990.",
    ]
    if plans:
        notes.append("A published plan's scenario has every action at its planned level; sectors outside the "
                     "municipal accounts (LULUCF) are left out. 'If every municipality meets its own target' "
                     "caps each plan's scenario at its own target path.")
    if assume_national:
        notes.append("Municipalities without a stated target are given the national -70 % in 2030 against "
                     "1990 (assumed, not their own target).")
    return Rollup(
        year=year, last_year=last_year, codes=panel.orgs,
        names=tuple(names.get(c, c) for c in panel.orgs),
        regions=tuple(regions.get(c, "(no region)") for c in panel.orgs),
        labels=tuple(labels), sectors=panel.sectors,
        base=base, last=last, bau=bau, rolled=rolled, target_level=level,
        bands=_bands(inv, covered, last_year, year), own=own,
        national_base_excl_lulucf=float(inv.values[~lulucf, BASE_YEAR - y0].sum()),
        national_base_incl_lulucf=float(inv.values[:, BASE_YEAR - y0].sum()),
        national_last_excl_lulucf=float(inv.values[~lulucf, last_year - y0].sum()),
        kf25_year_excl_lulucf=float(inv.values[~lulucf, year - y0].sum()),
        kf25_lulucf_year=float(inv.values[lulucf, year - y0].sum()),
        kf25_covered_year=float(series.values[cov_rows, year - y0].sum()),
        kf25_covered_base=float(series.values[cov_rows, BASE_YEAR - y0].sum()),
        sources=tuple(dict.fromkeys((*base_pw.sources, inv.source.citation(),
                                     datasets.SOURCES["municipalities"].citation()))),
        notes=tuple(notes),
    )
