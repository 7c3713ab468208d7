"""The report's charts as PNG bytes, drawn from snapshot content only (matplotlib ``Figure`` objects, no pyplot)."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from nettonul.engine.core import palette
from nettonul.engine.core.i18n import number
from nettonul.engine.core.i18n import text as t

#: The same colour for each series as on the web pages (:mod:`nettonul.engine.core.palette`).
COLOURS = {"history": palette.SERIES["history"], "bau": palette.SERIES["bau"], "plan": palette.SERIES["plan"],
           "path": palette.SERIES["target_path"], "trend": palette.SERIES["trend"]}
SECTOR_COLOURS = list(palette.CATEGORIES)


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=200, bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


def _arr(values: list[float | None]) -> np.ndarray[Any, np.dtype[np.float64]]:
    return np.asarray([np.nan if v is None else v for v in values], dtype=np.float64)


def _kt_axis(language: str) -> FuncFormatter:
    return FuncFormatter(lambda v, _: number(v / 1000.0, language) + " kt")


def emissions_chart(c: dict[str, Any], language: str) -> bytes:
    """History (estimates dotted), BAU, plan scenario, target path, targets and the trend."""
    years = np.asarray(c["years"], dtype=np.float64)
    hist = _arr(c["historical"])
    est = np.asarray(c["estimated"], dtype=bool)
    fig = Figure(figsize=(8.0, 4.0))
    ax = fig.subplots()
    measured = np.where(~est, hist, np.nan)
    estimate = np.where(est, hist, np.nan)
    first_measured = int(np.argmax(~est & ~np.isnan(hist))) if (~est & ~np.isnan(hist)).any() else None
    if first_measured is not None and first_measured > 0:
        estimate[first_measured] = hist[first_measured]  # join the dotted line to the solid one
    ax.plot(years, estimate, color=COLOURS["history"], linestyle=":", linewidth=1.6,
            label=t("report.series_estimate", language))
    ax.plot(years, measured, color=COLOURS["history"], linewidth=2.4, marker="o", markersize=3,
            label=t("report.series_history", language))
    ax.plot(years, _arr(c["bau"]), color=COLOURS["bau"], linestyle="--", linewidth=1.4,
            label=t("report.series_bau", language))
    ax.plot(years, _arr(c["plan_path"]), color=COLOURS["plan"], linewidth=2.0,
            label=t("report.series_plan", language))
    ax.plot(years, _arr(c["target_path"]), color=COLOURS["path"], linewidth=1.2,
            label=t("report.series_path", language))
    if c["targets"]:
        ax.scatter([g["year"] for g in c["targets"]], [g["level"] for g in c["targets"]], marker="D", s=28,
                   color=COLOURS["path"], zorder=5, label=t("report.series_targets", language))
    o = c.get("outlook")
    if o and o.get("forecast") is not None:
        x0 = o["fit_years"][0] + 0.5
        x1 = o["target_year"] + 1.0
        i0 = c["years"].index(o["fit_years"][0])
        y0 = hist[i0]
        ax.plot([x0, x1], [y0, o["forecast"]], color=COLOURS["trend"], linewidth=1.4,
                label=t("report.series_trend", language))
        if o.get("lower") is not None:
            ax.fill_between([x0, x1], [y0, o["lower"]], [y0, o["upper"]], color=COLOURS["trend"], alpha=0.18,
                            linewidth=0)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.yaxis.set_major_formatter(_kt_axis(language))
    ax.set_xlim(years[0] - 0.5, years[-1] + 1)
    ax.grid(axis="y", color="#e5e5e5")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7.5, frameon=False, ncol=2, loc="upper right")
    ax.tick_params(labelsize=8)
    return _png(fig)


def sector_chart(c: dict[str, Any], language: str) -> bytes:
    """Stacked bars of the inventory years by sector (net sinks below zero)."""
    years = c["years"]
    measured = [i for i, (v, e) in enumerate(zip(c["historical"], c["estimated"], strict=True))
                if v is not None and not e]
    fig = Figure(figsize=(8.0, 3.2))
    ax = fig.subplots()
    pos = np.zeros(len(measured))
    neg = np.zeros(len(measured))
    xs = [years[i] for i in measured]
    for k, (sector, values) in enumerate(c["by_sector"].items()):
        v = np.asarray([values[i] or 0.0 for i in measured])
        base = np.where(v >= 0, pos, neg)
        ax.bar(xs, v, bottom=base, color=SECTOR_COLOURS[k % len(SECTOR_COLOURS)], width=0.7,
               label=c["sector_names"].get(sector, {}).get(language, sector))
        pos += np.where(v >= 0, v, 0)
        neg += np.where(v < 0, v, 0)
    ax.yaxis.set_major_formatter(_kt_axis(language))
    ax.grid(axis="y", color="#e5e5e5")
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7.5, frameon=False, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.12))
    ax.tick_params(labelsize=8)
    ax.set_xticks(xs)
    return _png(fig)


def macc_chart(c: dict[str, Any], language: str) -> bytes:
    """The marginal abatement cost curve: one bar per action, as wide as its reduction in the
    MACC year and as high as its cost per tonne, cheapest first; the legend below the plot."""
    k = c["costs"]
    fig = Figure(figsize=(8.0, 3.6))
    ax = fig.subplots()
    for i, b in enumerate(k["macc"]):
        ax.bar(b["from_t"], b["cost_per_t"], width=b["reduction_t"], align="edge", color=palette.category(i),
               edgecolor="white", linewidth=0.8, label=b["title"])
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xlabel(t("report.macc_axis", language, year=k["macc_year"]), fontsize=8)
    ax.set_ylabel(f"{k['currency']}/t CO2e", fontsize=8)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v, language)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v, language)))
    ax.grid(axis="y", color="#e5e5e5")
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7.5, frameon=False, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    ax.tick_params(labelsize=8)
    return _png(fig)


def cost_by_year_chart(c: dict[str, Any], language: str) -> bytes:
    """The plan's cost in each year (bars; savings below zero)."""
    k = c["costs"]["by_year"]
    fig = Figure(figsize=(8.0, 2.6))
    ax = fig.subplots()
    ax.bar(k["years"], k["total"], color=palette.SERIES["plan"], width=0.7)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_ylabel(c["costs"]["currency"], fontsize=8)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v, language)))
    ax.grid(axis="y", color="#e5e5e5")
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=8)
    return _png(fig)
