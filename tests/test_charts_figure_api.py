"""Charts are drawn on their own ``Figure`` objects: no pyplot, no switch of the global backend.

A program that embeds nettonul (a notebook with an interactive backend, say) keeps its backend.
"""

from __future__ import annotations

import subprocess
import sys

SCRIPT = r"""
import sys
import matplotlib
matplotlib.use("svg")  # the embedding program's own choice
import numpy as np
import nettonul.cli._pathway_chart
import nettonul.reports.charts
from nettonul.engine.plan.charts import wedges_svg
years = np.arange(2024, 2031, dtype=np.int64)
bau = np.full(7, 100.0)
wedges = np.array([np.linspace(0, 20, 7), np.linspace(0, 10, 7)])
svg = wedges_svg(years, bau, bau - wedges.sum(axis=0), wedges, ["A", "B"], title="t")
assert svg.lstrip().startswith("<?xml") and "<svg" in svg
assert matplotlib.get_backend() == "svg", matplotlib.get_backend()
assert "matplotlib.pyplot" not in sys.modules
print("ok")
"""


def test_charts_leave_the_backend_alone_and_never_load_pyplot() -> None:
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
