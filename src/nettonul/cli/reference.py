"""Reference data commands: ``nettonul municipalities``."""

from __future__ import annotations

import typer

from nettonul.cli.output import JSON_OPTION, console, fmt, handle_errors, print_json, table
from nettonul.engine.reference import datasets

ORDER = 10


@handle_errors
def municipalities(
    region: str | None = typer.Option(None, "--region", help="Only municipalities in this region (part of its name)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List the 98 Danish municipalities with code, region, population and area."""
    rows = [m for m in datasets.municipalities()
            if region is None or region.lower() in m.region_name.lower()]
    if as_json:
        print_json({
            "source": [datasets.SOURCES["municipalities"].citation()],
            "municipalities": [
                {"code": m.code, "name": m.name, "region": m.region_name,
                 "population_2026": m.population_2026, "area_km2": m.area_km2}
                for m in rows
            ],
        })
        return
    console.print(table(
        f"Danish municipalities ({len(rows)})",
        ["Code", "Name", "Region", "Population 2026 (persons)", "Area (km²)"],
        [(m.code, m.name, m.region_name, fmt(m.population_2026), fmt(m.area_km2, 1)) for m in rows],
        caption="Source: " + datasets.SOURCES["municipalities"].citation(),
        numeric_from=3,
    ))


def register(app: typer.Typer) -> None:
    app.command("municipalities")(municipalities)
