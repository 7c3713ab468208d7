"""Emission-factor tables that users import, with the source of every factor.

nettonul ships **no default emission factors** for organisational footprints: grid factors,
fuel factors, flight factors and spend factors are published by national agencies each year
under their own licences, and a factor without a citable source must never look like a real
one. Users import their tables from CSV or Excel in the template below (documented in
``docs/organisational-footprint.md``); every row names its source, and every footprint line
points back to the row it used.

Template, one factor per row (column names are case-insensitive)::

    factor_id      optional unique id (referenced by activities with ``factor_id``)
    category       electricity_grid | electricity_residual_mix | electricity_instrument | heat |
                   heat_instrument |
                   fuel | refrigerant | flight | commuting | spend | any other activity name,
                   or the flight parameters flight_class_multiplier | flight_band_limit |
                   flight_rf_multiplier
    country        ISO 3166 alpha-2 (required for electricity_grid / _residual_mix)
    name           fuel, mode, spend category, instrument, network ... (required where a
                   category has many factors per country)
    distance_band  domestic | short-haul | medium-haul | long-haul | international (flights)
    cabin_class    economy | premium_economy | business | first | average (flights)
    value          the factor, >= 0
    unit           '<mass> <gas>/<activity unit>', e.g. 'kg CO2e/kWh', 'g CO2/kWh',
                   'kg CO2e/passenger_km', 'kg CO2e/DKK'; '1' for multipliers, 'km' for limits
    gas            CO2e (default), CO2, CH4, N2O, CO2_biogenic or another gas with a GWP
    year           the year the factor is for
    source         publisher, title, edition (required, non-empty)
    valid_from, valid_to   optional ISO dates bounding the years the factor applies to
    note           optional

A factor applies to an activity year when its validity window covers the year, or (without
a window) when its ``year`` equals it. Otherwise the most recent earlier year is used and the
footprint line says so, unless the caller asks for exact years.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nettonul.engine.core import units
from nettonul.engine.core.errors import EngineError, NettonulError, Problem, UnitError, ValidationError
from nettonul.engine.core.gwp import CO2_EQUIVALENT_NAMES, canonical_gas, gwp_set
from nettonul.engine.io.cells import parse_date
from nettonul.engine.io.tables import Row, Source, read_table, sources_and_names

TEMPLATE_COLUMNS = (
    "factor_id", "category", "country", "name", "distance_band", "cabin_class", "value", "unit", "gas",
    "year", "source", "valid_from", "valid_to", "note",
)
REQUIRED_COLUMNS = ("category", "value", "unit", "year", "source")
CABIN_CLASSES = ("economy", "premium_economy", "business", "first", "average")
DISTANCE_BANDS = ("domestic", "short-haul", "medium-haul", "long-haul", "international")
#: Categories whose rows are parameters of the flight method, not emission factors.
FLIGHT_PARAMETERS = ("flight_class_multiplier", "flight_band_limit", "flight_rf_multiplier")
BIOGENIC = "CO2_biogenic"
ILLUSTRATIVE_MARK = "illustrative"

#: Which key columns each known category needs; other categories need only what they use.
_REQUIRED_KEYS: Mapping[str, tuple[str, ...]] = {
    "electricity_grid": ("country",),
    "electricity_residual_mix": ("country",),
    "electricity_instrument": ("name",),
    "fuel": ("name",),
    "refrigerant": ("name",),
    "commuting": ("name",),
    "spend": ("name",),
    "flight": ("distance_band", "cabin_class"),
    "flight_class_multiplier": ("cabin_class",),
    "flight_band_limit": ("distance_band",),
}
#: Words for error messages ("no location-based grid factor for country VN in 2024 ...").
DESCRIPTIONS: Mapping[str, str] = {
    "electricity_grid": "location-based grid factor",
    "electricity_residual_mix": "residual-mix factor",
    "electricity_instrument": "contractual-instrument factor",
    "heat": "heat factor",
    "heat_instrument": "heat contractual-instrument factor",
    "fuel": "fuel factor",
    "refrigerant": "refrigerant factor",
    "flight": "flight factor",
    "commuting": "commuting factor",
    "spend": "spend-based factor",
    "flight_class_multiplier": "cabin-class multiplier",
    "flight_band_limit": "flight distance-band limit",
    "flight_rf_multiplier": "radiative-forcing multiplier",
}
_CATEGORY = re.compile(r"^[a-z][a-z0-9_]*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
#: Counting units a factor may be "per" besides pint's units and currency codes.
COUNT_UNITS = ("night", "room_night", "trip", "item", "piece", "meal", "passenger")
NUMERIC_COLUMNS = ("value", "year")


class MissingFactorError(EngineError, LookupError):
    """No imported factor matches what an activity needs."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "missing emission factor"


@dataclass(frozen=True)
class FactorUnit:
    """A parsed factor unit: kilograms of ``gas`` per ``per``.

    ``currency`` is true when ``per`` is a currency code or a counting unit (night, trip):
    amounts must then be in exactly that unit, as nettonul converts no currencies.
    """

    kg_per_written: float
    gas: str
    per: str
    currency: bool = False


def parse_factor_unit(text: str) -> FactorUnit:
    """Parse 'kg CO2e/kWh', 'g CO2/kWh', 'kg CO2e per passenger_km', 'kg CO2e/DKK'."""
    written = text.replace(" per ", "/")
    if written.count("/") != 1:
        raise UnitError(f"'{text}' is not '<mass> <gas>/<activity unit>' (e.g. kg CO2e/kWh)")
    top, per = (part.strip() for part in written.split("/"))
    try:
        mass = units.gas_mass(top)
    except UnitError:
        mass = units.GasMass(math.nan, None)
    if mass.gas is None or not per:
        raise UnitError(f"'{text}' is not '<mass> <gas>/<activity unit>' (e.g. kg CO2e/kWh)")
    gas, kg = mass.gas, mass.tonnes * 1000.0
    per = units.pint_name(per)
    try:
        units.factor(per, per)
    except UnitError:
        if _CURRENCY.match(per) or per in COUNT_UNITS:
            return FactorUnit(kg, gas, per, currency=True)
        raise UnitError(f"'{per}' in '{text}' is not a unit nettonul knows (kWh, MWh, litre, m3, passenger_km, "
                        f"vehicle_km, kg, {', '.join(COUNT_UNITS)}, or a currency code such as DKK)") from None
    return FactorUnit(kg, gas, per)


@dataclass(frozen=True)
class EmissionFactor:
    """One row of an imported factor table."""

    file: str
    row: int
    category: str
    value: float
    unit: str
    year: int
    source: str
    gas: str = "CO2e"
    factor_id: str = ""
    country: str = ""
    name: str = ""
    distance_band: str = ""
    cabin_class: str = ""
    per: str = ""
    kg_per_per: float = float("nan")
    currency: bool = False
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    note: str = ""

    @property
    def illustrative(self) -> bool:
        return ILLUSTRATIVE_MARK in self.source.lower()

    @property
    def biogenic(self) -> bool:
        return self.gas == BIOGENIC

    @property
    def has_window(self) -> bool:
        return self.valid_from is not None or self.valid_to is not None

    def covers(self, year: int) -> bool:
        """Whether the factor applies to ``year`` exactly (window or its own year)."""
        if self.has_window:
            lo = self.valid_from.year if self.valid_from else -10_000
            hi = self.valid_to.year if self.valid_to else 10_000
            return lo <= year <= hi
        return self.year == year

    def kg_co2e_per_unit(self, gwp: str) -> float:
        """kg CO2e per ``per`` under the GWP set (biogenic CO2 counts as 1 kg CO2 per kg)."""
        if self.gas in ("CO2e", BIOGENIC):
            return self.kg_per_per
        return self.kg_per_per * gwp_set(gwp).factor(self.gas)

    def key(self) -> tuple[str, ...]:
        return (self.category, self.country, self.name.lower(), self.distance_band, self.cabin_class)

    def reference(self) -> str:
        """'factors.csv row 7' or the factor id: how a footprint line names its factor."""
        return self.factor_id or f"{self.file} row {self.row}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "factor_id": self.factor_id, "file": self.file, "row": self.row, "category": self.category,
            "country": self.country, "name": self.name, "distance_band": self.distance_band,
            "cabin_class": self.cabin_class, "value": self.value, "unit": self.unit, "gas": self.gas,
            "year": self.year, "source": self.source, "illustrative": self.illustrative,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None, "note": self.note,
        }


@dataclass(frozen=True)
class FactorMatch:
    """The factor rows (one per gas) chosen for one activity, and how the year was chosen."""

    factors: tuple[EmissionFactor, ...]
    year_note: str = ""

    @property
    def year(self) -> int:
        return self.factors[0].year

    def kg_co2e_per_unit(self, gwp: str) -> float:
        """kg CO2e per activity unit, biogenic CO2 excluded."""
        return sum(f.kg_co2e_per_unit(gwp) for f in self.factors if not f.biogenic)

    def kg_biogenic_per_unit(self) -> float:
        return sum(f.kg_per_per for f in self.factors if f.biogenic)

    @property
    def per(self) -> str:
        return self.factors[0].per

    @property
    def currency(self) -> bool:
        return self.factors[0].currency


@dataclass(frozen=True)
class FactorTable:
    """Every imported factor, searchable by category and key."""

    factors: tuple[EmissionFactor, ...]
    files: tuple[str, ...] = ()
    _by_category: Mapping[str, tuple[EmissionFactor, ...]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        groups: dict[str, list[EmissionFactor]] = {}
        for f in self.factors:
            groups.setdefault(f.category, []).append(f)
        object.__setattr__(self, "_by_category", {k: tuple(v) for k, v in groups.items()})

    def __len__(self) -> int:
        return len(self.factors)

    @property
    def where(self) -> str:
        return ", ".join(self.files) or "the imported tables"

    def has(self, category: str, country: str = "") -> bool:
        rows = self._by_category.get(category, ())
        return any(f.country == country for f in rows) if country else bool(rows)

    def by_id(self, factor_id: str) -> EmissionFactor:
        for f in self.factors:
            if f.factor_id == factor_id:
                return f
        raise MissingFactorError(f"no factor with factor_id '{factor_id}' in {self.where}")

    def find(self, category: str, year: int, *, country: str = "", name: str = "", distance_band: str = "",
             cabin_class: str = "", exact_year: bool = False) -> FactorMatch:
        """The factor rows for one activity; raises MissingFactorError with what was looked for.

        A row with an empty country is generic and used when no row for the country exists.
        """
        rows = [
            f for f in self._by_category.get(category, ())
            if f.name.lower() == name.lower() and f.distance_band == distance_band
            and f.cabin_class == cabin_class
        ]
        national = [f for f in rows if f.country == country] if country else []
        candidates = national or [f for f in rows if f.country == ""]
        chosen = [f for f in candidates if f.covers(year)]
        note = ""
        if not chosen and not exact_year:
            earlier = [f.year for f in candidates if not f.has_window and f.year < year]
            if earlier:
                latest = max(earlier)
                chosen = [f for f in candidates if not f.has_window and f.year == latest]
                note = f"factor for {latest} used for {year} (the latest earlier year in the imported tables)"
        if not chosen:
            raise MissingFactorError(self._missing(category, year, country, name, distance_band, cabin_class))
        return FactorMatch(tuple(chosen), note)

    def _missing(self, category: str, year: int, country: str, name: str, band: str, cabin: str) -> str:
        what = DESCRIPTIONS.get(category, f"'{category}' factor")
        keys = []
        if country:
            keys.append(f"country {country}")
        if name:
            keys.append(f"'{name}'")
        if band:
            keys.append(f"band {band}")
        if cabin:
            keys.append(f"class {cabin}")
        message = f"no {what}{' for ' + ', '.join(keys) if keys else ''} in {year} in the imported tables"
        rows = self._by_category.get(category, ())
        if not rows:
            return message + f" ({self.where} have no '{category}' rows)"
        have = sorted({" ".join(x for x in (f.country, f.name, f.distance_band, f.cabin_class, str(f.year)) if x)
                       for f in rows})
        return message + f" ({self.where}); {category} rows cover: " + "; ".join(have[:15]) + (
            " ..." if len(have) > 15 else "")

    def illustrative_sources(self) -> tuple[str, ...]:
        return tuple(sorted({f.source for f in self.factors if f.illustrative}))

    def to_dict(self) -> dict[str, Any]:
        return {"files": list(self.files), "factors": [f.to_dict() for f in self.factors]}


# ---------------------------------------------------------------------------- import
def key_columns(row: Row, bad: Callable[[str, str], None]) -> tuple[str, str, str]:
    """The country, distance band and cabin class of a factor or activity row, normalised;
    a value outside its vocabulary is reported through ``bad(column, reason)``."""
    country = row.get("country").upper()
    if country and not _COUNTRY.match(country):
        bad("country", f"country '{row.get('country')}' is not a two-letter ISO 3166 code")
    band = row.get("distance_band").lower()
    if band and band not in DISTANCE_BANDS:
        bad("distance_band", f"distance band '{band}' is not one of {', '.join(DISTANCE_BANDS)}")
    cabin = row.get("cabin_class").lower().replace(" ", "_").replace("-", "_")
    if cabin and cabin not in CABIN_CLASSES:
        bad("cabin_class", f"cabin class '{row.get('cabin_class')}' is not one of {', '.join(CABIN_CLASSES)}")
    return country, band, cabin


def _factor_from_row(row: Row, file: str, problems: list[Problem]) -> EmissionFactor | None:
    start = len(problems)

    def bad(column: str, reason: str) -> None:
        problems.append(Problem(file, row.number, column, reason))

    category = row.get("category").lower()
    if not _CATEGORY.match(category):
        bad("category", f"category '{row.get('category')}' must be a lower-case name such as electricity_grid")
    for column in _REQUIRED_KEYS.get(category, ()):
        if not row.get(column):
            bad(column, f"a {category} factor needs a {column}")
    country, band, cabin = key_columns(row, bad)
    source = row.get("source")
    if not source:
        bad("source", "every factor needs a source (publisher, title, edition); nothing without one is imported")
    value = row.numeric("value") if row.get("value") else "a factor needs a value"
    if isinstance(value, str):
        bad("value", value)
    elif value < 0:
        bad("value", f"{value:g} is negative; factors are >= 0")
    year = row.whole("year") if row.get("year") else "a factor needs the year it is for"
    if isinstance(year, str):
        bad("year", year)
    valid: list[dt.date | None] = []
    for column in ("valid_from", "valid_to"):
        parsed = parse_date(row.raw(column)) if row.get(column) else None
        if isinstance(parsed, str):
            bad(column, parsed)
            parsed = None
        valid.append(parsed)
    if valid[0] and valid[1] and valid[0] > valid[1]:
        bad("valid_to", f"valid_to {valid[1]} is before valid_from {valid[0]}")
    unit_text = row.get("unit")
    gas = _gas_from_column(row.get("gas"))
    per, kg, currency = "", float("nan"), False
    if category in FLIGHT_PARAMETERS:
        want = "km" if category == "flight_band_limit" else "1"
        if unit_text.lower() not in (want, "" if want == "1" else want):
            bad("unit", f"a {category} row has unit '{want}'")
        gas = ""
    elif not unit_text:
        bad("unit", "a factor needs a unit such as 'kg CO2e/kWh'")
    else:
        try:
            parsed_unit = parse_factor_unit(unit_text)
        except UnitError as exc:
            bad("unit", str(exc))
        else:
            per, kg, currency = parsed_unit.per, parsed_unit.kg_per_written, parsed_unit.currency
            gas = _reconcile_gas(gas, parsed_unit.gas, unit_text, bad)
            if gas and gas not in ("CO2e", BIOGENIC):
                try:
                    gwp_set().factor(gas)
                except NettonulError as exc:
                    bad("gas", str(exc))
    if len(problems) > start or isinstance(value, str) or isinstance(year, str):
        return None
    return EmissionFactor(
        file=file, row=row.number, category=category, value=value, unit=unit_text, year=year, source=source,
        gas=gas, factor_id=row.get("factor_id"), country=country, name=row.get("name"), distance_band=band,
        cabin_class=cabin, per=per, kg_per_per=value * kg, currency=currency, valid_from=valid[0],
        valid_to=valid[1], note=row.get("note"),
    )


def _gas_from_column(text: str) -> str:
    low = text.strip().lower().replace(" ", "_").replace("-", "_")
    if not low:
        return ""
    if low in ("co2_biogenic", "biogenic_co2", "co2_bio", "biogenic"):
        return BIOGENIC
    if low.upper().replace("_", "") in {n.replace("-", "") for n in CO2_EQUIVALENT_NAMES} and low != "co2":
        return "CO2e"
    return canonical_gas(text.strip())


def _reconcile_gas(column: str, from_unit: str, unit_text: str, bad: Any) -> str:
    """The gas column and the unit's gas must agree (biogenic CO2 is written 'kg CO2/...')."""
    if not column:
        return from_unit
    if column == BIOGENIC and from_unit in ("CO2", "CO2e"):
        return BIOGENIC
    if column != from_unit:
        bad("gas", f"gas '{column}' does not match the unit '{unit_text}'")
    return column


def _check_table(factors: Sequence[EmissionFactor], problems: list[Problem]) -> None:
    """Duplicate keys, duplicate ids, and CO2e rows mixed with single-gas rows for one key."""
    seen: dict[tuple[Any, ...], EmissionFactor] = {}
    ids: dict[str, EmissionFactor] = {}
    gases: dict[tuple[Any, ...], list[EmissionFactor]] = {}
    for f in factors:
        full = (*f.key(), f.gas, f.year, f.valid_from, f.valid_to)
        if full in seen:
            first = seen[full]
            problems.append(Problem(f.file, f.row, None,
                                    f"duplicate factor: same category, keys, gas and year as {first.reference()}"))
        else:
            seen[full] = f
        if f.factor_id:
            if f.factor_id in ids:
                problems.append(Problem(f.file, f.row, "factor_id",
                                        f"duplicate factor_id '{f.factor_id}' (also {ids[f.factor_id].file} "
                                        f"row {ids[f.factor_id].row})"))
            else:
                ids[f.factor_id] = f
        if f.category not in FLIGHT_PARAMETERS:
            gases.setdefault((*f.key(), f.year, f.valid_from, f.valid_to), []).append(f)
    for group in gases.values():
        kinds = {f.gas for f in group if not f.biogenic}
        if "CO2e" in kinds and len(kinds) > 1:
            f = group[-1]
            problems.append(Problem(f.file, f.row, "gas", "a total CO2e row and single-gas rows for the same key "
                                    "would count twice; keep one or the other"))
        pers = {(f.per, f.currency) for f in group}
        if len(pers) > 1:
            f = group[-1]
            problems.append(Problem(f.file, f.row, "unit", "rows for the same key must share the activity unit "
                                    f"(found {', '.join(sorted(p for p, _ in pers))})"))


def factor_table_from_rows(rows: Iterable[tuple[str, Row]]) -> FactorTable:
    """Validate ``(file name, row)`` pairs as one table; all-or-nothing."""
    problems: list[Problem] = []
    factors: list[EmissionFactor] = []
    files: list[str] = []
    for file, row in rows:
        if file not in files:
            files.append(file)
        factor = _factor_from_row(row, file, problems)
        if factor is not None:
            factors.append(factor)
    _check_table(factors, problems)
    if problems:
        raise ValidationError(problems, what="emission factors")
    return FactorTable(tuple(factors), tuple(files))


def load_factor_tables(sources: Source | Sequence[Source], *, name: str | Sequence[str] | None = None) -> FactorTable:
    """Read one or more factor files (CSV/Excel) as one table; nothing is kept on any problem.

    Each source is a path, bytes or a binary file object; ``name`` (one per source) is the file
    name shown in messages and decides the format for bytes and file objects.
    """
    items, names = sources_and_names(sources, name)
    problems: list[Problem] = []
    rows: list[tuple[str, Row]] = []
    shown: list[str] = []
    for item, item_name in zip(items, names, strict=True):
        table = read_table(item, name=item_name)
        header = [c.lower() for c in table.header]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        unknown = [c for c in header if c not in TEMPLATE_COLUMNS]
        problems.extend(Problem(table.info.name, None, c, "required column is missing") for c in missing)
        problems.extend(Problem(table.info.name, None, c, "unknown column; the template's columns are "
                                + ", ".join(TEMPLATE_COLUMNS)) for c in unknown)
        file_rows, number_problems = table.keyed_rows(lambda c: c in NUMERIC_COLUMNS)
        problems += number_problems
        shown.append(table.info.name)
        rows.extend((table.info.name, r) for r in file_rows)
    if problems:
        raise ValidationError(problems, what="emission factors")
    if not rows:
        raise ValidationError([Problem(", ".join(shown), None, None, "no factor rows")], what="emission factors")
    return factor_table_from_rows(rows)
