"""``nettonul rollup``: do the municipal targets add up to the national -70 %?"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import typer

from nettonul.cli.output import JSON_OPTION, console, fmt, handle_errors, print_json, progress, table
from nettonul.engine.pathway.rollup import read_targets, rollup

ORDER = 35


@handle_errors
def rollup_command(
    region: str | None = typer.Option(None, "--region", help="Show one region (e.g. Hovedstaden)."),
    targets_file: Path | None = typer.Option(
        None, "--targets", help="CSV/Excel with columns municipality and targets ('2030:-70%@1990; netzero:2050')."),
    assume_national: bool = typer.Option(
        False, "--assume-national",
        help="Give municipalities without a stated target the national -70 % (labelled assumed)."),
    year: int = typer.Option(2030, "--year", help="Roll-up year."),
    top: int = typer.Option(10, "--top", min=1, help="Rows in the contribution and shortfall tables."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The 98 municipalities summed by region and nation against -70 % in 2030 vs 1990 and KF25:
    stated targets as paths where given, otherwise business as usual, each labelled."""
    targets = read_targets(targets_file) if targets_file is not None else None
    groups = 1 + len({tuple(t) for t in (targets or {}).values()}) + (1 if assume_national else 0)
    with progress("Rolling up", groups, enabled=not as_json) as advance:
        r = rollup(targets, year=year, assume_national=assume_national, on_progress=advance)
    data = r.to_dict(region)
    if as_json:
        print_json(data)
        return
    h, n, y = data["headlines"], data["national"], r.year
    where = f"region {region}" if region else "all 98 municipalities"
    console.print(f"[bold]If every municipality meets its own {y} target[/] ({h['with_target']} of "
                  f"{h['municipalities']} have one, the rest at business as usual), covered emissions of "
                  f"{where} fall [bold]{h['covered_reduction']:.1%}[/] vs their 1990 "
                  f"(business as usual: {h['covered_bau_reduction']:.1%}).", highlight=False)
    gap = h["gap_mt"]
    console.print(f"Remaining gap to -70 % in {y} (national, without LULUCF): [bold]{fmt(gap, 2)} Mt[/]"
                  + (" (below the target: no gap)" if gap < 0 else "")
                  + f"; with LULUCF at KF25: {fmt(h['gap_incl_lulucf_mt'], 2)} Mt.", highlight=False)
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


def register(app: typer.Typer) -> None:
    app.command("rollup")(rollup_command)
