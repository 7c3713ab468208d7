"""Benchmark: inventory totals and file validation.

1. Totals: ``Inventory.to_panel()`` (t CO2e by organisation x top-level sector x year) on a
   synthetic inventory of N records (random figures, 1,000 organisations, every dk-municipal
   sector, 1990-2050), against a pandas ``groupby`` of the same records in the same run.
2. Validation: ``read_inventory`` on a synthetic CSV of M rows, with every check applied,
   against ``pandas.read_csv`` of the same file (a floor: parsing with no checks at all).

The figures are random and only serve to time the code. Both results of (1) are checked to
agree before anything is timed. Prints one JSON object.

Run: ``.venv/bin/python benchmarks/bench_inventory.py [--records N] [--rows M] [--repeats R]``
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nettonul.engine.core.frameworks import get_framework
from nettonul.engine.inventory.model import Inventory
from nettonul.engine.inventory.readers import read_inventory

GOAL_TOTALS_MS = 200.0  # 1e6 records, repeat call
GOAL_ROWS_PER_S = 10_000.0  # a 100,000-row upload checked in 10 s


def best_of(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def synthetic(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    codes = np.asarray([s.code for s in get_framework("dk-municipal")])
    orgs = np.asarray([f"org{i:04d}" for i in range(1000)])
    return {"org": orgs[rng.integers(0, orgs.size, n)], "year": rng.integers(1990, 2051, n),
            "sector": codes[rng.integers(0, codes.size, n)], "gas": np.full(n, "CO2e"),
            "co2e": rng.random(n) * 1000, "amount": rng.random(n), "unit": np.full(n, "t_CO2e")}


def pandas_totals(frame: pd.DataFrame, top: dict[str, str]) -> pd.Series:
    return frame.assign(top=frame["sector"].map(top)).groupby(["org", "top", "year"])["co2e"].sum()


def write_rows(path: Path, rows: int, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    leaves = ["energy.electricity", "energy.district_heating", "transport.road", "industry", "waste"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["organisation", "year", "sector", "gas", "amount", "unit", "activity", "emission_factor",
                         "ef_unit", "source"])
        for i in range(rows):  # unique keys: organisation i // 250, year, sector
            org, rest = divmod(i, 250)
            year, sector = 2000 + rest // len(leaves), leaves[rest % len(leaves)]
            if sector == "energy.electricity":
                writer.writerow([f"org{org}", year, sector, "CO2e", round(rng.random() * 1e4, 1), "MWh",
                                 "electricity", 0.187, "kg CO2e/kWh", "synthetic"])
            else:
                writer.writerow([f"org{org}", year, sector, "CO2", round(rng.random() * 1e3, 1), "t", "", "", "",
                                 "synthetic"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)

    columns = synthetic(args.records)
    inventory = Inventory.from_columns("dk-municipal", "AR5", columns)
    fw = get_framework("dk-municipal")
    top = {s.code: fw.top_level(s.code) for s in fw}
    frame = pd.DataFrame({k: columns[k] for k in ("org", "year", "sector", "co2e")})

    t0 = time.perf_counter()
    panel = inventory.to_panel()
    first_s = time.perf_counter() - t0
    reference = pandas_totals(frame, top)
    o, s, y = (reference.index.get_level_values(i) for i in range(3))
    mine = panel.values[[panel.org_index(v) for v in o], [panel.sector_index(v) for v in s], y - panel.years[0]]
    np.testing.assert_allclose(mine, reference.to_numpy(), rtol=1e-9)
    assert int((~np.isnan(panel.values)).sum()) == reference.size

    ours_s, _ = best_of(lambda: inventory.to_panel(), args.repeats)
    ref_s, _ = best_of(lambda: pandas_totals(frame, top), args.repeats)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "synthetic.csv"
        write_rows(path, args.rows)
        read_s, read = best_of(lambda: read_inventory(path), max(1, args.repeats // 2))
        floor_s, _ = best_of(lambda: pd.read_csv(path), max(1, args.repeats // 2))
    assert len(read) == args.rows

    rows_per_s = args.rows / read_s
    print(json.dumps({
        "benchmark": "inventory: totals by top-level sector, and file validation",
        "totals": {
            "records": args.records, "organisations": len(panel.orgs), "years": f"{panel.years[0]}-{panel.years[-1]}",
            "nettonul_ms": round(ours_s * 1e3, 1), "nettonul_first_call_ms": round(first_s * 1e3, 1),
            "pandas_groupby_ms": round(ref_s * 1e3, 1), "ratio": round(ref_s / ours_s, 1), "agree": True,
        },
        "validation": {
            "rows": args.rows, "read_inventory_ms": round(read_s * 1e3, 1), "rows_per_second": round(rows_per_s),
            "pandas_read_csv_ms_no_checks": round(floor_s * 1e3, 1), "ratio_to_floor": round(read_s / floor_s, 1),
        },
        "goal": {"totals_ms_below": GOAL_TOTALS_MS, "rows_per_second_at_least": GOAL_ROWS_PER_S},
        "meets_goal": bool(ours_s * 1e3 < GOAL_TOTALS_MS and rows_per_s >= GOAL_ROWS_PER_S),
        "python": platform.python_version(), "numpy": np.__version__, "pandas": pd.__version__,
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
