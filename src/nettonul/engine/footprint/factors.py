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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator

from nettonul.engine.core import units
from nettonul.engine.core.errors import EngineError, NettonulError, Problem, UnitError, ValidationError
from nettonul.engine.core.gwp import CO2_EQUIVALENT_NAMES, canonical_gas, gwp_set
from nettonul.engine.io.columns import (
    Code,
    Country,
    Date,
    NonNegativeNumber,
    RowModel,
    Text,
    Year,
    headers_of,
    matching,
    required,
    validate_table_rows,
)
from nettonul.engine.io.tables import Row, Source, cell_text, read_table, sources_and_names

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


@dataclass(frozen=True)
class LayeredFactorTable(FactorTable):
    """One unit's factors: its own table first, then those of the units above it.

    Each lookup is answered by the nearest table that has a factor for the activity's year,
    else (unless exact years are asked for) by the nearest table with an earlier year; all
    rows of one answer (one per gas) come from one table, so two tables never add up. A
    ``factor_id`` is looked up nearest first.
    """

    layers: tuple[FactorTable, ...] = ()

    def find(self, category: str, year: int, *, country: str = "", name: str = "", distance_band: str = "",
             cabin_class: str = "", exact_year: bool = False) -> FactorMatch:
        for exact in (True, False) if not exact_year else (True,):
            for layer in self.layers:
                try:
                    return layer.find(category, year, country=country, name=name, distance_band=distance_band,
                                      cabin_class=cabin_class, exact_year=exact)
                except MissingFactorError:
                    continue
        raise MissingFactorError(self._missing(category, year, country, name, distance_band, cabin_class))


def layered_table(layers: Sequence[FactorTable]) -> FactorTable:
    """The factors of a unit whose own table is ``layers[0]`` and whose ancestors' tables
    follow, nearest first (:class:`LayeredFactorTable`)."""
    if len(layers) == 1:
        return layers[0]
    files = tuple(dict.fromkeys(f for layer in layers for f in layer.files))
    return LayeredFactorTable(tuple(f for layer in layers for f in layer.factors), files, layers=tuple(layers))


# ---------------------------------------------------------------------------- import
def _distance_band(value: Any) -> str:
    band = cell_text(value).lower()
    if band and band not in DISTANCE_BANDS:
        raise ValueError(f"distance band '{band}' is not one of {', '.join(DISTANCE_BANDS)}")
    return band


def _cabin_class(value: Any) -> str:
    written = cell_text(value)
    cabin = written.lower().replace(" ", "_").replace("-", "_")
    if cabin and cabin not in CABIN_CLASSES:
        raise ValueError(f"cabin class '{written}' is not one of {', '.join(CABIN_CLASSES)}")
    return cabin


#: A flight distance band (domestic, short-haul, ...), in lower case; "" when not given.
DistanceBand = Annotated[str, BeforeValidator(_distance_band)]
#: A cabin class (economy, premium_economy, ...), "premium economy" written with an underscore.
CabinClass = Annotated[str, BeforeValidator(_cabin_class)]
#: A key column that some categories require (checked even when blank).
_KEY = Field("", validate_default=True)


class FactorRow(RowModel):
    """A valid row of an emission-factor table (see the template in the module docstring)."""

    factor_id: Text = ""
    category: Annotated[Code, matching(_CATEGORY, "category '{}' must be a lower-case name such as "
                                                  "electricity_grid")] = required(
        "a factor needs a category such as electricity_grid")
    country: Country = _KEY
    name: Text = _KEY
    distance_band: DistanceBand = _KEY
    cabin_class: CabinClass = _KEY
    value: NonNegativeNumber = required("a factor needs a value")
    year: Year = required("a factor needs the year it is for")
    source: Text = required("every factor needs a source (publisher, title, edition); nothing without one "
                            "is imported")
    unit: Text = Field("", validate_default=True)
    gas: Text = Field("", validate_default=True)
    valid_from: Date | None = None
    valid_to: Date | None = None
    note: Text = ""

    @field_validator("country", "name", "distance_band", "cabin_class")
    @classmethod
    def _required_key(cls, value: str, info: ValidationInfo) -> str:
        category = info.data.get("category", "")
        if not value and info.field_name in _REQUIRED_KEYS.get(category, ()):
            raise ValueError(f"a {category} factor needs a {info.field_name}")
        return value

    @field_validator("unit")
    @classmethod
    def _unit(cls, unit: str, info: ValidationInfo) -> str:
        category = info.data.get("category")
        if category is None:
            return unit
        if category in FLIGHT_PARAMETERS:
            want = "km" if category == "flight_band_limit" else "1"
            if unit.lower() not in (want, "" if want == "1" else want):
                raise ValueError(f"a {category} row has unit '{want}'")
        elif not unit:
            raise ValueError("a factor needs a unit such as 'kg CO2e/kWh'")
        else:
            try:
                parse_factor_unit(unit)
            except UnitError as exc:
                raise ValueError(str(exc)) from None
        return unit

    @field_validator("gas")
    @classmethod
    def _gas(cls, written: str, info: ValidationInfo) -> str:
        """The gas column agrees with the unit's gas and has a GWP (flight parameters have none)."""
        category, unit = info.data.get("category"), info.data.get("unit")
        if category is None or unit is None or category in FLIGHT_PARAMETERS:
            return ""
        gas = _gas_from_column(written)
        from_unit = parse_factor_unit(unit).gas
        if not gas:
            gas = from_unit
        elif gas == BIOGENIC and from_unit in ("CO2", "CO2e"):
            pass
        elif gas != from_unit:
            raise ValueError(f"gas '{gas}' does not match the unit '{unit}'")
        if gas not in ("CO2e", BIOGENIC):
            try:
                gwp_set().factor(gas)
            except NettonulError as exc:
                raise ValueError(str(exc)) from None
        return gas

    @field_validator("valid_to")
    @classmethod
    def _window(cls, valid_to: dt.date | None, info: ValidationInfo) -> dt.date | None:
        valid_from = info.data.get("valid_from")
        if valid_from and valid_to and valid_from > valid_to:
            raise ValueError(f"valid_to {valid_to} is before valid_from {valid_from}")
        return valid_to

    def factor(self, file: str, row: int) -> EmissionFactor:
        per, kg, currency = "", math.nan, False
        if self.category not in FLIGHT_PARAMETERS:
            parsed = parse_factor_unit(self.unit)
            per, kg, currency = parsed.per, parsed.kg_per_written, parsed.currency
        return EmissionFactor(
            file=file, row=row, category=self.category, value=self.value, unit=self.unit, year=self.year,
            source=self.source, gas=self.gas, factor_id=self.factor_id, country=self.country, name=self.name,
            distance_band=self.distance_band, cabin_class=self.cabin_class, per=per, kg_per_per=self.value * kg,
            currency=currency, valid_from=self.valid_from, valid_to=self.valid_to, note=self.note,
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


def _factors(model_rows: Sequence[Row], file: str, problems: list[Problem],
             headers: Mapping[str, str] | None = None) -> list[EmissionFactor]:
    checked = validate_table_rows(FactorRow, model_rows, file=file, headers=headers)
    problems += checked.problems
    return [m.factor(file, r.number) for r, m in zip(model_rows, checked.models, strict=True) if m is not None]


def _table_of(factors: list[EmissionFactor], files: list[str], problems: list[Problem]) -> FactorTable:
    _check_table(factors, problems)
    if problems:
        raise ValidationError(problems, what="emission factors")
    return FactorTable(tuple(factors), tuple(files))


def factor_table_from_rows(rows: Iterable[tuple[str, Row]]) -> FactorTable:
    """Validate ``(file name, row)`` pairs as one table; all-or-nothing."""
    by_file: dict[str, list[Row]] = {}
    for file, row in rows:
        by_file.setdefault(file, []).append(row)
    problems: list[Problem] = []
    factors = [f for file, file_rows in by_file.items() for f in _factors(file_rows, file, problems)]
    return _table_of(factors, list(by_file), problems)


def load_factor_tables(sources: Source | Sequence[Source], *, name: str | Sequence[str] | None = None) -> FactorTable:
    """Read one or more factor files (CSV/Excel) as one table; nothing is kept on any problem.

    Each source is a path, bytes or a binary file object; ``name`` (one per source) is the file
    name shown in messages and decides the format for bytes and file objects.
    """
    items, names = sources_and_names(sources, name)
    problems: list[Problem] = []
    tables: list[tuple[str, list[Row], dict[str, str]]] = []
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
        tables.append((table.info.name, file_rows, headers_of(table)))
    if problems:
        raise ValidationError(problems, what="emission factors")
    if not any(file_rows for _, file_rows, _ in tables):
        raise ValidationError([Problem(", ".join(f for f, _, _ in tables), None, None, "no factor rows")],
                              what="emission factors")
    factors = [f for file, file_rows, headers in tables for f in _factors(file_rows, file, problems, headers)]
    return _table_of(factors, [f for f, _, _ in tables], problems)
