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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from nettonul.engine.core.errors import Problem, ValidationError
from nettonul.engine.core.frameworks import get_framework
from nettonul.engine.core.units import pint_name
from nettonul.engine.footprint.factors import CABIN_CLASSES, ILLUSTRATIVE_MARK, key_columns
from nettonul.engine.footprint.flights import airport
from nettonul.engine.footprint.orgunits import OrgTree
from nettonul.engine.io.cells import parse_bool
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


def _category(text: str, activity: str, bad: Any) -> str:
    code = text.strip().lower()
    if not code:
        if activity in DEFAULT_CATEGORY:
            return DEFAULT_CATEGORY[activity]
        bad("category", f"say which ghgp-corporate category '{activity}' belongs to "
                        "(e.g. scope1.stationary or scope1.mobile for fuel)")
        return ""
    short = _SCOPE3_SHORT.match(code)
    if short:
        code = f"scope3.0{short.group(1)}"
    for method in ("scope2_location.", "scope2_market."):
        if code.startswith(method):
            code = "scope2." + code.removeprefix(method)
    leaves = _activity_categories()
    if code not in leaves:
        bad("category", f"'{text}' is not a ghgp-corporate category; use one of "
                        + ", ".join([*leaves[:4], *SCOPE2_CATEGORIES, "scope3.01", "...", "scope3.15"]))
        return ""
    if code in SCOPE2_CATEGORIES and activity not in ("electricity", "heat"):
        bad("category", f"scope 2 holds purchased electricity and heat, not '{activity}'")
    return code


def _record(row: Row, file: str, tree: OrgTree, problems: list[Problem]) -> ActivityRecord | None:
    start = len(problems)

    def bad(column: str, reason: str) -> None:
        problems.append(Problem(file, row.number, column, reason))

    unit_id = row.get("org_unit")
    if not unit_id:
        bad("org_unit", "every activity belongs to an organisation unit")
    elif unit_id not in tree:
        bad("org_unit", f"unknown unit '{unit_id}' (not in {tree.source or 'the unit tree'})")
    year = row.whole("year") if row.get("year") else "every activity needs a year"
    if isinstance(year, str):
        bad("year", year)
    activity = row.get("activity").lower()
    if not _ACTIVITY.match(activity):
        bad("activity", f"activity '{row.get('activity')}' must be a name such as electricity, fuel or flight")
    category = _category(row.get("category"), activity, bad) if activity else ""
    amount: float | None = None
    if row.get("amount"):
        parsed = row.numeric("amount")
        if isinstance(parsed, str):
            bad("amount", parsed)
        elif parsed < 0:
            bad("amount", f"{parsed:g} is negative")
        else:
            amount = parsed
    country, band, cabin = key_columns(row, bad)
    passengers = row.numeric("passengers") if row.get("passengers") else 1.0
    if isinstance(passengers, str):
        bad("passengers", passengers)
    return_trip = parse_bool(row.raw("return_trip")) if row.get("return_trip") else False
    if isinstance(return_trip, str):
        bad("return_trip", return_trip)
    origin, destination = row.get("origin").upper(), row.get("destination").upper()
    unit_text = pint_name(row.get("amount_unit"))
    if activity == "flight":
        _check_flight(origin, destination, amount, unit_text, cabin, bad)
    elif amount is None:
        bad("amount", f"a {activity or 'activity'} row needs an amount")
    elif not unit_text:
        bad("amount_unit", "say what unit the amount is in (kWh, litre, passenger_km, DKK, ...)")
    instrument = row.get("instrument").lower()
    if instrument in ("", "none"):
        instrument = ""
    elif instrument not in INSTRUMENTS:
        bad("instrument", f"instrument '{instrument}' is not one of {', '.join(INSTRUMENTS)}")
    elif category not in SCOPE2_CATEGORIES:
        bad("instrument", "contractual instruments apply to scope 2 electricity and heat only")
    elif not row.get("instrument_name"):
        bad("instrument_name", f"name the {activity}_instrument factor row this {instrument} uses "
                               "(its factor and source, e.g. 0 kg CO2e/kWh for a guarantee of origin)")
    if len(problems) > start or isinstance(year, str) or isinstance(passengers, str) or isinstance(return_trip, str):
        return None
    return ActivityRecord(
        file=file, row=row.number, org_unit=unit_id, year=year, activity=activity, category=category,
        amount=amount, amount_unit=unit_text, country=country, name=row.get("name"),
        factor_id=row.get("factor_id"), distance_band=band, cabin_class=cabin, origin=origin,
        destination=destination, passengers=passengers, return_trip=return_trip, instrument=instrument,
        instrument_name=row.get("instrument_name"), source=row.get("source"), note=row.get("note"),
    )


def _check_flight(origin: str, destination: str, amount: float | None, unit_text: str, cabin: str,
                  bad: Any) -> None:
    if not cabin:
        bad("cabin_class", f"a flight needs a cabin class ({', '.join(CABIN_CLASSES)})")
    if origin or destination:
        for column, code in (("origin", origin), ("destination", destination)):
            if not code:
                bad(column, "a flight between airports needs both origin and destination")
            elif airport(code) is None:
                bad(column, f"'{code}' is not an IATA airport code known to airportsdata")
        if unit_text and unit_text not in ("trip", "trips"):
            bad("amount_unit", "with origin and destination the amount counts passenger trips (unit 'trip' or empty)")
        return
    if amount is None:
        bad("amount", "a flight needs origin and destination airports, or an amount in km or passenger_km")
    elif unit_text not in ("km", "passenger_km", "pkm"):
        bad("amount_unit", "a flight without airports is given in km (times passengers) or passenger_km")


def activities_from_rows(rows: Sequence[tuple[str, Row]], tree: OrgTree) -> tuple[ActivityRecord, ...]:
    """Validate ``(file name, row)`` pairs against the tree; all-or-nothing."""
    problems: list[Problem] = []
    records = [r for file, row in rows if (r := _record(row, file, tree, problems)) is not None]
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
    if problems:
        raise ValidationError(problems, what="activity data")
    return activities_from_rows(rows, tree)
