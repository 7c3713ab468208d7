"""The demo's generated passwords, kept in ``DATA_DIR/demo-logins.json`` (readable by the
owner only) so that loading the demo again keeps every login it printed. Shared by the
municipal demo (:mod:`nettonul.web.demo`) and the ministry demo
(:mod:`nettonul.web.orgunits.demo`); it imports no app."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings


def logins_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-logins.json"


def stored() -> dict[str, str]:
    """User name -> password of every demo login made so far (empty before the first load)."""
    path = logins_file()
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def passwords(names: Iterable[str]) -> dict[str, str]:
    """The stored passwords, with a new random one for each of ``names`` that has none yet."""
    known = stored()
    new = {name: secrets.token_urlsafe(9) for name in names if name not in known}
    if new:
        known.update(new)
        fd = os.open(logins_file(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(known, fh, indent=2)
    return known
