"""The shared vocabulary: every module that speaks of target kinds, curves, effect kinds and
years uses the one definition in ``nettonul.engine.core.vocabulary``."""

from __future__ import annotations

from typing import get_args

import numpy as np
import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nettonul.engine.core import vocabulary as v
from nettonul.engine.core.errors import SpecError
from nettonul.engine.inventory.model import COLUMNS, Inventory
from nettonul.engine.pathway.targets import make_target, parse_target
from nettonul.engine.plan.adoption import adoption
from nettonul.engine.plan.capf import RiskAssessment
from nettonul.engine.plan.effects import PARAMETERS, Effect
from nettonul.engine.plan.spec import Schedule, TargetSpec


def test_effect_kinds_are_the_tags_of_the_effect_union() -> None:
    union = get_args(get_args(Effect)[0])
    tags = tuple(get_args(cls.model_fields["type"].annotation)[0] for cls in union)
    assert tags == v.EFFECT_KINDS
    assert tuple(PARAMETERS) == v.EFFECT_KINDS


def test_every_curve_is_an_adoption_curve_and_nothing_else() -> None:
    years = np.arange(2024, 2031)
    for curve in v.CURVES:
        a = adoption(curve, 2025, 2028, years)
        assert a[0] == 0.0
        assert a[-1] == 1.0
    with pytest.raises(SpecError, match="step, linear, logistic"):
        adoption("cubic", 2025, 2028, years)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", v.TARGET_KINDS)
def test_every_target_kind_makes_its_target(kind: str) -> None:
    target = make_target(kind, 2030, 0.5, 1990, "transport")
    assert target.kind == kind
    assert target.sector == "transport"
    TargetSpec.model_validate({"kind": kind, "year": 2030, "value": 0.5})


def test_the_qualitative_commitment_is_recorded_but_not_a_target() -> None:
    assert (*v.TARGET_KINDS, v.QUALITATIVE) == v.RECORDED_TARGET_KINDS
    with pytest.raises(SpecError, match="unknown target kind 'qualitative'"):
        make_target(v.QUALITATIVE, 2030)
    with pytest.raises(pydantic.ValidationError):
        TargetSpec.model_validate({"kind": v.QUALITATIVE, "year": 2030})


@pytest.mark.parametrize("kind", v.VALUED_TARGET_KINDS)
def test_valued_kinds_need_their_value(kind: str) -> None:
    with pytest.raises(SpecError, match="needs a value"):
        make_target(kind, 2030)


@pytest.mark.parametrize("year", [1989, 2101])
def test_one_year_rule_everywhere(year: int) -> None:
    assert v.year_problem(year) == f"year {year} is outside 1990-2100"
    with pytest.raises(SpecError, match="outside 1990-2100"):
        parse_target(f"{year}:-70%")
    for model, data in ((Schedule, {"start": year}), (TargetSpec, {"kind": "net_zero", "year": year}),
                        (RiskAssessment, {"horizon": year})):
        with pytest.raises(pydantic.ValidationError):
            model.model_validate(data)


@pytest.mark.parametrize("year", [1990, 2100])
def test_the_ends_of_the_range_are_years(year: int) -> None:
    assert v.year_problem(year) is None
    assert parse_target(f"{year}:netzero").year == year
    assert Schedule.model_validate({"start": year}).start == year


def test_record_columns_are_the_template_and_the_export() -> None:
    assert COLUMNS == v.RECORD_COLUMNS
    inv = Inventory.from_columns("dk-municipal", "AR5", {"org": ["101"], "year": [2020], "sector": ["energy"],
                                                        "gas": ["CO2e"], "amount": [1.0], "unit": ["t_CO2e"],
                                                        "co2e": [1.0]})
    assert tuple(inv.to_rows()[0]) == v.RECORD_COLUMNS
    assert set(v.REQUIRED_RECORD_COLUMNS) <= set(v.RECORD_COLUMNS)


# ----------------------------------------------------------------------------- stored values
def _accepted(model: type[pydantic.BaseModel], **values: object) -> bool:
    try:
        model.model_validate(values)
    except pydantic.ValidationError:
        return False
    return True


@given(st.lists(st.integers(min_value=-5, max_value=25), max_size=17))
def test_sdgs_are_the_integers_1_to_17(goals: list[int]) -> None:
    assert _accepted(v.ActionValues, sdgs=goals) == all(1 <= g <= 17 for g in goals)


@given(st.one_of(st.text(max_size=3), st.booleans(), st.floats(allow_nan=False), st.none()))
def test_a_goal_that_is_not_an_integer_is_refused(goal: object) -> None:
    assert not _accepted(v.ActionValues, sdgs=[goal])


@given(st.integers(min_value=1900, max_value=2200), st.integers(min_value=1900, max_value=2200))
def test_schedule_years_are_bounded_and_ordered(start: int, full: int) -> None:
    expected = 1990 <= start <= 2100 and 1990 <= full <= 2100 and full >= start
    assert _accepted(v.ActionValues, start_year=start, full_year=full) == expected


@given(st.floats())
def test_target_values_are_finite(value: float) -> None:
    assert _accepted(v.TargetValues, year=2030, value=value) == np.isfinite(value)


@given(st.dictionaries(st.text(max_size=5), st.one_of(st.text(max_size=5), st.integers(), st.none()), max_size=4))
def test_notes_map_a_path_to_a_text(notes: dict[str, object]) -> None:
    expected = all(k and isinstance(t, str) for k, t in notes.items())
    assert _accepted(v.ActionValues, sources=notes) == expected
    assert _accepted(v.ActionValues, assumptions=notes) == expected
