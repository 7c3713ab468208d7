"""Read inventory files (CSV, Excel .xlsx, YAML) and write them back as CSV.

The template (documented in ``docs/inventory-format.md``) is one row per record with the
columns of :data:`nettonul.engine.inventory.model.COLUMNS`; headers are matched ignoring case,
spaces and hyphens, and Danish names are accepted (``kommune``, ``år``, ``sektor``,
``mængde``, ``enhed``, ...). Row numbers in messages are the ones the user sees: the line of
a CSV file with the header as row 1, the row number Excel shows (with the sheet named), or
the item number in a YAML ``records`` list. A file that cannot be read at all is one clear
problem; otherwise :func:`nettonul.engine.inventory.records.build_inventory` checks every row.
"""

from __future__ import annotations

import csv
import dataclasses
import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from nettonul.engine.core.errors import InventoryValidationError, Problem, ValidationError
from nettonul.engine.inventory.model import COLUMNS, Inventory
from nettonul.engine.inventory.records import DEFAULT_YEARS, RawRow, RawTable, build_inventory
from nettonul.engine.io.cells import Cell, Convention, decide_convention, separator_hint
from nettonul.engine.io.tables import (
    CSV_SUFFIXES,
    EXCEL_SUFFIXES,
    YAML_SUFFIXES,
    ReadInfo,
    Source,
    bulk,
    read_yaml,
    source_bytes,
    suffix_of,
)
from nettonul.engine.io.tables import read_table as read_user_table

#: Accepted header spellings for each template column (compared after :func:`_header_key`).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "organisation": ("organisation", "organization", "org", "kommune", "kommunekode", "municipality",
                     "organisation_id", "enhed_id"),
    "year": ("year", "år", "aar", "aarstal", "årstal"),
    "sector": ("sector", "sektor", "sector_code", "sektorkode"),
    "gas": ("gas", "drivhusgas", "ghg"),
    "amount": ("amount", "mængde", "maengde", "value", "værdi", "vaerdi", "emission", "emissions",
               "udledning"),
    "unit": ("unit", "enhed", "units"),
    "activity": ("activity", "aktivitet", "carrier", "energibærer", "energibaerer", "fuel", "brændsel"),
    "emission_factor": ("emission_factor", "ef", "emissionsfaktor", "factor"),
    "ef_unit": ("ef_unit", "emission_factor_unit", "emissionsfaktor_enhed", "ef_enhed", "factor_unit"),
    "source": ("source", "kilde", "datakilde"),
    "quality": ("quality", "data_quality", "datakvalitet", "kvalitet"),
    "notation": ("notation", "notation_key", "notationsnøgle", "notationsnoegle"),
    "estimated": ("estimated", "estimate", "estimeret", "skønnet", "skoennet", "skøn"),
    "note": ("note", "notes", "comment", "bemærkning", "bemaerkning", "kommentar", "note_en"),
    "gwp": ("gwp", "gwp_set", "gwp-sæt"),
    "co2e_t": ("co2e_t", "t_co2e", "co2e"),  # written by nettonul for reference; recomputed on reading
}
#: The template's headers in each language, in template order: what the downloadable templates
#: and a normalised version's download are written with (every one is accepted on reading).
TEMPLATE_HEADERS: dict[str, dict[str, str]] = {
    "en": {c: c for c in ("organisation", "year", "sector", "gas", "amount", "unit", "activity", "emission_factor",
                          "ef_unit", "source", "quality", "notation", "estimated", "note")},
    "da": {"organisation": "kommunekode", "year": "år", "sector": "sektor", "gas": "gas", "amount": "udledning",
           "unit": "enhed", "activity": "aktivitet", "emission_factor": "emissionsfaktor", "ef_unit": "ef_enhed",
           "source": "kilde", "quality": "kvalitet", "notation": "notation", "estimated": "skønnet",
           "note": "bemærkning"},
}
_BY_KEY = {syn.replace("-", "_"): column for column, names in HEADER_SYNONYMS.items() for syn in names}
FILE_KEYS = ("organisation", "framework", "gwp", "source")  # file-level values a YAML file may give
#: Template columns holding numbers: their text cells decide the file's number convention.
NUMERIC_COLUMNS = ("year", "amount", "emission_factor")


def _header_key(text: Any) -> str:
    return "_".join(str(text).strip().lower().replace("-", " ").split())


def _columns(header: Sequence[Any]) -> tuple[dict[str, str], dict[str, Any], list[str]]:
    """Template column -> the header as written, template column -> the source's key for it
    (the first header naming it), and the headers that name no template column."""
    headers: dict[str, str] = {}
    source_key: dict[str, Any] = {}
    unknown: list[str] = []
    for i, name in enumerate(header):
        if name is None or not str(name).strip():
            continue
        column = _BY_KEY.get(_header_key(name))
        if column is None:
            unknown.append(str(name).strip())
        elif column not in headers:
            headers[column], source_key[column] = str(name).strip(), i
    return headers, source_key, unknown


def _table(file: str, header: Sequence[Any], rows: Iterable[tuple[int, Sequence[Any]]],
           defaults: Mapping[str, Any] | None = None, hint: Convention | None = None,
           hint_reason: str = "", info: ReadInfo | None = None) -> RawTable:
    """A :class:`RawTable` from a header and (row number, cells by position) pairs."""
    headers, position, unknown = _columns(header)
    out = []
    for number, values in rows:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue  # blank lines are not records
        out.append(RawRow(number, {c: (values[i] if i < len(values) else None) for c, i in position.items()}))
    return _decided(file, headers, out, unknown, defaults, hint, hint_reason, info)


def _decided(file: str, headers: dict[str, str], out: list[RawRow], unknown: list[str],
             defaults: Mapping[str, Any] | None, hint: Convention | None, hint_reason: str,
             info: ReadInfo | None) -> RawTable:
    """The table with the file's number convention decided from its numeric text cells."""
    # only text with a decimal or grouping mark can tell the conventions apart
    texts = (Cell(r.number, headers[c], v.strip()) for r in out for c in NUMERIC_COLUMNS
             if isinstance(v := r.cells.get(c), str) and ("," in v or "." in v))
    rule, problems = decide_convention(texts, file=file, hint=hint, hint_reason=hint_reason)
    if problems:
        raise InventoryValidationError(problems)
    return RawTable(file, headers, tuple(out), dict(defaults or {}), tuple(unknown), convention=rule.convention,
                    numbers=rule, info=info)


def _unreadable(file: str, reason: str) -> InventoryValidationError:
    return InventoryValidationError([Problem(file, None, None, reason)])


def _yaml_table(data: Any, file: str) -> RawTable:
    """A YAML file: either a list of records, or a mapping with file-level values
    (``organisation``, ``framework``, ``gwp``, ``source``) and a ``records`` list."""
    defaults: dict[str, Any] = {}
    if isinstance(data, dict):
        defaults = {k: data[k] for k in FILE_KEYS if k in data}
        data = data.get("records")
    if not isinstance(data, list):
        raise _unreadable(file, "expected a 'records' list (see docs/inventory-format.md)")
    keys: list[str] = []
    for item in data:
        if isinstance(item, dict):
            keys += [str(k) for k in item if str(k) not in keys]
    rows = []
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise _unreadable(file, f"records item {i} is not a mapping of column: value")
        rows.append((i, [item.get(k) for k in keys]))
    return _table(file, keys, rows, defaults, info=ReadInfo(file, "yaml"))


# --------------------------------------------------------------------------- entry points
def read_table(source: Source, sheet: str | int | None = None, name: str | None = None) -> RawTable:
    """The raw rows of an inventory file, chosen by the extension of ``name`` (default: the
    path's file name). ``source`` is a path, bytes or a binary file object; ``name`` is also
    the file name in messages."""
    data, shown = source_bytes(source, name)
    suffix = suffix_of(shown)
    if suffix in YAML_SUFFIXES:
        try:
            document, _, _ = read_yaml(data, name=shown)
        except ValidationError as exc:
            raise InventoryValidationError(exc.problems) from None
        return _yaml_table(document, shown)
    if suffix not in CSV_SUFFIXES + EXCEL_SUFFIXES:
        hint = "; save it as .xlsx" if suffix == ".xls" else ""
        raise _unreadable(shown, f"cannot read '{suffix or shown}' files; nettonul reads .csv, .xlsx, .yaml "
                                 f"and .yml inventory files{hint}")
    table = read_user_table(data, name=shown, sheet=sheet, error=InventoryValidationError)
    hint_convention, why = separator_hint(table.info.separator)
    # the toolkit's rows are keyed by header and hold no blank text: map them to template columns directly
    headers, position, unknown = _columns(table.header)
    by_header = {c: table.header[i] for c, i in position.items()}
    if all(c == h for c, h in by_header.items()):  # the template's own headers: rows are keyed already
        out = [RawRow(r.number, r.cells) for r in table.rows]  # (other columns' cells are never read)
    else:
        out = [RawRow(r.number, {c: r.cells.get(h) for c, h in by_header.items()}) for r in table.rows]
    return _decided(table.file, headers, out, unknown, None, hint_convention, why, table.info)


def how_read(table: RawTable) -> ReadInfo:
    """How ``table`` was read (format, separator and encoding or sheet) with the number
    convention its reader decided, for reports: ``how_read(t).describe()``."""
    info = table.info or ReadInfo(table.file, "yaml")
    return dataclasses.replace(info, numbers=table.numbers or info.numbers)


def read_inventory(
    source: Source,
    *,
    framework: str | None = None,
    gwp: str | None = None,
    years: tuple[int, int] = DEFAULT_YEARS,
    resolve_organisation: Callable[[str], str] | Collection[str] | None = None,
    sheet: str | None = None,
    name: str | None = None,
) -> Inventory:
    """Read and check an inventory file; all or nothing.

    Raises :class:`InventoryValidationError` listing every problem (with file, row, column
    and reason), or returns the complete :class:`Inventory`. ``resolve_organisation`` is the
    registry of organisations: a set of known ids, or a function from a cell to an id that
    raises a ``NettonulError`` for an unknown one. ``source`` is a path, the file's bytes or
    a binary file object; ``name`` is the file name shown in messages (and decides the format
    for bytes and file objects).
    """
    with bulk():  # many small rows: see io.tables.bulk
        table = read_table(source, sheet, name)
        return build_inventory(table, framework=framework, gwp=gwp, years=years,
                               resolve_organisation=resolve_organisation)


def inventory_from_records(records: Sequence[Mapping[str, Any]], *, name: str = "records",
                           **options: Any) -> Inventory:
    """An inventory from dicts keyed like the template's headers, with the same checks."""
    keys: list[str] = []
    for record in records:
        keys += [str(k) for k in record if str(k) not in keys]
    table = _table(name, keys, ((i, [r.get(k) for k in keys]) for i, r in enumerate(records, start=1)))
    return build_inventory(table, **options)


def write_csv(inventory: Inventory, path: str | Path) -> None:
    """Write ``inventory`` as a template CSV that :func:`read_inventory` reads back unchanged.
    The ``co2e_t`` column is for the reader's information; it is recomputed on reading."""
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*COLUMNS, "gwp"])
        writer.writeheader()
        for row in inventory.to_rows():
            row["gwp"] = inventory.gwp_set
            row["estimated"] = "yes" if row["estimated"] else "no"
            writer.writerow({k: _cell(v) for k, v in row.items()})


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return repr(value) if isinstance(value, float) else value
