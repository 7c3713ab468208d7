"""Monte Carlo: reproducible by seed whatever the executor, right percentiles, bounded memory."""

from __future__ import annotations

import tracemalloc
from typing import Any

import numpy as np
import pytest
from scipy import stats

from nettonul.engine.core.errors import SpecError
from nettonul.engine.plan.compile import compile_plan
from nettonul.engine.plan.distributions import Correlation, Distribution, copula_matrix, sample
from nettonul.engine.plan.kernels import totals
from nettonul.engine.plan.spec import parse_plan
from nettonul.engine.plan.uncertainty import sampler, simulate

MARK = {"assumption": True, "reason": "test figure"}


def plan_doc(share: dict[str, Any] | None = None) -> dict[str, Any]:
    """Oil 100 t -> total = 80 - 70.4 x share (see test_attribution's hand example)."""
    return {
        "name": "mc", "organisation": "test", "horizon": 2030, "baseline": {"method": "constant"},
        "inventory": {"source": "inline", "year": 2025, "emissions": {"energy": 100.0}},
        "activity": {"energy": [{"carrier": "oil", "share": 1.0, "factor": 0.25, **MARK},
                                {"carrier": "electricity", "share": 0.0, "factor": 0.1, **MARK}]},
        "targets": [{"kind": "reduction", "year": 2030, "value": 0.5}],
        "actions": [
            {"id": "insulation", "title": "Insulation", "schedule": {"start": 2025, "curve": "step"},
             "effect": {"type": "demand", "sector": "energy", "carriers": ["oil"], "reduction": 0.2}},
            {"id": "hp", "title": "Heat pumps", "schedule": {"start": 2025, "curve": "step"},
             "effect": {"type": "switch", "sector": "energy", "from": "oil", "to": "electricity", "share": 0.5,
                        "efficiency_ratio": 0.3},
             "uncertainty": {"share": share or {"uniform": [0.2, 0.8]}}},
        ],
    }


def test_percentiles_and_probability_match_the_analytic_answer() -> None:
    plan = parse_plan(plan_doc())
    e = simulate(plan, compile_plan(plan), 20_000, seed=7)
    # total = 80 - 70.4 s, s ~ U(0.2, 0.8): P5 at s = 0.77, P50 at 0.5, P95 at 0.23
    # (sampling error of a percentile with 20,000 draws is about 0.15-0.2 t here)
    assert e.percentiles[50.0][0, -1] == pytest.approx(80 - 70.4 * 0.5, abs=0.6)
    assert e.percentiles[5.0][0, -1] == pytest.approx(80 - 70.4 * 0.77, abs=0.6)
    assert e.percentiles[95.0][0, -1] == pytest.approx(80 - 70.4 * 0.23, abs=0.6)
    # target 50 t: 80 - 70.4 s <= 50 <=> s >= 0.4261 -> P = (0.8 - 0.4261) / 0.6 = 0.6231
    assert e.probability[0, 0] == pytest.approx(0.6231, abs=0.015)
    assert e.draws == 20_000


def test_histogram_percentiles_match_the_exact_ones_of_the_same_draws() -> None:
    plan = parse_plan(plan_doc({"lognormal": [0.4, 1.3]}))
    cp = compile_plan(plan)
    e = simulate(plan, cp, 5000, seed=2)
    smp = sampler(plan, cp)
    theta = np.concatenate([smp.theta(cp, 2, b) for b in range(20)])
    exact = np.percentile(totals(cp, theta)[:, 0, -1], [5, 50, 95])
    found = [e.percentiles[p][0, -1] for p in (5.0, 50.0, 95.0)]
    np.testing.assert_allclose(found, exact, atol=2 * e.resolution[0, -1])


def test_same_seed_same_result_whatever_the_chunking_and_executor() -> None:
    from concurrent.futures import ThreadPoolExecutor

    plan = parse_plan(plan_doc({"pert": [0.2, 0.6, 0.9]}))
    cp = compile_plan(plan)
    a = simulate(plan, cp, 3000, seed=11)
    b = simulate(plan, cp, 3000, seed=11, chunk_draws=250)
    with ThreadPoolExecutor(2) as pool:
        c = simulate(plan, cp, 3000, seed=11, executor=pool, chunk_draws=500)
    for other in (b, c):
        assert other.to_dict() == a.to_dict()
    assert simulate(plan, cp, 3000, seed=12).to_dict() != a.to_dict()


@pytest.mark.slow
def test_local_processes_give_the_same_result() -> None:
    plan = parse_plan(plan_doc({"triangular": [0.2, 0.4, 0.9]}))
    cp = compile_plan(plan)
    serial = simulate(plan, cp, 1000, seed=5)
    assert simulate(plan, cp, 1000, seed=5, executor=2, chunk_draws=250).to_dict() == serial.to_dict()


def test_dask_executor_gives_the_same_result() -> None:
    distributed = pytest.importorskip("distributed")
    plan = parse_plan(plan_doc())
    cp = compile_plan(plan)
    serial = simulate(plan, cp, 1000, seed=3)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        on_dask = simulate(plan, cp, 1000, seed=3, executor=client, chunk_draws=250)
    assert on_dask.to_dict() == serial.to_dict()


def test_memory_is_bounded_by_the_chunk_not_the_draws() -> None:
    plan = parse_plan(plan_doc())
    cp = compile_plan(plan)

    def peak(draws: int) -> int:
        tracemalloc.start()
        simulate(plan, cp, draws, seed=1, chunk_draws=500)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = peak(1000), peak(16_000)
    assert large < 1.2 * small + 200_000


def test_progress_is_reported_per_chunk() -> None:
    plan = parse_plan(plan_doc())
    seen: list[int] = []
    simulate(plan, compile_plan(plan), 1000, seed=1, chunk_draws=500, on_progress=seen.append)
    assert seen == [500, 500]


def test_distributions_follow_their_definitions() -> None:
    u = np.array([0.05, 0.5, 0.95])
    pert = Distribution.model_validate({"pert": [0, 2, 10]})
    # PERT(0, 2, 10) is Beta(1.8, 4.2) on [0, 10]
    np.testing.assert_allclose(pert.ppf(u), 10 * stats.beta(1.8, 4.2).ppf(u))
    logn = Distribution.model_validate({"lognormal": [3.0, 2.0]})
    assert logn.ppf(np.array([0.5]))[0] == pytest.approx(3.0)
    tri = Distribution.model_validate({"triangular": [0, 1, 2]})
    assert tri.ppf(np.array([0.5]))[0] == pytest.approx(1.0)
    assert Distribution.model_validate({"normal": [5, 1]}).ppf(np.array([0.5]))[0] == 5.0
    with pytest.raises(ValueError, match="uniform needs low < high"):
        Distribution.model_validate({"uniform": [1, 0]})


def test_rank_correlation_is_induced() -> None:
    dists = [Distribution.model_validate({"uniform": [0, 1]}), Distribution.model_validate({"lognormal": [1, 2]})]
    cop = copula_matrix(["a", "b"], [Correlation(between=("a", "b"), rank=0.7)])
    x = sample(dists, 20_000, np.random.default_rng(0), cop)
    assert stats.spearmanr(x[:, 0], x[:, 1]).statistic == pytest.approx(0.7, abs=0.02)


def test_inconsistent_correlations_are_refused() -> None:
    c = [Correlation(between=("a", "b"), rank=0.95), Correlation(between=("b", "c"), rank=0.95),
         Correlation(between=("a", "c"), rank=-0.95)]
    with pytest.raises(SpecError, match="not positive definite"):
        copula_matrix(["a", "b", "c"], c)


@pytest.mark.parametrize("spec", [{"uniform": [1, 3]}, {"triangular": [0, 0.3, 2]}, {"triangular": [0, 0, 1]},
                                  {"pert": [1, 4, 5]}, {"normal": [2, 0.5]}, {"lognormal": [2, 1.5]}])
def test_fast_inverse_cdf_equals_scipy(spec: dict[str, list[float]]) -> None:
    d = Distribution.model_validate(spec)
    u = np.linspace(0.001, 0.999, 101)
    np.testing.assert_allclose(d.ppf(u), d.frozen().ppf(u), rtol=1e-9, atol=1e-12)


def test_draws_stay_where_the_numbers_mean_something() -> None:
    # a normal share around 0.95 would put some draws above 1 (more than all of the oil)
    plan = parse_plan(plan_doc({"normal": [0.95, 0.2]}))
    cp = compile_plan(plan)
    smp = sampler(plan, cp)
    shares = smp.theta(cp, 0, 0)[:, cp.param("actions.hp.share")]
    assert shares.max() == 1.0
    assert shares.min() >= 0.0
    e = simulate(plan, cp, 1000, seed=0)
    assert e.percentiles[5.0][0, -1] >= 80 - 70.4 - 1e-6  # never below all oil switched
