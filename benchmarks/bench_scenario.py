"""Benchmark: scenario evaluation and Monte Carlo on a synthetic 50-action plan.

1. Deterministic: one municipality (Hjørring), 50 actions, 2023-2050, compiled once; the time
   of one evaluation (plan totals; also BAU and plan by row, and the full result with exact
   Shapley wedges). Goal: under 5 ms per evaluation.
2. Ensemble: the same plan applied to all 98 municipalities, 10,000 draws of 50 uncertain
   action parameters (plus two baseline parameters, one rank correlation), 2023-2050, on two
   local processes and serially (both reported; they must give the same result). Goal: under
   10 s and peak memory under 2 GiB (this process plus its workers, sampled with psutil).

References measured in the same run:

* a straightforward implementation: a Python loop over draws, each draw run through the
  forward kernel for all organisations, every total kept, exact percentiles with
  ``np.percentile`` at the end (memory grows with the draws). It is timed on a subset of the
  draws and scaled to 10,000; its percentiles are checked against the ensemble's on the same
  draws (they must agree within the histogram resolution).
* the model in plain Python loops over organisations, years, rows and steps, timed on three
  draws (checked against the engine) and scaled to 10,000.
* a memory-bandwidth floor: the bytes the evaluation must touch (every total written once
  and read once for the histogram) divided by this machine's copy bandwidth, measured now.

The plan is synthetic: its actions and numbers are made up for timing and mean nothing.
Prints one JSON object. Run: ``.venv/bin/python benchmarks/bench_scenario.py [--draws N]``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import psutil

from nettonul.engine.plan.compile import compile_plan
from nettonul.engine.plan.kernels import row_emissions, totals
from nettonul.engine.plan.scenario import evaluate
from nettonul.engine.plan.spec import Plan, parse_plan
from nettonul.engine.plan.uncertainty import BLOCK, sampler, simulate
from nettonul.engine.reference import datasets

MARK = {"assumption": True, "reason": "synthetic benchmark figure"}
DISTS = [{"triangular": [0.5, 0.8, 1.0]}, {"pert": [0.5, 0.8, 1.0]}, {"uniform": [0.6, 1.0]},
         {"normal": [0.8, 0.05]}, {"lognormal": [0.8, 1.1]}]


def synthetic_plan(n_actions: int = 50) -> Plan:
    rows = {
        "energy": [("oil", 0.15, 0.266), ("grid_gas", 0.2, "br18.grid_gas"), ("electricity", 0.35, "br18.electricity"),
                   ("district_heating", 0.2, "br18.district_heating"), ("process", 0.1, 0.27)],
        "transport": [("cars", 0.5, 0.264), ("vans", 0.15, 0.266), ("trucks", 0.2, 0.266), ("bus", 0.05, 0.266),
                      ("ferries", 0.1, 0.205)],
        "agriculture": [("lowland", 0.2, 30.0), ("livestock", 0.5, 1.0), ("crops", 0.3, 1.0)],
    }
    activity = {s: [{"carrier": c, "share": sh, "factor": f, **MARK} for c, sh, f in rs] for s, rs in rows.items()}
    templates: list[tuple[dict[str, Any], str]] = [
        ({"type": "demand", "sector": "energy", "reduction": 0.02}, "reduction"),
        ({"type": "switch", "sector": "energy", "from": "oil", "to": "electricity", "share": 0.08,
          "efficiency_ratio": 0.3}, "share"),
        ({"type": "switch", "sector": "energy", "from": "grid_gas", "to": "district_heating", "share": 0.05,
          "efficiency_ratio": 0.95}, "share"),
        ({"type": "factor", "sector": "energy", "carriers": ["grid_gas"], "reduction": 0.03}, "reduction"),
        ({"type": "switch", "sector": "transport", "from": "cars", "to": "electricity", "to_sector": "energy",
          "share": 0.05, "efficiency_ratio": 0.3}, "share"),
        ({"type": "shift", "sector": "transport", "from": "cars", "to": "bus", "share": 0.01, "ratio": 0.05}, "share"),
        ({"type": "factor", "sector": "transport", "carriers": ["trucks", "ferries"], "reduction": 0.04}, "reduction"),
        ({"type": "demand", "sector": "agriculture", "carriers": ["lowland"], "reduction": 0.03}, "reduction"),
        ({"type": "demand", "sector": "waste", "reduction": 0.02}, "reduction"),
        ({"type": "removal", "sector": "lulucf", "activity": "forest", "amount": 20.0, "unit": "ha", "rate": 8.0},
         "amount"),
    ]
    actions = []
    for i in range(n_actions):
        effect, field = templates[i % len(templates)]
        value = float(effect[field])
        dist = DISTS[i % len(DISTS)]
        scaled = {k: [value * v for v in vs] for k, vs in dist.items()}
        if "normal" in dist:
            scaled = {"normal": [value * 0.8, value * 0.05]}
        if "lognormal" in dist:
            scaled = {"lognormal": [value * 0.8, 1.1]}
        start = 2024 + i % 6
        actions.append({"id": f"a{i:02d}", "title": f"Synthetic action {i}", "effect": effect,
                        "schedule": {"start": start, "full": start + 2 + i % 5,
                                     "curve": ("step", "linear", "logistic")[i % 3]},
                        "uncertainty": {field: scaled}})
    return parse_plan({
        "name": "Synthetic 50-action benchmark plan (not a real plan)", "organisation": "860", "horizon": 2050,
        "inventory": {"source": "shipped:klimaregnskab", "year": 2023}, "baseline": {"method": "kf25"},
        "activity": activity, "actions": actions,
        "targets": [{"kind": "reduction", "year": 2030, "value": 0.7, "against": 1990},
                    {"kind": "net_zero", "year": 2050}],
        "uncertainty": {"activity.agriculture.lowland.factor": {"triangular": [20.0, 30.0, 40.0]},
                        "baseline.activity_trend.transport": {"uniform": [-0.005, 0.015]}},
        "correlations": [{"between": ["actions.a04.share", "actions.a14.share"], "rank": 0.5}],
    })


def python_loop_totals(cp: Any, theta: np.ndarray) -> np.ndarray:
    """(O, Y) totals of one draw with plain Python loops over organisations, years, rows and
    steps: the model as one would first write it, for the reference timing."""
    th = theta.tolist()
    n_o, n_r, n_y = cp.base.shape
    share, ef_param, trend_param = cp.row_share.tolist(), cp.row_ef.tolist(), cp.row_trend.tolist()
    out = np.zeros((n_o, n_y))
    for o in range(n_o):
        for yi in range(n_y):
            t = yi
            act, ef = [], []
            for r in range(n_r):
                ef0 = th[ef_param[r]] if ef_param[r] >= 0 else 1.0
                g = th[trend_param[r]] if trend_param[r] >= 0 else 0.0
                act.append(cp.base[o, r, yi] * share[r] / ef0 * (1.0 + g) ** t)
                ef.append(ef0 * cp.row_ef_index[r, yi])
            for st in cp.steps:
                f = th[st.mag] * cp.adoption[st.action, yi]
                if st.kind == "demand":
                    for r in st.rows:
                        act[r] *= 1.0 - f
                elif st.kind == "transfer":
                    src = int(st.rows[0])
                    moved = act[src] * f
                    act[src] -= moved
                    act[st.dst] += moved * th[st.ratio]
                elif st.kind == "factor":
                    for r in st.rows:
                        ef[r] *= 1.0 - f
                else:
                    r = int(st.rows[0])
                    act[r], ef[r] = f, -th[st.ratio]
            out[o, yi] = sum(a * e for a, e in zip(act, ef, strict=True))
    return out


def per_call_ms(fn: Callable[[], Any], min_time: float = 0.5) -> float:
    """Median time of one call over repeated batches."""
    fn()
    times = []
    start = time.perf_counter()
    while time.perf_counter() - start < min_time or len(times) < 20:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times) * 1e3)


def copy_bandwidth_bytes_per_s() -> float:
    """Bytes read plus written per second by a large numpy copy (best of 5)."""
    a = np.ones(256 * 2**20 // 8)
    b = np.empty_like(a)
    best = np.inf
    for _ in range(5):
        t0 = time.perf_counter()
        np.copyto(b, a)
        best = min(best, time.perf_counter() - t0)
    return 2 * a.nbytes / best


class PeakMemory:
    """Largest resident memory of this process plus all its descendants (sampled every 20 ms)."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = me.memory_info().rss
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    total += child.memory_info().rss
            self.peak = max(self.peak, total)
            time.sleep(0.02)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_ensemble(plan: Plan, cp: Any, draws: int, workers: int) -> tuple[Any, float, float, float]:
    """The ensemble, its wall time, peak memory (MiB) and, for a serial run, its CPU time:
    on a machine shared with other work the CPU time is the steadier figure."""
    with PeakMemory() as mem:
        t0, c0 = time.perf_counter(), time.process_time()
        ens = simulate(plan, cp, draws, seed=1, executor=workers if workers > 1 else None,
                       chunk_draws=max(BLOCK, draws // (2 * workers)))
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    return ens, seconds, mem.peak / 2**20, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reference-draws", type=int, default=500)
    args = parser.parse_args(argv)

    plan = synthetic_plan()
    codes = tuple(m.code for m in datasets.municipalities())
    t0 = time.perf_counter()
    cp_all = compile_plan(plan, codes)
    compile_all_s = time.perf_counter() - t0

    # --- 2. ensemble: serial, then on local processes (their start-up included)
    ens, serial_s, serial_mib, serial_cpu = run_ensemble(plan, cp_all, args.draws, 1)
    ens_p, parallel_s, parallel_mib, _ = run_ensemble(plan, cp_all, args.draws, args.workers)
    if ens_p.to_dict() != ens.to_dict():
        print(json.dumps({"error": "serial and parallel ensembles differ"}))
        return 1
    ensemble_s = min(serial_s, parallel_s)
    peak_mib = max(serial_mib, parallel_mib)

    # --- reference: loop over draws with the forward kernel, keep every total, exact percentiles
    smp = sampler(plan, cp_all)
    n_ref = -(-args.reference_draws // BLOCK) * BLOCK
    theta = np.concatenate([smp.theta(cp_all, 1, b) for b in range(n_ref // BLOCK)])
    t0, c0 = time.perf_counter(), time.process_time()
    kept = [row_emissions(cp_all, theta[d])[0].sum(axis=1) for d in range(n_ref)]  # (O, Y) each
    stacked = np.stack(kept)
    every = np.sort(np.concatenate([stacked, stacked.sum(axis=1, keepdims=True)], axis=1), axis=0)
    reference_s = (time.perf_counter() - t0) * args.draws / n_ref
    reference_cpu = (time.process_time() - c0) * args.draws / n_ref
    # The histogram median must lie between the order statistics around the exact median
    # (give or take two bins): both are medians of the same draws.
    # plain Python loops: a few draws, checked against the engine, scaled to all draws
    n_py = 3
    t0 = time.perf_counter()
    loops = [python_loop_totals(cp_all, theta[d]) for d in range(n_py)]
    python_s = (time.perf_counter() - t0) * args.draws / n_py
    if not np.allclose(np.stack(loops), stacked[:n_py], rtol=1e-9, atol=1e-6):
        print(json.dumps({"error": "the Python-loop reference disagrees with the engine"}))
        return 1
    small = simulate(plan, cp_all, n_ref, seed=1)
    q = 0.5 * (n_ref - 1)
    below, above = every[max(int(np.floor(q)) - 1, 0)], every[min(int(np.ceil(q)) + 1, n_ref - 1)]
    tol = 2 * small.resolution + 1e-6
    agree = (small.percentiles[50.0] >= below - tol) & (small.percentiles[50.0] <= above + tol)
    if not agree.all():
        print(json.dumps({"error": "ensemble and reference percentiles disagree"}))
        return 1

    # --- memory-bandwidth floor
    bandwidth = copy_bandwidth_bytes_per_s()
    n_draws = ens.draws
    touched = 2 * n_draws * (len(codes) + 1) * cp_all.years.size * 8
    floor_s = touched / bandwidth

    # --- 1. deterministic, one municipality
    cp_one = compile_plan(plan)
    t0 = time.perf_counter()
    compile_plan(plan)
    compile_one_ms = (time.perf_counter() - t0) * 1e3
    k = len(cp_one.action_ids)
    two = np.stack([np.zeros(k), np.ones(k)])
    totals_ms = per_call_ms(lambda: totals(cp_one))
    rows_ms = per_call_ms(lambda: row_emissions(cp_one, None, two))
    full_ms = per_call_ms(lambda: evaluate(cp_one), min_time=1.0)

    print(json.dumps({
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "copy_bandwidth_gb_per_s": round(bandwidth / 1e9, 2)},
        "deterministic_one_municipality": {
            "actions": k, "rows": len(cp_one.rows), "years": f"{int(cp_one.years[0])}-{int(cp_one.years[-1])}",
            "compile_ms": round(compile_one_ms, 2),
            "plan_totals_ms": round(totals_ms, 3),
            "bau_and_plan_by_row_ms": round(rows_ms, 3),
            "full_result_with_shapley_wedges_ms": round(full_ms, 3),
            "goal_ms": 5.0, "meets_goal": bool(rows_ms < 5.0),
        },
        "ensemble_all_municipalities": {
            "organisations": len(codes), "actions": k, "uncertain_parameters": len(ens.parameters),
            "draws": n_draws, "years": f"{int(cp_all.years[0])}-{int(cp_all.years[-1])}", "workers": args.workers,
            "compile_s": round(compile_all_s, 3),
            "serial_seconds": round(serial_s, 3), "serial_cpu_seconds": round(serial_cpu, 3),
            "serial_peak_memory_mib": round(serial_mib, 1),
            "processes_seconds": round(parallel_s, 3), "processes_peak_memory_mib": round(parallel_mib, 1),
            "same_result_serial_and_processes": True,
            "seconds": round(ensemble_s, 3), "peak_memory_mib": round(peak_mib, 1),
            "goal_seconds": 10.0, "goal_memory_mib": 2048,
            "meets_goal": bool(ensemble_s < 10.0 and peak_mib < 2048),
            "load_average_1min": round(os.getloadavg()[0], 2),
            "reference_loop_over_draws_s_scaled": round(reference_s, 2),
            "reference_measured_on_draws": n_ref,
            "ratio_reference_over_nettonul": round(reference_s / ensemble_s, 1),
            "reference_python_loops_s_scaled": round(python_s, 1),
            "ratio_python_loops_over_nettonul": round(python_s / ensemble_s, 0),
            "bytes_touched": touched, "bandwidth_floor_s": round(floor_s, 4),
            "ratio_over_bandwidth_floor": round(ensemble_s / floor_s, 1),
            "reference_loop_over_draws_cpu_s_scaled": round(reference_cpu, 2),
            "ratio_reference_over_nettonul_cpu": round(reference_cpu / serial_cpu, 1),
            "ratio_over_bandwidth_floor_cpu": round(serial_cpu / floor_s, 1),
            "p50_matches_reference": True,
        },
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
