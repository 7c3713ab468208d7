"""Invariants of target paths and pathways, for arbitrary inputs."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from nettonul.engine.core.panel import Panel
from nettonul.engine.pathway.pathway import PathwaySpec, compute_pathway
from nettonul.engine.pathway.targets import NetZero, Reduction
from nettonul.engine.pathway.trajectory import cumulative, target_path
from nettonul.engine.testing.strategies import panels

levels = st.floats(min_value=-1e6, max_value=1e7, allow_nan=False)
positive = st.floats(min_value=1.0, max_value=1e7, allow_nan=False)


@st.composite
def milestones(draw: st.DrawFn) -> tuple[int, list[int], np.ndarray, np.ndarray]:
    anchor_year = draw(st.integers(2000, 2030))
    gaps = draw(st.lists(st.integers(1, 12), min_size=1, max_size=4))
    years = (anchor_year + np.cumsum(gaps)).tolist()
    n_orgs = draw(st.integers(1, 4))
    anchor = np.asarray(draw(st.lists(levels, min_size=n_orgs, max_size=n_orgs)))
    values = np.asarray(draw(st.lists(st.lists(levels, min_size=len(years), max_size=len(years)),
                                      min_size=n_orgs, max_size=n_orgs)))
    return anchor_year, years, anchor, values


@given(milestones(), st.sampled_from(["linear", "constant-rate"]))
def test_a_target_path_hits_its_milestones_exactly(case: tuple, shape: str) -> None:
    anchor_year, m_years, anchor, values = case
    years = np.arange(anchor_year - 3, m_years[-1] + 5, dtype=np.int64)
    p = target_path(years, anchor_year, anchor, m_years, values, shape)  # type: ignore[arg-type]
    idx = np.asarray(m_years) - int(years[0])
    np.testing.assert_array_equal(p.values[:, idx], values)
    np.testing.assert_array_equal(p.values[:, anchor_year - int(years[0])], anchor)
    assert np.isnan(p.values[:, :3]).all()
    np.testing.assert_array_equal(p.values[:, -1], values[:, -1])


@given(milestones(), st.sampled_from(["linear", "constant-rate"]))
def test_each_segment_stays_between_its_ends(case: tuple, shape: str) -> None:
    anchor_year, m_years, anchor, values = case
    years = np.arange(anchor_year, m_years[-1] + 1, dtype=np.int64)
    p = target_path(years, anchor_year, anchor, m_years, values, shape)  # type: ignore[arg-type]
    ends = np.concatenate([anchor[:, None], values], axis=1)
    pts = np.concatenate([[anchor_year], m_years])
    for k in range(len(m_years)):
        seg = p.values[:, pts[k] - anchor_year: pts[k + 1] - anchor_year + 1]
        lo = np.minimum(ends[:, k], ends[:, k + 1])[:, None]
        hi = np.maximum(ends[:, k], ends[:, k + 1])[:, None]
        tol = 1e-9 * np.maximum(1.0, np.abs(hi))
        assert (seg >= lo - tol).all()
        assert (seg <= hi + tol).all()


@given(milestones())
def test_no_rise_paths_never_increase(case: tuple) -> None:
    anchor_year, m_years, anchor, values = case
    years = np.arange(anchor_year, m_years[-1] + 1, dtype=np.int64)
    p = target_path(years, anchor_year, anchor, m_years, values, no_rise=True)
    steps = np.diff(p.values, axis=1)
    assert (steps <= 1e-9 * np.maximum(1.0, np.abs(p.values[:, 1:]))).all()


@given(st.integers(1, 30), positive)
def test_budget_of_a_flat_path(n: int, level: float) -> None:
    years = np.arange(2020, 2020 + n, dtype=np.int64)
    values = np.full((1, n), level)
    assert np.isclose(cumulative(values, years, 2020, 2019 + n)[0], n * level)
    assert np.isclose(cumulative(values, years, 2020, 2019 + n, "trapezoid")[0], (n - 1) * level)


@given(panels(), st.floats(0.0, 1.2), st.sampled_from(["linear", "constant-rate"]),
       st.sampled_from(["kf25", "frozen"]))
def test_pathway_invariants(panel: Panel, cut: float, shape: str, baseline: str) -> None:
    spec = PathwaySpec(targets=(Reduction(2035, cut, 1990), NetZero(2050)), shape=shape,  # type: ignore[arg-type]
                       baseline=baseline)  # type: ignore[arg-type]
    p = compute_pathway(panel, spec)
    # gap = scenario - path, and the shortfall is its positive part.
    np.testing.assert_array_equal(p.gap, p.scenario - p.path.values)
    np.testing.assert_array_equal(p.shortfall, np.maximum(p.gap, 0.0))
    # Sector sums equal totals, for the history and for BAU.
    np.testing.assert_allclose(p.historical, p.history.values.sum(axis=1), rtol=1e-12, atol=1e-6)
    bau_years = p.years >= p.last_inventory_year
    np.testing.assert_allclose(p.bau_total[:, bau_years], p.bau.values[:, :, bau_years].sum(axis=1),
                               rtol=1e-12, atol=1e-6)
    # BAU starts from the inventory; the inventory years are untouched and not estimates.
    last = p.last_inventory_year - 1990
    np.testing.assert_allclose(p.bau_total[:, last], p.historical[:, last])
    inv = slice(int(panel.years[0]) - 1990, last + 1)
    np.testing.assert_array_equal(p.history.values[:, :, inv], panel.values)
    assert not p.historical_estimated[:, inv].any()
    assert p.historical_estimated[:, : int(panel.years[0]) - 1990].all()
    # The remaining budget is the budget minus what was used.
    np.testing.assert_allclose(p.remaining, p.budget - p.used)
