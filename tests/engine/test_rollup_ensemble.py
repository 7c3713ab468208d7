"""The roll-up's correlated uncertainty: shared parameters add bands up, independent ones
narrow them by the square-root law; the same seed gives the same result on any executor."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest

from nettonul.engine.core.errors import SpecError
from nettonul.engine.pathway.rollup import rollup
from nettonul.engine.pathway.rollup_ensemble import LOCAL, NATIONAL, Cities, parameters, simulate_rollup
from nettonul.engine.pathway.synthetic import SYNTHETIC, synthetic_cities


def hand_built(sizes: list[float]) -> Cities:
    """One sector, no change to the roll-up year, no actions, no targets: each city's total
    is its size times its activity multiplier 1 + sd z."""
    n = len(sizes)
    last = np.asarray(sizes, dtype=np.float64)[:, None]
    return Cities(tuple(f"c{i}" for i in range(n)), tuple(f"c{i}" for i in range(n)), ("r",) * n, ("x",) * n,
                  ("industry",), last, last.copy(), 2 * last[:, 0], np.zeros((n, 1)), np.zeros((n, 1), dtype=np.int64),
                  np.full(n, np.nan), np.zeros(n, dtype=bool))


ONLY_ACTIVITY = {"energy_factor": 0.0, "sector_trend": 0.0, "base_1990": 0.0, "delivery": 0.0, "activity": 0.1}


def width(band: np.ndarray) -> float:
    return float(band[2] - band[0])


def test_all_shared_the_national_band_is_the_sum_of_the_municipal_bands() -> None:
    sizes = [100.0, 250.0, 40.0, 600.0, 10.0]
    e = simulate_rollup(hand_built(sizes), 4000, seed=3,
                        params=parameters(ONLY_ACTIVITY, {"activity": NATIONAL}), chunk_cities=2)
    np.testing.assert_allclose(e.covered, e.sum_of_city_bands, rtol=1e-12)
    # and each city's band is its size times 1 +- 1.645 x 10 %
    np.testing.assert_allclose(e.city_percentiles[:, 2] / sizes, e.city_percentiles[0, 2] / sizes[0], rtol=1e-12)
    assert e.city_percentiles[0, 2] / sizes[0] == pytest.approx(1 + 1.645 * 0.1, rel=0.01)


def test_all_independent_the_band_narrows_by_the_square_root_law() -> None:
    # width of a sum of independent normals: sqrt(sum c_i^2) x sd x 3.29; of the summed bands:
    # sum c_i x sd x 3.29. With sizes 1..16 the ratio is sqrt(1496) / 136 = 0.2844.
    sizes = [float(i) for i in range(1, 17)]
    e = simulate_rollup(hand_built(sizes), 20000, seed=5, params=parameters(ONLY_ACTIVITY), chunk_cities=5)
    ratio = width(e.covered) / width(e.sum_of_city_bands)
    expected = np.sqrt(sum(c * c for c in sizes)) / sum(sizes)
    assert expected == pytest.approx(0.2844, abs=1e-4)
    assert ratio == pytest.approx(expected, rel=0.04)
    assert width(e.covered) == pytest.approx(np.sqrt(sum(c * c for c in sizes)) * 0.1 * 2 * 1.6449, rel=0.04)
    # with the same parameter shared, the band is the sum again: wider by 1 / 0.2844
    shared = simulate_rollup(hand_built(sizes), 20000, seed=5,
                             params=parameters(ONLY_ACTIVITY, {"activity": NATIONAL}), chunk_cities=5)
    assert width(shared.covered) == pytest.approx(width(shared.sum_of_city_bands), rel=1e-12)
    assert width(shared.covered) > 3 * width(e.covered)


def test_without_uncertainty_the_ensemble_is_the_roll_up() -> None:
    r = rollup(assume_national=True)
    zero = parameters({"energy_factor": 0, "sector_trend": 0, "base_1990": 0, "activity": 0, "delivery": 0})
    e = simulate_rollup(Cities.from_rollup(r), 10, seed=1, params=zero)
    np.testing.assert_allclose(e.covered, r.totals().rolled, rtol=1e-12)
    np.testing.assert_allclose(e.covered_met, r.met.sum(), rtol=1e-12)
    np.testing.assert_allclose(e.city_percentiles[:, 1], r.rolled.sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(e.gap_mt, r.gap, rtol=1e-9)
    np.testing.assert_allclose(e.reduction, r.totals().reduction, rtol=1e-12)


def test_national_parameters_widen_the_real_roll_up() -> None:
    c = Cities.from_rollup(rollup())
    default = simulate_rollup(c, 2000, seed=2)
    local = simulate_rollup(c, 2000, seed=2, params=parameters(scope={"energy_factor": LOCAL, "sector_trend": LOCAL,
                                                                       "base_1990": LOCAL}))
    assert width(default.covered) > 2 * width(local.covered)
    assert default.covered[0] < c.bau.sum() < default.covered[2]
    assert set(default.memory_mib)
    assert all(v > 0 for v in default.memory_mib.values())


def comparable(e: Any) -> dict[str, Any]:
    d = e.to_dict()
    d.pop("memory_per_worker_mib")
    d.pop("executor")
    return dict(d)


def test_same_seed_same_result_on_a_thread_pool() -> None:
    c = synthetic_cities(40, 6, seed=4)
    serial = simulate_rollup(c, 500, seed=9, chunk_cities=7)
    with ThreadPoolExecutor(2) as pool:
        threaded = simulate_rollup(c, 500, seed=9, chunk_cities=7, executor=pool)
    assert comparable(threaded) == comparable(serial)
    assert comparable(simulate_rollup(c, 500, seed=10, chunk_cities=7)) != comparable(serial)


@pytest.mark.slow
def test_a_local_dask_cluster_of_two_processes_gives_bit_identical_results() -> None:
    distributed = pytest.importorskip("distributed")
    c = synthetic_cities(60, 10, seed=1)
    serial = simulate_rollup(c, 1000, seed=7, chunk_cities=8)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as client:
        on_dask = simulate_rollup(c, 1000, seed=7, chunk_cities=8, executor=client)
    assert comparable(on_dask) == comparable(serial)
    assert "dask.distributed" in on_dask.executor
    assert len(on_dask.memory_mib) == 2  # both worker processes ran chunks and reported their memory


def test_synthetic_cities_follow_the_real_municipalities() -> None:
    r = rollup()
    c = synthetic_cities(3000, 5, seed=0, real=r)
    assert set(c.labels) == {SYNTHETIC}
    assert c.synthetic
    assert all(code.startswith("SYN-") for code in c.codes)
    assert all(name.startswith("Synthetic city") for name in c.names)
    real = np.log(r.last.sum(axis=1)[r.last.sum(axis=1) > 0])
    fake = np.log(c.last.sum(axis=1))
    assert fake.mean() == pytest.approx(real.mean(), abs=0.08)
    assert fake.std() == pytest.approx(real.std(ddof=1), rel=0.08)
    # sector mixes are real ones: each city's shares equal one municipality's
    shares = c.last / c.last.sum(axis=1, keepdims=True)
    real_shares = r.last / r.last.sum(axis=1, keepdims=True)
    assert np.abs(shares[:50, None, :] - real_shares[None]).max(axis=2).min(axis=1).max() < 1e-9
    # plans: between half and 1.2 times the gap to -70 %, never cutting a sector below zero
    gap = c.bau.sum(axis=1) - c.level
    assert np.all(c.cut.sum(axis=1) <= 1.2 * np.maximum(gap, 0) + 1e-6)
    for s in range(len(c.sectors)):
        per = np.where(c.cut_sector == s, c.cut, 0).sum(axis=1)
        assert np.all(per <= np.maximum(c.bau[:, s], 0) + 1e-6)
    again = synthetic_cities(3000, 5, seed=0, real=r)
    np.testing.assert_array_equal(again.cut, c.cut)


def test_bad_input_is_refused() -> None:
    with pytest.raises(SpecError, match="no uncertain parameter"):
        parameters(scope={"grid": NATIONAL})
    with pytest.raises(SpecError, match="scope"):
        parameters(scope={"activity": "regional"})
    with pytest.raises(SpecError, match="at least 2"):
        simulate_rollup(hand_built([1.0]), 1)
    with pytest.raises(SpecError):
        synthetic_cities(0)
