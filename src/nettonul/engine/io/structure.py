"""Size and depth limits on the YAML and JSON documents users send (CAPF sections, effects,
API bodies), checked before anything recursive touches them.

A document nested thousands of levels deep makes every recursive reader (PyYAML's composer,
pydantic, ``json.dumps`` when it is stored) overflow the stack, and an integer of thousands of
digits exceeds Python's limit on converting text to ``int``; both used to end in a server
error. Here they are refused with a message that names the limit:

* :func:`load_yaml` walks PyYAML's event stream (an iterative parser) and refuses a document
  deeper than :data:`MAX_DEPTH`, with more than :data:`MAX_NODES` values, or with an integer
  longer than :data:`MAX_INT_DIGITS` digits, before composing it;
* :func:`load_json` parses with bounded integers and refuses ``NaN``/``Infinity``;
* :func:`structure_problem` checks data already in memory (depth, size, integers, finite floats).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import yaml

MAX_DEPTH = 32
MAX_NODES = 100_000
MAX_INT_DIGITS = 30
#: Bytes of one YAML or JSON document.
MAX_BYTES = 2_000_000

_INT = re.compile(r"[-+]?(?:0[box])?[0-9_a-fA-F]+$")


class LimitError(yaml.MarkedYAMLError):
    """A document over one of the limits; a YAML error, so every YAML reader reports it on its line."""

    def __init__(self, problem: str, mark: Any = None) -> None:
        super().__init__(problem=problem, problem_mark=mark)

    def __str__(self) -> str:
        return str(self.problem)


def _digits_problem(text: str) -> str | None:
    digits = sum(ch.isdigit() for ch in text)
    if digits > MAX_INT_DIGITS:
        return f"a number of {digits} digits is longer than the {MAX_INT_DIGITS} digits allowed"
    return None


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` within the limits; raises :class:`LimitError` (a YAML error) beyond them."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise LimitError(f"the text is larger than {MAX_BYTES:,} bytes")
    depth = 0
    for nodes, event in enumerate(yaml.parse(text, Loader=yaml.SafeLoader), 1):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise LimitError(f"nested deeper than {MAX_DEPTH} levels", event.start_mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent):
            if event.style is None and _INT.match(event.value):
                problem = _digits_problem(event.value)
                if problem:
                    raise LimitError(problem, event.start_mark)
        elif isinstance(event, yaml.AliasEvent):
            # An alias repeats a whole subtree: counted as many values, it could still expand
            # ("billion laughs"), so aliases are not accepted in user documents.
            raise LimitError("aliases (*name) are not accepted", event.start_mark)
        if nodes > MAX_NODES:
            raise LimitError(f"more than {MAX_NODES:,} values", event.start_mark)
    return yaml.safe_load(text)


def _bounded_int(text: str) -> int:
    problem = _digits_problem(text)
    if problem:
        raise ValueError(problem)
    return int(text)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows; give a finite number")


def load_json(text: str | bytes) -> Any:
    """``json.loads`` within the limits; raises ``ValueError`` with the reason beyond them."""
    if len(text) > MAX_BYTES:
        raise ValueError(f"the document is larger than {MAX_BYTES:,} bytes")
    try:
        data = json.loads(text, parse_int=_bounded_int, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError(f"nested deeper than {MAX_DEPTH} levels") from None
    problem = structure_problem(data)
    if problem:
        raise ValueError(problem)
    return data


def structure_problem(data: Any) -> str | None:
    """Why ``data`` (plain JSON-like values) is beyond the limits, or None. Iterative, so a
    structure of any depth is checked without recursion."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    nodes = 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            return f"more than {MAX_NODES:,} values"
        if isinstance(value, dict | list | tuple):
            if depth > MAX_DEPTH:
                return f"nested deeper than {MAX_DEPTH} levels"
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int):
            if abs(value) >= 10**MAX_INT_DIGITS:
                return f"a number longer than the {MAX_INT_DIGITS} digits allowed"
        elif isinstance(value, float) and not math.isfinite(value):
            return f"{value} is not a finite number"
    return None
