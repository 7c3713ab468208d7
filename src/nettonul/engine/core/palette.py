"""The colours of the charts: one colour per series wherever it is drawn (the dashboard, the
monitoring page, the public page with Plotly; the yearly report's PDF with matplotlib), so the
plan is the same blue on a screen and on paper.

Okabe-Ito colours, which stay distinguishable for the common forms of colour blindness.
Plain strings (``#rrggbb``), understood by Plotly, matplotlib and reportlab alike.
"""

from __future__ import annotations

from typing import Final

#: Okabe-Ito, in the order categories (sectors, actions) take them.
CATEGORIES: Final = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

#: The named series of every emissions chart.
SERIES: Final = {
    "history": "#000000",  # the inventory (and its back-cast, dashed)
    "bau": "#D55E00",  # business as usual
    "plan": "#0072B2",  # the plan's scenario (and its uncertainty band)
    "target_path": "#009E73",
    "gap": "#CC79A7",
    "trend": "#E69F00",  # the monitoring trend forecast
}

#: The plan's uncertainty band: the plan's blue, mostly transparent.
BAND_FILL: Final = "rgba(0,114,178,0.15)"

#: Pale fills for the actions' wedges between the plan and business as usual.
WEDGES: Final = ("#9ecae1", "#a1d99b", "#fdd0a2", "#dadaeb", "#fcbba1", "#c7e9c0", "#fee6ce", "#d9d9d9")


def category(i: int) -> str:
    """The colour of the ``i``-th category (sector, action), round again after eight."""
    return CATEGORIES[i % len(CATEGORIES)]
