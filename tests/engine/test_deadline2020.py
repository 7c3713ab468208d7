"""The Deadline-2020-style reference check on synthetic data worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from nettonul.engine.core.errors import SpecError
from nettonul.engine.pathway.deadline2020 import (
    cc_per_capita,
    cc_reference,
    check_pathway,
    classify,
    parameters,
    path_within_reference,
    peaked,
    solve_group_rate,
)
from nettonul.engine.pathway.pathway import compute_pathway
from nettonul.engine.reference import datasets

YEARS = np.arange(2020, 2051, dtype=np.int64)


def test_parameters_come_from_the_yaml_and_flag_what_is_unverified() -> None:
    p = parameters()
    assert p.min_years_since_peak == 5
    assert p.min_reduction_below_peak == pytest.approx(0.10)
    assert p.common_level == pytest.approx(2.9)
    assert p.convergence_year == 2030
    assert p.decline == "linear_to_zero"
    # [V] in the methodology: the peak definition; [U]: the C&C and classification parameters.
    assert not any(u.startswith("peak.") for u in p.unverified)
    assert {"contraction_convergence.convergence_year", "contraction_convergence.common_level_t_per_capita",
            "classification.gdp_per_capita_threshold_usd", "classification.types"} <= set(p.unverified)
    assert "Deadline 2020" in p.source


def test_convergence_then_linear_decline_by_hand() -> None:
    pc = cc_per_capita(np.array([10.0, 2.0]), YEARS, 2020, 2030, 3.0, "linear_to_zero", 2050)
    assert pc[:, 0].tolist() == [10.0, 2.0]
    assert pc[:, 5].tolist() == pytest.approx([6.5, 2.5])  # 2025: halfway to 3
    assert pc[:, 10].tolist() == pytest.approx([3.0, 3.0])  # 2030: converged
    assert pc[:, 20].tolist() == pytest.approx([1.5, 1.5])  # 2040: halfway to zero in 2050
    assert pc[:, 30].tolist() == [0.0, 0.0]


def test_constant_rate_decline_and_before_start() -> None:
    years = np.arange(2018, 2033, dtype=np.int64)
    pc = cc_per_capita(np.array([4.0]), years, 2020, 2030, 3.0, "constant_rate", rate=0.1)
    assert np.isnan(pc[0, :2]).all()
    assert pc[0, -1] == pytest.approx(3.0 * 0.9**2)
    with pytest.raises(SpecError, match="convergence year 2020 must be after"):
        cc_per_capita(np.array([4.0]), years, 2020, 2020, 3.0)
    with pytest.raises(SpecError, match="zero year 2030"):
        cc_per_capita(np.array([4.0]), years, 2020, 2030, 3.0, zero_year=2030)


def test_reference_emissions_and_budget() -> None:
    years = np.arange(2029, 2033, dtype=np.int64)
    population = np.array([[100.0, 100.0, 200.0, 200.0]])
    p = parameters()
    ref, budget = cc_reference(np.array([2.9]), population, years, 2029, p)
    # 2029-2030 at 2.9 t; then linear to zero in 2050: 2.9 x 19/20, 2.9 x 18/20.
    assert ref[0].tolist() == pytest.approx([290.0, 290.0, 200 * 2.9 * 19 / 20, 200 * 2.9 * 18 / 20])
    assert budget[0] == pytest.approx(ref[0].sum())


def test_group_rate_by_hand() -> None:
    # One city at 3 t/cap, population 1, 2029-2032: 3 + 3 + 3(1-k) + 3(1-k)^2 = 11.13 gives k = 0.1.
    years = np.arange(2029, 2033, dtype=np.int64)
    population = np.ones((1, 4))
    k = solve_group_rate(np.array([3.0]), population, years, 2029, 2030, 3.0, 11.13)
    assert k == pytest.approx(0.1, abs=1e-9)
    with pytest.raises(SpecError, match="no rate is needed"):
        solve_group_rate(np.array([3.0]), population, years, 2029, 2030, 3.0, 20.0)
    with pytest.raises(SpecError, match="no rate can meet it"):
        solve_group_rate(np.array([3.0]), population, years, 2029, 2030, 3.0, 5.0)


def test_plan_path_within_the_reference_every_year() -> None:
    years = np.array([2021, 2022, 2023], dtype=np.int64)
    path = np.array([[1.0, 2.5, 3.0], [1.0, 1.0, np.nan], [2.0, 2.0, 2.0]])
    ref = np.full((3, 3), 2.0)
    r = path_within_reference(path, ref, years)
    assert r.ok.tolist() == [False, True, True]
    assert r.first_exceeding_year.tolist() == [2022, -1, -1]
    assert r.max_exceedance.tolist() == pytest.approx([1.0, 0.0, 0.0])


def test_c40_peak_definition() -> None:
    years = np.arange(2010, 2017, dtype=np.int64)
    emissions = np.array([
        [10, 12, 11, 10, 9, 8, 10.7],    # peak 2011, 5 years back, 10.8 % below: peaked
        [10, 11, 12, 10, 9, 8, 7],       # peak 2012, only 4 years back
        [10, 12, 11, 10, 9, 8, 11.5],    # 5 years back but only 4.2 % below
    ])
    pk = peaked(emissions, years)
    assert pk.peaked.tolist() == [True, False, False]
    assert pk.peak_year.tolist() == [2011, 2012, 2011]
    assert pk.below_peak[0] == pytest.approx(1 - 10.7 / 12)
    # Judged in 2015 instead: row 0 peaked 4 years before, so not yet.
    assert peaked(emissions, years, current_year=2015).peaked.tolist() == [False, False, False]


def test_classification_quadrants() -> None:
    types = classify(np.array([20_000.0, 20_000.0, 5_000.0, 5_000.0]), np.array([6.0, 3.0, 6.0, 3.0]))
    assert types == ["steep_decline", "steady_decline", "early_peak", "late_peak"]


def test_check_pathway_for_copenhagen_by_hand() -> None:
    # København 2023: 867,436.9 t CO2e, 653,664 inhabitants; 671,714 in 2026, held flat after.
    c = check_pathway(compute_pathway(datasets.klimaregnskab_panel(["101"])))
    assert c.start_year == 2023
    assert c.per_capita_start[0] == pytest.approx(867_436.9 / 653_664)
    assert c.reference[0, 2023 - 1990] == pytest.approx(867_436.9)
    assert c.reference[0, 2030 - 1990] == pytest.approx(2.9 * 671_714)
    assert c.reference[0, 2040 - 1990] == pytest.approx(2.9 * 671_714 / 2)
    assert np.isnan(c.reference[0, : 2023 - 1990]).all()
    # The linear path (flat at the 2023 level to 2030, then to zero) stays below the reference,
    # which rises towards 2.9 t per inhabitant because København starts below it.
    assert c.within.ok.tolist() == [True]
    assert c.within.max_exceedance.tolist() == [0.0]
    assert any("Unverified parameters" in n for n in c.notes)
