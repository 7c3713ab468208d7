"""Errors the web services raise; views and the API turn each into a clear message.

::

    WebError
    ├── StaleEditError     the object changed since the editor loaded it; nothing was written
    ├── NotAllowedError    the user may not do this to this organisation's data
    └── InvalidInputError  field values rejected; ``problems`` maps field paths to messages
"""

from __future__ import annotations

from collections.abc import Mapping


class WebError(Exception):
    """Base of the errors web services raise on purpose; the message is for the user."""


class StaleEditError(WebError):
    """An edit based on an old version: someone else saved first. Nothing was overwritten."""

    def __init__(self, what: str, expected: int, current: int | None) -> None:
        self.expected = expected
        self.current = current
        if current is None:
            message = f"{what} was deleted by someone else; your change was not saved"
        else:
            message = (f"{what} was changed by someone else since you opened it (you edited version "
                       f"{expected}, it is now version {current}); your change was not saved. "
                       "Reload to see the current values and make your change again.")
        super().__init__(message)


class NotAllowedError(WebError):
    """The user lacks the role this write needs."""


class InvalidInputError(WebError):
    """Input rejected as a whole; ``problems`` maps a field path (``effect.share``) to why."""

    def __init__(self, problems: Mapping[str, str], message: str = "invalid input") -> None:
        self.problems = dict(problems)
        detail = "; ".join(f"{k}: {v}" for k, v in self.problems.items())
        super().__init__(f"{message}: {detail}" if detail else message)
