"""Target paths, budgets and rates, against figures worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from nettonul.engine.core.errors import SpecError
from nettonul.engine.pathway.targets import Absolute, NetZero, PerCapita, Reduction
from nettonul.engine.pathway.trajectory import (
    cumulative,
    linear_reduction,
    milestone_levels,
    required_rate,
    target_path,
)

YEARS = np.arange(2020, 2051, dtype=np.int64)


def _at(values: np.ndarray, year: int) -> np.ndarray:
    return values[..., year - 2020]


def test_linear_path_by_hand() -> None:
    # 100 t in 2023 -> 30 t in 2030 -> 0 in 2050: -10 t/yr, then -1.5 t/yr.
    p = target_path(YEARS, 2023, np.array([100.0]), [2030, 2050], np.array([[30.0, 0.0]]))
    assert np.isnan(_at(p.values, 2022)).all()
    assert _at(p.values, 2023)[0] == 100.0
    assert _at(p.values, 2024)[0] == pytest.approx(90.0)
    assert _at(p.values, 2026)[0] == pytest.approx(70.0)
    assert _at(p.values, 2030)[0] == 30.0
    assert _at(p.values, 2040)[0] == pytest.approx(15.0)
    assert _at(p.values, 2050)[0] == 0.0
    assert not p.linear_fallback.any()


def test_constant_rate_path_by_hand() -> None:
    # 100 -> 25 in two years is -50 %/yr: 50 in the year between.
    years = np.arange(2020, 2026, dtype=np.int64)
    p = target_path(years, 2020, np.array([100.0]), [2022, 2025], np.array([[25.0, 3.125]]), "constant-rate")
    assert p.values[0].tolist() == pytest.approx([100.0, 50.0, 25.0, 12.5, 6.25, 3.125])
    assert required_rate(np.array(100.0), np.array(25.0), 2) == pytest.approx(0.5)


def test_constant_rate_falls_back_to_linear_towards_zero() -> None:
    p = target_path(YEARS, 2030, np.array([40.0]), [2040, 2050], np.array([[10.0, 0.0]]), "constant-rate")
    assert p.linear_fallback.tolist() == [[False, True]]
    k = 1 - (10 / 40) ** (1 / 10)
    assert _at(p.values, 2031)[0] == pytest.approx(40 * (1 - k))
    assert _at(p.values, 2045)[0] == pytest.approx(5.0)  # linear, halfway 10 -> 0
    assert _at(p.values, 2050)[0] == 0.0


def test_after_the_last_milestone_the_path_stays_there() -> None:
    p = target_path(YEARS, 2023, np.array([100.0]), [2030], np.array([[30.0]]))
    assert (p.values[0, 2030 - 2020:] == 30.0).all()


def test_no_rise_holds_a_level_already_below_the_target() -> None:
    p = target_path(YEARS, 2023, np.array([50.0]), [2030, 2050], np.array([[60.0, 0.0]]), no_rise=True)
    assert _at(p.values, 2027)[0] == 50.0
    assert _at(p.values, 2030)[0] == 50.0
    assert _at(p.values, 2040)[0] == pytest.approx(25.0)
    rising = target_path(YEARS, 2023, np.array([50.0]), [2030], np.array([[64.0]]))
    assert _at(rising.values, 2025)[0] == pytest.approx(54.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"milestone_years": [], "milestones": np.zeros((1, 0))}, "at least one milestone"),
        ({"milestone_years": [2030, 2030], "milestones": np.zeros((1, 2))}, "must increase"),
        ({"milestone_years": [2023], "milestones": np.zeros((1, 1))}, "not after the anchor year"),
        ({"milestone_years": [2030], "milestones": np.zeros((1, 1)), "shape": "cubic"}, "shape 'cubic'"),
    ],
)
def test_bad_paths_are_rejected(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        target_path(YEARS, 2023, np.array([1.0]), **kwargs)  # type: ignore[arg-type]


def test_budget_sum_and_trapezoid_by_hand() -> None:
    years = np.arange(2020, 2023, dtype=np.int64)
    values = np.array([[10.0, 8.0, 6.0], [1.0, 1.0, 1.0]])
    assert cumulative(values, years, 2020, 2022).tolist() == [24.0, 3.0]
    assert cumulative(values, years, 2020, 2022, "trapezoid").tolist() == [16.0, 2.0]
    assert cumulative(values, years, 2021, 2021).tolist() == [8.0, 1.0]
    with pytest.raises(SpecError, match="outside"):
        cumulative(values, years, 2019, 2022)
    with pytest.raises(SpecError, match="unknown"):
        cumulative(values, years, 2020, 2022, "simpson")  # type: ignore[arg-type]


def test_required_rate_is_undefined_to_zero() -> None:
    rates = required_rate(np.array([100.0, 100.0, -5.0]), np.array([81.0, 0.0, 1.0]), 2)
    assert rates[0] == pytest.approx(0.1)
    assert np.isnan(rates[1:]).all()
    assert linear_reduction(np.array([100.0]), np.array([0.0]), 20).tolist() == [5.0]


def test_milestone_levels_for_every_kind() -> None:
    history = {1990: np.array([200.0, 50.0])}
    population = {2035: np.array([1000.0, 10.0])}
    years, levels = milestone_levels(
        [NetZero(2050), Reduction(2030, 0.7, 1990), PerCapita(2035, 2.5), Absolute(2040, 7.0)],
        history.__getitem__, population.__getitem__, default_against=1990,
    )
    assert years.tolist() == [2030, 2035, 2040, 2050]
    np.testing.assert_allclose(levels, [[60.0, 2500.0, 7.0, 0.0], [15.0, 25.0, 7.0, 0.0]])
    # A reduction without its own reference year is against the default (the base year).
    _, levels = milestone_levels([Reduction(2030, 0.5)], history.__getitem__, population.__getitem__, 1990)
    assert levels.tolist() == [[100.0], [25.0]]
