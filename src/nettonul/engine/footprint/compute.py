"""Organisational footprint on the ``ghgp-corporate`` framework: activity data x factors.

Every activity row (``footprint_activities``) is matched to imported factor rows
(``factors``); the numbers are then one vectorised product,
``t CO2e = amount x kg CO2e per unit x class multiplier x RF multiplier / 1000``, summed into
an array over unit x category x year and rolled up the unit tree (``orgunits``).

Scope 2 follows the GHG Protocol Scope 2 Guidance (dual reporting): each electricity or heat
row gives a **location-based** line (the host country's grid factor) and a **market-based**
line chosen down the quality hierarchy: a contractual instrument (guarantee of origin, REC,
PPA, green tariff), else a supplier-specific rate, else the residual mix when imported, else
the location factor again. Every market line says which rule applied. The two scope 2 views
are never added: the result has a total with location-based and a total with market-based
scope 2. Biogenic CO2 is kept outside the scopes. Flights can carry a radiative-forcing
multiplier, off unless asked for and stated in the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nettonul.engine.core import units
from nettonul.engine.core.errors import NettonulError, Problem, UnitError, ValidationError
from nettonul.engine.core.frameworks import get_framework
from nettonul.engine.core.gwp import gwp_set
from nettonul.engine.footprint.activities import ActivityRecord, load_activities
from nettonul.engine.footprint.factors import (
    EmissionFactor,
    FactorMatch,
    FactorTable,
    MissingFactorError,
    layered_table,
    load_factor_tables,
)
from nettonul.engine.footprint.flights import AIRPORTS_SOURCE, FlightFactor, band_limits, flight_factor, trip_distances
from nettonul.engine.footprint.orgunits import OrgTree
from nettonul.engine.footprint.result import (
    MARKET_RULES,
    SUMMARY,
    FootprintLine,
    FootprintOptions,
    FootprintResult,
)
from nettonul.engine.io.tables import Source


@dataclass
class _Pending:
    """A line before the arithmetic: what to multiply, and where it came from."""

    record: ActivityRecord
    category: str
    amount: float
    per: str
    match: FactorMatch | None
    kg_per: float
    kg_bio_per: float
    multiplier: float = 1.0
    method: str = ""
    rule: str = ""
    rows: tuple[EmissionFactor, ...] = ()
    extra_sources: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)


class UnitFactors:
    """Factor tables owned by units of a tree. A unit's activities use its own table, then
    those of the units above it (:func:`~nettonul.engine.footprint.factors.layered_table`),
    never a sibling's: a unit's import can change only its own and its descendants' results."""

    def __init__(self, tree: OrgTree, tables: Mapping[str, FactorTable]) -> None:
        for uid in tables:
            tree.index(uid)  # an owner outside the tree fails here, by name
        self.tree, self.tables = tree, dict(tables)
        self._layered: dict[tuple[str, ...], FactorTable] = {}
        self._of_unit: dict[str, FactorTable] = {}

    def for_unit(self, unit_id: str) -> FactorTable:
        if unit_id not in self._of_unit:
            chain = tuple(u for u in (unit_id, *self.tree.ancestors(unit_id)) if u in self.tables)
            if chain not in self._layered:  # units with the same owners above them share one table
                self._layered[chain] = layered_table([self.tables[u] for u in chain]) if chain else FactorTable(())
            self._of_unit[unit_id] = self._layered[chain]
        return self._of_unit[unit_id]

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for t in self.tables.values() for f in t.files))


class _Resolver:
    """Finds the factors for every activity row; collects every problem before failing."""

    def __init__(self, tree: OrgTree, factors: UnitFactors, options: FootprintOptions) -> None:
        self.tree, self.factors, self.options = tree, factors, options
        self.table = FactorTable(())
        self.problems: list[Problem] = []
        self.rf_note = ""
        self._cache: dict[tuple[Any, ...], FactorMatch | str] = {}

    def use(self, record: ActivityRecord) -> None:
        """Look up ``record``'s factors in its unit's tables (own first, then its ancestors')."""
        self.table = self.factors.for_unit(record.org_unit)

    def fail(self, record: ActivityRecord, column: str | None, reason: str) -> None:
        self.problems.append(Problem(record.file, record.row, column, reason))

    def convert(self, record: ActivityRecord, amount: float, unit: str, match: FactorMatch) -> float | None:
        if match.currency:
            if unit != match.per:
                self.fail(record, "amount_unit", f"the factor is per {match.per}; give the amount in {match.per} "
                                                 "(nettonul converts no currencies or counts)")
                return None
            return amount
        try:
            return amount * units.factor(unit, match.per)
        except UnitError as exc:
            self.fail(record, "amount_unit", f"{exc} (the factor {match.factors[0].reference()} is per {match.per})")
            return None

    def find(self, record: ActivityRecord, category: str, main: bool = False, **keys: str) -> FactorMatch | None:
        """The factor rows for ``record``; for its ``main`` factor, the row's factor_id wins over a lookup
        (never for residual mixes, instruments or flight parameters)."""
        explicit = main and bool(record.factor_id)
        # Many rows share a factor (every embassy's electricity in one country): look each up once.
        key = (id(self.table), record.factor_id if explicit else "", category, record.year,
               tuple(sorted(keys.items())))
        if key not in self._cache:
            try:
                if explicit:
                    self._cache[key] = FactorMatch((self.table.by_id(record.factor_id),))
                else:
                    self._cache[key] = self.table.find(category, record.year,
                                                       exact_year=self.options.exact_factor_years, **keys)
            except MissingFactorError as exc:
                self._cache[key] = str(exc)
        found = self._cache[key]
        if isinstance(found, str):  # every row that needs a missing factor is listed, not only the first
            self.fail(record, "factor_id" if explicit else None, found)
            return None
        return found

    def pending(self, record: ActivityRecord, category: str, match: FactorMatch, amount: float, unit: str,
                **extra: Any) -> _Pending | None:
        converted = self.convert(record, amount, unit, match)
        if converted is None:
            return None
        extra.setdefault("rows", match.factors)
        p = _Pending(record, category, converted, match.per, match, match.kg_co2e_per_unit(self.options.gwp),
                     match.kg_biogenic_per_unit(), **extra)
        if match.year_note:
            p.notes.append(match.year_note)
        return p

    # ------------------------------------------------------------------ per activity kind
    def scope2(self, record: ActivityRecord) -> list[_Pending]:
        kind = record.category.split(".")[1]
        country = record.country or self.tree.unit(record.org_unit).country
        amount = float(record.amount or 0.0)
        loc_category = "electricity_grid" if kind == "electricity" else "heat"
        # ``name`` is the heat network, or for electricity a grid zone within the country (DK1, DK2).
        location = self.find(record, loc_category, main=True, country=country, name=record.name)
        if location is None:
            return []
        out = [self.pending(record, f"scope2_location.{kind}", location, amount, record.amount_unit,
                            method="location")]
        market: FactorMatch | None = location
        rule = "location_fallback"
        if record.instrument:
            market = self.find(record, f"{kind}_instrument", name=record.instrument_name)
            rule = "supplier_specific" if record.instrument == "supplier_specific" else "contractual_instrument"
        elif kind == "electricity" and self.table.has("electricity_residual_mix", country):
            market = self.find(record, "electricity_residual_mix", country=country)
            rule = "residual_mix"
        if market is None:
            return []
        line = self.pending(record, f"scope2_market.{kind}", market, amount, record.amount_unit,
                            method="market", rule=rule)
        if line is not None:
            line.notes.append(f"market-based: {MARKET_RULES[rule][1]}")
        out.append(line)
        return [p for p in out if p is not None]

    def flight(self, record: ActivityRecord, distance_km: float | None, domestic: bool) -> list[_Pending]:
        notes: list[str] = []
        extra: tuple[str, ...] = ()
        if distance_km is not None:
            trips = ((record.amount if record.amount is not None else 1.0) * record.passengers
                     * (2.0 if record.return_trip else 1.0))
            pkm = distance_km * trips
            notes.append(f"{record.origin}-{record.destination} great circle {distance_km:,.0f} km x {trips:g} trips")
            extra = (AIRPORTS_SOURCE,)
        elif record.amount_unit == "km":
            pkm, distance_km = float(record.amount or 0.0) * record.passengers, float(record.amount or 0.0)
        else:
            pkm = float(record.amount or 0.0)
        band = record.distance_band
        rows: tuple[EmissionFactor, ...] = ()
        try:
            if record.factor_id:
                ff = FlightFactor(FactorMatch((self.table.by_id(record.factor_id),)))
            else:
                if not band:
                    if distance_km is None:
                        raise MissingFactorError("a flight given in passenger_km needs a distance_band")
                    limits = band_limits(self.table, record.year, self.options.exact_factor_years)
                    band = limits.classify([distance_km], [domestic])[0]
                    rows = limits.rows
                    notes.append(f"band {band} from {distance_km:,.0f} km")
                ff = flight_factor(self.table, record.year, band, record.cabin_class, self.options.exact_factor_years)
        except MissingFactorError as exc:
            self.fail(record, "distance_band", str(exc))
            return []
        multiplier = ff.multiplier
        if ff.multiplier_row is not None:
            notes.append(f"{record.cabin_class} = economy x {ff.multiplier:g}")
        if self.options.radiative_forcing:
            rf, rf_rows = self.rf(record)
            multiplier *= rf
            rows += rf_rows
        p = self.pending(record, record.category, ff.match, pkm, "passenger_km", multiplier=multiplier,
                         rows=ff.rows() + rows, extra_sources=extra)
        if p is None:
            return []
        p.notes.extend(notes)
        return [p]

    def rf(self, record: ActivityRecord) -> tuple[float, tuple[EmissionFactor, ...]]:
        if self.options.rf_multiplier is not None:
            self.rf_note = f"x{self.options.rf_multiplier:g} ({self.options.rf_source or 'given as an option'})"
            return self.options.rf_multiplier, ()
        match = self.find(record, "flight_rf_multiplier")
        if match is None:
            return 1.0, ()
        row = match.factors[0]
        self.rf_note = f"x{row.value:g} ({row.source})"
        return row.value, (row,)

    def other(self, record: ActivityRecord) -> list[_Pending]:
        if record.activity == "refrigerant" and not record.factor_id and not self.table.has("refrigerant"):
            return self.refrigerant_by_gwp(record)
        country = record.country or self.tree.unit(record.org_unit).country
        # Electricity outside scope 2 (e.g. scope3.08, upstream leased assets) uses the grid factor.
        category = {"electricity": "electricity_grid"}.get(record.activity, record.activity)
        match = self.find(record, category, main=True, country=country, name=record.name)
        if match is None:
            return []
        p = self.pending(record, record.category, match, float(record.amount or 0.0), record.amount_unit)
        return [p] if p is not None else []

    def refrigerant_by_gwp(self, record: ActivityRecord) -> list[_Pending]:
        """Leaked refrigerant (mass of one gas) x its GWP from the plan's GWP set."""
        try:
            gwp = gwp_set(self.options.gwp)
            kg_per_kg = gwp.factor(record.name)
            kg = float(record.amount or 0.0) * units.factor(record.amount_unit, "kg")
        except NettonulError as exc:
            self.fail(record, "name" if "gas" in str(exc) else "amount_unit", str(exc))
            return []
        return [_Pending(record, record.category, kg, "kg", None, kg_per_kg, 0.0, extra_sources=(gwp.source,),
                         notes=[f"GWP {gwp.name} of {record.name}: {kg_per_kg:g}"])]


def footprint_of_files(tree: OrgTree, factors: Sequence[Source], factor_names: Sequence[str],
                       activities: Sequence[Source], activity_names: Sequence[str],
                       options: FootprintOptions | None = None,
                       factor_units: Sequence[str] | None = None) -> FootprintResult:
    """The footprint from factor-table and activity files (paths, bytes or file objects with
    their names): one call that reads, validates and computes, all-or-nothing.

    ``factor_units`` names the unit that owns each factor file (default: the tree's root, so
    every unit shares them). The files of one unit are read as one table; tables of different
    units may define the same factor, the nearer one wins (:class:`UnitFactors`).

    Raises ValidationError listing every problem of every file before anything is computed.
    """
    owners = list(factor_units) if factor_units is not None else [tree.root.id] * len(factors)
    if len(owners) != len(factors):
        raise ValueError("factor_units needs one unit per factor file")
    grouped: dict[str, tuple[list[Source], list[str]]] = {}
    for source, name, owner in zip(factors, factor_names, owners, strict=True):
        tree.index(owner)  # an owner outside the tree fails by name, before any file is read
        grouped.setdefault(owner, ([], []))[0].append(source)
        grouped[owner][1].append(name)
    tables: dict[str, FactorTable] = {}
    problems: list[Problem] = []
    for owner, (sources, names) in grouped.items():
        try:
            tables[owner] = load_factor_tables(sources, name=names)
        except ValidationError as exc:
            problems += exc.problems
    try:
        records = load_activities(list(activities), tree, name=list(activity_names))
    except ValidationError as exc:
        problems += exc.problems
    if problems:
        raise ValidationError(problems, what="footprint files")
    return compute_footprint(tree, records, UnitFactors(tree, tables), options)


def compute_footprint(tree: OrgTree, activities: Sequence[ActivityRecord], table: FactorTable | UnitFactors,
                      options: FootprintOptions | None = None) -> FootprintResult:
    """Emissions by unit x category x year from validated activities and factor tables.

    ``table`` is one table shared by every unit, or :class:`UnitFactors` (each unit's own
    table first, then its ancestors'). Raises ValidationError listing every activity whose
    factor is missing or whose unit does not convert; nothing is computed from a partial set.
    """
    opts = options or FootprintOptions()
    gwp_set(opts.gwp)  # an unknown set fails here, before any row
    factors = table if isinstance(table, UnitFactors) else UnitFactors(tree, {tree.root.id: table})
    resolver = _Resolver(tree, factors, opts)
    flights = [r for r in activities if r.activity == "flight" and r.origin and r.destination]
    distances, domestic = trip_distances([r.origin for r in flights], [r.destination for r in flights])
    by_row = {id(r): (float(d), bool(m))
              for r, d, m in zip(flights, distances.tolist(), domestic.tolist(), strict=True)}
    pending: list[_Pending] = []
    for record in activities:
        resolver.use(record)
        if record.dual_scope2:
            pending += resolver.scope2(record)
        elif record.activity == "flight":
            d, dom = by_row.get(id(record), (None, False))
            pending += resolver.flight(record, d, dom)
        else:
            pending += resolver.other(record)
    if resolver.problems:
        raise ValidationError(resolver.problems, what="footprint (factors for the activity data)")
    return _assemble(tree, pending, opts, resolver.rf_note, factors.files)


def _assemble(tree: OrgTree, pending: Sequence[_Pending], opts: FootprintOptions, rf_note: str,
              factor_files: tuple[str, ...]) -> FootprintResult:
    framework = get_framework("ghgp-corporate")
    categories = tuple(s.code for s in framework if s.parent is not None)
    years = np.array(sorted({p.record.year for p in pending}), dtype=np.int64)
    amount = np.array([p.amount for p in pending], dtype=np.float64)
    kg_per = np.array([p.kg_per for p in pending], dtype=np.float64)
    kg_bio = np.array([p.kg_bio_per for p in pending], dtype=np.float64)
    mult = np.array([p.multiplier for p in pending], dtype=np.float64)
    # The whole footprint in two products: fossil and other gases (with class and RF
    # multipliers), and biogenic CO2 (RF applies to aviation only, which has none).
    t_co2e = amount * kg_per * mult / 1000.0
    t_bio = amount * kg_bio / 1000.0
    ui = np.array([tree.index(p.record.org_unit) for p in pending], dtype=np.int64)
    ci = np.array([categories.index(p.category) for p in pending], dtype=np.int64)
    yi = np.searchsorted(years, np.array([p.record.year for p in pending], dtype=np.int64))
    own = np.zeros((len(tree), len(categories), years.size))
    np.add.at(own, (ui, ci, yi), t_co2e)
    bio = np.zeros((len(tree), years.size))
    np.add.at(bio, (ui, yi), t_bio)
    lines = tuple(
        FootprintLine(
            file=p.record.file, row=p.record.row, org_unit=p.record.org_unit, year=p.record.year,
            category=p.category, activity=p.record.activity, amount=float(amount[i]), per=p.per,
            kg_co2e_per_unit=float(kg_per[i]), multiplier=float(mult[i]), t_co2e=float(t_co2e[i]),
            t_biogenic_co2=float(t_bio[i]), method=p.method, rule=p.rule, factors=p.rows,
            extra_sources=p.extra_sources, notes=tuple(p.notes),
            illustrative=p.record.illustrative or any(f.illustrative for f in p.rows),
        )
        for i, p in enumerate(pending)
    )
    return FootprintResult(tree=tree, years=years, categories=categories, own=own, biogenic_own=bio,
                           lines=lines, options=opts, rf_note=rf_note, factor_files=factor_files)


__all__ = ["MARKET_RULES", "SUMMARY", "FootprintLine", "FootprintOptions", "FootprintResult", "UnitFactors",
           "compute_footprint"]
