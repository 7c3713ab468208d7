"""Shared plans for the plan-check tests: the passing and the defective example, checked once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from nettonul.engine.check.context import CheckContext, build_context
from nettonul.engine.check.criteria import evaluate_criterion
from nettonul.engine.check.model import CriterionResult, CriterionSpec
from nettonul.engine.check.sets import dk2020
from nettonul.engine.plan.sections import CapfPlan, load_capf_plan

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "check"
TODAY = date(2026, 1, 15)


@pytest.fixture(scope="session")
def passing() -> CapfPlan:
    return load_capf_plan(EXAMPLES / "middelfart_plan.yaml")


@pytest.fixture(scope="session")
def passing_ctx(passing: CapfPlan) -> CheckContext:
    return build_context(passing, TODAY)


@pytest.fixture(scope="session")
def defective() -> CapfPlan:
    return load_capf_plan(EXAMPLES / "defective_plan.yaml")


def spec(criterion_id: str, **params: Any) -> CriterionSpec:
    """The shipped criterion, with some parameters overridden."""
    s = next(c for c in dk2020().criteria if c.id == criterion_id)
    return s.model_copy(update={"params": {**s.params, **params}}) if params else s


def with_sections(ctx: CheckContext, **changes: Any) -> CheckContext:
    """The same evaluated plan with some CAPF sections replaced (no re-evaluation needed)."""
    sections = ctx.capf.sections.model_copy(update=changes)
    return replace(ctx, capf=replace(ctx.capf, sections=sections))


def judge(criterion_id: str, ctx: CheckContext, language: str = "en", **params: Any) -> CriterionResult:
    return evaluate_criterion(spec(criterion_id, **params), ctx, language)
