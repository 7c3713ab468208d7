"""``nettonul rollup``: do the municipal targets add up to the national -70 %?"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import typer

from nettonul.cli.cluster import SCHEDULER_OPTION, executor
from nettonul.cli.output import JSON_OPTION, console, fmt, handle_errors, print_json, progress, table
from nettonul.engine.core.errors import SpecError
from nettonul.engine.pathway.rollup import read_targets, rollup
from nettonul.engine.pathway.rollup_ensemble import (
    CHUNK_CITIES,
    PARAMETER_NAMES,
    Cities,
    Parameter,
    RollupEnsemble,
    parameters,
    simulate_rollup,
)

ORDER = 35


@handle_errors
def rollup_command(
    region: str | None = typer.Option(None, "--region", help="Show one region (e.g. Hovedstaden)."),
    targets_file: Path | None = typer.Option(
        None, "--targets", help="CSV/Excel with columns municipality and targets ('2030:-70%@1990; netzero:2050')."),
    assume_national: bool = typer.Option(
        False, "--assume-national",
        help="Give municipalities without a stated target the national -70 % (labelled assumed)."),
    plans_dir: Path | None = typer.Option(
        None, "--plans", help="Folder of plan files (YAML/JSON): each municipality's published plan, first in the "
        "source order."),
    year: int = typer.Option(2030, "--year", help="Roll-up year."),
    top: int = typer.Option(10, "--top", min=1, help="Rows in the contribution and shortfall tables."),
    draws: int = typer.Option(2000, "--draws", min=0, help="Monte Carlo draws for the bands (0: none)."),
    seed: int = typer.Option(0, "--seed", min=0, max=2**32 - 1,
                             help="Random seed: the same seed gives the same bands anywhere."),
    sd: list[str] = typer.Option(
        [], "--sd", help=f"NAME=VALUE: a parameter's relative spread ({', '.join(PARAMETER_NAMES)})."),
    scope: list[str] = typer.Option([], "--scope", help="NAME=national|local: drawn once for all or per municipality."),
    synthetic: int = typer.Option(0, "--synthetic", min=0, help="Roll up this many synthetic cities (labelled "
                                  "synthetic) drawn from the real municipalities instead."),
    actions: int = typer.Option(50, "--actions", min=1, help="Actions per synthetic city."),
    workers: int = typer.Option(1, "--workers", min=1, help="Local processes to use."),
    scheduler: str | None = SCHEDULER_OPTION,
    chunk_cities: int = typer.Option(CHUNK_CITIES, "--chunk-cities", min=1, help="Cities per chunk of work."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The 98 municipalities summed by region and nation against -70 % in 2030 vs 1990 and KF25:
    published plans' scenarios where given, otherwise stated targets as paths, otherwise business
    as usual, each labelled; bands from national parameters shared by all and local ones per
    municipality."""
    params = parameters({k: _number(k, v) for k, v in _pairs(sd, "--sd").items()}, _pairs(scope, "--scope"))
    if synthetic:
        _synthetic(synthetic, actions, draws, seed, params, workers, scheduler, chunk_cities, as_json)
        return
    targets = read_targets(targets_file) if targets_file is not None else None
    scenarios = None
    if plans_dir is not None:
        from nettonul.engine.plan.sources import plan_scenarios, read_plans  # the plan engine only when asked

        scenarios = plan_scenarios(read_plans(plans_dir), year)
    groups = 1 + len({tuple(t) for t in (targets or {}).values()}) + (1 if assume_national else 0)
    with progress("Rolling up", groups, enabled=not as_json) as advance:
        r = rollup(targets, plans=scenarios, year=year, assume_national=assume_national, on_progress=advance)
    data = r.to_dict(region)
    ens = None
    if draws:
        with executor(scheduler, workers, "nettonul.engine.pathway.rollup_ensemble") as pool, \
                progress("Drawing", len(r.codes), enabled=not as_json) as advance:
            ens = simulate_rollup(Cities.from_rollup(r), draws, seed, params=params, executor=pool,
                                  chunk_cities=chunk_cities, on_progress=advance)
        data["uncertainty"] = ens.to_dict()
    if as_json:
        print_json(data)
        return
    h, n, y = data["headlines"], data["national"], r.year
    where = f"region {region}" if region else "all 98 municipalities"
    console.print(f"[bold]If every municipality meets its own {y} target[/] ({h['with_target']} of "
                  f"{h['municipalities']} have one, the rest as below), covered emissions of "
                  f"{where} fall [bold]{h['covered_reduction_if_targets_met']:.1%}[/]"
                  f"{_band(ens, 'reduction_met', region)} vs their 1990.", highlight=False)
    console.print(f"[bold]With the plans as published[/] ({h['with_plan']} plan(s); stated targets as paths, "
                  f"otherwise business as usual): [bold]{h['covered_reduction']:.1%}[/]"
                  f"{_band(ens, 'reduction', region)} (business as usual: {h['covered_bau_reduction']:.1%}).",
                  highlight=False)
    gap = h["gap_mt"]
    console.print(f"Remaining gap to -70 % in {y} (national, without LULUCF): [bold]{fmt(gap, 2)} Mt[/]"
                  + (_band(ens, "gap_mt", None, mt=True) if ens is not None else "")
                  + (" (below the target: no gap)" if gap < 0 else "")
                  + f", of which {fmt(h['uncovered_mt'], 2)} Mt outside municipal reach (at KF25)"
                  + f"; with LULUCF at KF25: {fmt(h['gap_incl_lulucf_mt'], 2)} Mt.", highlight=False)
    if ens is not None:
        console.print(f"Bands: P5-P95 over {ens.draws:,} draws (seed {ens.seed}, {ens.executor}); national "
                      "parameters " + ", ".join(p.name for p in ens.parameters if p.scope == "national")
                      + " are shared by all municipalities, the others drawn per municipality.",
                      style="dim", highlight=False)
    console.print(table(
        f"Denmark in {y}, Mt CO2e", ["", "Mt CO2e"],
        [("1990 without LULUCF (KF25/CRF)", fmt(n["base_1990_excl_lulucf_mt"], 2)),
         ("1990 with LULUCF (the Climate Act's base)", fmt(n["base_1990_incl_lulucf_mt"], 2)),
         ("-70 % target without LULUCF", fmt(n["target_excl_lulucf_mt"], 2)),
         (f"Municipalities, roll-up {y}", fmt(r.totals().rolled / 1e6, 2)),
         (f"Not covered by municipalities, at KF25 {y}", fmt(h["uncovered_mt"], 2)),
         (f"Roll-up, nation without LULUCF {y}", fmt(n[f"rollup_{y}_excl_lulucf_mt"], 2)),
         (f"KF25 'with existing measures' {y}, without LULUCF", fmt(n[f"kf25_wem_{y}_excl_lulucf_mt"], 2)),
         (f"KF25 'with existing measures' {y}, covered categories", fmt(n[f"kf25_wem_covered_categories_{y}_mt"], 2)),
         (f"Reconciliation residual {r.last_year}", fmt(n[f"reconciliation_residual_{r.last_year}_mt"], 2))],
        caption="Residual: national total without LULUCF minus (municipal accounts + uncovered categories)."))
    console.print(table(
        "Not covered by municipalities (KF25), Mt CO2e", ["CRF", "Category", "1990", str(r.last_year), str(y)],
        [(b["crf"], b["description"], fmt(b["base_1990_mt"], 2), fmt(b[f"kf25_{r.last_year}_mt"], 2),
          fmt(b[f"kf25_{y}_mt"], 2)) for b in n["uncovered"]], numeric_from=2))
    console.print(table(
        "By region, kt CO2e", ["Region", "Municipalities", "With target", "1990", str(r.last_year), f"BAU {y}",
                               f"Roll-up {y}", "vs 1990"],
        [(name, t["municipalities"], t["with_target"], fmt(t["base_1990_t"] / 1e3),
          fmt(t[f"inventory_{r.last_year}_t"] / 1e3),
          fmt(t[f"bau_{y}_t"] / 1e3), fmt(t[f"rollup_{y}_t"] / 1e3), f"{-t['reduction_vs_1990']:+.1%}")
         for name, t in data["regions"].items()]))
    munis = sorted(data["municipalities"], key=lambda m: -sum(m["contribution_by_sector_t"].values()))
    console.print(table(
        f"Largest contributions {r.last_year}-{y}, kt CO2e", ["Municipality", "Source", *r.sectors, "Total"],
        [(m["name"], m["source"], *[fmt(v / 1e3) for v in m["contribution_by_sector_t"].values()],
          fmt(sum(m["contribution_by_sector_t"].values()) / 1e3)) for m in munis[:top]], numeric_from=2))
    short = data["furthest_from_target"][:top]
    if short:
        console.print(table(
            f"Furthest from their own target in {y} (BAU minus target path), kt CO2e",
            ["Municipality", "Source", f"BAU {y}", "Target path", "Shortfall", "Share"],
            [(s["name"], s["source"], fmt(s["bau"] / 1e3), fmt(s["target"] / 1e3), fmt(s["shortfall"] / 1e3),
              "-" if np.isnan(s["shortfall_share"]) else f"{s['shortfall_share']:+.0%}") for s in short],
            numeric_from=2))
    for note in data["notes"]:
        console.print(f"Note: {note}", style="dim", markup=False, highlight=False)
    console.print("Sources: " + "; ".join(data["sources"]), style="dim", markup=False, highlight=False)


def _pairs(items: list[str], option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise SpecError(f"{option} takes NAME=VALUE, not '{item}'")
        out[name.strip()] = value.strip()
    return out


def _number(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise SpecError(f"--sd {name}: '{value}' is not a number") from None


def _band(ens: RollupEnsemble | None, what: str, region: str | None, *, mt: bool = False) -> str:
    """' (P5-P95: a-b)' for a national figure of the ensemble, '' without one or for a region."""
    band = None if ens is None or region is not None else getattr(ens, what)
    if band is None:
        return ""
    lo, hi = float(band[0]), float(band[2])
    return f" (P5-P95 {fmt(lo, 2)} to {fmt(hi, 2)} Mt)" if mt else f" (P5-P95 {lo:.1%} to {hi:.1%})"


def _synthetic(n: int, actions: int, draws: int, seed: int, params: tuple[Parameter, ...], workers: int,
               scheduler: str | None, chunk_cities: int, as_json: bool) -> None:
    from nettonul.engine.pathway.synthetic import synthetic_cities

    if draws < 2:
        raise SpecError("a synthetic roll-up needs --draws of at least 2")
    cities = synthetic_cities(n, actions, seed)
    with executor(scheduler, workers, "nettonul.engine.pathway.rollup_ensemble") as pool, \
            progress("Drawing", n, enabled=not as_json) as advance:
        ens = simulate_rollup(cities, draws, seed, params=params, executor=pool,
                              chunk_cities=chunk_cities, on_progress=advance)
    data = ens.to_dict()
    data["label"] = "SYNTHETIC cities drawn from the real distribution of Danish municipalities, not real places"
    if as_json:
        print_json(data)
        return
    console.print(f"[bold]SYNTHETIC[/]: {n:,} synthetic cities x {actions} actions x {ens.draws:,} draws "
                  f"({ens.executor}, {ens.chunks} chunks). Not real places.", highlight=False)
    console.print(table(
        "Synthetic roll-up, P5 / P50 / P95", ["", "P5", "P50", "P95"],
        [("Covered emissions, kt CO2e", *[fmt(v / 1e3) for v in ens.covered]),
         ("Fall vs 1990", *[f"{v:.1%}" for v in ens.reduction]),
         ("Fall vs 1990 if every target is met", *[f"{v:.1%}" for v in ens.reduction_met])]))
    console.print(table("Peak memory per worker process, MiB", ["Worker", "MiB"],
                        [(w, fmt(m)) for w, m in sorted(ens.memory_mib.items())]))


def register(app: typer.Typer) -> None:
    app.command("rollup")(rollup_command)
