"""Check inventory rows and turn them into an :class:`~nettonul.engine.inventory.model.Inventory`.

Readers (:mod:`nettonul.engine.inventory.readers`) turn a CSV, Excel or YAML file into a
:class:`RawTable` of cells keyed by the template's column names. A valid row is defined once,
by the pydantic row model :class:`InventoryRow` on the shared column types of
:mod:`nettonul.engine.io.columns`. :func:`build_inventory` validates every row of the file in
one call, then checks the rows against each other (duplicate keys, a sector given with its
sub-sectors, one GWP set per file), collects **every** problem with its file, row, column (as
written in the header) and reason, and either returns a complete inventory or raises
:class:`InventoryValidationError`; nothing partial is ever returned.

A valid row itself is defined in :mod:`nettonul.engine.inventory.row`; this module checks a
whole file with it and builds the inventory.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pydantic
from pydantic import TypeAdapter

from nettonul.engine.core.errors import (
    InventoryValidationError,
    NettonulError,
    Problem,
)
from nettonul.engine.core.frameworks import Framework, get_framework
from nettonul.engine.core.gwp import DEFAULT_GWP_SET
from nettonul.engine.inventory.model import Inventory
from nettonul.engine.inventory.row import (
    DEFAULT_YEARS,
    REQUIRED,
    InventoryRow,
    gwp_factor,
    inventory_context,
    registry_resolver,
    tonnes_per_unit,
)
from nettonul.engine.io.cells import ENGLISH, Convention, NumberRule, is_blank
from nettonul.engine.io.columns import (
    VALID_CELLS,
    keeping,
)
from nettonul.engine.io.problems import pydantic_problems
from nettonul.engine.io.tables import ReadInfo

__all__ = ["DEFAULT_YEARS", "REQUIRED", "InventoryRow", "RawRow", "RawTable", "build_inventory", "inventory_context",
           "registry_resolver"]

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
        return [t if as_co2e else t * gwp_factor(gwp_name, gas) for t, gas, as_co2e in self.tonnes]


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
