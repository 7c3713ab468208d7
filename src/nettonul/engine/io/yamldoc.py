"""Locating validation problems in YAML documents: the line of a value, and a reason a user can act on.

Shared by every loader that validates a YAML document with pydantic (plan files and their
CAPF sections), so that errors read the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml


def line_of(node: yaml.Node | None, keys: Iterable[int | str]) -> int | None:
    """1-based line of the value at ``keys`` in the YAML node tree (or of its nearest existing parent)."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for key in keys:
        if isinstance(node, yaml.MappingNode):
            found = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(key)]
            if not found:
                return line
            node = found[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            return line
        line = node.start_mark.line + 1
    return line


def pydantic_reason(err: Any) -> str:
    """The reason of one pydantic error, in words a plan author can act on."""
    if err["type"] == "extra_forbidden":
        return "unknown field (check its spelling)"
    if err["type"] == "missing":
        return "required field is missing"
    return str(err["msg"]).removeprefix("Value error, ")
