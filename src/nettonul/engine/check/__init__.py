"""The DK2020/CAPF plan check: data-driven criteria evaluated on a plan's numbers.

``run_check(capf_plan)`` returns a :class:`CheckResult` with, per criterion, pass / fail /
warn / n.a., the evidence (figures with units), the message and the fix, in English or
Danish. The shipped criteria set is ``data/dk2020.yaml`` (methodology section 1.3). Rules
register by name in :mod:`~nettonul.engine.check.registry`; criteria sets name them.

May import: every other engine subpackage (it sits at the top of the engine's layers, beside
``footprint``).
"""

from nettonul.engine.check.criteria import run_check
from nettonul.engine.check.model import CheckResult, CriteriaSet, CriterionResult
from nettonul.engine.check.sets import dk2020, load_criteria

__all__ = ["CheckResult", "CriteriaSet", "CriterionResult", "dk2020", "load_criteria", "run_check"]
