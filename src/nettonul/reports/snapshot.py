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
from dataclasses import dataclass
from datetime import date
from typing import Any

from nettonul.engine.core.jsondata import dumps
from nettonul.errors import NettonulError

SCHEMA = 1
KIND = "nettonul.yearly_report"


class SnapshotError(NettonulError, ValueError):
    """A snapshot's text is damaged or was changed after it was issued."""


def canonical(content: Any) -> str:
    return dumps(content, sort_keys=True, separators=(",", ":"))


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
