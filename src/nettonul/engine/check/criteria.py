"""The engine of the plan check: evaluate every criterion of a set on one plan.

A criterion's rule (:mod:`nettonul.engine.check.rules`) says whether it is met; the
criterion's severity says what an unmet criterion means: an essential (E) one fails the
plan, a recommended (R) or informational (I) one is a warning. Messages and fixes are worded
from the ``nettonul`` message catalogue (:mod:`nettonul.engine.core.i18n`) and the criteria set, in English or Danish.
"""

from __future__ import annotations

from datetime import date

from nettonul.engine.check.context import CheckContext, build_context
from nettonul.engine.check.model import (
    CAPF_SECTIONS,
    CheckResult,
    CriteriaSet,
    CriterionResult,
    CriterionSpec,
    Outcome,
    Status,
    word,
)
from nettonul.engine.check.registry import RULES
from nettonul.engine.check.sets import dk2020
from nettonul.engine.core.errors import SpecError
from nettonul.engine.plan.sections import CapfPlan


def status_of(severity: str, outcome: Outcome) -> Status:
    """pass / fail / warn / n.a. from a rule's outcome and the criterion's severity."""
    if outcome.met is None:
        return "n.a."
    if outcome.met:
        return "pass"
    return "fail" if severity == "E" and not outcome.soft else "warn"


def evaluate_criterion(spec: CriterionSpec, ctx: CheckContext, language: str) -> CriterionResult:
    outcome = RULES[spec.rule](ctx, dict(spec.params))
    result = status_of(spec.severity, outcome)
    evidence = tuple(
        {"label": word(e.label, e.args, language), "value": e.value, "unit": e.unit}
        for e in outcome.evidence
    )
    section = CAPF_SECTIONS.get(spec.capf) if spec.capf else None
    return CriterionResult(spec.id, spec.severity, spec.group, spec.title.get(language), result,
                           word(outcome.key, outcome.args, language), spec.fix.get(language), evidence,
                           spec.capf or "", section.get(language) if section else "", tuple(spec.fields),
                           subjects_of(outcome))


def subjects_of(outcome: Outcome) -> tuple[str, ...]:
    """The actions a rule's outcome names (its ``ids``, else its ``id``), in its order."""
    ids = outcome.args.get("ids")
    if ids is None and isinstance(outcome.args.get("id"), str):
        ids = [outcome.args["id"]]
    return tuple(str(i) for i in ids or ())


def run_check(capf: CapfPlan, criteria: CriteriaSet | None = None, language: str = "en",
              today: date | None = None, context: CheckContext | None = None) -> CheckResult:
    """Check ``capf`` against ``criteria`` (the shipped DK2020 set by default)."""
    if language not in ("en", "da"):
        raise SpecError(f"language '{language}' is not supported; use en or da")
    cs = criteria or dk2020()
    ctx = context or build_context(capf, today)
    results = tuple(evaluate_criterion(spec, ctx, language) for spec in cs.criteria)
    return CheckResult(capf.plan.name, capf.plan.organisation, cs.id, cs.version, language, results)
