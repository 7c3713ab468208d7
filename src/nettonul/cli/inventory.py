"""Inventory commands: ``nettonul inventory validate FILE`` and ``nettonul inventory show ORG``."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import numpy as np
import typer
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from nettonul.cli.output import JSON_OPTION, console, fmt, handle_errors, print_json, table
from nettonul.engine.core.errors import NettonulError, SpecError, UnknownOrganisationError
from nettonul.engine.core.frameworks import get_framework
from nettonul.engine.core.jsondata import finite
from nettonul.engine.core.panel import Panel
from nettonul.engine.core.vocabulary import FIRST_YEAR, LAST_YEAR
from nettonul.engine.inventory.gapfill import GAP_METHODS, METHODS, GapMethod, fill_gaps
from nettonul.engine.inventory.model import Inventory, shipped_inventory
from nettonul.engine.inventory.readers import how_read, read_inventory
from nettonul.engine.inventory.readers import read_table as read_inventory_table
from nettonul.engine.inventory.records import build_inventory
from nettonul.engine.reference import datasets

ORDER = 20

app = typer.Typer(help="Read, check and show greenhouse-gas inventories.", no_args_is_help=True)

FRAMEWORK_OPTION = typer.Option(None, "--framework",
                                help="Sector framework: dk-municipal (default), gpc or ghgp-corporate.")
GWP_OPTION = typer.Option(None, "--gwp", help="GWP set the file must use: SAR, AR4, AR5 (default) or AR6.")
SHEET_OPTION = typer.Option(None, "--sheet", help="Excel sheet to read (default: the first).")


def _municipality_code(query: str) -> str:
    return datasets.find_municipality(query).code


def _row_name(framework: str, key: str) -> str:
    """A row label: the sector's Danish name with its code, or the key itself (gases, scopes)."""
    fw = get_framework(framework)
    if key in fw:
        return f"{fw.sector(key).name('da')} ({key})"
    return key


def _series(panel: Panel, org: int, row: int) -> tuple[dict[str, float | None], dict[str, bool]]:
    values = {str(y): finite(v)
              for y, v in zip(panel.years.tolist(), panel.values[org, row].tolist(), strict=True)}
    estimated = {str(y): bool(e) for y, e in zip(panel.years.tolist(), panel.estimated[org, row].tolist(),
                                                 strict=True)}
    return values, estimated


def _cell(value: float, estimated: bool) -> str:
    return fmt(value) + (" *" if estimated and not np.isnan(value) else "")


def _caption(panel: Panel, extra: list[str] | None = None) -> str:
    lines = [f"Unit: t CO2e (GWP {panel.gwp_set}, framework {panel.framework}).",
             "Source: " + ("; ".join(panel.sources) if panel.sources else "not stated")]
    if panel.estimated.any():
        lines.append("* = estimate (not reported data).")
    lines += [f"Note: {n}" for n in panel.notes] + (extra or [])
    return "\n".join(lines)


def _sum_orgs(panel: Panel) -> Panel:
    """One pseudo-organisation 'all' holding the sum over the panel's organisations."""
    given = ~np.all(np.isnan(panel.values), axis=0, keepdims=True)
    values = np.where(given, np.nansum(panel.values, axis=0, keepdims=True), np.nan)
    return Panel(orgs=("all",), sectors=panel.sectors, years=panel.years, values=values,
                 estimated=np.asarray(panel.estimated.any(axis=0, keepdims=True), dtype=bool), unit=panel.unit,
                 gwp_set=panel.gwp_set, framework=panel.framework, sources=panel.sources, notes=panel.notes)


def _panel_json(panel: Panel, org: int = 0) -> dict[str, Any]:
    rows = []
    for i, key in enumerate(panel.sectors):
        values, estimated = _series(panel, org, i)
        rows.append({"key": key, "name": _row_name(panel.framework, key), "values": values, "estimated": estimated})
    total = panel.total()[org]
    return {
        "unit": panel.unit, "gwp_set": panel.gwp_set, "framework": panel.framework,
        "years": panel.years.tolist(), "rows": rows,
        "total": {str(y): finite(v) for y, v in zip(panel.years.tolist(), total.tolist(), strict=True)},
        "sources": list(panel.sources), "notes": list(panel.notes),
    }


def _print(t: Table) -> None:
    """Print a table at its natural width, so that no number is ever cut short with '…'."""
    width = Measurement.get(console, console.options.update(max_width=1000), t).maximum
    if width <= console.width:
        console.print(t)
    else:  # wider than the terminal: let the terminal wrap lines rather than crop numbers
        Console(width=width).print(t)


def _panel_table(title: str, panel: Panel, org: int = 0, total: bool = True,
                 extra_caption: list[str] | None = None) -> Table:
    years = panel.years.tolist()
    rows: list[list[str]] = []
    for i, key in enumerate(panel.sectors):
        rows.append([_row_name(panel.framework, key),
                     *(_cell(v, e) for v, e in zip(panel.values[org, i], panel.estimated[org, i], strict=True))])
    if total:
        rows.append(["Total / I alt",
                     *(_cell(v, e) for v, e in zip(panel.total()[org], panel.total_estimated()[org], strict=True))])
    return table(title, ["t CO2e", *map(str, years)], rows, caption=_caption(panel, extra_caption))


@handle_errors
def validate(
    file: Path = typer.Argument(..., help="Inventory file: .csv, .xlsx, .yaml or .yml."),
    framework: str | None = FRAMEWORK_OPTION,
    gwp: str | None = GWP_OPTION,
    sheet: str | None = SHEET_OPTION,
    municipalities: bool = typer.Option(False, "--municipalities",
                                        help="Require every organisation to be a Danish municipality (code or name)."),
    first_year: int = typer.Option(FIRST_YEAR, "--first-year", help="Earliest year accepted."),
    last_year: int = typer.Option(LAST_YEAR, "--last-year", help="Latest year accepted."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Check an inventory file: every problem is listed (exit 2), or a summary is shown (exit 0)."""
    raw = read_inventory_table(file, sheet)
    read = how_read(raw)
    if not as_json:
        console.print(f"Read {read.describe()}.", highlight=False)
    inventory = build_inventory(raw, framework=framework, gwp=gwp, years=(first_year, last_year),
                                resolve_organisation=_municipality_code if municipalities else None)
    panel = _sum_orgs(inventory.to_panel())
    n_activity = int(inventory.is_activity.sum())
    years = sorted(set(inventory.year.tolist()))
    summary = {
        "ok": True, "file": file.name, "read": read.describe(),
        "number_convention": read.numbers.convention if read.numbers else None,
        "records": len(inventory), "emission_records": len(inventory) - n_activity,
        "activity_records": n_activity, "organisations": list(inventory.orgs),
        "years": years,
        "notation_keys": int((inventory.notation != "").sum()),
        "estimated_records": int(inventory.estimated.sum()),
        "totals_by_sector": _panel_json(panel),
    }
    if as_json:
        print_json(summary)
        return
    console.print(f"[bold green]OK[/] {file.name}: {len(inventory)} records ({n_activity} from activity data x "
                  f"emission factors), {len(inventory.orgs)} organisation(s), years "
                  f"{', '.join(map(str, years))}; GWP {inventory.gwp_set}; framework {inventory.framework}.",
                  highlight=False)
    title = "Totals by sector" + (f", all {len(inventory.orgs)} organisations" if len(inventory.orgs) > 1 else "")
    _print(_panel_table(title, panel))


def _level(text: str) -> Literal["top", "given", "all"] | int:
    if text.isdigit():
        return int(text)
    levels: dict[str, Literal["top", "given", "all"]] = {"top": "top", "given": "given", "all": "all"}
    if text in levels:
        return levels[text]
    raise SpecError(f"--level must be top, given, all or a depth (0, 1, ...), not '{text}'")


def _resolve_in(inventory: Inventory, org: str) -> str:
    """The organisation id in ``inventory`` that ``org`` names (exact id, or municipality code/name)."""
    if org in inventory.orgs:
        return org
    try:
        m = datasets.find_municipality(org)
    except UnknownOrganisationError:
        m = None
    if m is not None:
        for candidate in (m.code, m.code4, m.name):
            if candidate in inventory.orgs:
                return candidate
    raise UnknownOrganisationError(f"'{org}' is not in the file; its organisations are {', '.join(inventory.orgs)}")


def _display_name(org: str) -> str:
    try:
        m = datasets.find_municipality(org)
    except NettonulError:
        return org
    return f"{m.name} ({m.code})" if org in (m.code, m.code4, m.name) else org


@handle_errors
def show(
    org: str = typer.Argument(..., help="Organisation: a kommunekode (101) or name (København), or an id in --file."),
    file: Path | None = typer.Option(None, "--file",
                                     help="Inventory file (default: the shipped Energi- og CO2-regnskab)."),
    year: int | None = typer.Option(None, "--year", help="Only this year."),
    by: str = typer.Option("sector", "--by", help="Rows: sector, gas or scope."),
    level: str = typer.Option("top", "--level", help="Sector level: top, given, all, or a depth (0, 1, ...)."),
    fill: str | None = typer.Option(None, "--fill-gaps", help=f"Fill missing years explicitly: {', '.join(METHODS)}."),
    framework: str | None = FRAMEWORK_OPTION,
    gwp: str | None = GWP_OPTION,
    sheet: str | None = SHEET_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Show an organisation's inventory as a table of t CO2e by sector (or gas, or scope) x year."""
    if file is None:
        code = datasets.find_municipality(org).code
        inventory = shipped_inventory([code])
    else:
        inventory = read_inventory(file, framework=framework, gwp=gwp, sheet=sheet)
        code = _resolve_in(inventory, org)
        inventory = inventory.select([code])
    if year is not None:
        if year not in set(inventory.year.tolist()):
            raise SpecError(f"no records for {year}; years in the inventory: "
                            f"{', '.join(map(str, sorted(set(inventory.year.tolist()))))}")
        inventory = inventory.select(years=[year])
    name = _display_name(code)
    if by not in ("sector", "gas", "scope"):
        raise SpecError(f"--by must be sector, gas or scope, not '{by}'")
    panels: dict[str, Panel]
    if by == "sector":
        panels = {"sector": inventory.by_sector(_level(level))}
    elif by == "gas":
        panels = {"gas": inventory.by_gas()}
    elif any(s.scope2_method for s in inventory.framework_tree):
        panels = {"scope, location-based": inventory.by_scope("location"),
                  "scope, market-based": inventory.by_scope("market")}
    else:
        panels = {"scope": inventory.by_scope()}
        if inventory.framework == "gpc":
            panels["GPC total"] = inventory.gpc_totals()
    if fill is not None:
        if fill not in METHODS:
            raise SpecError(f"--fill-gaps must be one of {', '.join(METHODS)}, not '{fill}'")
        method: GapMethod = next(m for m in GAP_METHODS if m == fill)
        panels = {k: fill_gaps(p, method) for k, p in panels.items()}
    if as_json:
        print_json({"organisation": code, "name": name, "by": by,
                    "views": {k: _panel_json(p) for k, p in panels.items()}})
        return
    for view, panel in panels.items():
        overlapping = view == "GPC total" or level == "all"
        _print(_panel_table(f"{name}: emissions by {view}", panel, total=not overlapping,
                            extra_caption=["Rows overlap; they are not added up."] if overlapping else None))


def register(root: typer.Typer) -> None:
    app.command("validate")(validate)
    app.command("show")(show)
    root.add_typer(app, name="inventory")
