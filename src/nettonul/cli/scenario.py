"""Plan scenarios: ``nettonul scenario PLAN`` (wedges, gap, MACC) and ``nettonul simulate PLAN``
(Monte Carlo percentiles and the probability of meeting each target)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import typer

from nettonul.cli.cluster import SCHEDULER_OPTION, executor
from nettonul.cli.output import JSON_OPTION, console, err_console, fmt, handle_errors, print_json, progress, table
from nettonul.engine.core.errors import SpecError
from nettonul.engine.core.executors import workers as executor_workers
from nettonul.engine.plan.compile import compile_plan
from nettonul.engine.plan.costs import MaccBar
from nettonul.engine.plan.scenario import evaluate, summarise
from nettonul.engine.plan.spec import load_plan, unmarked_numbers
from nettonul.engine.plan.uncertainty import simulate as run_simulation

ORDER = 40

PLAN_ARGUMENT = typer.Argument(..., help="Plan file (YAML or JSON), e.g. examples/plans/samsoe.yaml.")


def _shown_years(years: list[int], extra: list[int]) -> list[int]:
    """The first year, every fifth year, target years and the last year."""
    picked = {years[0], years[-1], *[y for y in years if y % 5 == 0], *extra}
    return sorted(y for y in picked if y in years)


def _warn_unmarked(path: Path, as_json: bool) -> list[str]:
    missing = unmarked_numbers(load_plan(path))
    if missing and not as_json:
        err_console.print(f"[yellow]warning:[/] {len(missing)} number(s) are neither sourced nor marked as "
                          f"assumptions: {', '.join(missing[:8])}", highlight=False)
    return missing


@handle_errors
def scenario(
    plan_file: Path = PLAN_ARGUMENT,
    chart: Path | None = typer.Option(None, "--chart", help="Write the wedges chart to this SVG file."),
    macc_chart: Path | None = typer.Option(None, "--macc-chart", help="Write the MACC chart to this SVG file."),
    macc_year: int | None = typer.Option(None, "--macc-year", help="Year whose abatement sets the MACC bar widths."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The plan against business as usual and the target path: wedges per action and year,
    the gap to each target, costs and the marginal abatement cost curve."""
    plan = load_plan(plan_file)
    cp = compile_plan(plan)
    result = evaluate(cp)
    if macc_year is not None and macc_year not in cp.years.tolist():
        raise SpecError(f"--macc-year {macc_year} is outside {int(cp.years[0])}-{int(cp.years[-1])}")
    data = summarise(plan, result, macc_year=macc_year)
    data["unmarked_numbers"] = _warn_unmarked(plan_file, as_json)
    note = "Illustrative: numbers marked as assumptions in the plan file are not from the plan. " + \
        "; ".join(data["sources"])
    if chart is not None or macc_chart is not None:
        from nettonul.engine.plan.charts import macc_svg, wedges_svg  # matplotlib only when a chart is asked for
    if chart is not None:
        chart.write_text(wedges_svg(cp.years, result.bau[0], result.plan[0], result.wedges[0],
                                    [a.title for a in plan.actions], cp.target_path[0], plan.name, note),
                         encoding="utf-8")
        data["chart"] = str(chart)
    if macc_chart is not None:
        bars = [MaccBar(b["action"], b["title"], b["cost_per_t_co2e"], b["abatement_t_co2e"], b["x0"])
                for b in data["macc"]]
        macc_chart.write_text(macc_svg(bars, plan.currency, data["macc_year"], note), encoding="utf-8")
        data["macc_chart"] = str(macc_chart)
    if as_json:
        print_json(data)
        return
    _print_scenario(data)


def reference_line(ref: dict[str, Any] | None) -> str | None:
    """What the targets are measured on: the plan's own base-year figure, labelled as such, or the estimate."""
    if not ref:
        return None
    if ref["plan_figure"]:
        return (f"Base year {ref['year']}: {fmt(ref['t_co2e'])} t CO2e, the plan's own figure ({ref['source']}); "
                f"the back-cast estimate would be {fmt(ref['estimate_t_co2e'])} t CO2e.")
    return f"Base year {ref['year']}: {fmt(ref['t_co2e'])} t CO2e ({ref['source']})."


def _print_scenario(data: dict[str, Any]) -> None:
    years: list[int] = data["years"]
    shown = _shown_years(years, [t["year"] for t in data["targets"]])
    idx = [years.index(y) for y in shown]
    caption = "t CO2e (" + data["gwp"] + "). Source: " + "; ".join(data["sources"])
    console.print(table(
        f"{data['plan']}: emissions", ["", *map(str, shown)],
        [("Business as usual", *[fmt(data["bau_t_co2e"][i]) for i in idx]),
         ("National change (KF25)", *[fmt(-data["national_measures_t_co2e"][i]) for i in idx]),
         ("Plan", *[fmt(data["plan_t_co2e"][i]) for i in idx]),
         ("Target path", *[fmt(data["target_path_t_co2e"][i]) for i in idx])],
        caption=caption,
    ))
    rows = [(a["title"] + (" (in KF25 BAU, not counted)" if a.get("in_baseline") else ""),
             *[fmt(a["reduction_t_co2e"][i]) for i in idx]) for a in data["actions"]]
    rows.append(("Total reduction", *[fmt(data["bau_t_co2e"][i] - data["plan_t_co2e"][i]) for i in idx]))
    console.print(table("Wedges: reduction by action (t CO2e a year; Shapley attribution, adds up to the total)",
                        ["Action", *map(str, shown)], rows))
    console.print(table(
        "Gap to the targets", ["Target", "Target (t CO2e)", "Plan (t CO2e)", "Gap (t CO2e)", "Met"],
        [(t["target"], fmt(t["target_t_co2e"]), fmt(t["plan_t_co2e"]), fmt(t["gap_t_co2e"]),
          "yes" if t["met"] else "no") for t in data["targets"]],
        caption=reference_line(data.get("reference")),
    ))
    cur = data["currency"]
    costed = [a for a in data["actions"] if a["cost"] is not None]
    order = {b["action"]: i for i, b in enumerate(data["macc"])}
    costed.sort(key=lambda a: order.get(a["id"], len(order)))
    console.print(table(
        f"Costs and MACC (abatement in {data['macc_year']}; levelised cost, discount rate {data['discount_rate']:g})",
        ["Action", f"Cost ({cur}/t CO2e)", f"Abatement {data['macc_year']} (t CO2e)", f"Net present cost ({cur})"],
        [(a["title"], fmt(a["cost"]["cost_per_t_co2e"]), fmt(a["reduction_in_macc_year_t_co2e"]),
          fmt(a["cost"]["net_present_cost"])) for a in costed],
        caption="Costs marked as assumptions in the plan file are illustrative.",
    ))
    for n in data["notes"]:
        console.print(f"Note: {n}", style="dim", markup=False, highlight=False)


@handle_errors
def simulate(
    plan_file: Path = PLAN_ARGUMENT,
    draws: int = typer.Option(2000, "--draws", min=1, help="Number of Monte Carlo draws (whole blocks of 250)."),
    seed: int = typer.Option(0, "--seed", min=0, max=2**32 - 1,
                             help="Random seed: the same seed gives the same result."),
    workers: int = typer.Option(1, "--workers", min=1, help="Local processes to use."),
    scheduler: str | None = SCHEDULER_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Monte Carlo over the plan's uncertainty ranges: P5/P50/P95 emissions per year and the
    probability of meeting each target. The same seed gives the same result serially, on local
    processes or on a dask.distributed cluster (--scheduler)."""
    plan = load_plan(plan_file)
    cp = compile_plan(plan)
    blocks = -(-draws // 250) * 250
    with executor(scheduler, workers, "nettonul.engine.plan.uncertainty") as pool, \
            progress("Simulating", blocks, enabled=not as_json) as advance:
        n = 1 if pool is None else executor_workers(pool)
        ens = run_simulation(plan, cp, draws, seed, executor=pool,
                             chunk_draws=max(250, blocks // (4 * n)), on_progress=advance)
    data = ens.to_dict()
    data["plan"] = plan.name
    data["unit"] = "t_CO2e"
    data["sources"] = list(cp.sources)
    if as_json:
        print_json(data)
        return
    years = ens.years.tolist()
    shown = _shown_years(years, ens.target_years.tolist())
    idx = [years.index(y) for y in shown]
    rows = [(f"P{p:g}", *[fmt(float(v)) for v in np.asarray(ens.percentiles[p][0])[idx]]) for p in ens.percentiles]
    rows.append(("Mean", *[fmt(float(v)) for v in ens.mean[0][idx]]))
    console.print(table(f"{plan.name}: plan emissions over {ens.draws:,} draws (seed {seed}), t CO2e",
                        ["", *map(str, shown)], rows,
                        caption=f"Uncertain: {', '.join(ens.parameters) or 'nothing'}. Ranges marked as "
                                "assumptions in the plan file are illustrative."))
    console.print(table("Probability of meeting each target", ["Target", "Probability"],
                        [(lab, f"{ens.probability[0, j]:.1%}") for j, lab in enumerate(ens.target_labels)]))


def register(app: typer.Typer) -> None:
    app.command("scenario")(scenario)
    app.command("simulate")(simulate)
