"""Organisational footprint commands: ``nettonul footprint ORGFILE ...``, ``footprint peers``
and ``footprint template``."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from nettonul.cli.output import JSON_OPTION, console, err_console, fmt, handle_errors, print_json, table
from nettonul.engine.core.errors import SpecError
from nettonul.engine.core.frameworks import get_framework
from nettonul.engine.footprint import activities as footprint_activities
from nettonul.engine.footprint import factors as factor_module
from nettonul.engine.footprint import orgunits
from nettonul.engine.footprint import peers as footprint_peers
from nettonul.engine.footprint.activities import load_activities
from nettonul.engine.footprint.compute import SUMMARY, FootprintOptions, FootprintResult, compute_footprint
from nettonul.engine.footprint.factors import load_factor_tables
from nettonul.engine.footprint.orgunits import load_org_tree
from nettonul.engine.footprint.peers import compare_peers, load_peers, peers_from_result

ORDER = 70
BY_CHOICES = ("unit", "scope", "category", "line")
SUMMARY_LABELS = {
    "scope1": "Scope 1", "scope2_location": "Scope 2 (location-based)", "scope2_market": "Scope 2 (market-based)",
    "scope3": "Scope 3", "total_location": "Total with location-based scope 2",
    "total_market": "Total with market-based scope 2",
}
ILLUSTRATIVE_BANNER = ("[bold yellow]ILLUSTRATIVE:[/] factors or figures marked illustrative were used; "
                       "these numbers show the method and are not real emissions.")


class _ReportByDefault(TyperGroup):
    """``nettonul footprint ORGFILE ...`` runs ``report``; ``peers`` and ``template`` are named."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # click's Context
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["report", *args]
        return super().parse_args(ctx, args)


footprint_app = typer.Typer(
    cls=_ReportByDefault, no_args_is_help=True, rich_markup_mode="rich",
    help=(
        "Organisational footprint (GHG Protocol corporate: scope 1, scope 2 location- and market-based, "
        "scope 3) of a ministry and its units, from activity data and imported emission factors.\n\n"
        "`nettonul footprint ORGFILE --activities FILE --factors FILE` runs 'report'."
    ),
)


def _compute(orgfile: Path, activities: list[Path], factors: list[Path], gwp: str, radiative_forcing: bool,
             rf_multiplier: float | None, exact_years: bool) -> FootprintResult:
    tree = load_org_tree(orgfile)
    table_ = load_factor_tables(factors)
    records = load_activities(activities, tree)
    options = FootprintOptions(gwp=gwp, radiative_forcing=radiative_forcing or rf_multiplier is not None,
                               rf_multiplier=rf_multiplier,
                               rf_source="given on the command line" if rf_multiplier is not None else "",
                               exact_factor_years=exact_years)
    return compute_footprint(tree, records, table_, options)


@footprint_app.command("report")
@handle_errors
def report(
    orgfile: Path = typer.Argument(..., help="Unit tree (YAML, CSV or Excel)."),
    activities: list[Path] = typer.Option(..., "--activities", "-a", help="Activity data (CSV/Excel); repeatable."),
    factors: list[Path] = typer.Option(..., "--factors", "-f", help="Emission-factor table (CSV/Excel); repeatable."),
    year: int | None = typer.Option(None, "--year", help="Reporting year (default: the latest in the data)."),
    by: str = typer.Option("unit", "--by", help="Rows of the table: unit, scope, category or line."),
    unit: str | None = typer.Option(None, "--unit", help="With --by scope/category: this unit's subtree."),
    gwp: str = typer.Option("AR5", "--gwp", help="GWP set for single-gas factors: SAR, AR4, AR5, AR6."),
    radiative_forcing: bool = typer.Option(False, "--radiative-forcing",
                                           help="Apply the imported flight_rf_multiplier to flights."),
    rf_multiplier: float | None = typer.Option(None, "--rf-multiplier", min=1.0,
                                               help="Apply this radiative-forcing multiplier (at least 1) to "
                                               "flights."),
    exact_years: bool = typer.Option(False, "--exact-years",
                                     help="Use only factors for the activity's own year (no earlier-year fallback)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Footprint by unit, scope, category or line, with units, sources and the scope 2 rule per line."""
    if by not in BY_CHOICES:
        raise SpecError(f"--by must be one of {', '.join(BY_CHOICES)}, not '{by}'")
    result = _compute(orgfile, activities, factors, gwp, radiative_forcing, rf_multiplier, exact_years)
    y = int(result.years[result.year_index(year)])
    if unit is not None:
        result.tree.index(unit)
    if as_json:
        data = result.to_dict(lines=by == "line")
        data["year"] = y
        print_json(data)
        return
    if result.illustrative:
        console.print(ILLUSTRATIVE_BANNER)
    caption = (f"t CO2e, GWP {gwp}, framework ghgp-corporate. Scope 2 location- and market-based are two views "
               f"of the same electricity: each total uses one, they are never added. {result.radiative_forcing()}.")
    if by == "unit":
        _print_units(result, y, caption)
    elif by == "scope":
        _print_scopes(result, y, unit, caption)
    elif by == "category":
        _print_categories(result, y, unit, caption)
    else:
        _print_lines(result, y)
    for w in result.warnings():
        console.print(f"[yellow]warning:[/] {w}", highlight=False)
    console.print("Sources of the factors used:", highlight=False)
    for i, s in enumerate(result.sources(), start=1):
        mark = " [bold yellow](illustrative)[/]" if factor_module.ILLUSTRATIVE_MARK in s.lower() else ""
        console.print(f"  [{i}] {s}{mark}", highlight=False)


def _print_units(result: FootprintResult, year: int, caption: str) -> None:
    rows = []
    for r in result.by_unit(year):
        rows.append((
            "  " * r["depth"] + r["name"], r["country"], fmt(r["employees"]),
            *(fmt(r[s], 1) for s in SUMMARY), fmt(r["t_per_employee_location"], 2), fmt(r["t_per_employee_market"], 2),
        ))
    console.print(table(
        f"{result.tree.organisation}: footprint {year}, each unit with everything below it",
        ["Unit", "Country", "FTE", "Scope 1", "Scope 2 loc.", "Scope 2 mkt.", "Scope 3", "Total (loc.)",
         "Total (mkt.)", "t/FTE (loc.)", "t/FTE (mkt.)"],
        rows, caption=caption, numeric_from=2,
    ))


def _print_scopes(result: FootprintResult, year: int, unit: str | None, caption: str) -> None:
    values = result.by_scope(year, unit)
    i, j = result.tree.index(unit or result.tree.root.id), result.year_index(year)
    bio = float(result.biogenic(True)[i, j])
    rows = [(SUMMARY_LABELS[s], fmt(values[s], 1)) for s in SUMMARY]
    rows.append(("Biogenic CO2 (outside the scopes)", fmt(bio, 1)))
    name = result.tree.unit(unit).name if unit else result.tree.organisation
    console.print(table(f"{name}: footprint {year} by scope", ["Scope", "t CO2e"], rows, caption=caption))


def _print_categories(result: FootprintResult, year: int, unit: str | None, caption: str) -> None:
    framework = get_framework("ghgp-corporate")
    values = result.by_category(year, unit)
    rows = [(c, framework.sector(c).name_en, fmt(v, 1)) for c, v in values.items()]
    name = result.tree.unit(unit).name if unit else result.tree.organisation
    console.print(table(f"{name}: footprint {year} by ghgp-corporate category", ["Code", "Category", "t CO2e"],
                        rows, caption=caption, numeric_from=2))


def _print_lines(result: FootprintResult, year: int) -> None:
    rows = []
    for ln in result.lines:
        if ln.year != year:
            continue
        factor_text = ", ".join(f.reference() for f in ln.factors) or "; ".join(ln.extra_sources)
        rows.append((
            str(ln.row), ln.org_unit, ln.category, ln.activity, f"{fmt(ln.amount)} {ln.per}",
            fmt(ln.kg_co2e_per_unit, 4), fmt(ln.multiplier, 2), fmt(ln.t_co2e, 2), ln.rule or "-", factor_text,
        ))
    console.print(table(
        f"{result.tree.organisation}: footprint lines {year}",
        ["Row", "Unit", "Category", "Activity", "Amount", "kg CO2e/unit", "x", "t CO2e", "Scope 2 rule",
         "Factor rows"],
        rows, caption="Row = the activity file's row; every line names the factor rows it used (factor_id or "
                      "file and row); sources are listed below.",
        numeric_from=4,
    ))


@footprint_app.command("peers")
@handle_errors
def peers(
    peerfile: Path = typer.Argument(..., help="Peer footprints (CSV/Excel): organisation, year, scopes, employees."),
    orgfile: Path | None = typer.Option(None, "--org", help="Add the organisation's own footprint (unit tree)."),
    activities: list[Path] = typer.Option([], "--activities", "-a", help="Activity data for --org."),
    factors: list[Path] = typer.Option([], "--factors", "-f", help="Factor tables for --org."),
    year: int | None = typer.Option(None, "--year", help="Comparison year (default: latest year all peers report)."),
    base_year: int | None = typer.Option(None, "--base-year", help="Base year for the change (default: earliest)."),
    basis: str = typer.Option("market", "--basis", help="Scope 2 in the totals: location or market."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Footprint per employee and per m2 of several organisations side by side, with change vs base year."""
    records = list(load_peers(peerfile))
    if orgfile is not None:
        if not activities or not factors:
            raise SpecError("--org needs --activities and --factors to compute the organisation's own footprint")
        records += peers_from_result(_compute(orgfile, activities, factors, "AR5", False, None, False))
    comparison = compare_peers(records, year=year, base_year=base_year, basis=basis)
    if as_json:
        print_json(comparison.to_dict())
        return
    if comparison.illustrative:
        console.print(ILLUSTRATIVE_BANNER)
    rows: list[tuple[Any, ...]] = []
    for r in comparison.rows():
        rank = r["rank_t_per_employee"]
        rows.append((
            r["organisation"], fmt(r["total_t_co2e"]), fmt(r["employees"]), fmt(r["t_per_employee"], 2),
            fmt(r["kg_per_m2"], 1), _pct(r["change_total_vs_base"]), _pct(r["change_t_per_employee_vs_base"]),
            "-" if math.isnan(rank) else str(int(rank)), "yes" if r["scope3_reported"] else "no",
        ))
    console.print(table(
        f"Peer comparison {comparison.year} (change vs {comparison.base_year})",
        ["Organisation", "t CO2e", "FTE", "t/FTE", "kg/m2", "Total vs base", "t/FTE vs base", "Rank", "Scope 3"],
        rows, caption=f"Totals with {basis}-based scope 2, t CO2e. Rank 1 = lowest t CO2e per FTE. Peers that do "
                      "not report scope 3 are not comparable on the total.",
    ))
    console.print("Sources:", highlight=False)
    for o, s in zip(comparison.organisations, comparison.sources, strict=True):
        console.print(f"  {o}: {s}", highlight=False)


def _pct(value: float) -> str:
    return "-" if math.isnan(value) else f"{value * 100:+.1f} %"


_TEMPLATES = {
    "units": (orgunits.BASE_COLUMNS, "organisation units: one row per unit; add employees_2024 etc. for per-year FTE"),
    "factors": (factor_module.TEMPLATE_COLUMNS,
                "emission factors: one row per factor; source is required; see docs/organisational-footprint.md"),
    "activities": (footprint_activities.TEMPLATE_COLUMNS,
                   "activity data: one row per activity, unit and year; see docs/organisational-footprint.md"),
    "peers": (footprint_peers.TEMPLATE_COLUMNS, "peer footprints: one row per organisation and year, t CO2e"),
}


@footprint_app.command("template")
@handle_errors
def template(
    kind: str = typer.Argument(..., help="units, factors, activities or peers."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the CSV here instead of printing it."),
    as_json: bool = JSON_OPTION,
) -> None:
    """An empty CSV template with the documented columns."""
    if kind not in _TEMPLATES:
        raise SpecError(f"no template '{kind}'; choose one of {', '.join(_TEMPLATES)}")
    columns, comment = _TEMPLATES[kind]
    if as_json:
        print_json({"kind": kind, "columns": list(columns), "note": comment})
        return
    text = f"# nettonul {comment}\n" + ",".join(columns) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        err_console.print(f"wrote {output}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(footprint_app, name="footprint")
