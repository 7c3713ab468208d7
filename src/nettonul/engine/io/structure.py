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

#: libyaml's parser when PyYAML was built with it (ten times faster), else the Python one.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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


def load_yaml(text: str, *, max_bytes: int = MAX_BYTES, max_nodes: int = MAX_NODES) -> Any:
    """``yaml.safe_load`` within the limits; raises :class:`LimitError` (a YAML error) beyond them.
    A data file (an inventory or unit tree in YAML) is read with the file limits' bytes and
    cells in place of the document limits ``max_bytes`` and ``max_nodes``."""
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise LimitError(f"the text is larger than {max_bytes:,} bytes")
    try:
        _check_events(text, max_nodes)
    except LimitError:
        raise
    except yaml.MarkedYAMLError as exc:
        # libyaml stops at 1,000 levels while it reads ahead: the same limit, in its words
        if "nesting depth" in str(exc.problem):
            raise LimitError(f"nested deeper than {MAX_DEPTH} levels", exc.problem_mark) from None
        raise
    return yaml.load(text, Loader=_LOADER)  # a safe loader: the C build of SafeLoader


def _check_events(text: str, max_nodes: int) -> None:
    depth = 0
    for nodes, event in enumerate(yaml.parse(text, Loader=_LOADER), 1):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise LimitError(f"nested deeper than {MAX_DEPTH} levels", event.start_mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent):
            if not event.style and _INT.match(event.value):  # plain: None (Python parser) or "" (libyaml)
                problem = _digits_problem(event.value)
                if problem:
                    raise LimitError(problem, event.start_mark)
        elif isinstance(event, yaml.AliasEvent):
            # An alias repeats a whole subtree: counted as many values, it could still expand
            # ("billion laughs"), so aliases are not accepted in user documents.
            raise LimitError("aliases (*name) are not accepted", event.start_mark)
        if nodes > max_nodes:
            raise LimitError(f"more than {max_nodes:,} values", event.start_mark)


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
