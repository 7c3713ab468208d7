"""The rule registry: rule name -> function. Rule modules register with :func:`rule`; criteria
sets name rules, and :mod:`nettonul.engine.check.sets` checks each name against :data:`RULES`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nettonul.engine.check.context import CheckContext
from nettonul.engine.check.model import Outcome

Rule = Callable[[CheckContext, dict[str, Any]], Outcome]
RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    """Register the decorated function as the rule ``name``."""
    def register(func: Rule) -> Rule:
        RULES[name] = func
        return func
    return register
