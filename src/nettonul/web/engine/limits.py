"""The engine's limits on uploaded files (:mod:`nettonul.engine.io.limits`) for the web: the
upload helper checks an upload's size with them before reading it, and the request-size
middleware refuses a request body beyond them before anything parses it."""

from __future__ import annotations

from nettonul.engine.io.limits import Limits, applied, check_size, configure, current, size_text

__all__ = ["Limits", "applied", "check_size", "configure", "current", "size_text"]
