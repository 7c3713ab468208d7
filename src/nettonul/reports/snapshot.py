"""The yearly report as a frozen, dated snapshot of plain data.

A :class:`Snapshot` holds the report's content as canonical JSON text (sorted keys, no NaN)
and its SHA-256 digest. Nothing a renderer shows is computed at rendering time, so the PDF
and the Excel file of an issued report are the same tomorrow as today, whatever is edited in
the plan, the inventory or the monitoring data afterwards. ``content`` returns a fresh copy
each time: mutating it cannot change the snapshot. :meth:`Snapshot.from_json` refuses text
whose digest does not match.

:func:`freeze` takes plain data (dicts, lists, numbers, strings, dates, numpy values) so that
the file-based builder (:mod:`nettonul.reports.build`) and a database-backed one produce the
same thing.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np

from nettonul.errors import NettonulError

SCHEMA = 1
KIND = "nettonul.yearly_report"


class SnapshotError(NettonulError, ValueError):
    """A snapshot's text is damaged or was changed after it was issued."""


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, str | int):
        return value
    if hasattr(value, "to_dict"):
        return _plain(value.to_dict())
    raise TypeError(f"a report snapshot holds plain data, not {type(value).__name__}")


def canonical(content: Any) -> str:
    return json.dumps(_plain(content), ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


@dataclass(frozen=True)
class Snapshot:
    """Frozen report content; ``digest`` is the SHA-256 of ``text``."""

    text: str
    digest: str

    @property
    def content(self) -> dict[str, Any]:
        out: dict[str, Any] = json.loads(self.text)
        return out

    @property
    def issued(self) -> str:
        return str(self.content["issued"])

    @property
    def short_digest(self) -> str:
        return self.digest[:12]

    def to_json(self) -> str:
        return json.dumps({"digest": self.digest, "snapshot": json.loads(self.text)}, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        data = json.loads(text)
        body = canonical(data["snapshot"])
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
        if digest != data.get("digest"):
            raise SnapshotError("the report's content does not match its digest: it was changed after issue")
        return cls(body, digest)


def freeze(content: dict[str, Any], issued: date) -> Snapshot:
    """A snapshot of ``content`` issued on ``issued`` (stored in the content, so in the digest)."""
    body = dict(content, issued=issued.isoformat(), kind=KIND, schema=SCHEMA)
    text = canonical(body)
    return Snapshot(text, hashlib.sha256(text.encode("utf-8")).hexdigest())
