"""The SVG chart of ``nettonul pathway --chart``: one organisation's pathway, drawn on its own
``matplotlib.figure.Figure`` (no pyplot, no global backend switch) so it works without a display."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from nettonul.engine.pathway.pathway import Pathway

KT = 1000.0
_LABEL_BOX = {"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85}


def write_chart(pathway: Pathway, org: str, title: str, out: Path) -> None:
    """Historical solid, back-cast estimates dashed, BAU, target path and the shaded gap."""
    # Text stays text in the SVG (searchable, accessible, smaller) instead of glyph outlines.
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        _draw(pathway, org, title, out)


def _draw(pathway: Pathway, org: str, title: str, out: Path) -> None:
    o = pathway.history.org_index(org)
    years = pathway.years
    hist = pathway.historical[o] / KT
    est = pathway.historical_estimated[o]
    measured = np.where(est, np.nan, hist)
    # The estimate line includes the first measured year so that the two lines join.
    est_line = np.where(est | np.roll(est, 1), hist, np.nan)
    bau = pathway.bau_total[o] / KT
    path = pathway.path.values[o] / KT

    fig = Figure(figsize=(9, 5), dpi=100)
    ax = fig.subplots()
    ax.plot(years, measured, color="#1f3b73", lw=2.2, label="Inventory")
    ax.plot(years, est_line, color="#1f3b73", lw=1.8, ls="--", label="Back-cast (estimate)")
    if est.any():
        idx = np.nonzero(est)[0]
        i = int(idx[idx.size // 2])
        ax.annotate("estimate", (years[i], hist[i]), textcoords="offset points", xytext=(0, 16),
                    fontsize=8, color="#1f3b73", ha="center", bbox=_LABEL_BOX)
    ax.plot(years, bau, color="#b04a2f", lw=1.8, label=f"Business as usual ({pathway.spec.baseline})")
    ax.plot(years, path, color="#2e7d32", lw=1.8, label=f"Target path ({pathway.spec.shape})")
    ahead = np.isfinite(bau) & np.isfinite(path) & (bau > path)
    ax.fill_between(years, path, bau, where=ahead, color="#b04a2f", alpha=0.18, label="Gap (BAU above path)")
    for t, level in zip(pathway.milestone_targets, pathway.target_levels[o], strict=True):
        ax.plot([t.year], [level / KT], marker="o", color="#2e7d32")
        ax.annotate(t.describe(), (t.year, level / KT), textcoords="offset points", xytext=(0, 10), fontsize=8,
                    bbox=_LABEL_BOX,
                    ha="right" if t.year >= int(years[-1]) - 5 else "center")
    ax.axhline(0, color="#888888", lw=0.8)
    ax.set_title(f"{title}: emissions pathway (kt CO2e, {pathway.gwp_set})")
    ax.set_xlabel("Year")
    ax.set_ylabel("kt CO2e")
    ax.set_xlim(int(years[0]), int(years[-1]))
    ax.legend(fontsize=8, loc="upper right", frameon=False)
    ax.grid(alpha=0.25)
    caption = "Sources: " + "; ".join(pathway.sources)
    fig.text(0.01, 0.01, caption, fontsize=6.5, color="#444444", wrap=True)
    fig.subplots_adjust(bottom=0.2)
    fig.savefig(out, format="svg", metadata={"Date": None})
