"""Invariants of the trend forecasts used for monitoring."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from nettonul.engine.plan.monitoring import linear_forecast

values = st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=3, max_size=8)


@given(values, st.floats(0.5, 0.99))
def test_interval_contains_the_forecast_and_vectorised_equals_one_by_one(ys: list[float], conf: float) -> None:
    x = 2020.0 + np.arange(len(ys))
    y = np.asarray(ys)
    both = linear_forecast(x, np.stack([y, y[::-1]]), 2031.0, conf)
    one = linear_forecast(x, y[None, :], 2031.0, conf)
    assert both.value[0] == one.value[0]
    assert both.lower[0] <= both.value[0] + 1e-6 * (1 + abs(both.value[0]))
    assert both.upper[0] >= both.value[0] - 1e-6 * (1 + abs(both.value[0]))


@given(st.floats(-1e3, 1e3), st.floats(-1e5, 1e5), st.integers(3, 10))
def test_exact_lines_are_extended_exactly(slope: float, intercept: float, n: int) -> None:
    x = 2020.0 + np.arange(n)
    fc = linear_forecast(x, (intercept + slope * (x - 2020.0))[None, :], 2040.0)
    assert np.isclose(fc.value[0], intercept + slope * 20.0, rtol=1e-6, atol=1e-3)
