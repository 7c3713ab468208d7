"""The engine's array types, defined once: numpy arrays of a known element type.

Panels and results are ``(org, sector, year)`` or ``(org, year)`` arrays of float64; years and
indices are int64; masks (estimated, ahead of the path) are bool.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["BoolArray", "FloatArray", "IntArray", "StrArray"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
StrArray = npt.NDArray[np.str_]
