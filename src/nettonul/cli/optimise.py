"""``nettonul optimise``: the cheapest portfolio of actions (HiGHS through SciPy), for one plan,
one municipality's plan or, with ``all``, the nation: which municipalities' actions close the
national gap most cheaply."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
from nettonul.engine.core.errors import SpecError
from nettonul.engine.plan.compile import compile_plan
from nettonul.engine.plan.spec import Plan, load_plan

ORDER = 45
SOLVER = "HiGHS (scipy.optimize.linprog, method='highs'), successive linear programming"


@handle_errors
def optimise(
    what: str = typer.Argument(..., metavar="PLAN|ORG|all",
                               help="A plan file, a municipality (code or name, its plan in --plans) or "
                               "'all' (the national question, over the plans in --plans)."),
    target: int | None = typer.Option(None, "--target", help="Target year to meet (default: every target year; "
                                      "2030 for 'all')."),
    budget: float | None = typer.Option(None, "--budget", callback=finite_non_negative,
                                        help="Net present cost limit: the most reduction in the target year "
                                        "within it, instead of the cheapest way to the target."),
    plans_dir: Path | None = typer.Option(None, "--plans", help="Folder of plan files (YAML/JSON), one per "
                                          "municipality, for ORG and 'all'."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The least-cost level of each costed action (0 = not done, 1 = as planned) that meets the
    target, or with --budget the most reduction for that money. Solved with HiGHS
    (scipy.optimize.linprog) and re-evaluated with the full model."""
    if what.lower() == "all":
        _national(_plans(plans_dir, what), target or 2030, budget, as_json)
        return
    path = Path(what)
    if path.suffix.lower() in (".yaml", ".yml", ".json") or path.exists():
        plan = load_plan(path)
    else:
        from nettonul.engine.reference import datasets

        code = datasets.find_municipality(what).code
        plans = _plans(plans_dir, what)
        if code not in plans:
            raise SpecError(f"no plan for municipality {code} in {plans_dir}")
        plan = plans[code]
    _one(plan, target, budget, as_json)


def _plans(folder: Path | None, what: str) -> dict[str, Plan]:
    from nettonul.engine.plan.sources import read_plans

    if folder is None:
        raise SpecError(f"'{what}' needs --plans DIR, the folder of the municipalities' plan files")
    return read_plans(folder)


def _one(plan: Plan, target: int | None, budget: float | None, as_json: bool) -> None:
    from nettonul.engine.plan.optimise import cheapest_portfolio  # scipy only when this command runs

    cp = compile_plan(plan)
    p = cheapest_portfolio(plan, cp, year=target, budget=budget)
    data = p.to_dict()
    data["plan"] = plan.name
    data["solver"] = SOLVER
    data["sources"] = list(cp.sources)
    if as_json:
        print_json(data)
        return
    mode = f"within a budget of {fmt(budget)} {p.currency}" if budget is not None else "to meet the target"
    _actions(f"{plan.name}: cheapest portfolio {mode}", data["actions"], p.currency, p.iterations, with_org=False)
    console.print(table("Target years, t CO2e", ["Year", "Emissions", "Optimiser's estimate", "Gap"],
                        [(str(y), fmt(e), fmt((p.estimate or {}).get(y)), fmt(p.gaps[y])
                          + (" (missed)" if p.gaps[y] > 0.5 else "")) for y, e in p.emissions.items()]))
    for why in p.infeasible:
        console.print(f"Infeasible: {why}", style="bold red", markup=False, highlight=False)


def _national(plans: dict[str, Plan], year: int, budget: float | None, as_json: bool) -> None:
    from nettonul.engine.pathway.rollup import MT, rollup
    from nettonul.engine.plan.optimise import cheapest_national
    from nettonul.engine.plan.sources import plan_scenario

    compiled = {code: compile_plan(plan) for code, plan in plans.items()}
    r = rollup(plans={c: plan_scenario(plans[c], year, compiled[c]) for c in plans}, year=year)
    in_plans = sum(float(r.rolled[r.codes.index(c)].sum()) for c in plans)
    other = r.national_year * MT - in_plans
    cap = r.national_target_excl_lulucf * MT
    n = cheapest_national([(c, plans[c], compiled[c]) for c in plans], year, cap, other, budget=budget,
                          lulucf=False)
    data = n.to_dict()
    names = dict(zip(r.codes, r.names, strict=True))
    data["names"] = {c: names[c] for c in plans}
    data["solver"] = SOLVER
    data["question"] = (f"which municipalities' actions keep Denmark (without LULUCF) at or under -70 % in {year} "
                        "vs 1990 most cheaply")
    data["notes"] = ["Outside the plans: the other municipalities at their roll-up value and the national categories "
                     "outside municipal reach at KF25; the plans' LULUCF rows are left out, as the target is "
                     "without LULUCF."]
    if as_json:
        print_json(data)
        return
    console.print(f"[bold]The national question, {year}[/]: {len(plans)} plan(s); national cap {fmt(cap / MT, 2)} Mt "
                  f"(-70 % without LULUCF), outside the plans {fmt(other / MT, 2)} Mt.", highlight=False)
    console.print(table(
        "By municipality", ["Municipality", "Cut, t CO2e", f"Cost ({n.currency})", "Emissions, t CO2e"],
        [(names[c], fmt(v["cut"]), fmt(v["cost"]), fmt(v["emissions"]))
         for c, v in sorted(n.by_org.items(), key=lambda kv: -kv[1]["cut"])], numeric_from=1))
    _actions("Chosen actions", [dict(a, org=names[a["org"]]) for a in data["actions"]], n.currency, n.iterations,
             with_org=True)
    console.print(f"Nation {year}: {fmt(n.emissions / MT, 3)} Mt (optimiser's estimate {fmt(n.estimate / MT, 3)} Mt), "
                  f"gap to the cap {fmt(n.gap / MT, 3)} Mt; net present cost {fmt(n.cost)} {n.currency}.",
                  highlight=False)
    for why in n.infeasible:
        console.print(f"Infeasible: {why}", style="bold red", markup=False, highlight=False)


def _actions(title: str, rows: list[dict[str, Any]], currency: str, iterations: int, *, with_org: bool) -> None:
    head = ["Municipality"] if with_org else []
    console.print(table(
        title, [*head, "Action", "Level", f"Cost ({currency})", "Cut, t CO2e", f"{currency}/t"],
        [(*([a["org"]] if with_org else []), a["title"],
          f"{a['level']:.0%}" + ("" if a["costed"] else " (no cost: as planned)"), fmt(a["net_present_cost"]),
          fmt(a["cut_t_co2e"]), fmt(a["cost_per_tonne"])) for a in rows],
        numeric_from=len(head) + 1,
        caption=f"Solver: HiGHS via SciPy, {iterations} linearisation(s); emissions re-evaluated with the full model. "
                "Cost per tonne: net present cost at full level over the tonnes cut in the target year."))


def register(app: typer.Typer) -> None:
    app.command("optimise")(optimise)
