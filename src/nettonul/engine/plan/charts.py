"""Charts of a scenario as SVG text: the wedges chart and the marginal abatement cost curve.

Pure functions of their inputs, each drawn on its own ``matplotlib.figure.Figure`` (no pyplot, no global
backend switch, no state left behind), so the CLI, the web pages and reports share one look.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from nettonul.engine.core.arrays import FloatArray, IntArray
from nettonul.engine.plan.costs import MaccBar


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buf.getvalue()


def wedges_svg(years: IntArray, bau: FloatArray, plan: FloatArray, wedges: FloatArray, labels: Sequence[str],
               target_path: FloatArray | None = None, title: str = "", note: str = "") -> str:
    """Plan and BAU lines with each action's wedge stacked between them (t CO2e a year)."""
    fig = Figure(figsize=(9, 5))
    ax = fig.subplots()
    ax.fill_between(years, 0, plan, color="#d9d9d9", label="Plan emissions", step=None)
    bottom = plan.copy()
    colours = matplotlib.colormaps["tab20"](np.linspace(0, 1, max(len(labels), 1)))
    for k, label in enumerate(labels):
        top = bottom + wedges[k]
        ax.fill_between(years, bottom, top, color=colours[k], label=label, linewidth=0)
        bottom = top
    ax.plot(years, bau, color="black", linewidth=1.5, label="Business as usual")
    ax.plot(years, plan, color="#444444", linewidth=1.0)
    if target_path is not None and np.isfinite(target_path).any():
        ax.plot(years, target_path, color="#c0392b", linestyle="--", linewidth=1.5, label="Target path")
    ax.axhline(0, color="black", linewidth=0.5)
    ax.set_ylabel("t CO2e per year")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    if note:
        fig.text(0.01, -0.02, note, fontsize=7, ha="left", va="top", wrap=True)
    return _svg(fig)


def macc_svg(bars: Sequence[MaccBar], currency: str = "DKK", year: int | None = None, note: str = "") -> str:
    """Marginal abatement cost curve: bar width = abatement, height = cost per tonne."""
    fig = Figure(figsize=(9, 5))
    ax = fig.subplots()
    colours = matplotlib.colormaps["tab20"](np.linspace(0, 1, max(len(bars), 1)))
    for i, b in enumerate(bars):
        ax.bar(b.x0, b.cost_per_t, width=b.abatement_t, align="edge", color=colours[i], edgecolor="white",
               label=f"{b.title} ({b.cost_per_t:,.0f} {currency}/t)")
    ax.axhline(0, color="black", linewidth=0.5)
    ax.set_xlabel(f"Abatement{f' in {year}' if year else ''}, t CO2e per year")
    ax.set_ylabel(f"Levelised cost, {currency} per t CO2e")
    ax.set_title("Marginal abatement cost curve")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    if note:
        fig.text(0.01, -0.02, note, fontsize=7, ha="left", va="top", wrap=True)
    return _svg(fig)
