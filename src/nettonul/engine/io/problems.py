"""Located problems from pydantic and YAML errors: file, row (or line), column (or field path), reason.

Every loader that validates user data with pydantic (plan files and their CAPF sections,
monitoring data, criteria sets, the rows of user tables) and every reader of YAML turns its
errors into :class:`~nettonul.engine.core.errors.Problem` objects here, so that messages read
the same everywhere and name the line of a YAML document where one is known.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pydantic
import yaml

from nettonul.engine.core.errors import Problem, ValidationError

Loc = tuple[int | str, ...]


def is_tag(part: int | str) -> bool:
    """A part of a pydantic location that names a validator or a union branch, not a key."""
    return isinstance(part, str) and part.startswith(("function-", "literal["))


def document_keys(loc: Loc, drop: Callable[[int | str], bool] = is_tag) -> list[int | str]:
    """The keys of the document along a pydantic location, validator and branch tags left out."""
    return [part for part in loc if not drop(part)]


def path_of(keys: Iterable[int | str]) -> str:
    """``['actions', 3, 'effect', 'share']`` -> ``actions[3].effect.share``."""
    out = ""
    for part in keys:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def pydantic_reason(err: Mapping[str, Any]) -> str:
    """The reason of one pydantic error, in words the author of the file can act on."""
    if err["type"] == "extra_forbidden":
        return "unknown field (check its spelling)"
    if err["type"] == "missing":
        return "required field is missing"
    return str(err["msg"]).removeprefix("Value error, ")


def pydantic_problems(
    exc: pydantic.ValidationError,
    file: str,
    *,
    row: int | None = None,
    node: yaml.Node | None = None,
    keys: Callable[[Loc], list[int | str]] = document_keys,
    columns: Mapping[str, str] | None = None,
    missing: Mapping[str, str] | None = None,
) -> list[Problem]:
    """One problem per distinct error of ``exc``.

    For a document, the problem's column is the field path (``actions[3].effect.share``) and
    its row the line of that field in the YAML ``node`` tree (when given); for a table row,
    pass ``row`` and the column is the header as written (``columns`` maps field names to
    headers). ``keys`` turns a location into document keys (by default it drops tags);
    ``missing`` gives, per field, the reason to report when that required field is absent.
    An error whose context names a ``column`` is reported on that column (a rule over two
    columns, reported on the cell to fix).
    """
    problems: list[Problem] = []
    seen: set[tuple[int | None, str, str]] = set()
    for err in exc.errors():
        path_keys = keys(tuple(err["loc"]))
        line: int | None = row
        if row is not None:
            field = str(path_keys[0]) if path_keys else ""
            field = str((err.get("ctx") or {}).get("column", field))
            column = (columns or {}).get(field, field)
        else:
            column = path_of(path_keys)
            line = line_of(node, path_keys)
        reason = pydantic_reason(err)
        if err["type"] == "missing" and missing and path_keys and str(path_keys[-1]) in missing:
            reason = missing[str(path_keys[-1])]
        if (line, column, reason) in seen:
            continue
        seen.add((line, column, reason))
        problems.append(Problem(file, line, column or None, reason))
    return problems


def field_messages(exc: pydantic.ValidationError, names: Mapping[str, str] | None = None) -> dict[str, str]:
    """Field path -> reason, for forms that show an error next to each field (first part of
    the path renamed by ``names``; ``__all__`` for an error of the whole object)."""
    out: dict[str, str] = {}
    for err in exc.errors():
        path_keys = [str(k) for k in document_keys(tuple(err["loc"]))]
        head = (names or {}).get(path_keys[0], path_keys[0]) if path_keys else "__all__"
        out[".".join([head, *path_keys[1:]])] = pydantic_reason(err)
    return out


# ----------------------------------------------------------------------------- YAML
def yaml_error_parts(exc: yaml.YAMLError | json.JSONDecodeError) -> tuple[int | None, str]:
    """The 1-based line of a YAML (or JSON) syntax error, if known, and what is wrong there."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else getattr(exc, "lineno", None)
    return line, str(getattr(exc, "problem", None) or exc)


def yaml_problem(exc: yaml.YAMLError | json.JSONDecodeError, file: str, *, kind: str = "YAML") -> Problem:
    """A syntax error of a YAML (or JSON) document as a problem on its line."""
    line, why = yaml_error_parts(exc)
    return Problem(file, line, None, f"not valid {kind}: {why}")


def load_yaml_text(text: str, file: str, *, what: str | None = None, data_file: bool = False) -> Any:
    """YAML within the depth and size limits (:func:`~nettonul.engine.io.structure.load_yaml`),
    a syntax error or a limit raised as a located :class:`ValidationError`. A ``data_file``
    (records, units) may be as large as the file limits allow."""
    from nettonul.engine.io import limits
    from nettonul.engine.io.structure import MAX_BYTES, MAX_NODES, load_yaml

    lim = limits.current()
    sizes = ({"max_bytes": max(lim.max_bytes, MAX_BYTES), "max_nodes": max(lim.max_cells, MAX_NODES)}
             if data_file else {})
    try:
        return load_yaml(text, **sizes)
    except yaml.YAMLError as exc:
        raise ValidationError([yaml_problem(exc, file)], what=what or file) from None


def load_document(text: str, file: str, *, json_format: bool = False, what: str | None = None) -> Any:
    """A YAML or JSON document from text within the depth and size limits
    (:mod:`~nettonul.engine.io.structure`), a syntax error or a limit raised as a located problem."""
    from nettonul.engine.io.structure import load_json

    if not json_format:
        return load_yaml_text(text, file, what=what)
    try:
        return load_json(text)
    except json.JSONDecodeError as exc:
        raise ValidationError([yaml_problem(exc, file, kind="JSON")], what=what or file) from None
    except ValueError as exc:
        raise ValidationError([Problem(file, None, None, f"not a usable JSON document: {exc}")],
                              what=what or file) from None


def yaml_node(text: str | None) -> yaml.Node | None:
    """The node tree of a YAML text (for :func:`line_of`), or None when there is none."""
    if text is None:
        return None
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None


def line_of(node: yaml.Node | None, keys: Sequence[int | str]) -> int | None:
    """1-based line of the value at ``keys`` in the YAML node tree (or of its nearest existing parent)."""
    if node is None:
        return None
    line: int = node.start_mark.line + 1
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
