"""Check inventory rows and turn them into an :class:`~nettonul.engine.inventory.model.Inventory`.

Readers (:mod:`nettonul.engine.inventory.readers`) turn a CSV, Excel or YAML file into a
:class:`RawTable` of cells keyed by the template's column names. :func:`build_inventory`
checks every row and then the rows against each other, collects **every** problem with its
file, row, column and reason, and either returns a complete inventory or raises
:class:`InventoryValidationError`; nothing partial is ever returned.

Activity records are computed here: ``t gas = amount x EF x unit conversion`` and
``t CO2e = t gas x GWP``, e.g. 1,000 MWh x 0.187 kg CO2e/kWh = 187 t CO2e.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

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
from nettonul.engine.core.gwp import DEFAULT_GWP_SET, GWP_SETS, gwp_set
from nettonul.engine.core.vocabulary import REQUIRED_RECORD_COLUMNS, YEARS
from nettonul.engine.inventory.model import NOTATION_KEYS, Inventory
from nettonul.engine.io import cells
from nettonul.engine.io.cells import ENGLISH, Convention, NumberRule
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


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


@lru_cache(maxsize=1024)
def _gas_name(text: str) -> str:
    """Canonical gas name, with every spelling of CO2-equivalents as ``CO2e``."""
    return units.gas_name(text)


@lru_cache(maxsize=1024)
def _gwp(set_name: str, gas: str) -> float:
    """t CO2e per t of ``gas``; cached because files repeat a handful of gases many times."""
    return gwp_set(set_name).factor(gas)


_activity_unit = units.pint_name


def mass_unit(text: str) -> tuple[float, str | None]:
    """(tonnes per unit, gas named in the unit or None) for "t", "kg CH4", "kt CO2e", "lb".

    Raises UnitError when ``text`` is not a mass of a gas (see :func:`units.gas_mass`).
    """
    mass = units.gas_mass(text)
    return mass.tonnes, mass.gas


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


class _Row:
    """Collects the problems of one row while its cells are read."""

    def __init__(self, table: RawTable, row: RawRow, problems: list[Problem]) -> None:
        self.table, self.row, self.problems = table, row, problems
        self._text: dict[str, str] = {}

    def header(self, column: str) -> str:
        return self.table.headers.get(column, column)

    def problem(self, column: str | None, reason: str) -> None:
        self.problems.append(Problem(self.table.file, self.row.number,
                                     self.header(column) if column else None, reason))

    def raw(self, column: str) -> Any:
        value = self.row.cells.get(column)
        if value is None or (value.__class__ is str and not value.strip()):
            return self.table.defaults.get(column)
        return value

    def text(self, column: str) -> str:
        """The cell as stripped text ("" when blank); read once per row and column."""
        cached = self._text.get(column)
        if cached is not None:
            return cached
        value = self.raw(column)
        if value.__class__ is str:
            out = value.strip()
        elif value is None:
            out = ""
        else:
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            out = "" if _blank(value) else str(value).strip()
        self._text[column] = out
        return out

    def required_text(self, column: str, hint: str = "") -> str | None:
        value = self.text(column)
        if not value:
            self.problem(column, f"empty required cell{': ' + hint if hint else ''}")
            return None
        return value

    def number(self, column: str, hint: str = "") -> float | None:
        value = self.raw(column)
        if _blank(value):
            self.problem(column, f"empty required cell{': ' + hint if hint else ''}")
            return None
        number = cells.parse_number(value, self.table.convention)
        if isinstance(number, str):
            self.problem(column, number)
            return None
        return number


def _sector_lookup(fw: Framework) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for s in fw:
        for name in (s.code, s.name_en, s.name_da):
            lookup.setdefault(name.strip().lower(), s.code)
    return lookup


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


@dataclass
class _Checked:
    """The columns of the rows that passed their own checks."""

    columns: dict[str, list[Any]] = field(default_factory=lambda: {k: [] for k in (
        "org", "year", "sector", "gas", "amount", "unit", "co2e", "activity", "ef", "ef_unit",
        "source", "quality", "notation", "estimated", "note")})
    rows: list[int] = field(default_factory=list)
    #: per checked row: (gas, whether the amount is already CO2e) for the GWP step at the end
    gases: list[tuple[str, bool]] = field(default_factory=list)
    #: (organisation, year, sector, gas, activity, row) of every row whose key cells are valid,
    #: also when another cell of the row has a problem, so duplicates are found in any case.
    keys: list[tuple[str, int, str, str, str, int]] = field(default_factory=list)
    gwp_rows: dict[str, int] = field(default_factory=dict)


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
    missing = [c for c in REQUIRED if c not in table.headers and _blank(table.defaults.get(c))]
    if missing:
        extra = f"; columns not understood: {', '.join(table.unknown_headers)}" if table.unknown_headers else ""
        for column in missing:
            problems.append(Problem(table.file, None, column,
                                    f"missing required column '{column}' (see docs/inventory-format.md){extra}"))
        raise InventoryValidationError(problems)
    if not table.rows:
        raise InventoryValidationError([*problems, Problem(table.file, None, None, "the file has no data rows")])

    checked = _Checked()
    lookup = _sector_lookup(fw)
    resolve = (registry_resolver(resolve_organisation) if isinstance(resolve_organisation, Collection)
               else resolve_organisation)
    for raw in table.rows:
        _check_row(_Row(table, raw, problems), fw, lookup, years, resolve, checked)

    gwp_name = _gwp_choice(table, checked, gwp, problems)
    _check_keys(table, fw, checked, problems)
    if problems:
        raise InventoryValidationError(sorted(problems, key=lambda p: p.row or 0))
    cols = checked.columns
    # A single gas in tonnes becomes CO2e with the file's one GWP set; CO2e stays as it is.
    cols["co2e"] = [t if given_as_co2e else t * _gwp(gwp_name, gas)
                    for t, (gas, given_as_co2e) in zip(cols["co2e"], checked.gases, strict=True)]
    return Inventory.from_columns(fw.id, gwp_name, cols)


def _check_row(r: _Row, fw: Framework, lookup: Mapping[str, str], years: tuple[int, int],
               resolve: Callable[[str], str] | None, out: _Checked) -> None:
    before = len(r.problems)
    org = r.required_text("organisation", "give a kommunekode or organisation name")
    if org is not None and resolve is not None:
        try:
            org = resolve(org)
        except NettonulError as exc:
            r.problem("organisation", str(exc))
    year = r.number("year")
    if year is not None and not year.is_integer():
        r.problem("year", f"'{r.raw('year')}' is not a whole year")
        year = None
    elif year is not None and not years[0] <= year <= years[1]:
        r.problem("year", f"year {int(year)} is outside {years[0]}-{years[1]}")
        year = None
    sector_text = r.required_text("sector")
    sector = lookup.get(sector_text.lower()) if sector_text else None
    if sector_text and sector is None:
        r.problem("sector", _unknown_sector(sector_text, fw, lookup))

    notation = r.text("notation").upper()
    if notation and notation not in NOTATION_KEYS:
        r.problem("notation", f"unknown notation key '{notation}'; use NO, IE, NE or C")
    activity = r.text("activity")
    is_activity = bool(activity or r.text("emission_factor") or r.text("ef_unit"))
    amount = None
    tonnes, unit_gas = math.nan, None
    ef, ef_unit = math.nan, ""
    if notation and not _blank(r.row.cells.get("amount")):
        r.problem("amount", f"give either an amount or the notation key {notation}, not both")
    elif not notation:
        amount = r.number("amount", "give the amount, or a notation key (NO, IE, NE, C) where there is none")
        unit = r.required_text("unit")
        if is_activity:
            if not activity:
                r.problem("activity", "empty required cell: an activity record needs the activity "
                                      "(e.g. electricity, diesel, dairy cows)")
            ef_value = r.number("emission_factor", "an activity record needs its emission factor")
            ef_unit = r.required_text("ef_unit", "give the emission factor's unit, e.g. kg CO2e/kWh") or ""
            per_unit, unit_gas = _ef_per_activity_unit(r, unit, ef_unit)
            if amount is not None and ef_value is not None and per_unit is not None:
                tonnes, ef = amount * ef_value * per_unit, ef_value
                if ef_value < 0 and sector and not fw.allows_negative(sector):
                    r.problem("emission_factor", f"negative emission factor in sector '{sector}', "
                                                 "which does not allow removals")
        elif unit is not None:
            try:
                per_t, unit_gas = mass_unit(unit)
                tonnes = amount * per_t if amount is not None else math.nan
            except UnitError as exc:
                reason = str(exc)
                if "not a mass" in reason:
                    reason += "; for activity data add emission_factor and ef_unit columns"
                r.problem("unit", reason)
        if amount is not None and amount < 0 and sector and not fw.allows_negative(sector):
            r.problem("amount", f"negative amount in sector '{sector}', which does not allow removals "
                                f"(only {', '.join(s.code for s in fw if s.removals)} do)")

    gas = _check_gas(r, unit_gas) if not (notation and not r.text("gas")) else "CO2e"
    quality = r.text("quality")
    if quality and quality.lower() not in _QUALITY:
        r.problem("quality", f"unknown data quality '{quality}'; use high, medium or low (H/M/L)")
    estimated_text = r.text("estimated").lower()
    parsed_estimate = cells.parse_bool(estimated_text) if estimated_text else False
    if isinstance(parsed_estimate, str):
        r.problem("estimated", parsed_estimate)
    estimated = parsed_estimate is True
    note = r.text("note")
    if estimated and not note:
        r.problem("note", "an estimated value needs a note saying how it was estimated")
    gwp_text = r.text("gwp").upper()
    if gwp_text and gwp_text not in GWP_SETS:
        r.problem("gwp", f"unknown GWP set '{gwp_text}'; use one of {', '.join(GWP_SETS)}")
    key_ok = org is not None and year is not None and sector is not None and gas is not None
    if key_ok and not any(p.column == r.header("organisation") for p in r.problems[before:]):
        out.keys.append((str(org), int(year or 0), str(sector), str(gas), activity if is_activity else "",
                         r.row.number))
    if gwp_text in GWP_SETS:
        out.gwp_rows.setdefault(gwp_text, r.row.number)
    if len(r.problems) > before or org is None or year is None or sector is None or gas is None:
        return
    c = out.columns
    given_as_co2e = gas == "CO2e" or unit_gas == "CO2e"
    for key, value in (("org", org), ("year", int(year)), ("sector", sector), ("gas", gas),
                       ("amount", math.nan if amount is None else amount), ("unit", r.text("unit")),
                       ("co2e", tonnes), ("activity", activity if is_activity else ""), ("ef", ef),
                       ("ef_unit", ef_unit), ("source", r.text("source") or f"file {r.table.file}"),
                       ("quality", _QUALITY.get(quality.lower(), "")), ("notation", notation),
                       ("estimated", estimated), ("note", note)):
        c[key].append(value)
    out.gases.append((gas, given_as_co2e))
    out.rows.append(r.row.number)


def _ef_per_activity_unit(r: _Row, unit: str | None, ef_unit: str) -> tuple[float | None, str | None]:
    """Tonnes of gas per activity unit for one EF unit like 'kg CO2e/kWh', and its gas."""
    if not unit or not ef_unit:
        return None, None
    if "/" not in ef_unit:
        r.problem("ef_unit", f"emission factor unit '{ef_unit}' must be mass per activity unit, e.g. kg CO2e/kWh")
        return None, None
    numerator, denominator = (p.strip() for p in ef_unit.split("/", 1))
    try:
        per_t, gas = mass_unit(numerator)
    except UnitError as exc:
        r.problem("ef_unit", f"emission factor unit '{ef_unit}': {exc}")
        return None, None
    try:
        units.factor(_activity_unit(denominator), _activity_unit(denominator))
    except UnitError:
        r.problem("ef_unit", f"emission factor unit '{ef_unit}': unknown unit '{denominator}'")
        return None, None
    try:
        convert = units.factor(_activity_unit(unit), _activity_unit(denominator))
    except UnitError as exc:
        reason = "unknown unit" if "unknown" in str(exc) else "does not convert to"
        r.problem("unit", f"unit '{unit}' {reason} " + (f"'{unit}'" if reason == "unknown unit" else
                  f"the emission factor's '{denominator}' (different dimension)"))
        return None, None
    return per_t * convert, gas


def _check_gas(r: _Row, unit_gas: str | None) -> str | None:
    text = r.text("gas")
    gas = _gas_name(text) if text else unit_gas
    if gas is None:
        r.problem("gas", "empty required cell: say which gas (CO2, CH4, N2O, ...) or CO2e, "
                         "here or in the unit (e.g. t CO2e)")
        return None
    if text and unit_gas not in (None, "CO2e") and unit_gas != gas:
        r.problem("gas", f"gas '{text}' does not match the unit's gas '{unit_gas}'")
        return None
    if gas != "CO2e":
        try:
            _gwp(DEFAULT_GWP_SET, gas)
        except UnknownGasError as exc:
            r.problem("gas" if text else "unit", str(exc))
            return None
    return gas


def _gwp_choice(table: RawTable, checked: _Checked, wanted: str | None, problems: list[Problem]) -> str:
    """The file's one GWP set; a file that mixes sets, or differs from ``wanted``, is a problem."""
    stated = dict(checked.gwp_rows)
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


def _check_keys(table: RawTable, fw: Framework, checked: _Checked, problems: list[Problem]) -> None:
    """Duplicate keys, and a sector given together with its sub-sectors (a double count)."""
    first: dict[tuple[str, int, str, str, str], int] = {}
    by_org_year: dict[tuple[str, int], list[tuple[str, str, int]]] = {}
    for org, year, sector, gas, activity, row in checked.keys:
        key = (org, year, sector, gas, activity)
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
