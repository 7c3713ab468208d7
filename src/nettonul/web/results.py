"""Engine results kept between requests.

Computed pathways, inventory tables and plan figures are kept in Django's cache under a key
made from a digest of everything they depend on (inventory version, base year, targets, plan
document), so an entry never goes stale and nothing has to be deleted: a new upload or an edit
makes a new key. The adapter (:mod:`nettonul.web.adapter`) stays the one place that talks to
the engine and uses these keys; this module holds only the keying and the cache access.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

#: Bump when the shape of a cached result changes (old entries are then never read).
CACHE_SCHEMA = 1
#: Entries are keyed by everything they depend on, so they never go stale; this only bounds
#: the memory held for inventories and plans nobody looks at any more.
CACHE_SECONDS = 24 * 3600
_T = TypeVar("_T")


def cache_key(kind: str, *parts: Any) -> str:
    """A cache key for ``kind`` from a digest of everything the result depends on."""
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return f"nettonul:{kind}:{CACHE_SCHEMA}:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def cached(key: str, compute: Callable[[], _T]) -> _T:
    """The engine result kept under ``key`` (see :func:`cache_key`), computed on a miss.

    Django's cache framework holds it (``CACHES`` in the settings: a per-process memory
    cache by default; any backend shared by several processes works the same way, because
    the key changes whenever an input changes, so no entry ever has to be deleted).
    Errors are not kept: a failing computation runs again on the next request."""
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHE_SECONDS)
    return found


def inventory_key(version: Any) -> tuple[Any, ...]:
    """What identifies an inventory version's records: records are written once, with their
    version, and never changed; a new upload is a new version (new id and creation time)."""
    return (version.pk, version.organisation_id, str(version.created_at), version.record_count, version.framework,
            version.gwp_set, version.source)
