"""Engine results kept between requests, under one key function.

:func:`key` is a digest of the canonical form (:func:`canonical`) of the complete engine
inputs of a job, as the seam hands them to the engine: the engine's own objects (a plan with
its in-memory inventory, an inventory's records, targets, monitoring data), walked field by
field, plus the engine's version and :data:`CACHE_SCHEMA`. Nothing is listed by hand, so a
key cannot drift from what it summarises: any input that changes the engine's answer changes
the key, and an edit or a new upload needs no deletion (the old entry is never asked for again).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import math
from collections.abc import Callable, Mapping
from enum import Enum
from pathlib import PurePath
from typing import Any, TypeVar

import numpy as np
from django.core.cache import cache
from pydantic import BaseModel

from nettonul import __version__

#: Bump when the shape of a cached result changes (old entries are then never read).
CACHE_SCHEMA = 2
#: Entries are keyed by everything they depend on, so they never go stale; this only bounds
#: the memory held for inventories and plans nobody looks at any more.
CACHE_SECONDS = 24 * 3600
_T = TypeVar("_T")


def canonical(value: Any) -> Any:
    """A JSON-ready form of ``value`` that two inputs share exactly when they are equal:
    pydantic models and dataclasses field by field (with a model's private attributes, such as
    a plan's inventory records in memory), arrays with their dtype and shape, mappings with
    sorted keys, NaN as a marker, each tagged with its type."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return "NaN" if math.isnan(value) else value
    if isinstance(value, Enum):
        return [type(value).__name__, canonical(value.value)]
    if isinstance(value, BaseModel):
        fields = {name: canonical(getattr(value, name)) for name in type(value).model_fields}
        private = {name: canonical(v) for name, v in (value.__pydantic_private__ or {}).items()}
        return [type(value).__qualname__, fields, private]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__qualname__,
                {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}]
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "O":
            return ["ndarray", "object", list(value.shape), canonical(value.tolist())]
        # Fixed-width values (numbers, flags, text): the bytes say it all, with dtype and shape.
        return ["ndarray", value.dtype.str, list(value.shape),
                hashlib.sha256(np.ascontiguousarray(value).tobytes()).hexdigest()]
    if isinstance(value, np.generic):
        return canonical(value.item())
    if isinstance(value, Mapping):
        return ["mapping", sorted(([canonical(k), canonical(v)] for k, v in value.items()), key=json.dumps)]
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, set | frozenset):
        return ["set", sorted((canonical(v) for v in value), key=json.dumps)]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return [type(value).__name__, value.isoformat()]
    if isinstance(value, bytes | bytearray | memoryview):
        return ["bytes", hashlib.sha256(bytes(value)).hexdigest()]
    if isinstance(value, PurePath):
        return ["path", str(value)]
    raise TypeError(f"no canonical form for {type(value).__name__}: pass the engine's input objects")


def key(job: str, *inputs: Any) -> str:
    """The cache key of the engine job ``job`` on ``inputs`` (see the module's docstring)."""
    text = json.dumps([__version__, CACHE_SCHEMA, job, canonical(inputs)], ensure_ascii=False,
                      separators=(",", ":"))
    return f"nettonul:{job}:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def cached(job: str, inputs: tuple[Any, ...], compute: Callable[[], _T]) -> tuple[str, _T]:
    """The key of ``job`` on ``inputs`` and the result kept under it, computed on a miss.

    Django's cache framework holds it (``CACHES`` in the settings: a per-process memory cache
    by default; a backend shared by several processes works the same way, because the key
    changes whenever an input changes). Errors are not kept: a failing job runs again."""
    k = key(job, *inputs)
    found = cache.get(k)
    if found is None:
        found = compute()
        cache.set(k, found, CACHE_SECONDS)
    return k, found


def stored(job: str, version: Any, build: Callable[[], _T]) -> _T:
    """The engine input ``job`` built from an inventory version's records (``build``, called on
    a miss), kept under what identifies those records: they are written once, with their
    version, and never changed; a new upload is a new version (new id and creation time)."""
    identity = (version.pk, version.organisation_id, str(version.created_at), version.record_count,
                version.framework, version.gwp_set, version.source)
    return cached(job, identity, build)[1]
