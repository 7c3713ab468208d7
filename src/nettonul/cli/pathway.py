"""``nettonul pathway ORG|all``: history, business as usual, target path, gap and budget.

Computed by the pure engine from the shipped data (no database): the Energi- og
CO2-regnskab for the inventory, KF25 for back-casting and BAU, DST for population.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import typer
from rich.console import Group
from rich.table import Table
from rich.text import Text

from nettonul.cli.output import (
    EXIT_BAD_INPUT,
    EXIT_FAILURE,
    JSON_OPTION,
    console,
    err_console,
    fmt,
    handle_errors,
    print_json,
    progress,
    table,
)
from nettonul.engine.core.errors import SpecError
from nettonul.engine.pathway import deadline2020
from nettonul.engine.pathway.pathway import Pathway, PathwaySpec, compute_pathway
from nettonul.engine.pathway.targets import default_targets, parse_targets
from nettonul.engine.pathway.trajectory import SHAPES
from nettonul.engine.reference import datasets

ORDER = 30

TARGET_HELP = (
    "A target (repeat for several): '2030:-70%@1990', 'netzero:2050', '2035:2.5t/cap', '2030:1.2Mt', "
    "'transport:2030:-50%@1990'. Default: the Climate Act's -70% in 2030 vs 1990 and net zero in 2050."
)


def _trends(texts: list[str]) -> tuple[tuple[str, float], ...]:
    out: list[tuple[str, float]] = []
    for t in texts:
        sector, _, pct = t.partition(":")
        try:
            out.append((sector.strip(), float(pct.strip().removesuffix("%"))))
        except ValueError:
            raise SpecError(f"trend '{t}': write SECTOR:PERCENT_PER_YEAR, e.g. transport:-2") from None
    return tuple(out)


def _pct(rate: float) -> str:
    return "-" if np.isnan(rate) else f"{rate * 100:.1f} %/yr"


@handle_errors
def pathway(
    org: str = typer.Argument(..., help="Kommunekode or name (101, København), or 'all' for the 98 municipalities."),
    target: list[str] = typer.Option([], "--target", "-t", help=TARGET_HELP),
    base_year: int = typer.Option(1990, "--base-year", help="First year; earlier inventory years are back-cast."),
    end_year: int = typer.Option(2050, "--end-year", help="Last year of the projection."),
    baseline: str = typer.Option("kf25", "--baseline", help="BAU method: kf25 (national projection) or frozen."),
    shape: str = typer.Option("linear", "--shape", help="Path between milestones: linear or constant-rate."),
    trend: list[str] = typer.Option([], "--trend", help="Extra BAU activity trend, SECTOR:%/yr, e.g. transport:-2."),
    anchor_year: int | None = typer.Option(None, "--anchor-year",
                                           help="Start the target path here (default: the last inventory year)."),
    budget: str = typer.Option("sum", "--budget", help="Carbon budget: sum of years, or trapezoid."),
    allow_increase: bool = typer.Option(False, "--allow-increase",
                                        help="Let the path rise to a target level that is already met."),
    reference_check: bool = typer.Option(False, "--reference-check",
                                         help="Add the Deadline-2020-style check (C&C reference, C40 peak test)."),
    chart: Path | None = typer.Option(None, "--chart", help="Write an SVG chart of the pathway (one organisation)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Emissions pathway to net zero: inventory (with back-cast estimates), BAU, target path,
    gap and remaining carbon budget, per year."""
    if baseline not in ("kf25", "frozen"):
        raise SpecError(f"--baseline '{baseline}' is unknown; use kf25 or frozen")
    if shape not in SHAPES:
        raise SpecError(f"--shape '{shape}' is unknown; use {' or '.join(SHAPES)}")
    if budget not in ("sum", "trapezoid"):
        raise SpecError(f"--budget '{budget}' is unknown; use sum or trapezoid")
    targets = parse_targets(target) if target else default_targets()
    spec = PathwaySpec(targets=targets, base_year=base_year, end_year=end_year,
                       baseline=baseline, shape=shape,  # type: ignore[arg-type]
                       activity_trends=_trends(trend), allow_increase=allow_increase,
                       anchor_year=anchor_year, budget_method=budget)  # type: ignore[arg-type]
    if org.strip().lower() == "all":
        if chart is not None:
            raise SpecError("--chart draws one organisation; give a kommunekode or name instead of 'all'")
        _all(spec, as_json)
        return
    m = datasets.find_municipality(org)
    result = compute_pathway(datasets.klimaregnskab_panel([m.code]), spec)
    if chart is not None:
        from nettonul.cli._pathway_chart import write_chart

        try:
            write_chart(result, m.code, f"{m.name} ({m.code})", chart)
        except OSError as exc:
            # A path that does not exist is bad input; a full disk or a permission is a failure.
            bad_path = isinstance(exc, FileNotFoundError | IsADirectoryError | NotADirectoryError)
            err_console.print(f"[bold red]error:[/] cannot write the chart to {chart}: {exc.strerror or exc}",
                              highlight=False)
            raise typer.Exit(EXIT_BAD_INPUT if bad_path else EXIT_FAILURE) from None
    check = deadline2020.check_pathway(result) if reference_check else None
    if as_json:
        data = result.to_dict(m.code)
        data["name"] = m.name
        if check is not None:
            data["deadline2020"] = _check_dict(check, 0)
        if chart is not None:
            data["chart"] = str(chart)
        print_json(data)
        return
    _print_one(result, m.code, m.name)
    if check is not None:
        _print_check(check, result)
    if chart is not None:
        console.print(f"Chart written to {chart}")


def _width(columns: list[str], rows: list[list[str]]) -> int:
    """Characters a table needs without cutting any cell (borders and padding included)."""
    widest = [max(len(c), *(len(r[k]) for r in rows)) for k, c in enumerate(columns)]
    return sum(widest) + 3 * len(columns) + 1


def _fit(columns: list[str], rows: list[list[str]], first_optional: int
         ) -> tuple[list[str], list[list[str]], list[str]]:
    """Leave out columns from the right (from ``first_optional`` on) until the table fits."""
    dropped: list[str] = []
    while _width(columns, rows) > console.width and len(columns) > first_optional:
        dropped.insert(0, columns[-1])
        columns, rows = columns[:-1], [r[:-1] for r in rows]
    return columns, rows, dropped


def _unbroken(t: Table, rows: list[list[str]]) -> Table:
    """Numbers are never wrapped or cut with an ellipsis; text columns may wrap."""
    for k, column in enumerate(t.columns):
        if column.justify == "right":
            column.no_wrap = True
            column.min_width = max(len(r[k]) for r in rows) if rows else None
        else:
            column.overflow = "fold"
    return t


def _print_one(p: Pathway, code: str, name: str) -> None:
    o = p.history.org_index(code)
    sectors = p.sectors
    rows: list[list[str]] = []
    for i, year in enumerate(p.years.tolist()):
        if year <= p.last_inventory_year:
            kind = "estimate" if p.historical_estimated[o, i] else "inventory"
            values = p.history.values[o, :, i]
            total = p.historical[o, i]
        else:
            kind, values, total = "BAU", p.bau.values[o, :, i], p.bau_total[o, i]
        mark = "*" if kind == "estimate" else ""
        rows.append([str(year), kind, *[fmt(v) + mark for v in values], fmt(total) + mark,
                     fmt(p.path.values[o, i]), fmt(p.gap[o, i])])
    columns = ["Year", "Series", *sectors, "Total", "Target path", "Gap"]
    hidden = ""
    if _width(columns, rows) > console.width:
        # Never cut numbers: in a narrow terminal leave the sector columns out and say so.
        keep = [0, 1, *range(2 + len(sectors), len(columns))]
        columns = [columns[k] for k in keep]
        rows = [[r[k] for k in keep] for r in rows]
        hidden = " Sector columns left out: the terminal is too narrow (widen it, or use --json)."
    columns, rows, _ = _fit(columns, rows, first_optional=len(columns))
    caption = Group(
        Text("Unit: t CO2e (GWP " + p.gwp_set + "). * = estimate (back-cast, see notes). "
             "Gap = inventory or BAU minus target path (negative: below the path)." + hidden),
        Text("Sources: " + "; ".join(p.sources)),
        *[Text("Note: " + n) for n in p.notes],
    )
    console.print(_unbroken(table(
        f"{name} ({code}): emissions pathway {p.years[0]}-{p.years[-1]}", columns, rows, numeric_from=2,
    ), rows))
    console.print(caption)
    console.print(Text(f"\nSummary for {name} (t CO2e)", style="bold"))
    lines = [
        _base_line(p, o),
        f"Emissions {p.last_inventory_year} (inventory): {fmt(p.at(p.historical, p.last_inventory_year)[o])}",
    ]
    per_capita = p.at(p.per_capita(p.historical), p.last_inventory_year)[o]
    if np.isfinite(per_capita):
        lines.append(f"Per inhabitant {p.last_inventory_year}: {per_capita:.2f} t CO2e/person "
                     f"(population {fmt(p.at(p.population, p.last_inventory_year)[o])} on 1 January)")
    for i, t in enumerate(p.milestone_targets):
        gap = p.at(p.gap, t.year)[o]
        status = "BAU misses the path by" if gap > 0 else "BAU is below the path by"
        level, on_path = p.target_levels[o, i], p.path.points[o, i + 1]
        met = f" (already met; the path holds {fmt(on_path)})" if on_path < level else ""
        rate = _pct(p.required_rate[o, i]) if on_path > 0 else "no constant rate reaches zero"
        lines.append(f"{t.describe()}: target {fmt(level)}{met}; {status} {fmt(abs(gap))} in {t.year}; "
                     f"needed from {p.last_inventory_year}: {rate}, or {fmt(p.required_reduction[o, i])} "
                     "less each year (linear)")
    for sp in p.sectors_paths:
        for t in sp.targets:
            if t.year <= p.anchor_year:
                continue
            i = t.year - int(p.years[0])
            gap = sp.gap[o, i]
            status = "BAU misses the path by" if gap > 0 else "BAU is below the path by"
            lines.append(f"{t.describe()}: sector path {fmt(sp.path.values[o, i])}; {status} {fmt(abs(gap))}")
    lines.append(f"Carbon budget of the path {p.anchor_year}-{p.spec.end_year}: {fmt(p.budget[o])}; "
                 f"used to {p.last_inventory_year}: {fmt(p.used[o])}; remaining: {fmt(p.remaining[o])}; "
                 f"BAU would emit {fmt(p.scenario_cumulative[o])}")
    for line in lines:
        console.print("  " + line, highlight=False)


def _check_dict(c: deadline2020.ReferenceCheck, o: int) -> dict[str, Any]:
    first = int(c.within.first_exceeding_year[o])
    return {
        "start_year": c.start_year, "per_capita_start": float(c.per_capita_start[o]),
        "reference": c.reference[o].tolist(), "reference_budget": float(c.reference_budget[o]),
        "path_within_reference": bool(c.within.ok[o]), "first_year_above": first if first >= 0 else None,
        "max_exceedance": float(c.within.max_exceedance[o]),
        "peaked": bool(c.peak.peaked[o]), "peak_year": int(c.peak.peak_year[o]),
        "below_peak": float(c.peak.below_peak[o]),
        "unverified_parameters": list(c.params.unverified), "source": c.params.source, "notes": list(c.notes),
    }


def _print_check(c: deadline2020.ReferenceCheck, p: Pathway) -> None:
    d = _check_dict(c, 0)
    console.print(Text("\nDeadline-2020-style reference check (t CO2e)", style="bold"))
    within = ("yes" if d["path_within_reference"] else
              f"no: above it from {d['first_year_above']}, by up to {fmt(d['max_exceedance'])}")
    estimate = " (an estimate)" if p.historical_estimated[0, d["peak_year"] - int(p.years[0])] else ""
    lines = [
        f"Emissions per inhabitant in {d['start_year']}: {d['per_capita_start']:.2f} t CO2e/person",
        f"Contraction & convergence reference budget {d['start_year']}-{p.spec.end_year}: "
        f"{fmt(d['reference_budget'])}; target path at or below the reference every year: {within}",
        f"Peaked (C40 definition): {'yes' if d['peaked'] else 'no'}; highest year {d['peak_year']}{estimate}, "
        f"{d['start_year']} is {d['below_peak']:.0%} below it",
    ]
    for line in lines:
        console.print("  " + line, highlight=False)
    for n in c.notes:
        console.print(Text("Note: " + n))
    console.print(Text("Source: " + c.params.source))


def _all(spec: PathwaySpec, as_json: bool) -> None:
    names = {m.code: m.name for m in datasets.municipalities()}
    result = compute_pathway(datasets.klimaregnskab_panel(), spec)
    summary = result.summary()
    base, last = spec.base_year, result.last_inventory_year
    milestones = [t.year for t in result.milestone_targets]
    rows: list[dict[str, Any]] = []
    with progress("Municipalities", len(result.orgs), enabled=not as_json and console.is_terminal) as advance:
        for i, code in enumerate(result.orgs):
            row: dict[str, Any] = {
                "code": code, "name": names.get(code, code),
                f"emissions_{base}": summary[f"emissions_{base}"][i],
                f"emissions_{base}_estimated": bool(summary[f"emissions_{base}_estimated"][i]),
                f"emissions_{last}": summary[f"emissions_{last}"][i],
                "remaining_budget": summary["remaining_budget"][i],
            }
            for y in milestones:
                row[f"gap_{y}"] = summary[f"gap_{y}"][i]
                row[f"required_rate_to_{y}"] = summary[f"required_rate_to_{y}"][i]
                row[f"already_met_{y}"] = bool(summary[f"already_met_{y}"][i])
            rows.append(row)
            advance(1)
    if as_json:
        print_json({"unit": result.unit, "gwp_set": result.gwp_set, "targets": [t.describe() for t in spec.targets],
                    "baseline": spec.baseline, "shape": spec.shape, "municipalities": rows,
                    "sources": list(result.sources), "notes": list(result.notes)})
        return
    columns = ["Code", "Name", str(base), str(last), *[f"Gap {y}" for y in milestones], "Budget left",
               *[f"Rate to {y}" for y in milestones[:1]]]
    body = [[r["code"], r["name"], fmt(r[f"emissions_{base}"]) + ("*" if r[f"emissions_{base}_estimated"] else ""),
             fmt(r[f"emissions_{last}"]), *[fmt(r[f"gap_{y}"]) for y in milestones], fmt(r["remaining_budget"]),
             *["met" if r[f"already_met_{y}"] else _pct(r[f"required_rate_to_{y}"]) for y in milestones[:1]]]
            for r in rows]
    columns, body, dropped = _fit(columns, body, first_optional=2)
    console.print(_unbroken(table(f"Pathways of the {len(rows)} municipalities", columns, body, numeric_from=2),
                            body))
    if dropped:
        console.print(Text(f"Left out, the terminal is too narrow: {', '.join(dropped)} (widen it, or use --json)."))
    console.print(Text(
        f"Unit: t CO2e (GWP {result.gwp_set}); rates in % per year. * = estimate (back-cast). "
        f"Gap = BAU minus target path. Budget left = cumulative target path {result.anchor_year}-{spec.end_year} "
        f"minus emissions to {last}. Rate = constant annual reduction needed from {last}. Targets: "
        + "; ".join(t.describe() for t in spec.targets)))
    console.print(Text("Sources: " + "; ".join(result.sources)))
    for n in result.notes:
        console.print(Text("Note: " + n))


def register(app: typer.Typer) -> None:
    app.command("pathway")(pathway)


def _base_line(p: Pathway, o: int) -> str:
    """The base-year value, and for a back-cast its band over single-year anchors."""
    est = p.base_year_estimate(o)
    line = f"Emissions {p.spec.base_year}: {fmt(p.historical[o, 0])}"
    if est["estimated"]:
        years = est["anchor_years"]
        span = f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
        line += (f" (estimate, band {fmt(est['low'])}-{fmt(est['high'])} over single anchor years {span})")
    elif p.historical_estimated[o, 0]:
        line += " (estimate)"
    return line
