"""Activity data for an organisational footprint: what each unit used, bought and flew.

One row per activity, unit and year (CSV or Excel), validated against the unit tree as a whole
and rejected with every problem listed. Template (column names are case-insensitive)::

    org_unit        id of the unit in the unit tree (required)
    year            reporting year (required)
    activity        electricity | heat | fuel | refrigerant | flight | commuting | spend, or the
                    category of any imported factor (waste, hotel_night, ...) (required)
    category        ghgp-corporate code: scope1.stationary, scope1.mobile, scope1.fugitive,
                    scope2.electricity, scope2.heat, scope3.01 ... scope3.15; optional where
                    the activity implies it (electricity, heat, flight, commuting, spend,
                    refrigerant)
    amount          quantity in ``amount_unit`` (for flights between airports: number of
                    one-way passenger trips, default 1)
    amount_unit     kWh, MWh, litre, m3, kg, passenger_km, km, DKK, ...
    country         ISO code for the grid or heat factor; default: the unit's country
    name            fuel, mode, spend category, refrigerant gas, heat network ...
    factor_id       use this factor row instead of looking one up
    distance_band, cabin_class, origin, destination, passengers, return_trip   flights
                    (passengers multiplies the distance in km or between airports)
    instrument      market-based scope 2: guarantee_of_origin | rec | ppa | green_tariff |
                    supplier_specific (empty: residual mix, else the location factor)
    instrument_name the ``electricity_instrument`` / ``heat_instrument`` factor row it uses
    source, note    where the activity figure comes from
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, field_validator

from nettonul.engine.core.errors import Problem, ValidationError
from nettonul.engine.core.frameworks import get_framework
from nettonul.engine.core.units import pint_name
from nettonul.engine.footprint.factors import CABIN_CLASSES, ILLUSTRATIVE_MARK, CabinClass, DistanceBand
from nettonul.engine.footprint.flights import airport
from nettonul.engine.footprint.orgunits import OrgTree
from nettonul.engine.io.columns import (
    Code,
    Country,
    Flag,
    NonNegativeNumber,
    Number,
    RowModel,
    Text,
    UpperCode,
    Year,
    cell_error,
    context_value,
    headers_of,
    matching,
    required,
    validate_table_rows,
)
from nettonul.engine.io.tables import Row, Source, read_table, sources_and_names

TEMPLATE_COLUMNS = (
    "org_unit", "year", "activity", "category", "amount", "amount_unit", "country", "name", "factor_id",
    "distance_band", "cabin_class", "origin", "destination", "passengers", "return_trip", "instrument",
    "instrument_name", "source", "note",
)
REQUIRED_COLUMNS = ("org_unit", "year", "activity")
NUMERIC_COLUMNS = ("year", "amount", "passengers")
INSTRUMENTS = ("guarantee_of_origin", "rec", "ppa", "green_tariff", "supplier_specific")
SCOPE2_CATEGORIES = ("scope2.electricity", "scope2.heat")
#: Where an activity goes when the row does not say.
DEFAULT_CATEGORY = {
    "electricity": "scope2.electricity", "heat": "scope2.heat", "flight": "scope3.06",
    "commuting": "scope3.07", "spend": "scope3.01", "refrigerant": "scope1.fugitive",
}
_ACTIVITY = re.compile(r"^[a-z][a-z0-9_]*$")
_SCOPE3_SHORT = re.compile(r"^scope3\.(\d)$")


@dataclass(frozen=True)
class ActivityRecord:
    """One validated activity row."""

    file: str
    row: int
    org_unit: str
    year: int
    activity: str
    category: str
    amount: float | None = None
    amount_unit: str = ""
    country: str = ""
    name: str = ""
    factor_id: str = ""
    distance_band: str = ""
    cabin_class: str = ""
    origin: str = ""
    destination: str = ""
    passengers: float = 1.0
    return_trip: bool = False
    instrument: str = ""
    instrument_name: str = ""
    source: str = ""
    note: str = ""

    @property
    def scope(self) -> int:
        return int(self.category[5])

    @property
    def dual_scope2(self) -> bool:
        """Scope 2 rows give a location-based and a market-based line."""
        return self.category in SCOPE2_CATEGORIES

    @property
    def illustrative(self) -> bool:
        return ILLUSTRATIVE_MARK in self.source.lower()

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("file", "row", *TEMPLATE_COLUMNS)}


@lru_cache(maxsize=1)
def _activity_categories() -> tuple[str, ...]:
    """Categories an activity row may name: ghgp-corporate sub-categories, with scope 2 as one."""
    framework = get_framework("ghgp-corporate")
    return (*(s.code for s in framework if s.parent is not None and not s.code.startswith("scope2")),
            *SCOPE2_CATEGORIES)


def _category(text: str, activity: str) -> str:
    code = text.strip().lower()
    if not code:
        if activity in DEFAULT_CATEGORY:
            return DEFAULT_CATEGORY[activity]
        raise ValueError(f"say which ghgp-corporate category '{activity}' belongs to "
                         "(e.g. scope1.stationary or scope1.mobile for fuel)")
    short = _SCOPE3_SHORT.match(code)
    if short:
        code = f"scope3.0{short.group(1)}"
    for method in ("scope2_location.", "scope2_market."):
        if code.startswith(method):
            code = "scope2." + code.removeprefix(method)
    leaves = _activity_categories()
    if code not in leaves:
        raise ValueError(f"'{text}' is not a ghgp-corporate category; use one of "
                         + ", ".join([*leaves[:4], *SCOPE2_CATEGORIES, "scope3.01", "...", "scope3.15"]))
    if code in SCOPE2_CATEGORIES and activity not in ("electricity", "heat"):
        raise ValueError(f"scope 2 holds purchased electricity and heat, not '{activity}'")
    return code


#: A column whose rule depends on other columns, so it is checked also when blank.
_RULED = Field("", validate_default=True)
_FLIGHT_UNITS = ("km", "passenger_km", "pkm")


class ActivityRow(RowModel):
    """A valid row of activity data (see the template in the module docstring).

    The validation context holds the unit tree (``tree``) the rows must belong to.
    """

    org_unit: Text = required("every activity belongs to an organisation unit")
    year: Year = required("every activity needs a year")
    activity: Annotated[Code, matching(_ACTIVITY, "activity '{}' must be a name such as electricity, fuel or "
                                                  "flight")] = required(
        "say what the activity is: a name such as electricity, fuel or flight")
    category: Text = _RULED
    country: Country = ""
    name: Text = ""
    factor_id: Text = ""
    distance_band: DistanceBand = ""
    cabin_class: CabinClass = _RULED
    origin: UpperCode = _RULED
    destination: UpperCode = _RULED
    passengers: Number = 1.0
    return_trip: Flag = False
    amount: NonNegativeNumber | None = Field(None, validate_default=True)
    amount_unit: Text = _RULED
    instrument: Code = _RULED
    instrument_name: Text = _RULED
    source: Text = ""
    note: Text = ""

    @field_validator("org_unit")
    @classmethod
    def _in_tree(cls, unit_id: str, info: ValidationInfo) -> str:
        tree: OrgTree | None = context_value(info, "tree")
        if tree is not None and unit_id not in tree:
            raise ValueError(f"unknown unit '{unit_id}' (not in {tree.source or 'the unit tree'})")
        return unit_id

    @field_validator("category")
    @classmethod
    def _ghgp_category(cls, text: str, info: ValidationInfo) -> str:
        activity = info.data.get("activity")
        return _category(text, activity) if activity else ""

    @field_validator("cabin_class")
    @classmethod
    def _flight_cabin(cls, cabin: str, info: ValidationInfo) -> str:
        if info.data.get("activity") == "flight" and not cabin:
            raise ValueError(f"a flight needs a cabin class ({', '.join(CABIN_CLASSES)})")
        return cabin

    @field_validator("origin", "destination")
    @classmethod
    def _airport(cls, code: str, info: ValidationInfo) -> str:
        if info.data.get("activity") != "flight":
            return code
        if code and airport(code) is None:
            raise ValueError(f"'{code}' is not an IATA airport code known to airportsdata")
        if info.field_name == "destination" and bool(code) != bool(info.data.get("origin", code)):
            raise cell_error("destination" if code == "" else "origin",
                             "a flight between airports needs both origin and destination")
        return code

    @field_validator("amount")
    @classmethod
    def _some_amount(cls, amount: float | None, info: ValidationInfo) -> float | None:
        activity = info.data.get("activity")
        if amount is not None or activity is None:
            return amount
        if activity != "flight":
            raise ValueError(f"a {activity} row needs an amount")
        if not (info.data.get("origin") or info.data.get("destination")) and "origin" in info.data:
            raise ValueError("a flight needs origin and destination airports, or an amount in km or passenger_km")
        return amount

    @field_validator("amount_unit")
    @classmethod
    def _unit(cls, written: str, info: ValidationInfo) -> str:
        unit, activity = pint_name(written), info.data.get("activity")
        if activity == "flight":
            airports = info.data.get("origin") or info.data.get("destination")
            if airports and unit not in ("", "trip", "trips"):
                raise ValueError("with origin and destination the amount counts passenger trips (unit 'trip' "
                                 "or empty)")
            if not airports and info.data.get("amount") is not None and unit not in _FLIGHT_UNITS:
                raise ValueError("a flight without airports is given in km (times passengers) or passenger_km")
        elif activity and info.data.get("amount") is not None and not unit:
            raise ValueError("say what unit the amount is in (kWh, litre, passenger_km, DKK, ...)")
        return unit

    @field_validator("instrument")
    @classmethod
    def _instrument(cls, instrument: str, info: ValidationInfo) -> str:
        if instrument in ("", "none"):
            return ""
        if instrument not in INSTRUMENTS:
            raise ValueError(f"instrument '{instrument}' is not one of {', '.join(INSTRUMENTS)}")
        if "category" in info.data and info.data["category"] not in SCOPE2_CATEGORIES:
            raise ValueError("contractual instruments apply to scope 2 electricity and heat only")
        return instrument

    @field_validator("instrument_name")
    @classmethod
    def _instrument_row(cls, name: str, info: ValidationInfo) -> str:
        instrument = info.data.get("instrument")
        if instrument and not name:
            raise ValueError(f"name the {info.data.get('activity')}_instrument factor row this {instrument} uses "
                             "(its factor and source, e.g. 0 kg CO2e/kWh for a guarantee of origin)")
        return name

    def record(self, file: str, row: int) -> ActivityRecord:
        return ActivityRecord(file=file, row=row, **self.model_dump())


def activities_from_rows(rows: Sequence[tuple[str, Row]], tree: OrgTree,
                         headers: Mapping[str, Mapping[str, str]] | None = None) -> tuple[ActivityRecord, ...]:
    """Validate ``(file name, row)`` pairs against the tree; all-or-nothing. ``headers`` gives,
    per file, the headers as written (lower-case column -> header) for messages."""
    by_file: dict[str, list[Row]] = {}
    for file, row in rows:
        by_file.setdefault(file, []).append(row)
    problems: list[Problem] = []
    records: list[ActivityRecord] = []
    for file, file_rows in by_file.items():
        checked = validate_table_rows(ActivityRow, file_rows, file=file, headers=(headers or {}).get(file), tree=tree)
        problems += checked.problems
        records += [m.record(file, r.number) for r, m in zip(file_rows, checked.models, strict=True) if m is not None]
    if not rows:
        problems.append(Problem("activities", None, None, "no activity rows"))
    if problems:
        raise ValidationError(problems, what="activity data")
    return tuple(records)


def load_activities(sources: Source | Sequence[Source], tree: OrgTree, *,
                    name: str | Sequence[str] | None = None) -> tuple[ActivityRecord, ...]:
    """Read and validate one or more activity files (CSV/Excel) against the unit tree.

    Each source is a path, bytes or a binary file object; ``name`` (one per source) is the
    file name shown in messages and decides the format for bytes and file objects.
    """
    items, names = sources_and_names(sources, name)
    problems: list[Problem] = []
    rows: list[tuple[str, Row]] = []
    headers: dict[str, dict[str, str]] = {}
    for item, item_name in zip(items, names, strict=True):
        table = read_table(item, name=item_name)
        file = table.info.name
        header = [c.lower() for c in table.header]
        problems.extend(Problem(file, None, c, "required column is missing")
                        for c in REQUIRED_COLUMNS if c not in header)
        problems.extend(Problem(file, None, c, "unknown column; the template's columns are "
                                + ", ".join(TEMPLATE_COLUMNS)) for c in header if c not in TEMPLATE_COLUMNS)
        file_rows, number_problems = table.keyed_rows(lambda c: c in NUMERIC_COLUMNS)
        problems += number_problems
        rows.extend((file, r) for r in file_rows)
        headers[file] = headers_of(table)
    if problems:
        raise ValidationError(problems, what="activity data")
    return activities_from_rows(rows, tree, headers)
