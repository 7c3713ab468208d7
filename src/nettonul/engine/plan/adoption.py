"""Adoption curves: how much of an action's full effect applies in each year.

A curve goes from 0 (before the start year) to 1 (from the full-effect year on). The first
year with any effect is the start year itself, so a step curve or a one-year ramp acts fully
in its start year. All functions are vectorised over years; nothing loops over them.
"""

from __future__ import annotations

import numpy as np

from nettonul.engine.core.arrays import FloatArray, IntArray
from nettonul.engine.core.errors import SpecError
from nettonul.engine.core.vocabulary import CURVES, Curve

__all__ = ["CURVES", "LOGISTIC_SPAN", "Curve", "adoption"]

#: Steepness of the logistic curve: the logit spans +-LOGISTIC_SPAN over the ramp, so the
#: middle year carries most of the growth and the ends are gentle.
LOGISTIC_SPAN = 5.0


def adoption(curve: Curve, start: int, full: int, years: IntArray) -> FloatArray:
    """Share of the full effect in each of ``years`` (0 before ``start``, 1 from ``full``)."""
    if full < start:
        raise SpecError(f"full-effect year {full} is before start year {start}")
    y = np.asarray(years, dtype=np.float64)
    if curve == "step":
        step: FloatArray = (y >= start).astype(np.float64)
        return step
    # the ramp runs from the year before start (0) to the full-effect year (1)
    x = np.clip((y - (start - 1)) / float(full - start + 1), 0.0, 1.0)
    if curve == "linear":
        return x
    if curve == "logistic":
        def logit(v: FloatArray) -> FloatArray:
            out: FloatArray = 1.0 / (1.0 + np.exp(-LOGISTIC_SPAN * (2.0 * v - 1.0)))
            return out
        lo = logit(np.zeros(1))[0]
        hi = logit(np.ones(1))[0]
        out: FloatArray = np.clip((logit(x) - lo) / (hi - lo), 0.0, 1.0)
        return out
    raise SpecError(f"unknown adoption curve '{curve}' (use {', '.join(CURVES)})")
