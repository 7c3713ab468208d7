"""``nettonul library``: what plans do, compared across plans (peer learning).

Every plan file given (or, by default, the example plans shipped with nettonul) is evaluated;
its actions are grouped by family (sector, effect kind and what they move from and to) and
each family reports how many plans use it, its effect sizes and its cost per tonne, optionally
only for municipalities whose agriculture is above a share of their latest inventory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from nettonul import examples_dir
from nettonul.cli.output import JSON_OPTION, console, fmt, handle_errors, print_json, progress, table
from nettonul.engine.core.errors import SpecError
from nettonul.engine.plan.compile import compile_plan
from nettonul.engine.plan.library import (
    PlanActions,
    agriculture_share,
    compare,
    first_year_sectors,
    plan_actions,
)
from nettonul.engine.plan.scenario import evaluate, summarise
from nettonul.engine.plan.spec import load_plan

ORDER = 46


def _plan_files(given: list[Path]) -> list[Path]:
    if not given:
        return sorted((examples_dir() / "plans").glob("*.yaml"))
    out: list[Path] = []
    for path in given:
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.suffix.lower() in (".yaml", ".yml", ".json"))
        elif path.exists():
            out.append(path)
        else:
            raise SpecError(f"{path}: no such file or folder")
    if not out:
        raise SpecError("no plan files (.yaml, .yml, .json) found in " + ", ".join(str(p) for p in given))
    return out


def _entry(path: Path) -> PlanActions:
    plan = load_plan(path)
    cp = compile_plan(plan)
    result = evaluate(cp)
    sectors = first_year_sectors(cp.sectors, result.by_sector(result.bau_rows)[0, :, 0].tolist())
    return plan_actions(plan, summarise(plan, result), organisation=cp.orgs[0], name=plan.name,
                        agriculture_share=agriculture_share(sectors),
                        synthetic=any("illustrative" in n.casefold() for n in plan.notes))


def _range(r: Any, scale: float = 1.0, digits: int = 0) -> str:
    if r is None:
        return "-"
    mid, low, high = (fmt(v * scale, digits) for v in (r["median"], r["low"], r["high"]))
    return mid if r["n"] == 1 else f"{mid} ({low}-{high})"


@handle_errors
def library(
    plans: list[Path] = typer.Argument(None, help="Plan files or folders of them (default: the example plans)."),
    agriculture_above: float | None = typer.Option(
        None, "--agriculture-above", min=0.0, max=100.0,
        help="Only municipalities whose agriculture is above this share (%) of their latest inventory."),
    query: str | None = typer.Option(None, "--query", "-q", help="Only families with an action matching every word."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Compare the actions of many plans: how many plans use each kind of action, how large
    its effect is and what it costs per tonne, optionally for one kind of municipality."""
    files = _plan_files(list(plans or []))
    entries = []
    with progress("evaluating plans", len(files), enabled=not as_json) as advance:
        for path in files:
            entries.append(_entry(path))
            advance(1)
    share = agriculture_above / 100.0 if agriculture_above is not None else None
    families = [f.to_dict() for f in compare(entries, agriculture_above=share, query=query)]
    data = {"plans": [{"organisation": e.organisation, "name": e.name, "plan": e.plan,
                       "agriculture_share": e.agriculture_share, "actions": len(e.actions),
                       "illustrative": e.synthetic} for e in entries],
            "filter": {"agriculture_above": share, "query": query}, "families": families}
    if as_json:
        print_json(data)
        return
    console.print(table("Plans compared", ["Organisation", "Plan", "Agriculture share", "Actions"],
                        [(e.name, e.plan + (" (illustrative)" if e.synthetic else ""),
                          "-" if e.agriculture_share is None else f"{e.agriculture_share * 100:.1f} %",
                          str(len(e.actions))) for e in entries], numeric_from=2))
    rows = [(f["family"], str(f["plans"]),
             _range(f["size"], 100.0, 1) + (" %" if f["size_unit"] == "share" and f["size"] else
                                          (f" {f['size_unit']}" if f["size"] else "")),
             _range(f["cost_per_t"]), _range(f["reduction_t"])) for f in families]
    console.print(table("Action families across the plans", ["Family", "Plans", "Effect size (median, range)",
                                                              "DKK per t CO2e", "Reduction, t CO2e"],
                        rows, numeric_from=1))
    if not families:
        console.print("No plan matches the filter.", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("library")(library)
