"""Size and depth limits on user YAML and JSON (nettonul.engine.io.structure): documents within
the limits load exactly as ``yaml.safe_load``/``json.loads`` load them; documents beyond are
refused with the limit named, never with a RecursionError or Python's int-conversion error."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from nettonul.engine.io.structure import (
    MAX_DEPTH,
    MAX_INT_DIGITS,
    LimitError,
    load_json,
    load_yaml,
    structure_problem,
)

scalars = st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats(allow_nan=False,
                                                                                  allow_infinity=False) | st.text()
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                         | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=30)


@given(documents)
def test_documents_within_the_limits_load_unchanged(data: Any) -> None:
    text = json.dumps(data)
    assert load_json(text) == json.loads(text)
    dumped = yaml.safe_dump(data)
    assert load_yaml(dumped) == yaml.safe_load(dumped)
    assert structure_problem(data) is None


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=MAX_DEPTH + 1, max_value=6_000))
def test_any_depth_beyond_the_limit_is_refused(depth: int) -> None:
    text = "[" * depth + "]" * depth
    with pytest.raises(ValueError, match=f"nested deeper than {MAX_DEPTH} levels"):
        load_json(text)
    with pytest.raises(LimitError, match=f"nested deeper than {MAX_DEPTH} levels"):
        load_yaml(text)


def test_depth_exactly_at_the_limit_is_accepted() -> None:
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert load_json(text) == json.loads(text)
    assert load_yaml(text) == yaml.safe_load(text)


@settings(max_examples=30)
@given(st.integers(min_value=MAX_INT_DIGITS + 1, max_value=20_000))
def test_long_integers_are_refused_with_their_length(digits: int) -> None:
    number = "9" * digits
    with pytest.raises(ValueError, match=f"a number of {digits} digits"):
        load_json(f'{{"a": {number}}}')
    with pytest.raises(LimitError, match=f"a number of {digits} digits"):
        load_yaml(f"a: {number}")
    # As a quoted string it is text, not a number, and allowed.
    assert load_yaml(f"a: '{number}'") == {"a": number}


def test_thirty_digits_are_accepted() -> None:
    assert load_json("[%s]" % ("9" * MAX_INT_DIGITS)) == [10**MAX_INT_DIGITS - 1]
    assert structure_problem([10**MAX_INT_DIGITS]) == f"a number longer than the {MAX_INT_DIGITS} digits allowed"


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "[1e999]", '{"v": -1e400}'])
def test_json_numbers_must_be_finite(text: str) -> None:
    with pytest.raises(ValueError, match="finite"):
        load_json(text)


def test_a_yaml_limit_is_reported_on_its_line() -> None:
    with pytest.raises(LimitError) as caught:
        load_yaml("a: 1\nb: 2\nc: " + "9" * 40)
    assert caught.value.problem_mark.line + 1 == 3


def test_aliases_are_refused() -> None:
    laughs = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]"
    with pytest.raises(LimitError, match="aliases"):
        load_yaml(laughs)


def test_structure_problem_walks_without_recursion() -> None:
    deep: Any = 1
    for _ in range(100_000):
        deep = [deep]
    assert structure_problem(deep) == f"nested deeper than {MAX_DEPTH} levels"
    assert structure_problem({"x": math.inf}) == "inf is not a finite number"
