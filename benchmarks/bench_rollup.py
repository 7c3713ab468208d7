"""Benchmark: the national roll-up with bands, synthetic cities on Dask, and the optimiser.

1. National roll-up: the 98 municipalities (shipped Energi- og CO2-regnskab, KF25 BAU) x
   10,000 draws of the correlated uncertainty (national parameters shared, local per
   municipality), serial. Goal: < 2 s and peak memory < 1 GiB (this process, sampled with psutil).
2. Synthetic cities (``--cities``, default 13,000; labelled synthetic, drawn from the real
   municipalities) x ``--actions`` (50) actions x ``--draws`` (1,000) draws: serially, then on a
   ``distributed.LocalCluster`` with 1 and with 2 worker processes (one thread each) in the same
   run. The three results must be identical. Goal: < 60 s, memory per worker < 2 GiB; the
   scaling efficiency from 1 to 2 workers is ``t1 / (2 t2)`` (wall time). The CPU seconds of
   the serial run and of each worker are reported too: on a machine shared with other work
   they are the steadier figure.
3. Optimiser: one municipality (Hjørring) with a synthetic 50-action plan (costs made up, a
   2030 target halfway between no action and every action, so that it binds), goal < 1 s; and
   nationally: the same plan applied to each of the 98 municipalities (4,900 actions) under a
   national cap halfway between the plans at zero and at full level, goal < 30 s (compilation
   reported apart).

The plans and costs are synthetic: made up for timing, they mean nothing.
Prints one JSON object. Run: ``.venv/bin/python benchmarks/bench_rollup.py [--cities N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from dataclasses import replace
from typing import Any

import numpy as np

from bench_scenario import PeakMemory, synthetic_plan
from nettonul.engine.pathway.rollup import MT, rollup
from nettonul.engine.pathway.rollup_ensemble import Cities, simulate_rollup
from nettonul.engine.pathway.synthetic import synthetic_cities
from nettonul.engine.plan.compile import CompiledPlan, compile_plan
from nettonul.engine.plan.kernels import row_emissions, totals
from nettonul.engine.plan.optimise import cheapest_national, cheapest_portfolio, without_lulucf
from nettonul.engine.plan.spec import Plan, parse_plan
from nettonul.engine.reference import datasets


def comparable(e: Any) -> dict[str, Any]:
    d = dict(e.to_dict())
    d.pop("executor")
    d.pop("memory_per_worker_mib")
    return d


def national(draws: int) -> dict[str, Any]:
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        r = rollup()
        t1 = time.perf_counter()
        e = simulate_rollup(Cities.from_rollup(r), draws, seed=1)
        t2 = time.perf_counter()
    return {"municipalities": len(r.codes), "draws": draws, "rollup_s": t1 - t0, "ensemble_s": t2 - t1,
            "total_s": t2 - t0, "peak_memory_mib": mem.peak / 2**20,
            "gap_to_target_mt_p5_p50_p95": e.gap_mt.tolist() if e.gap_mt is not None else None,
            "meets_goal": (t2 - t0) < 2.0 and mem.peak < 2**30}


def synthetic(n: int, actions: int, draws: int) -> dict[str, Any]:
    from distributed import Client, LocalCluster

    t0 = time.perf_counter()
    cities = synthetic_cities(n, actions, seed=1)
    gen = time.perf_counter() - t0
    out: dict[str, Any] = {"cities": n, "actions": actions, "draws": draws, "label": "synthetic",
                           "generate_s": gen}
    t0, c0 = time.perf_counter(), time.process_time()
    serial = simulate_rollup(cities, draws, seed=1)
    out["serial_s"] = time.perf_counter() - t0
    out["serial_cpu_s"] = time.process_time() - c0
    out["serial_peak_mib"] = max(serial.memory_mib.values())
    runs: dict[int, float] = {}
    for w in (1, 2):
        with LocalCluster(n_workers=w, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=40) as cluster, Client(cluster) as client:
            client.run(lambda: __import__("nettonul.engine.pathway.rollup_ensemble"))  # warm the workers
            cpu0 = client.run(time.process_time)
            t0 = time.perf_counter()
            e = simulate_rollup(cities, draws, seed=1, executor=client)
            runs[w] = time.perf_counter() - t0
            cpu1 = client.run(time.process_time)
            out[f"dask_{w}_workers_cpu_s"] = sorted(cpu1[k] - cpu0[k] for k in cpu0)
        if comparable(e) != comparable(serial):
            raise SystemExit(f"the Dask run with {w} worker(s) differs from the serial run")
        out[f"dask_{w}_workers_s"] = runs[w]
        out[f"dask_{w}_workers_memory_per_worker_mib"] = sorted(e.memory_mib.values())
    out["identical_to_serial"] = True
    out["scaling_efficiency_1_to_2"] = runs[1] / (2 * runs[2])
    worst = max(out["dask_1_workers_memory_per_worker_mib"] + out["dask_2_workers_memory_per_worker_mib"])
    out["meets_goal"] = max(out["serial_s"], runs[1], runs[2]) < 60 and worst < 2048
    return out


def costed_plan(organisation: str, reduction: float, absolute: float | None = None) -> Plan:
    d = synthetic_plan(50).model_dump(mode="json", exclude_none=True, by_alias=True)
    for i, a in enumerate(d["actions"]):
        a["cost"] = {"capex": 1e6 * (1 + i % 7), "opex_per_year": 1e4 * (i % 3), "lifetime_years": 20}
    d["organisation"] = organisation
    d["targets"] = [{"kind": "reduction", "year": 2030, "value": reduction, "against": 1990} if absolute is None
                    else {"kind": "absolute", "year": 2030, "value": absolute}]
    d["name"] = "Synthetic costed 50-action benchmark plan (not a real plan)"
    return parse_plan(d)


def one_org(cp: CompiledPlan, i: int) -> CompiledPlan:
    """Organisation ``i`` of a plan compiled for several (organisations enter linearly)."""
    return replace(cp, orgs=(cp.orgs[i],), base=cp.base[i:i + 1], target_levels=cp.target_levels[i:i + 1],
                   target_path=cp.target_path[i:i + 1])


def optimiser() -> dict[str, Any]:
    # a target halfway between the plan's 2030 emissions with no action and with every action
    first = compile_plan(costed_plan("860", 0.7))
    y = 2030 - int(first.years[0])
    k = len(first.action_ids)
    ends = [float(totals(first, None, np.full((1, k), lv))[0, 0, y]) for lv in (0.0, 1.0)]
    plan = costed_plan("860", 0.7, absolute=0.5 * sum(ends))
    cp = compile_plan(plan)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        p = cheapest_portfolio(plan, cp, year=2030)
        best = min(best, time.perf_counter() - t0)
    out: dict[str, Any] = {"one_municipality": {
        "actions": len(cp.action_ids), "seconds": best, "iterations": p.iterations, "gap_t": p.gaps[2030],
        "estimate_error": abs((p.estimate or {})[2030] - p.emissions[2030]) / p.emissions[2030],
        "partial_levels": sum(1 for v in p.levels.values() if 1e-6 < v < 1 - 1e-6), "meets_goal": best < 1.0}}
    codes = tuple(m.code for m in datasets.municipalities() if m.code in datasets.klimaregnskab_panel().orgs)
    t0 = time.perf_counter()
    nat_plan = costed_plan(codes[0], 0.7)
    full = compile_plan(nat_plan, codes)
    cps = [one_org(full, i) for i in range(len(codes))]
    compile_s = time.perf_counter() - t0
    y = 2030 - int(full.years[0])
    rows = without_lulucf(full)
    k = len(full.action_ids)
    at = {lv: float(row_emissions(full, None, np.full((1, k), lv))[0][:, rows, y].sum()) for lv in (0.0, 1.0)}
    other = rollup().uncovered_year * MT
    cap = other + 0.5 * (at[0.0] + at[1.0])
    t0 = time.perf_counter()
    n = cheapest_national([(c, nat_plan, cps[i]) for i, c in enumerate(codes)], 2030, cap, other, lulucf=False)
    sec = time.perf_counter() - t0
    out["national"] = {"municipalities": len(codes), "actions": len(codes) * k, "compile_s": compile_s,
                       "seconds": sec, "iterations": n.iterations, "gap_t": n.gap,
                       "estimate_error": abs(n.estimate - n.emissions) / n.emissions,
                       "meets_goal": sec < 30.0}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--national-draws", type=int, default=10_000)
    ap.add_argument("--cities", type=int, default=13_000)
    ap.add_argument("--actions", type=int, default=50)
    ap.add_argument("--draws", type=int, default=1_000)
    ap.add_argument("--skip-dask", action="store_true")
    args = ap.parse_args()
    out: dict[str, Any] = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                       "load_average": os.getloadavg()}}
    out["national_rollup"] = national(args.national_draws)
    if not args.skip_dask:
        out["synthetic_cities"] = synthetic(args.cities, args.actions, args.draws)
    out["optimiser"] = optimiser()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
