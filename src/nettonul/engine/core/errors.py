"""Exceptions raised by the engine.

The tree::

    NettonulError                      base of everything nettonul raises on purpose (nettonul.errors,
    │                                  which draws the whole tree)
    └── EngineError                    base of the engine's errors
        ├── UnknownFrameworkError          no framework with that id
        ├── UnknownSectorError             sector code not in the framework
        ├── UnitError                      a unit that does not exist or does not convert
        ├── UnknownGasError                a gas with no GWP in the chosen set
        ├── UnknownOrganisationError       no municipality / organisation matches
        ├── SpecError                      a target, plan or action spec is inconsistent
        └── ValidationError                input data has problems; carries every Problem found
            └── InventoryValidationError   ... in an inventory file

Every error carries a message meant for the user, not for a developer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nettonul.errors import NettonulError

__all__ = [
    "EngineError", "InventoryValidationError", "NettonulError", "Problem", "SpecError", "UnitError",
    "UnknownFrameworkError", "UnknownGasError", "UnknownOrganisationError", "UnknownSectorError",
    "ValidationError",
]


class EngineError(NettonulError):
    """Base class for the errors the engine raises deliberately."""


class UnknownFrameworkError(EngineError, KeyError):
    """No sector framework with the given id."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else "unknown framework"


class UnknownSectorError(EngineError, KeyError):
    """A sector code that the framework does not define."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown sector"


class UnitError(EngineError, ValueError):
    """A unit that is unknown or cannot be converted to the wanted dimension."""


class UnknownGasError(EngineError, KeyError):
    """A gas for which the chosen GWP set has no value."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown gas"


class UnknownOrganisationError(EngineError, LookupError):
    """No organisation (municipality) matches the given code or name."""


class SpecError(EngineError, ValueError):
    """A target, plan or action specification that cannot be used as given."""


@dataclass(frozen=True)
class Problem:
    """One problem found in input data, located as precisely as the input allows.

    ``row`` is the 1-based line of the file as a user sees it in a spreadsheet (the header
    is row 1), or the 1-based item number in a YAML list.
    """

    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.reason}"


class ValidationError(EngineError, ValueError):
    """Input data was rejected as a whole; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem], what: str = "input") -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        n = len(self.problems)
        head = f"{what} rejected: {n} problem{'s' if n != 1 else ''}; nothing was imported"
        super().__init__(head + "".join(f"\n  - {p}" for p in self.problems[:50]))


class InventoryValidationError(ValidationError):
    """An inventory file has problems; nothing from it was imported."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(problems, what="inventory")
