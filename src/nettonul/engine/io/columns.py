"""Column types for the rows of user tables, defined once, and the one way rows are validated.

Every reader of a user table (inventories, emission-factor tables, footprint activities,
organisation trees, peer tables) describes a valid row as a pydantic model, a
:class:`RowModel`, whose fields use the column types below. Each type is an ``Annotated``
type whose ``BeforeValidator`` calls a cell parser of :mod:`nettonul.engine.io.cells`, so the
same cell means the same thing in every file kind:

- :data:`Text`, :data:`Code` (lower case), :data:`UpperCode`: a cell as the text a user typed
  (Excel's ``2024.0`` reads back as ``2024``);
- :data:`Number`, :data:`NonNegativeNumber`, :data:`WholeNumber`: numbers in the file's
  convention (Danish ``1.234,5`` or English ``1,234.5``), which the reader decided once for
  the file and passes through the pydantic validation context (:func:`row_context`);
- :data:`Year`: a whole number within the engine's year range (or the range the caller
  gives in the context);
- :data:`Flag`: yes/no in Danish or English (``ja``/``nej``, ``j``/``n``, ``yes``/``no``, ...);
- :data:`Date`: an Excel date cell or ``2024-03-31`` / ``31-03-2024``;
- :data:`Country`: a two-letter ISO 3166 code;
- :data:`GasUnit`: a mass of a gas such as ``t``, ``kg CH4`` or ``kt CO2e``;
- :data:`GwpSet`: the name of a GWP set (``AR5``, ``ar6``), in capitals.

:func:`matching` and :func:`one_of` add a rule to a text column (a pattern, a closed list of
words). A rule over several columns is a field validator that reads the columns validated
before it from ``info.data`` and may report on another column with :func:`cell_error`.

A blank cell is a missing field (:func:`row_input` drops it), so a field's default applies,
and a required field without one is reported with the reason given by :func:`required`.
:func:`validate_rows` validates the rows of a file and turns pydantic's errors into located
problems (file, row, column as written in the header, reason) with
:func:`~nettonul.engine.io.problems.pydantic_problems`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any, ClassVar, Generic, TypeVar

import pydantic
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from nettonul.engine.core import units
from nettonul.engine.core.errors import Problem, UnitError
from nettonul.engine.core.gwp import GWP_SETS
from nettonul.engine.core.vocabulary import YEARS  # the engine's one year rule (1990-2100)
from nettonul.engine.io.cells import ENGLISH, Convention, is_blank, parse_bool, parse_date, parse_int, parse_number
from nettonul.engine.io.problems import pydantic_problems
from nettonul.engine.io.tables import Row, Table, cell_text

__all__ = [
    "YEARS",
    "Code",
    "Country",
    "Date",
    "Flag",
    "GasUnit",
    "GwpSet",
    "NonNegativeNumber",
    "Number",
    "RowModel",
    "Text",
    "UpperCode",
    "WholeNumber",
    "Year",
    "cell_error",
    "context_value",
    "convention_of",
    "keeping",
    "matching",
    "one_of",
    "required",
    "row_context",
    "row_input",
    "validate_rows",
    "validate_table_rows",
]

_REQUIRED_REASON = "required_reason"
#: The context key under which :func:`keep_valid` keeps the valid cells of a row.
VALID_CELLS = "valid_cells"


# ----------------------------------------------------------------------------- the context
def row_context(convention: Convention = ENGLISH, *, years: tuple[int, int] = YEARS,
                **extra: Any) -> dict[str, Any]:
    """The validation context of a file's rows: its number convention, the accepted years,
    and whatever else a row model needs from its reader (a framework, a unit tree, ...)."""
    return {"convention": convention, "years": years, **extra}


def context_value(info: ValidationInfo, key: str, default: Any = None) -> Any:
    """One value of the validation context (``default`` when validating without one)."""
    context = info.context
    if type(context) is dict:  # the usual context, without the cost of an abstract class check
        return context.get(key, default)
    return context.get(key, default) if isinstance(context, Mapping) else default


def convention_of(info: ValidationInfo) -> Convention:
    """The number convention of the file being validated (English without a context)."""
    convention: Convention = context_value(info, "convention", ENGLISH)
    return convention


# ----------------------------------------------------------------------------- the parsers
def _reasoned(value: Any) -> Any:
    """A parser's result, or its reason raised as the cell's validation error."""
    if isinstance(value, str):
        raise ValueError(value)
    return value


def _text(value: Any) -> str:
    return cell_text(value)


def _number(value: Any, info: ValidationInfo) -> float:
    context = info.context  # (read here, not through convention_of: files have many numbers)
    number = parse_number(value, context.get("convention", ENGLISH) if type(context) is dict
                          else convention_of(info))
    if number.__class__ is str:
        raise ValueError(number)
    return number  # type: ignore[return-value]  # a float: the reason (a str) is raised above


def _non_negative(value: Any, info: ValidationInfo) -> float:
    number = _number(value, info)
    if number < 0:
        raise ValueError(f"{number:g} is negative")
    return number


def _whole(value: Any, info: ValidationInfo) -> int:
    whole: int = _reasoned(parse_int(value, convention_of(info)))
    return whole


def _year(value: Any, info: ValidationInfo) -> int:
    number = _number(value, info)
    if not number.is_integer():
        raise ValueError(f"'{cell_text(value)}' is not a whole year")
    first, last = context_value(info, "years", YEARS)
    if not first <= number <= last:
        raise ValueError(f"year {int(number)} is outside {first}-{last}")
    return int(number)


def _flag(value: Any) -> bool:
    flag: bool = _reasoned(parse_bool(value))
    return flag


def _date(value: Any) -> dt.date:
    date: dt.date = _reasoned(parse_date(value))
    return date


def _country(value: Any) -> str:
    text = cell_text(value)
    code = text.upper()
    if not code:
        return ""
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise ValueError(f"country '{text}' is not a two-letter ISO 3166 code (e.g. DK, VN)")
    return code


@lru_cache(maxsize=1024)
def gas_unit(text: str) -> units.GasMass:
    """A mass of a gas (``t``, ``kg CH4``, ``kt CO2e``); raises UnitError for anything else."""
    return units.gas_mass(text)


def _gas_unit(value: Any) -> units.GasMass:
    try:
        return gas_unit(cell_text(value))
    except UnitError as exc:
        raise ValueError(str(exc)) from None


# ----------------------------------------------------------------------------- the types
#: A cell as the text a user typed, stripped (text cells are read by pydantic-core itself,
#: only other cells, such as Excel numbers and dates, go through :func:`cell_text`).
Text = Annotated[
    Annotated[str, Strict(), StringConstraints(strip_whitespace=True)] | Annotated[str, BeforeValidator(_text)],
    Field(union_mode="left_to_right"),
]
#: A name or code, compared in lower case (``Electricity_Grid`` is ``electricity_grid``).
Code = Annotated[str, BeforeValidator(lambda v: cell_text(v).lower())]
#: A code written in capitals (airport codes, notation keys, GWP sets).
UpperCode = Annotated[str, BeforeValidator(lambda v: cell_text(v).upper())]
#: A finite number, text read in the file's number convention.
Number = Annotated[float, BeforeValidator(_number)]
#: A number that is zero or more.
NonNegativeNumber = Annotated[float, BeforeValidator(_non_negative)]
#: A whole number (Excel's 2024.0 included).
WholeNumber = Annotated[int, BeforeValidator(_whole)]
#: A whole year within the accepted range (the engine's, or the context's ``years``).
Year = Annotated[int, BeforeValidator(_year)]
#: Yes or no, in Danish or English.
Flag = Annotated[bool, BeforeValidator(_flag)]
#: A date: an Excel date cell, ``2024-03-31``, ``31-03-2024`` or ``31.03.2024``.
Date = Annotated[dt.date, BeforeValidator(_date)]
#: A two-letter ISO 3166 country code, in capitals.
Country = Annotated[str, BeforeValidator(_country)]
#: A mass of a gas: tonnes per unit and the gas the unit names (or None).
GasUnit = Annotated[units.GasMass, BeforeValidator(_gas_unit)]


def cell_error(column: str, reason: str) -> PydanticCustomError:
    """An error of another column than the one being validated (a rule over two columns
    reported on the cell to fix), for a field validator to raise."""
    return PydanticCustomError("cell", "{reason}", {"reason": reason, "column": column})


def matching(pattern: re.Pattern[str], reason: str) -> AfterValidator:
    """A rule for a text column: the cell matches ``pattern``, else ``reason`` (with ``{}``
    standing for the cell), as in ``Annotated[Code, matching(NAME, "'{}' is not a name")]``."""

    def check(text: str) -> str:
        if not pattern.match(text):
            raise ValueError(reason.format(text))
        return text

    return AfterValidator(check)


def one_of(choices: Mapping[str, str] | Collection[str], reason: str,
           fold: Callable[[str], str] | None = None) -> AfterValidator:
    """A rule for a text column: the cell is one of ``choices`` (compared after ``fold``; a
    mapping also turns each accepted spelling into the value kept), else ``reason`` with ``{}``
    standing for the cell, as in ``Annotated[UpperCode, one_of(GWP_SETS, "unknown set '{}'")]``."""
    table = dict(choices) if isinstance(choices, Mapping) else {choice: choice for choice in choices}

    def check(text: str) -> str:
        value = table.get(fold(text) if fold else text)
        if value is None:
            raise ValueError(reason.format(text))
        return value

    return AfterValidator(check)


#: The name of a GWP set (SAR, AR4, AR5, AR6), in capitals.
GwpSet = Annotated[UpperCode, one_of(GWP_SETS, f"unknown GWP set '{{}}'; use one of {', '.join(GWP_SETS)}")]

def required(reason: str) -> Any:
    """A required field whose absence (a blank cell or no column) is reported as ``reason``."""
    return Field(json_schema_extra={_REQUIRED_REASON: reason})


# ----------------------------------------------------------------------------- rows
class RowModel(BaseModel):
    """A valid row of a user table. Fields are the template's columns (lower case)."""

    model_config = ConfigDict(frozen=True, extra="ignore", arbitrary_types_allowed=True)

    #: Field name -> the column it is read from, where they differ.
    columns: ClassVar[Mapping[str, str]] = {}

    @classmethod
    def missing_reasons(cls) -> dict[str, str]:
        """Field -> the reason given when a required field is absent (see :func:`required`)."""
        reasons: dict[str, str] = {}
        for name, info in cls.model_fields.items():
            extra = info.json_schema_extra
            if isinstance(extra, dict) and isinstance(extra.get(_REQUIRED_REASON), str):
                reasons[name] = str(extra[_REQUIRED_REASON])
        return reasons


M = TypeVar("M", bound=RowModel)


def row_input(cells: Mapping[str, Any]) -> dict[str, Any]:
    """A row's cells as a model's input: blank cells are left out, so they are missing."""
    return {key: value for key, value in cells.items() if not is_blank(value)}


def keeping(model: type[M], fields: Sequence[str]) -> type[M]:
    """``model``, also keeping the cells of ``fields`` that pass their rules in the context's
    ``valid_cells`` dict (:data:`VALID_CELLS`). A pydantic model that fails keeps none of its
    values; with this, a check across rows (a duplicate key, ...) can still take in a row
    that fails on another of its cells. (A subclass, so that rows that pass pay nothing.)"""

    def keep(cls: type[M], value: Any, info: ValidationInfo) -> Any:
        kept = context_value(info, VALID_CELLS)
        if kept is not None and info.field_name is not None:
            kept[info.field_name] = value
        return value

    validators: dict[str, Any] = {"keep_valid_cells": field_validator(*fields)(keep)}
    kept_model: type[M] = pydantic.create_model(f"{model.__name__}Kept", __base__=model, __module__=model.__module__,
                                                __validators__=validators)
    return kept_model


@dataclass(frozen=True)
class Validated(Generic[M]):
    """The rows of a file after validation: each row's model (None where it failed) and every
    problem of every row."""

    models: list[M | None]
    problems: list[Problem]

    def valid(self) -> list[M]:
        return [m for m in self.models if m is not None]


def validate_rows(model: type[M], rows: Iterable[tuple[int | None, Mapping[str, Any]]], *, file: str,
                  context: Mapping[str, Any] | None = None,
                  headers: Mapping[str, str] | None = None) -> Validated[M]:
    """Validate ``(row number, cells)`` pairs with ``model``; problems name the file, the row,
    the column as written (``headers`` maps a field's column to its header) and the reason."""
    reasons = model.missing_reasons()
    names = {field: (headers or {}).get(column, column)
             for field in model.model_fields for column in (model.columns.get(field, field),)}
    models: list[M | None] = []
    problems: list[Problem] = []
    ctx = dict(context or row_context())
    for number, cells in rows:
        try:
            models.append(model.model_validate(row_input(cells), context=ctx))
        except pydantic.ValidationError as exc:
            models.append(None)
            problems += pydantic_problems(exc, file, row=number, columns=names, missing=reasons)
    return Validated(models, problems)


def headers_of(table: Table) -> dict[str, str]:
    """Lower-case column -> the header as the file writes it."""
    return {header.lower(): header for header in table.header}


def validate_table_rows(model: type[M], rows: Sequence[Row], *, file: str,
                        headers: Mapping[str, str] | None = None, **context: Any) -> Validated[M]:
    """:func:`validate_rows` for the keyed rows of one file (:meth:`Table.keyed_rows`), read
    in their file's number convention; ``context`` adds to :func:`row_context`."""
    convention = rows[0].convention if rows else ENGLISH
    return validate_rows(model, ((r.number, r.values) for r in rows), file=file,
                         context=row_context(convention, **context), headers=headers)
