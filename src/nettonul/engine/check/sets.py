"""Criteria sets as data: the shipped DK2020/CAPF set and sets read from files, each checked
against the rules the registry knows (every rule module registers itself when imported here)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import pydantic
import yaml

from nettonul.engine.check import rules as _rules  # noqa: F401  (registers the mitigation rules)
from nettonul.engine.check import rules_capf as _rules_capf  # noqa: F401  (and the CAPF rules)
from nettonul.engine.check.model import CAPF_SECTIONS, CriteriaSet, data_text
from nettonul.engine.check.registry import RULES
from nettonul.engine.core.errors import Problem, ValidationError
from nettonul.engine.io.problems import load_yaml_text, pydantic_problems
from nettonul.engine.io.tables import read_text_file


def parse_criteria(data: Any, file: str) -> CriteriaSet:
    try:
        cs = CriteriaSet.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ValidationError(pydantic_problems(exc, file), what="criteria set") from None
    problems = [Problem(file, None, f"criteria[{i}].rule", f"unknown rule '{c.rule}' (known: {', '.join(RULES)})")
                for i, c in enumerate(cs.criteria) if c.rule not in RULES]
    problems += [Problem(file, None, f"criteria[{i}].capf",
                         f"'{c.capf}' is not a CAPF section (known: {', '.join(CAPF_SECTIONS)})")
                 for i, c in enumerate(cs.criteria) if c.capf is not None and c.capf not in CAPF_SECTIONS]
    ids = [c.id for c in cs.criteria]
    problems += [Problem(file, None, f"criteria[{i}].id", f"criterion id '{c}' is used more than once")
                 for i, c in enumerate(ids) if ids.count(c) > 1]
    if problems:
        raise ValidationError(problems, what="criteria set")
    return cs


@lru_cache(maxsize=4)
def dk2020() -> CriteriaSet:
    """The shipped DK2020/CAPF criteria set."""
    return parse_criteria(yaml.safe_load(data_text("dk2020.yaml")), "dk2020.yaml")


def load_criteria(path: str | Path) -> CriteriaSet:
    p = Path(path)
    text, _ = read_text_file(p, what="criteria set")
    return parse_criteria(load_yaml_text(text, str(p), what="criteria set"), str(p))
