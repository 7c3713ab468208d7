"""Results as JSON: the one rule for numbers JSON cannot hold.

NaN stands for "no value" throughout the engine; JSON has no NaN (nor infinities), so every
writer of JSON turns them into ``null``, here, the same way: :func:`finite` for one number,
:func:`plain` for a whole result (dicts, lists, numpy arrays and scalars, dates, objects with
``to_dict``) and :func:`dumps` for the text.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import numpy as np


def finite(value: Any) -> float | None:
    """A float, or None for None, NaN and infinities."""
    if value is None:
        return None
    f = float(value)
    return f if math.isfinite(f) else None


def finites(values: Iterable[Any]) -> list[float | None]:
    """:func:`finite` of every value."""
    return [finite(v) for v in values]


def plain(value: Any, *, strict: bool = True) -> Any:
    """``value`` as plain JSON data, with None for NaN and infinities. ``strict``: dict keys
    become strings, dates ISO text, objects their ``to_dict()``, and a value of any other type
    raises TypeError; otherwise keys and such values are kept as they are (for data that goes
    on to templates as well as to JSON)."""
    if isinstance(value, dict):
        return {(str(k) if strict else k): plain(v, strict=strict) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v, strict=strict) for v in value]
    if isinstance(value, np.ndarray):
        return [plain(v, strict=strict) for v in value.tolist()]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return finite(value)
    if value is None or isinstance(value, str):
        return value
    if not strict:
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "to_dict"):
        return plain(value.to_dict())
    raise TypeError(f"not plain data: {type(value).__name__}")


def dumps(value: Any, **options: Any) -> str:
    """JSON text of :func:`plain` ``value`` (UTF-8 kept as it is; ``options`` go to
    :func:`json.dumps`, e.g. ``indent``)."""
    return json.dumps(plain(value), ensure_ascii=False, allow_nan=False, **options)
