"""Benchmark: baseline + target path + gap for all 98 municipalities, 1990-2050.

Times ``nettonul.engine.pathway.pathway.compute_pathway`` on the shipped Energi- og CO2-regnskab and,
in the same run, a plain pandas implementation of the same numbers written the way an
analyst would in a notebook (a groupby over municipalities with vectorised pandas inside).
Both get their input already in memory; both results are checked to agree before anything
is timed. Prints one JSON object.

Run: ``.venv/bin/python benchmarks/bench_pathway.py [--repeats N]``
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from nettonul.engine.pathway.pathway import PathwaySpec, compute_pathway
from nettonul.engine.pathway.targets import NetZero, Reduction
from nettonul.engine.reference import datasets

BASE, END, CUT_2030 = 1990, 2050, 0.70
GOAL_MS, GOAL_RATIO = 50.0, 20.0


# --------------------------------------------------------------------------- pandas reference
def reference_inputs() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The inventory as a long table and the national sector series as sector x year, as an
    analyst would have them after reading the CSVs."""
    k = datasets.klimaregnskab()
    o, s, y = np.meshgrid(np.arange(len(k.codes)), np.arange(len(k.sectors)), np.arange(k.years.size),
                          indexing="ij")
    emissions = pd.DataFrame({
        "kommunekode": np.asarray(k.codes)[o.ravel()],
        "sector": np.asarray(k.sectors)[s.ravel()],
        "year": k.years[y.ravel()],
        "t_co2e": k.values.ravel(),
    })
    n = datasets.national_sector_series()
    national = pd.DataFrame(n.values, index=pd.Index(n.sectors, name="sector"), columns=n.years)
    return emissions, national


def backcast_national(national: pd.DataFrame) -> pd.DataFrame:
    """The national series for back-casting: 1A1a (in energy) as its centred 5-year rolling mean
    over the historical years."""
    inv = datasets.national_inventory()
    raw = pd.Series(inv.values[inv.crf_codes.index("1A1a")], index=inv.years)
    hist = raw.loc[:inv.last_historical_year]
    smooth = raw.copy()
    smooth.loc[hist.index] = hist.rolling(5, center=True, min_periods=1).mean()
    out = national.copy()
    out.loc["energy"] += smooth - raw
    return out


def reconciliation(emissions: pd.DataFrame, national: pd.DataFrame, smoothed: pd.DataFrame) -> pd.Series:
    """Per sector min(1, national 1990 / sum of the 98 unreconciled 1990 back-casts)."""
    wide = emissions.pivot_table(index=["kommunekode", "sector"], columns="year", values="t_co2e")
    years = wide.columns
    share = wide.sum(axis=1) / smoothed.loc[wide.index.get_level_values("sector"), years].sum(axis=1).to_numpy()
    est = share * smoothed.loc[wide.index.get_level_values("sector"), BASE].to_numpy()
    sums = est.groupby(level="sector").sum()
    return (national[BASE] * 1e6 / sums).clip(upper=1.0).reindex(national.index).fillna(1.0)


def reference_pathway(emissions: pd.DataFrame, national: pd.DataFrame) -> pd.DataFrame:
    """Back-cast (ratio of sums, smoothed 1A1a, reconciled), KF25 BAU, linear target path (-70 % 2030
    vs 1990, net zero 2050) and gap."""
    years = np.arange(BASE, END + 1)
    smoothed = backcast_national(national)
    factor = reconciliation(emissions, national, smoothed)

    def one(g: pd.DataFrame) -> pd.DataFrame:
        wide = g.pivot(index="sector", columns="year", values="t_co2e")
        first, last = int(wide.columns.min()), int(wide.columns.max())
        nat = national.loc[wide.index]
        sm = smoothed.loc[wide.index]
        share = wide.sum(axis=1) / sm.loc[:, wide.columns].sum(axis=1) * factor.loc[wide.index]
        back = sm.loc[:, BASE:first - 1].mul(share, axis=0)
        bau = nat.loc[:, last + 1:END].div(nat[last], axis=0).mul(wide[last], axis=0)
        total = pd.concat([back, wide, bau], axis=1).sum()
        anchor = total[last]
        # A target already met does not pull the path up: hold the level reached.
        level_2030 = min(total[BASE] * (1 - CUT_2030), anchor)
        level_2050 = min(0.0, level_2030)
        path = pd.Series(np.interp(years, [last, 2030, END], [anchor, level_2030, level_2050]), index=years)
        path[path.index < last] = np.nan
        return pd.DataFrame({"scenario": total, "path": path, "gap": total - path})

    return emissions.groupby("kommunekode", sort=True).apply(one, include_groups=False)


# --------------------------------------------------------------------------- timing
def best_of(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20, help="timed repeats; the best is reported")
    args = parser.parse_args(argv)

    spec = PathwaySpec(targets=(Reduction(2030, CUT_2030, BASE), NetZero(END)), base_year=BASE, end_year=END)
    t0 = time.perf_counter()
    panel = datasets.klimaregnskab_panel()
    first = compute_pathway(panel, spec)  # reads and caches the shipped files
    cold = time.perf_counter() - t0
    emissions, national = reference_inputs()

    ours_s, ours = best_of(lambda: compute_pathway(panel, spec), args.repeats)
    ref_s, ref = best_of(lambda: reference_pathway(emissions, national), max(3, args.repeats // 4))

    shape = (len(first.orgs), first.years.size)
    checks = {}
    for name, mine in (("scenario", ours.scenario), ("path", ours.path.values), ("gap", ours.gap)):
        theirs = ref[name].to_numpy().reshape(shape)
        np.testing.assert_allclose(mine, theirs, rtol=1e-9, atol=1e-6, equal_nan=True, err_msg=name)
        checks[name] = float(np.nanmax(np.abs(mine - theirs)))

    ratio = ref_s / ours_s
    print(json.dumps({
        "benchmark": "pathway: back-cast + KF25 baseline + target path + gap",
        "organisations": shape[0], "years": f"{BASE}-{END}", "sectors": len(first.sectors),
        "repeats": args.repeats,
        "nettonul_ms": round(ours_s * 1e3, 3),
        "nettonul_first_call_ms": round(cold * 1e3, 1),
        "pandas_reference_ms": round(ref_s * 1e3, 3),
        "ratio": round(ratio, 1),
        "agree": True, "max_abs_difference_t_co2e": checks,
        "goal": {"nettonul_ms_below": GOAL_MS, "ratio_at_least": GOAL_RATIO},
        "meets_goal": bool(ours_s * 1e3 < GOAL_MS and ratio >= GOAL_RATIO),
        "python": platform.python_version(), "numpy": np.__version__, "pandas": pd.__version__,
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
