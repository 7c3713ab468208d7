"""Peer learning in the action library: the published plans' actions compared by family
(:mod:`nettonul.engine.plan.library`), each plan evaluated once and kept under the key of its
engine plan, so the page costs one comparison over kept entries."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from nettonul.engine.core.errors import EngineError
from nettonul.engine.plan.compile import compile_plan
from nettonul.engine.plan.library import (
    FamilyFigures,
    PlanActions,
    agriculture_share,
    compare,
    first_year_sectors,
    plan_actions,
)
from nettonul.engine.plan.scenario import evaluate, summarise
from nettonul.web.engine import cache
from nettonul.web.engine.plans import engine_plan

__all__ = ["FamilyFigures", "peer_families"]


def _entry(plan: Any) -> PlanActions | None:
    targets, actions = list(plan.targets.all()), [a for a in plan.actions.all() if a.effect]
    if not actions:
        return None
    try:
        spec = engine_plan(plan, targets, actions)

        def compute() -> PlanActions:
            cp = compile_plan(spec)
            result = evaluate(cp)
            sectors = first_year_sectors(cp.sectors, result.by_sector(result.bau_rows)[0, :, 0].tolist())
            return plan_actions(spec, summarise(spec, result), organisation=plan.organisation.code,
                                name=plan.organisation.name, agriculture_share=agriculture_share(sectors))

        return cache.cached("library-entry", (spec,), compute)[1]
    except EngineError:
        return None  # a plan that cannot be evaluated has no figures to compare


def peer_families(plans: Iterable[Any], *, agriculture_above: float | None = None,
                  match: Callable[[str], bool] | None = None) -> tuple[list[FamilyFigures], int]:
    """The families of action across ``plans`` (published current plans with their targets and
    actions prefetched) and how many plans were compared; ``match`` keeps the families whose
    text it accepts (the library's search, synonyms included)."""
    entries = [e for e in (_entry(p) for p in plans) if e is not None]
    return compare(entries, agriculture_above=agriculture_above, match=match), len(entries)
