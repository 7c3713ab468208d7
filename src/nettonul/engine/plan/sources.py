"""Published plans as the first source of the roll-up.

:func:`plan_scenario` evaluates a plan with every action at its planned level and returns its
emissions by sector in the roll-up year (the sectors of the municipal accounts only: a plan's
LULUCF rows are left out, as the accounts have none) and its own target path in that year.
:func:`read_plans` reads a folder of plan files (``.yaml``, ``.yml``, ``.json``) and keys them
by the municipality each names as its organisation; every bad file is reported at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from nettonul.engine.core.errors import Problem, SpecError, ValidationError
from nettonul.engine.pathway.rollup import PlanScenario
from nettonul.engine.plan.compile import CompiledPlan, compile_plan
from nettonul.engine.plan.kernels import row_emissions
from nettonul.engine.plan.spec import Plan, load_plan
from nettonul.engine.reference import datasets

PLAN_SUFFIXES = (".yaml", ".yml", ".json")


def plan_scenario(plan: Plan, year: int, cp: CompiledPlan | None = None) -> PlanScenario:
    """The plan's scenario in ``year`` by sector (t CO2e, every action as planned) and its own
    target path in that year (NaN without one)."""
    cp = cp if cp is not None else compile_plan(plan)
    if not int(cp.years[0]) <= year <= int(cp.years[-1]):
        raise SpecError(f"the plan '{plan.name}' covers {int(cp.years[0])}-{int(cp.years[-1])}, not {year}")
    yi = year - int(cp.years[0])
    rows = row_emissions(cp)[0, 0, :, yi]
    sectors = {s: float(rows[cp.row_sector == j].sum()) for j, s in enumerate(cp.sectors) if s != "lulucf"}
    return PlanScenario(plan.name, sectors, float(cp.target_path[0, yi]) if cp.target_path.size else float("nan"))


def read_plans(folder: str | Path) -> dict[str, Plan]:
    """The plans in ``folder`` by kommunekode of their organisation (one plan per municipality)."""
    root = Path(folder)
    if not root.is_dir():
        raise SpecError(f"'{root}' is not a folder of plan files")
    out: dict[str, Plan] = {}
    problems: list[Problem] = []
    for path in sorted(p for p in root.iterdir() if p.suffix.lower() in PLAN_SUFFIXES):
        try:
            plan = load_plan(path)
            code = datasets.find_municipality(plan.organisation).code
        except ValidationError as exc:
            problems.extend(exc.problems)
            continue
        except (SpecError, LookupError) as exc:
            problems.append(Problem(str(path), None, "organisation", str(exc)))
            continue
        if code in out:
            problems.append(Problem(str(path), None, "organisation", f"a second plan for municipality {code}"))
            continue
        out[code] = plan
    if problems:
        raise ValidationError(problems, f"plans in {root}")
    if not out:
        raise SpecError(f"no plan files ({', '.join(PLAN_SUFFIXES)}) in '{root}'")
    return out


def plan_scenarios(plans: Mapping[str, Plan], year: int) -> dict[str, PlanScenario]:
    return {code: plan_scenario(plan, year) for code, plan in plans.items()}

