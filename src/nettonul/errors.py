"""The one root of every error nettonul raises on purpose.

Each error carries a message meant for the user, not for a developer. The tree::

    NettonulError                          nettonul.errors: the root; imports nothing
    ├── EngineError                        nettonul.engine.core.errors: the engine's errors
    │   ├── UnknownFrameworkError          no framework with that id
    │   ├── UnknownSectorError             sector code not in the framework
    │   ├── UnitError                      a unit that does not exist or does not convert
    │   ├── UnknownGasError                a gas with no GWP in the chosen set
    │   ├── UnknownOrganisationError       no municipality / organisation matches
    │   ├── SpecError                      a target, plan or action spec is inconsistent
    │   ├── MissingFactorError             (engine.footprint) no emission factor for an activity
    │   └── ValidationError                input data has problems; carries every Problem found
    │       └── InventoryValidationError   ... in an inventory file
    ├── FileLimitError                     nettonul.errors: a file beyond a configured limit (bytes,
    │                                      unpacked size, compression ratio, rows, cells, pages,
    │                                      depth) or with unsafe XML; HTTP 413 or 422
    ├── DocumentError                      nettonul.documents.readers: a document cannot be read
    ├── SnapshotError                      nettonul.reports.snapshot: a damaged or altered snapshot
    ├── BackupError                        nettonul.web.backup: a backup cannot be made or restored
    └── WebError                           nettonul.web.errors: raised by the web services;
        │                                  each carries the HTTP status it is answered with
        ├── InvalidInputError       422    field values rejected; ``problems`` maps paths to messages
        ├── NotAllowedError         403    the user may not do this to this organisation's data
        ├── NotFoundError           404    absent, or not visible to this user
        └── StaleEditError          409    someone else saved first; nothing was written

This module sits below every other part of nettonul (an import-linter ``layers`` contract
keeps it there), so the pure engine can derive its errors from the root without knowing the
web. ``nettonul.web.errors.error_response`` turns any of these into a page or a JSON body.
"""

from __future__ import annotations


class NettonulError(Exception):
    """Base class for errors nettonul raises deliberately; the message is for the user."""


class FileLimitError(NettonulError, ValueError):
    """A file refused before it is read: beyond one of the limits of
    :mod:`nettonul.engine.io.limits`, or with XML that declares a document type or entities.

    ``limit`` names the limit (``bytes``, ``inflated``, ``ratio``, ``rows``, ``cells``,
    ``pages``, ``depth``, ``xml``), ``actual`` and ``allowed`` are the figures the message
    states (``actual`` may be a lower bound: counting stops at the limit), and ``status`` is the
    HTTP status the web answers with: 413 for a file too large, 422 for a malformed one.
    """

    def __init__(self, file: str, limit: str, message: str, *, actual: float | None = None,
                 allowed: float | None = None, status: int = 413) -> None:
        self.file = file
        self.limit = limit
        self.actual = actual
        self.allowed = allowed
        self.status = status
        super().__init__(f"{file}: {message}")
