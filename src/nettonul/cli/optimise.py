"""``nettonul optimise``: the cheapest portfolio of a plan's actions (HiGHS through SciPy)."""

from __future__ import annotations

from pathlib import Path

import typer

from nettonul.cli.output import (
    JSON_OPTION,
    console,
    finite_non_negative,
    fmt,
    handle_errors,
    print_json,
    table,
)
from nettonul.cli.scenario import PLAN_ARGUMENT
from nettonul.engine.plan.compile import compile_plan
from nettonul.engine.plan.spec import load_plan

ORDER = 45


@handle_errors
def optimise(
    plan_file: Path = PLAN_ARGUMENT,
    target: int | None = typer.Option(None, "--target", help="Target year to meet (default: every target year)."),
    budget: float | None = typer.Option(None, "--budget", callback=finite_non_negative,
                                        help="Net present cost limit: the most reduction in the target year "
                                        "within it, instead of the cheapest way to the target."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The least-cost level of each costed action (0 = not done, 1 = as planned) that meets the
    plan's target, or with --budget the most reduction for that money. Solved with HiGHS
    (scipy.optimize.linprog) and re-evaluated with the full model."""
    from nettonul.engine.plan.optimise import cheapest_portfolio  # scipy only when this command runs

    plan = load_plan(plan_file)
    cp = compile_plan(plan)
    p = cheapest_portfolio(plan, cp, year=target, budget=budget)
    data = p.to_dict()
    data["plan"] = plan.name
    data["solver"] = "HiGHS (scipy.optimize.linprog, method='highs'), successive linear programming"
    data["sources"] = list(cp.sources)
    if as_json:
        print_json(data)
        return
    titles = {a.id: a.title for a in plan.actions}
    costed = {a.id for a in plan.actions if a.cost is not None}
    mode = f"within a budget of {fmt(budget)} {p.currency}" if budget is not None else "to meet the target"
    console.print(table(
        f"{plan.name}: cheapest portfolio {mode}", ["Action", "Level"],
        [(titles[a], f"{v:.0%}" + ("" if a in costed else " (no cost: as planned)")) for a, v in p.levels.items()],
        caption=f"Net present cost: {fmt(p.cost)} {p.currency}. Solver: HiGHS via SciPy, {p.iterations} "
                "linearisation(s); emissions re-evaluated with the full model."))
    console.print(table("Target years, t CO2e", ["Year", "Emissions", "Gap"],
                        [(str(y), fmt(e), fmt(p.gaps[y]) + (" (missed)" if p.gaps[y] > 0.5 else ""))
                         for y, e in p.emissions.items()]))


def register(app: typer.Typer) -> None:
    app.command("optimise")(optimise)
