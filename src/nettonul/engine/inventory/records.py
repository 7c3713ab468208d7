"""Check inventory rows and turn them into an :class:`~nettonul.engine.inventory.model.Inventory`.

Readers (:mod:`nettonul.engine.inventory.readers`) turn a CSV, Excel or YAML file into a
:class:`RawTable` of cells keyed by the template's column names. A valid row is defined once,
by the pydantic row model :class:`InventoryRow` on the shared column types of
:mod:`nettonul.engine.io.columns`. :func:`build_inventory` validates every row of the file in
one call, then checks the rows against each other (duplicate keys, a sector given with its
sub-sectors, one GWP set per file), collects **every** problem with its file, row, column (as
written in the header) and reason, and either returns a complete inventory or raises
:class:`InventoryValidationError`; nothing partial is ever returned.

Activity records are computed here: ``t gas = amount x EF x unit conversion`` and
``t CO2e = t gas x GWP``, e.g. 1,000 MWh x 0.187 kg CO2e/kWh = 187 t CO2e.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Annotated, Any, NamedTuple

import pydantic
from pydantic import Field, TypeAdapter, ValidationInfo, field_validator, model_validator

from nettonul.engine.core import units
from nettonul.engine.core.errors import (
    InventoryValidationError,
    NettonulError,
    Problem,
    UnitError,
    UnknownGasError,
    UnknownOrganisationError,
)
from nettonul.engine.core.frameworks import Framework, get_framework
from nettonul.engine.core.gwp import DEFAULT_GWP_SET, gwp_set
from nettonul.engine.core.vocabulary import REQUIRED_RECORD_COLUMNS, YEARS
from nettonul.engine.inventory.model import NOTATION_KEYS, Inventory
from nettonul.engine.io.cells import ENGLISH, Convention, NumberRule, is_blank
from nettonul.engine.io.columns import (
    VALID_CELLS,
    Flag,
    GwpSet,
    Number,
    RowModel,
    Text,
    UpperCode,
    Year,
    cell_error,
    gas_unit,
    keeping,
    one_of,
    required,
    row_context,
)
from nettonul.engine.io.problems import pydantic_problems
from nettonul.engine.io.tables import ReadInfo

DEFAULT_YEARS = YEARS
REQUIRED = REQUIRED_RECORD_COLUMNS

_QUALITY = {"h": "high", "high": "high", "høj": "high", "m": "medium", "medium": "medium",
            "middel": "medium", "l": "low", "low": "low", "lav": "low"}


class RawRow(NamedTuple):
    """One data row: its number as the user sees it, and its cells by template column."""

    number: int
    cells: Mapping[str, Any]


@dataclass(frozen=True)
class RawTable:
    """What a reader found in a file, before any checking.

    ``headers`` maps template column -> the header as written in the file (for messages);
    ``defaults`` holds file-level values (a YAML file's ``organisation``, ``gwp``, ...).
    """

    file: str
    headers: Mapping[str, str]
    rows: tuple[RawRow, ...]
    defaults: Mapping[str, Any] = field(default_factory=dict)
    unknown_headers: tuple[str, ...] = ()
    #: the file's number convention (decided by the reader from every numeric text cell)
    convention: Convention = ENGLISH
    numbers: NumberRule | None = None
    info: ReadInfo | None = None


@lru_cache(maxsize=1024)
def _gas_name(text: str) -> str:
    """Canonical gas name, with every spelling of CO2-equivalents as ``CO2e``."""
    return units.gas_name(text)


@lru_cache(maxsize=1024)
def _gwp(set_name: str, gas: str) -> float:
    """t CO2e per t of ``gas``; cached because files repeat a handful of gases many times."""
    return gwp_set(set_name).factor(gas)


_activity_unit = units.pint_name


def registry_resolver(known: Collection[str]) -> Callable[[str], str]:
    """A resolver that accepts exactly the ids in ``known`` and suggests close ones otherwise."""
    ids = frozenset(known)

    def resolve(cell: str) -> str:
        if cell in ids:
            return cell
        close = difflib.get_close_matches(cell, sorted(ids), n=3, cutoff=0.8)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownOrganisationError(f"unknown organisation '{cell}'{hint}")

    return resolve


# ----------------------------------------------------------------------------- cell rules
@lru_cache(maxsize=8)
def sector_lookup(framework: str) -> Mapping[str, str]:
    """Every way a file may name a sector of ``framework`` (code, English or Danish name, in
    lower case) -> the sector's code."""
    lookup: dict[str, str] = {}
    for s in get_framework(framework):
        for name in (s.code, s.name_en, s.name_da):
            lookup.setdefault(name.strip().lower(), s.code)
    return MappingProxyType(lookup)


def _unknown_sector(code: str, fw: Framework, lookup: Mapping[str, str]) -> str:
    text = code.lower()
    close = difflib.get_close_matches(text, list(lookup), n=6, cutoff=0.6)
    # "energi.el": also try the last part on its own, which may be a sector's name ("el").
    last = text.replace(" ", ".").split(".")[-1]
    if last != text and last in lookup:
        close.insert(0, last)
    suggestions = list(dict.fromkeys(lookup[c] for c in close))[:3]
    hint = (f"; did you mean {', '.join(suggestions)}?" if suggestions
            else f"; top-level sectors are {', '.join(fw.top_level_codes())}")
    return f"unknown sector '{code}' in framework {fw.id}{hint}"


@lru_cache(maxsize=1024)
def ef_unit_parts(ef_unit: str) -> tuple[units.GasMass, str]:
    """The mass of gas and the activity unit of an emission factor unit like 'kg CO2e/kWh';
    raises ValueError saying what is wrong with it."""
    if "/" not in ef_unit:
        raise ValueError(f"emission factor unit '{ef_unit}' must be mass per activity unit, e.g. kg CO2e/kWh")
    numerator, denominator = (p.strip() for p in ef_unit.split("/", 1))
    try:
        mass = gas_unit(numerator)
    except UnitError as exc:
        raise ValueError(f"emission factor unit '{ef_unit}': {exc}") from None
    try:
        units.factor(_activity_unit(denominator), _activity_unit(denominator))
    except UnitError:
        raise ValueError(f"emission factor unit '{ef_unit}': unknown unit '{denominator}'") from None
    return mass, denominator


@lru_cache(maxsize=1024)
def activity_conversion(unit: str, denominator: str) -> float:
    """Activity units of the emission factor per unit of the amount ('MWh' -> 'kWh': 1000);
    raises ValueError saying why the two do not convert."""
    try:
        return units.factor(_activity_unit(unit), _activity_unit(denominator))
    except UnitError as exc:
        if "unknown" in str(exc):
            raise ValueError(f"unit '{unit}' unknown unit '{unit}'") from None
        raise ValueError(f"unit '{unit}' does not convert to the emission factor's '{denominator}' "
                         "(different dimension)") from None


@lru_cache(maxsize=1024)
def tonnes_per_unit(unit: str, ef_unit: str = "") -> tuple[float, str | None]:
    """(t of gas per unit of the amount, the gas the units name) of a valid row: for an
    emission its mass unit ('kt CO2e': 1000), for an activity the EF unit's mass per activity
    unit, converted to the amount's unit ('MWh' with 'kg CO2e/kWh': 1)."""
    if not ef_unit:
        mass = gas_unit(unit)
        return mass.tonnes, mass.gas
    mass, denominator = ef_unit_parts(ef_unit)
    return mass.tonnes * activity_conversion(unit, denominator), mass.gas


def _file_context(info: ValidationInfo) -> Mapping[str, Any]:
    """The context of the file being validated (a dk-municipal file without one)."""
    context = info.context
    return context if type(context) is dict else _default_context()


@lru_cache(maxsize=1)
def _default_context() -> dict[str, Any]:
    return inventory_context(get_framework("dk-municipal"))


def inventory_context(fw: Framework, *, convention: Convention = ENGLISH, years: tuple[int, int] = DEFAULT_YEARS,
                      resolve: Callable[[str], str] | None = None, defaults: Mapping[str, Any] | None = None,
                      file: str = "") -> dict[str, Any]:
    """The validation context of an inventory file's rows: its number convention and accepted
    years, the framework and its sector lookup, the organisation resolver (None accepts any
    id) and the file-level values (a YAML file's ``organisation``, ``gwp``, ``source``)."""
    return row_context(convention, years=years, framework=fw, sectors=sector_lookup(fw.id), resolve=resolve,
                       defaults=dict(defaults or {}), file=file)


def _removals_problem(what: str, sector: str, fw: Framework) -> str:
    return (f"negative {what} in sector '{sector}', which does not allow removals "
            f"(only {', '.join(s.code for s in fw if s.removals)} do)")


#: A notation key (NO, IE, NE, C) for a record without a number.
Notation = Annotated[UpperCode, one_of(tuple(NOTATION_KEYS), "unknown notation key '{}'; use NO, IE, NE or C")]
#: Data quality, high, medium or low, in Danish or English, or their first letters.
Quality = Annotated[Text, one_of(_QUALITY, "unknown data quality '{}'; use high, medium or low (H/M/L)",
                                 fold=str.lower)]


class InventoryRow(RowModel):
    """A valid row of an inventory file: an emission (an amount of a gas), an activity record
    (amount x emission factor) or a notation key, in a known sector of the file's framework.

    Validated with :func:`inventory_context` as context. Fields are checked in order; a rule
    over several columns is the validator of the last of them and reads the others from
    ``info.data``, where a column that failed its own check is absent, so a row reports every
    problem it has and never one that follows from another. The organisation, year, sector,
    gas, activity and GWP set of a row that fails are kept (:func:`keeping`) for the checks
    across rows.
    """

    #: whether the row is an activity record (it has an activity, an emission factor or its unit)
    activity_record: bool = False
    organisation: Text = required("empty required cell: give a kommunekode or organisation name")
    year: Year = required("empty required cell")
    sector: Text = required("empty required cell")
    notation: Notation = ""
    amount: Number | None = Field(None, validate_default=True)
    unit: Text = Field("", validate_default=True)
    activity: Text = ""
    emission_factor: Number | None = None
    ef_unit: Text = ""
    gas: Text = Field("", validate_default=True)
    quality: Quality = ""
    estimated: Flag = False
    note: Text = ""
    gwp: GwpSet = ""
    source: Text = ""

    @model_validator(mode="before")
    @classmethod
    def _cells(cls, cells: Any, info: ValidationInfo) -> Any:
        """The row's filled cells, the file-level values where a cell is blank, and whether
        the row is an activity record."""
        if type(cells) is not dict and not isinstance(cells, Mapping):
            return cells  # (pydantic reports it)
        out = {column: value for column, value in cells.items()
               if value is not None and (value.__class__ is not str or value.strip())}
        context = info.context  # (not _file_context: this runs for every row)
        defaults = context.get("defaults") if type(context) is dict else None
        if defaults:
            out = {**defaults, **out}
        activity = out["activity_record"] = "activity" in out or "emission_factor" in out or "ef_unit" in out
        if activity:  # an activity record needs all three: their rules also run on a blank cell
            out.setdefault("activity", "")
            out.setdefault("emission_factor", None)
            out.setdefault("ef_unit", "")
        if "estimated" in out:  # and an estimate needs a note
            out.setdefault("note", "")
        return out

    @field_validator("organisation")
    @classmethod
    def _organisation(cls, text: str, info: ValidationInfo) -> str:
        resolve = _file_context(info)["resolve"]
        if resolve is not None:
            try:
                text = resolve(text)
            except NettonulError as exc:
                raise ValueError(str(exc)) from None
        return text

    @field_validator("sector")
    @classmethod
    def _sector(cls, text: str, info: ValidationInfo) -> str:
        context = _file_context(info)
        code: str | None = context["sectors"].get(text.lower())
        if code is None:
            raise ValueError(_unknown_sector(text, context["framework"], context["sectors"]))
        return code

    @field_validator("amount")
    @classmethod
    def _amount(cls, amount: float | None, info: ValidationInfo) -> float | None:
        notation = info.data.get("notation")  # absent: a notation cell that is not a key
        if amount is None:
            if notation == "":
                raise ValueError("empty required cell: give the amount, or a notation key (NO, IE, NE, C) "
                                 "where there is none")
        elif notation != "":
            key = f"the notation key {notation}" if notation else "a notation key"
            raise ValueError(f"give either an amount or {key}, not both")
        elif amount < 0:
            cls._removals(amount, "amount", info)
        return amount

    @staticmethod
    def _removals(number: float, what: str, info: ValidationInfo) -> None:
        sector = info.data.get("sector")
        fw: Framework = _file_context(info)["framework"]
        if sector is not None and not fw.allows_negative(sector):
            raise ValueError(_removals_problem(what, sector, fw))

    @field_validator("unit")
    @classmethod
    def _unit(cls, unit: str, info: ValidationInfo) -> str:
        data = info.data
        if data.get("notation") != "":
            return unit
        if not unit:
            raise ValueError("empty required cell")
        if not data["activity_record"]:
            try:
                gas_unit(unit)
            except UnitError as exc:
                reason = str(exc)
                if "not a mass" in reason:
                    reason += "; for activity data add emission_factor and ef_unit columns"
                raise ValueError(reason) from None
        return unit

    @field_validator("activity")
    @classmethod
    def _activity(cls, activity: str, info: ValidationInfo) -> str:
        data = info.data
        if not activity and data["activity_record"] and data.get("notation") == "":
            raise ValueError("empty required cell: an activity record needs the activity "
                             "(e.g. electricity, diesel, dairy cows)")
        return activity

    @field_validator("emission_factor")
    @classmethod
    def _emission_factor(cls, ef: float | None, info: ValidationInfo) -> float | None:
        data = info.data
        if not data["activity_record"] or data.get("notation") != "":
            return ef
        if ef is None:
            raise ValueError("empty required cell: an activity record needs its emission factor")
        if ef < 0:
            sector = data.get("sector")
            fw: Framework = _file_context(info)["framework"]
            if sector is not None and not fw.allows_negative(sector):
                raise ValueError(f"negative emission factor in sector '{sector}', which does not allow removals")
        return ef

    @field_validator("ef_unit")
    @classmethod
    def _ef_unit(cls, ef_unit: str, info: ValidationInfo) -> str:
        data = info.data
        if not data["activity_record"] or data.get("notation") != "":
            return ef_unit
        if not ef_unit:
            raise ValueError("empty required cell: give the emission factor's unit, e.g. kg CO2e/kWh")
        _, denominator = ef_unit_parts(ef_unit)
        unit = data.get("unit")
        if unit:
            try:
                activity_conversion(unit, denominator)
            except ValueError as exc:  # the amount's unit is the cell to fix
                raise cell_error("unit", str(exc)) from None
        return ef_unit

    @field_validator("gas")
    @classmethod
    def _gas(cls, text: str, info: ValidationInfo) -> str:
        """The gas column, or the gas the unit names; canonical (every CO2e spelling is CO2e)."""
        data = info.data
        notation = data.get("notation")
        unit_gas: str | None = None
        if notation != "":
            if not text:
                return "CO2e"
        elif data["activity_record"]:
            if data.get("ef_unit") and data.get("unit"):
                unit_gas = ef_unit_parts(data["ef_unit"])[0].gas
        elif data.get("unit"):
            unit_gas = gas_unit(data["unit"]).gas
        gas = _gas_name(text) if text else unit_gas
        if gas is None:
            raise ValueError("empty required cell: say which gas (CO2, CH4, N2O, ...) or CO2e, "
                             "here or in the unit (e.g. t CO2e)")
        if text and unit_gas not in (None, "CO2e") and unit_gas != gas:
            raise ValueError(f"gas '{text}' does not match the unit's gas '{unit_gas}'")
        if gas != "CO2e":
            try:
                _gwp(DEFAULT_GWP_SET, gas)
            except UnknownGasError as exc:
                if text:
                    raise ValueError(str(exc)) from None
                raise cell_error("unit", str(exc)) from None
        return gas

    @field_validator("note")
    @classmethod
    def _note(cls, note: str, info: ValidationInfo) -> str:
        if not note and info.data.get("estimated"):
            raise ValueError("an estimated value needs a note saying how it was estimated")
        return note

    def key(self) -> tuple[str, int, str, str, str]:
        """(organisation, year, sector, gas, activity): no two records of a file share it."""
        return self.organisation, self.year, self.sector, self.gas, self.activity


_ROWS: TypeAdapter[list[InventoryRow]] = TypeAdapter(list[InventoryRow])
_KEY_FIELDS = ("organisation", "year", "sector", "gas")
#: InventoryRow keeping the valid key cells and GWP set of a row that fails on other cells
_KEPT_ROW = keeping(InventoryRow, [*_KEY_FIELDS, "activity", "gwp"])


#: The inventory's columns (see Inventory.from_columns).
_COLUMNS = ("org", "year", "sector", "gas", "amount", "unit", "co2e", "activity", "ef", "ef_unit", "source",
            "quality", "notation", "estimated", "note")
#: Rows validated in one call: the models of a part are turned into columns before the next part
#: is validated, so that a large file never holds a model per row (the garbage collector would
#: walk them all, time and again).
_PART = 2_000


@dataclass
class _Checked:
    """The rows of a file after validation: the columns of the valid rows (t of gas in
    ``tonnes``, made CO2e once the file's GWP set is known), every problem, the key of every
    row whose key cells are valid (also when another cell of the row has a problem, so that
    duplicates are found in any case) and the first row stating each GWP set."""

    columns: dict[str, list[Any]] = field(default_factory=lambda: {name: [] for name in _COLUMNS})
    #: per valid row: t of gas, the gas, and whether the amount is already CO2e
    tonnes: list[tuple[float, str, bool]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    keys: list[tuple[tuple[str, int, str, str, str], int]] = field(default_factory=list)
    gwp_rows: dict[str, int] = field(default_factory=dict)

    def add(self, models: Sequence[InventoryRow], source: str) -> None:
        """The columns of valid rows (their models are then dropped: a file has many rows)."""
        c = self.columns
        c["org"] += [m.organisation for m in models]
        c["year"] += [m.year for m in models]
        c["sector"] += [m.sector for m in models]
        c["gas"] += [m.gas for m in models]
        c["amount"] += [math.nan if m.amount is None else m.amount for m in models]
        c["unit"] += [m.unit for m in models]
        c["activity"] += [m.activity if m.activity_record else "" for m in models]
        c["ef_unit"] += [m.ef_unit if m.activity_record and not m.notation else "" for m in models]
        c["source"] += [m.source or source for m in models]
        c["quality"] += [m.quality for m in models]
        c["notation"] += [m.notation for m in models]
        c["estimated"] += [m.estimated for m in models]
        c["note"] += [m.note for m in models]
        ef, tonnes = c["ef"], self.tonnes
        for m in models:
            if m.notation or m.amount is None:
                ef.append(math.nan)
                tonnes.append((math.nan, m.gas, True))
                continue
            activity = m.activity_record
            per_unit, unit_gas = tonnes_per_unit(m.unit, m.ef_unit if activity else "")
            factor = m.emission_factor if activity and m.emission_factor is not None else 1.0
            ef.append(factor if activity else math.nan)
            tonnes.append((m.amount * factor * per_unit, m.gas, m.gas == "CO2e" or unit_gas == "CO2e"))

    def co2e(self, gwp_name: str) -> list[float]:
        """t CO2e of every valid row: a single gas with the file's one GWP set; CO2e as it is."""
        return [t if as_co2e else t * _gwp(gwp_name, gas) for t, gas, as_co2e in self.tonnes]


def _check_rows(table: RawTable, context: dict[str, Any]) -> _Checked:
    """Validate every row, a part of the file at a time: each part in one call, and row by
    row only when a row of the part fails."""
    checked = _Checked()
    source = f"file {table.file}"
    for start in range(0, len(table.rows), _PART):
        part = table.rows[start:start + _PART]
        try:
            models = _ROWS.validate_python([row.cells for row in part], context=context)
        except pydantic.ValidationError:
            models = _check_each_row(table, part, context, checked)
        else:
            checked.keys += [((m.organisation, m.year, m.sector, m.gas, m.activity), row.number)
                             for row, m in zip(part, models, strict=True)]
            for row, m in zip(part, models, strict=True):
                if m.gwp and m.gwp not in checked.gwp_rows:
                    checked.gwp_rows[m.gwp] = row.number
        checked.add(models, source)
    return checked


def _check_each_row(table: RawTable, rows: Sequence[RawRow], context: dict[str, Any],
                    checked: _Checked) -> list[InventoryRow]:
    """The models of the valid ``rows``, with the problems, keys and GWP sets of all of them."""
    columns = {name: table.headers.get(name, name) for name in InventoryRow.model_fields}
    missing = InventoryRow.missing_reasons()
    models: list[InventoryRow] = []
    for row in rows:
        kept: dict[str, Any] = {}
        context[VALID_CELLS] = kept
        try:
            models.append(_KEPT_ROW.model_validate(row.cells, context=context))
        except pydantic.ValidationError as exc:
            checked.problems += pydantic_problems(exc, table.file, row=row.number, columns=columns, missing=missing)
        if all(name in kept for name in _KEY_FIELDS):
            key = (kept["organisation"], kept["year"], kept["sector"], kept["gas"], kept.get("activity", ""))
            checked.keys.append((key, row.number))
        if kept.get("gwp"):
            checked.gwp_rows.setdefault(kept["gwp"], row.number)
    del context[VALID_CELLS]
    return models


def build_inventory(
    table: RawTable,
    *,
    framework: str | None = None,
    gwp: str | None = None,
    years: tuple[int, int] = DEFAULT_YEARS,
    resolve_organisation: Callable[[str], str] | Collection[str] | None = None,
) -> Inventory:
    """Check every row of ``table`` and return the inventory, or raise
    :class:`InventoryValidationError` listing every problem found.

    ``framework`` and ``gwp`` are what the caller expects; a file that states another
    framework or GWP set is a problem, never silently converted. ``resolve_organisation`` is
    a set of known organisation ids, or maps a cell to an id and raises a ``NettonulError``
    for an unknown one.
    """
    problems: list[Problem] = []
    fw_id = str(table.defaults.get("framework") or framework or "dk-municipal")
    if framework and table.defaults.get("framework") and framework != fw_id:
        problems.append(Problem(table.file, None, "framework",
                                f"the file says framework {fw_id} but {framework} was asked for"))
    try:
        fw = get_framework(fw_id)
    except NettonulError as exc:
        raise InventoryValidationError([Problem(table.file, None, "framework", str(exc))]) from None
    missing = [c for c in REQUIRED if c not in table.headers and is_blank(table.defaults.get(c))]
    if missing:
        extra = f"; columns not understood: {', '.join(table.unknown_headers)}" if table.unknown_headers else ""
        for column in missing:
            problems.append(Problem(table.file, None, column,
                                    f"missing required column '{column}' (see docs/inventory-format.md){extra}"))
        raise InventoryValidationError(problems)
    if not table.rows:
        raise InventoryValidationError([*problems, Problem(table.file, None, None, "the file has no data rows")])

    resolve = (registry_resolver(resolve_organisation) if isinstance(resolve_organisation, Collection)
               else resolve_organisation)
    context = inventory_context(fw, convention=table.convention, years=years, resolve=resolve,
                                defaults=table.defaults, file=table.file)
    checked = _check_rows(table, context)
    problems += checked.problems
    gwp_name = _gwp_choice(table, checked.gwp_rows, gwp, problems)
    _check_keys(table, fw, checked.keys, problems)
    if problems:
        raise InventoryValidationError(sorted(problems, key=lambda p: p.row or 0))
    checked.columns["co2e"] = checked.co2e(gwp_name)
    return Inventory.from_columns(fw.id, gwp_name, checked.columns)


def _gwp_choice(table: RawTable, gwp_rows: Mapping[str, int], wanted: str | None, problems: list[Problem]) -> str:
    """The file's one GWP set; a file that mixes sets, or differs from ``wanted``, is a problem.
    ``gwp_rows`` gives the first row stating each set."""
    stated = dict(gwp_rows)
    default = str(table.defaults.get("gwp") or "").upper()
    if default and default not in stated:
        stated[default] = 0
    if len(stated) > 1:
        first, *others = sorted(stated, key=lambda k: stated[k])
        for name in others:
            problems.append(Problem(table.file, stated[name] or None, table.headers.get("gwp", "gwp"),
                                    f"GWP set {name} differs from {first} used earlier; one file, one GWP set"))
    chosen = min(stated, key=lambda k: stated[k]) if stated else (wanted or DEFAULT_GWP_SET).upper()
    if wanted and stated and chosen != wanted.upper():
        problems.append(Problem(table.file, None, "gwp",
                                f"the file uses GWP set {chosen} but {wanted.upper()} was asked for; "
                                "nettonul never mixes GWP sets"))
    return chosen


def _check_keys(table: RawTable, fw: Framework, keys: Sequence[tuple[tuple[str, int, str, str, str], int]],
                problems: list[Problem]) -> None:
    """Duplicate keys, and a sector given together with its sub-sectors (a double count)."""
    first: dict[tuple[str, int, str, str, str], int] = {}
    by_org_year: dict[tuple[str, int], list[tuple[str, str, int]]] = {}
    for key, row in keys:
        org, year, sector, gas, activity = key
        if key in first:
            what = "organisation, year, sector, gas" + (" and activity" if activity else " and no activity")
            problems.append(Problem(table.file, row, None,
                                    f"duplicate of row {first[key]}: same {what} "
                                    f"({org}, {year}, {sector}, {gas}{', ' + activity if activity else ''})"))
            continue
        first[key] = row
        by_org_year.setdefault((org, year), []).append((sector, gas, row))
    column = table.headers.get("sector", "sector")
    for (org, year), entries in by_org_year.items():
        at: dict[str, list[tuple[str, int]]] = {}
        for sector, gas, row in entries:
            at.setdefault(sector, []).append((gas, row))
        # parent row -> (sector of parent, its children that overlap it); CO2e overlaps every gas.
        clashes: dict[int, tuple[str, set[tuple[int, str]]]] = {}
        for sector, gas, row in entries:
            for parent in fw.ancestors(sector):
                for parent_gas, parent_row in at.get(parent, ()):
                    if parent_gas == gas or "CO2e" in (parent_gas, gas):
                        clashes.setdefault(parent_row, (parent, set()))[1].add((row, sector))
        for parent_row, (parent, children) in sorted(clashes.items()):
            listed = ", ".join(f"{s} (row {r})" for r, s in sorted(children))
            problems.append(Problem(
                table.file, parent_row, column,
                f"sector '{parent}' is given together with its sub-sector(s) {listed} for {org} {year}; "
                "the parent already includes them, so they would count twice: give one level only"))
