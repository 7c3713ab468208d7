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
import io
import math
import zipfile
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from nettonul.engine.core.errors import InventoryValidationError, Problem
from nettonul.engine.inventory.model import COLUMNS, Inventory
from nettonul.engine.inventory.records import DEFAULT_YEARS, RawRow, RawTable, build_inventory

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
_BY_KEY = {syn.replace("-", "_"): column for column, names in HEADER_SYNONYMS.items() for syn in names}
FILE_KEYS = ("organisation", "framework", "gwp", "source")  # file-level values a YAML file may give


def _header_key(text: Any) -> str:
    return "_".join(str(text).strip().lower().replace("-", " ").split())


def _table(file: str, header: Sequence[Any], rows: Iterable[tuple[int, Sequence[Any]]],
           defaults: Mapping[str, Any] | None = None) -> RawTable:
    headers: dict[str, str] = {}
    position: dict[str, int] = {}
    unknown: list[str] = []
    for i, name in enumerate(header):
        if name is None or not str(name).strip():
            continue
        column = _BY_KEY.get(_header_key(name))
        if column is None:
            unknown.append(str(name).strip())
        elif column not in headers:
            headers[column], position[column] = str(name).strip(), i
    out = []
    for number, values in rows:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue  # blank lines are not records
        cells = {c: (values[i] if i < len(values) else None) for c, i in position.items()}
        out.append(RawRow(number, cells))
    return RawTable(file, headers, tuple(out), dict(defaults or {}), tuple(unknown))


def _unreadable(file: str, reason: str) -> InventoryValidationError:
    return InventoryValidationError([Problem(file, None, None, reason)])


# --------------------------------------------------------------------------- CSV
def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")  # Danish Excel's "CSV" export


def read_csv_table(path: Path, name: str | None = None) -> RawTable:
    """A CSV file (comma, semicolon or tab separated; UTF-8 or Windows-1252)."""
    file = name or path.name
    data = path.read_bytes()
    if b"\x00" in data or data.startswith(b"PK"):
        raise _unreadable(file, "this is not a text CSV file (a spreadsheet or binary file renamed?); "
                                "nettonul reads .csv, .xlsx, .yaml and .yml files")
    try:
        text = _decode(data)
    except UnicodeDecodeError:
        raise _unreadable(file, "the file is neither UTF-8 nor Windows-1252 text") from None
    first = text.splitlines()[0] if text.strip() else ""
    if not first:
        raise _unreadable(file, "the file is empty")
    delimiter = max(",;\t", key=first.count)
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise _unreadable(file, f"not a readable CSV file ({exc})") from None
    return _table(file, records[0], ((i, r) for i, r in enumerate(records[1:], start=2)))


# --------------------------------------------------------------------------- Excel
def read_xlsx_table(path: Path, sheet: str | None = None, name: str | None = None) -> RawTable:
    """The first sheet (or ``sheet``) of an .xlsx workbook; the header is its first non-empty
    row, and rows are numbered as Excel shows them."""
    import openpyxl  # imported here: only Excel users pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    file = name or path.name
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise _unreadable(file, f"cannot read the file as an Excel .xlsx workbook ({exc})") from None
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise _unreadable(file, f"no sheet '{sheet}'; the workbook has {', '.join(workbook.sheetnames)}")
        ws = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        rows = [(i, tuple(r)) for i, r in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1)]
    finally:
        workbook.close()
    located = f"{file} (sheet '{ws.title}')"
    filled = [(i, r) for i, r in rows if any(v is not None and str(v).strip() for v in r)]
    if not filled:
        raise _unreadable(located, "the sheet is empty")
    header_row = filled[0][0]
    return _table(located, filled[0][1], ((i, r) for i, r in rows if i > header_row))


# --------------------------------------------------------------------------- YAML
def read_yaml_table(path: Path, name: str | None = None) -> RawTable:
    """A YAML file: either a list of records, or a mapping with file-level values
    (``organisation``, ``framework``, ``gwp``, ``source``) and a ``records`` list."""
    file = name or path.name
    try:
        data = yaml.safe_load(_decode(path.read_bytes()))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InventoryValidationError([Problem(file, mark.line + 1 if mark else None, None,
                                                f"not valid YAML ({getattr(exc, 'problem', exc)})")]) from None
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
    return _table(file, keys, rows, defaults)


# --------------------------------------------------------------------------- entry points
def read_table(path: str | Path, sheet: str | None = None, name: str | None = None) -> RawTable:
    """The raw rows of an inventory file, chosen by the extension of ``name`` (default: the
    path's file name). ``name`` is also the file name in messages: pass the user's file name
    when ``path`` is a temporary copy of an upload."""
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"no such file: {p}")
    shown = name or p.name
    suffix = Path(shown).suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv_table(p, shown)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx_table(p, sheet, shown)
    if suffix in (".yaml", ".yml"):
        return read_yaml_table(p, shown)
    hint = "; save it as .xlsx" if suffix == ".xls" else ""
    raise _unreadable(shown, f"cannot read '{suffix or shown}' files; nettonul reads .csv, .xlsx, .yaml "
                             f"and .yml inventory files{hint}")


def read_inventory(
    path: str | Path,
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
    raises a ``NettonulError`` for an unknown one. ``name`` is the file name shown in
    messages (for an upload stored under a temporary name).
    """
    table = read_table(path, sheet, name)
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
