"""What a valid inventory row is: the pydantic row model :class:`InventoryRow` and its cell rules.

One row of the template (organisation, year, sector, gas, amount, unit, or an activity with
its emission factor) is checked on the shared column types of :mod:`nettonul.engine.io.columns`,
in the file's number convention, with the framework, its sector lookup, the organisation
registry and the year range carried in the validation context (:func:`inventory_context`).
Activity records are computed here: ``t gas = amount x EF x unit conversion`` and
``t CO2e = t gas x GWP``, e.g. 1,000 MWh x 0.187 kg CO2e/kWh = 187 t CO2e.
:mod:`nettonul.engine.inventory.records` validates a whole file with it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, field_validator, model_validator

from nettonul.engine.core import units
from nettonul.engine.core.errors import (
    NettonulError,
    UnitError,
    UnknownGasError,
    UnknownOrganisationError,
)
from nettonul.engine.core.frameworks import Framework, get_framework
from nettonul.engine.core.gwp import DEFAULT_GWP_SET, gwp_set
from nettonul.engine.core.vocabulary import REQUIRED_RECORD_COLUMNS, YEARS
from nettonul.engine.inventory.model import NOTATION_KEYS
from nettonul.engine.io.cells import ENGLISH, Convention
from nettonul.engine.io.columns import (
    Flag,
    GwpSet,
    Number,
    RowModel,
    Text,
    UpperCode,
    Year,
    cell_error,
    gas_unit,
    one_of,
    required,
    row_context,
)

DEFAULT_YEARS = YEARS
REQUIRED = REQUIRED_RECORD_COLUMNS

_QUALITY = {"h": "high", "high": "high", "høj": "high", "m": "medium", "medium": "medium",
            "middel": "medium", "l": "low", "low": "low", "lav": "low"}


@lru_cache(maxsize=1024)
def _gas_name(text: str) -> str:
    """Canonical gas name, with every spelling of CO2-equivalents as ``CO2e``."""
    return units.gas_name(text)


@lru_cache(maxsize=1024)
def gwp_factor(set_name: str, gas: str) -> float:
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
                gwp_factor(DEFAULT_GWP_SET, gas)
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
