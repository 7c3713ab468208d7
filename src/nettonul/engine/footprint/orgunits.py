"""Organisation units: a ministry, its departments and its embassies and missions as a tree.

A ministry's footprint is kept per unit (headquarters, each embassy) and read per subtree
(all front posts, the whole ministry). :class:`OrgTree` holds the units in an order where
every parent comes before its children and an *ancestor incidence matrix* ``A`` with
``A[i, j] = 1`` when unit ``i`` is unit ``j`` or one of its ancestors. Rolling any per-unit
array up the tree is then one matrix product, ``A @ values``: a unit's total is its own value
plus those of all its descendants, and the root's total is the sum over all units.

Files are YAML (a list under ``units:``) or a table (CSV/Excel, one unit per row); both are
validated as a whole and rejected with every problem listed (unknown parent, cycles,
duplicate ids, bad country codes, ...). The same tree answers the permission question the
web layer asks: an editor of a unit may edit that unit and the units below it, nothing else.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated, Any, ClassVar

import numpy as np
import numpy.typing as npt
from pydantic import create_model, field_validator

from nettonul.engine.core.arrays import FloatArray, IntArray
from nettonul.engine.core.errors import Problem, UnknownOrganisationError, ValidationError
from nettonul.engine.io import limits
from nettonul.engine.io.cells import ENGLISH, Cell, Convention, decide_convention
from nettonul.engine.io.columns import (
    Code,
    Country,
    NonNegativeNumber,
    RowModel,
    Text,
    Year,
    headers_of,
    matching,
    required,
    row_context,
    validate_rows,
)
from nettonul.engine.io.tables import (
    YAML_SUFFIXES,
    Source,
    read_table,
    read_yaml,
    source_bytes,
    suffix_of,
)

#: Kinds of unit. ``group`` is a reporting grouping (e.g. "climate front posts") with no
#: premises or staff of its own.
UNIT_KINDS = (
    "ministry", "agency", "department", "group", "embassy", "mission", "representation", "consulate",
)
BASE_COLUMNS = ("id", "name", "kind", "country", "parent", "city", "employees", "floor_area_m2", "note")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_YEARLY = re.compile(r"^(employees|floor_area_m2)_(\d{4})$")


@dataclass(frozen=True)
class OrgUnit:
    """One organisation unit with its headcount (FTE) and floor area, overall or per year."""

    id: str
    name: str
    kind: str
    country: str
    parent: str | None = None
    city: str = ""
    employees: float | None = None
    floor_area_m2: float | None = None
    employees_by_year: Mapping[int, float] = field(default_factory=dict)
    floor_area_by_year: Mapping[int, float] = field(default_factory=dict)
    note: str = ""

    def employees_in(self, year: int) -> float:
        """FTE in ``year``: the year's own figure, else the overall one, else NaN."""
        return _for_year(self.employees_by_year, self.employees, year)

    def floor_area_in(self, year: int) -> float:
        """Floor area (m2) in ``year``: the year's own figure, else the overall one, else NaN."""
        return _for_year(self.floor_area_by_year, self.floor_area_m2, year)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "country": self.country,
            "parent": self.parent, "city": self.city, "employees": self.employees,
            "floor_area_m2": self.floor_area_m2,
            "employees_by_year": {str(y): v for y, v in sorted(self.employees_by_year.items())},
            "floor_area_m2_by_year": {str(y): v for y, v in sorted(self.floor_area_by_year.items())},
            "note": self.note,
        }


def _for_year(by_year: Mapping[int, float], overall: float | None, year: int) -> float:
    if year in by_year:
        return float(by_year[year])
    return float("nan") if overall is None else float(overall)


class OrgTree:
    """Units ordered parents-first, with the ancestor incidence matrix for roll-ups."""

    def __init__(self, units: Sequence[OrgUnit], organisation: str = "", source: str = "",
                 illustrative: bool = False, note: str = "") -> None:
        problems = _check_structure([(None, u) for u in units], source or "organisation units")
        if problems or not units:
            raise ValidationError(problems or [Problem(source or "organisation units", None, None, "no units")],
                                  what="organisation units")
        ordered = _parents_first(units)
        self.units: tuple[OrgUnit, ...] = tuple(ordered)
        self.organisation = organisation or (ordered[0].name if ordered else "")
        self.source = source
        self.illustrative = illustrative
        self.note = note
        self.ids: tuple[str, ...] = tuple(u.id for u in self.units)
        self._index = {uid: i for i, uid in enumerate(self.ids)}
        parent = np.array([self._index[u.parent] if u.parent else -1 for u in self.units], dtype=np.int64)
        self.parent_index: IntArray = parent
        self.depth: IntArray = np.zeros(len(self.units), dtype=np.int64)
        self.ancestors_matrix: FloatArray = self._build_ancestors(parent)

    def _build_ancestors(self, parent: IntArray) -> FloatArray:
        # Walk every unit's chain of ancestors at once, one tree level per step (not one unit).
        n = parent.size
        matrix = np.zeros((n, n), dtype=np.float64)
        cols = np.arange(n, dtype=np.int64)
        current = cols.copy()
        level = 0
        while True:
            alive = current >= 0
            if not alive.any():
                break
            matrix[current[alive], cols[alive]] = 1.0
            self.depth[alive] = level
            current = np.where(alive, parent[np.maximum(current, 0)], -1)
            level += 1
        return matrix

    # ------------------------------------------------------------------ lookup
    def __len__(self) -> int:
        return len(self.units)

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self._index

    def index(self, unit_id: str) -> int:
        try:
            return self._index[unit_id]
        except KeyError:
            raise UnknownOrganisationError(
                f"no organisation unit '{unit_id}' in {self.source or 'the unit tree'}; "
                f"units are: {', '.join(self.ids[:12])}{' ...' if len(self.ids) > 12 else ''}"
            ) from None

    def unit(self, unit_id: str) -> OrgUnit:
        return self.units[self.index(unit_id)]

    @property
    def root(self) -> OrgUnit:
        return self.units[0]

    def children(self, unit_id: str) -> tuple[str, ...]:
        i = self.index(unit_id)
        return tuple(self.ids[j] for j in np.flatnonzero(self.parent_index == i).tolist())

    def ancestors(self, unit_id: str) -> tuple[str, ...]:
        """Ancestors of a unit, nearest first."""
        rows = np.flatnonzero(self.ancestors_matrix[:, self.index(unit_id)])
        chain = [self.ids[r] for r in rows.tolist() if self.ids[r] != unit_id]
        return tuple(sorted(chain, key=lambda u: -int(self.depth[self._index[u]])))

    def subtree(self, unit_id: str) -> tuple[str, ...]:
        """The unit and all units below it, parents first."""
        cols = np.flatnonzero(self.ancestors_matrix[self.index(unit_id)])
        return tuple(self.ids[c] for c in cols.tolist())

    def leaves(self) -> tuple[str, ...]:
        has_child = np.zeros(len(self.units), dtype=bool)
        has_child[self.parent_index[self.parent_index >= 0]] = True
        return tuple(uid for uid, c in zip(self.ids, has_child.tolist(), strict=True) if not c)

    def is_within(self, unit_id: str, scope_unit: str) -> bool:
        """Whether ``unit_id`` is ``scope_unit`` or one of its descendants."""
        return bool(self.ancestors_matrix[self.index(scope_unit), self.index(unit_id)])

    def editable_units(self, editor_of: Iterable[str]) -> frozenset[str]:
        """Units a person may edit who is editor of the units ``editor_of``: each of them and
        everything below it. Siblings, parents and other branches stay out of reach."""
        idx = [self.index(u) for u in editor_of]
        if not idx:
            return frozenset()
        reach = self.ancestors_matrix[idx].any(axis=0)
        return frozenset(self.ids[j] for j in np.flatnonzero(reach).tolist())

    def can_edit(self, editor_of: Iterable[str], unit_id: str) -> bool:
        return unit_id in self.editable_units(editor_of) if unit_id in self else False

    # ------------------------------------------------------------------ arrays
    def rollup(self, values: npt.ArrayLike) -> FloatArray:
        """Per-unit totals over each subtree: ``A @ values`` along the first axis.

        ``values`` has the units (in :attr:`ids` order) on axis 0 and any other axes after
        (categories, years, draws). NaN propagates: pass zeros where a unit has nothing.
        """
        arr = np.asarray(values, dtype=np.float64)
        if arr.shape[:1] != (len(self.units),):
            raise ValueError(f"roll-up needs {len(self.units)} units on axis 0, got shape {arr.shape}")
        out: FloatArray = np.tensordot(self.ancestors_matrix, arr, axes=(1, 0))
        return out

    def rollup_known(self, values: npt.ArrayLike) -> FloatArray:
        """Like :meth:`rollup` but NaN counts as 0; a subtree with no value at all stays NaN."""
        arr = np.asarray(values, dtype=np.float64)
        known = self.rollup(~np.isnan(arr))
        total = self.rollup(np.nan_to_num(arr, nan=0.0))
        out: FloatArray = np.where(known > 0, total, np.nan)
        return out

    def employees(self, year: int) -> FloatArray:
        """Each unit's own FTE in ``year`` (NaN where the file gives none)."""
        return np.array([u.employees_in(year) for u in self.units], dtype=np.float64)

    def floor_area(self, year: int) -> FloatArray:
        """Each unit's own floor area in m2 in ``year`` (NaN where the file gives none)."""
        return np.array([u.floor_area_in(year) for u in self.units], dtype=np.float64)

    def to_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation, "source": self.source, "illustrative": self.illustrative,
            "note": self.note, "units": [u.to_dict() for u in self.units],
        }


def _parents_first(units: Sequence[OrgUnit]) -> list[OrgUnit]:
    """Breadth-first from the root, keeping the file order among siblings."""
    children: dict[str | None, list[OrgUnit]] = {}
    for u in units:
        children.setdefault(u.parent, []).append(u)
    out: list[OrgUnit] = []
    queue = deque(children.get(None, []))
    while queue:
        u = queue.popleft()
        out.append(u)
        queue.extend(children.get(u.id, []))
    return out


# ---------------------------------------------------------------------------- validation
def _check_structure(units: Sequence[tuple[int | None, OrgUnit]], file: str) -> list[Problem]:
    """Duplicate ids, unknown parents, cycles and the single root, over the whole file."""
    problems: list[Problem] = []
    first_row: dict[str, int | None] = {}
    for row, u in units:
        if u.id in first_row:
            where = f" (first on row {first_row[u.id]})" if first_row[u.id] is not None else ""
            problems.append(Problem(file, row, "id", f"duplicate id '{u.id}'{where}"))
        else:
            first_row[u.id] = row
    by_id = {u.id: u for _, u in units}
    for row, u in units:
        if u.parent is not None and u.parent not in by_id:
            problems.append(Problem(file, row, "parent", f"unknown parent '{u.parent}' for unit '{u.id}'"))
    problems.extend(_check_chains(units, by_id, file))
    roots = [(row, u) for row, u in units if u.parent is None]
    if not roots and units:
        problems.append(Problem(file, None, "parent", "no root unit: exactly one unit must have no parent"))
    for row, u in roots[1:]:
        problems.append(Problem(
            file, row, "parent",
            f"unit '{u.id}' has no parent but '{roots[0][1].id}' is already the root; "
            "a tree has exactly one root (give this unit a parent)",
        ))
    return problems


def _check_chains(units: Sequence[tuple[int | None, OrgUnit]], by_id: Mapping[str, OrgUnit],
                  file: str) -> list[Problem]:
    """Cycles of parents, and units nested deeper than the limit on levels
    (:attr:`~nettonul.engine.io.limits.Limits.max_tree_depth`). Each unit's level is worked out
    once (a walk up stops at a unit already placed), so a deep tree is checked in linear time."""
    max_depth = limits.current().max_tree_depth
    level: dict[str, int] = {}  # 1 for the root; 0 for a unit on or below a cycle
    problems: list[Problem] = []
    too_deep = False
    for row, u in units:
        chain: list[str] = []
        on_chain: set[str] = set()
        node: str | None = u.id
        while node is not None and node in by_id and node not in level and node not in on_chain:
            chain.append(node)
            on_chain.add(node)
            node = by_id[node].parent
        if node is not None and node in on_chain:
            cycle = chain[chain.index(node):]
            problems.append(Problem(file, row, "parent", "cycle of parents: " + " -> ".join([*cycle, node])))
            level.update(dict.fromkeys(chain, 0))
            continue
        above = level.get(node, 0) if node is not None else 0
        if node is not None and node in level and above == 0:
            level.update(dict.fromkeys(chain, 0))  # below a cycle, already reported
            continue
        for depth, unit_id in enumerate(reversed(chain), start=above + 1):
            level[unit_id] = depth
        if not too_deep and level[u.id] > max_depth:
            too_deep = True
            problems.append(Problem(file, row, "parent", f"unit '{u.id}' is {level[u.id]:,} levels deep; a unit "
                                    f"tree may be at most {max_depth:,} levels deep (the limit on levels)"))
    return problems


class OrgUnitRow(RowModel):
    """A valid unit of an organisation tree: a row of a table or an item of a YAML ``units`` list.

    Per-year figures are columns ``employees_2024`` / ``floor_area_m2_2024`` (see
    :meth:`with_year_columns`) or mappings ``employees_by_year`` / ``floor_area_m2_by_year``.
    """

    columns: ClassVar[Mapping[str, str]] = {"employees_by_year": "employees",
                                            "floor_area_m2_by_year": "floor_area_m2"}

    id: Annotated[Text, matching(_ID, "id '{}' may hold only letters, digits, '-', '_' and '.'")] = required(
        "a unit needs an id")
    name: Text = required("a unit needs a name")
    kind: Code = required(f"a unit needs a kind: one of {', '.join(UNIT_KINDS)}")
    country: Country = required("a unit needs a country: a two-letter ISO 3166 code (e.g. DK, VN)")
    parent: Text | None = None
    city: Text = ""
    employees: NonNegativeNumber | None = None
    floor_area_m2: NonNegativeNumber | None = None
    employees_by_year: dict[Year, NonNegativeNumber] = {}
    floor_area_m2_by_year: dict[Year, NonNegativeNumber] = {}
    note: Text = ""

    @field_validator("kind")
    @classmethod
    def _kind(cls, kind: str) -> str:
        if kind not in UNIT_KINDS:
            raise ValueError(f"kind '{kind}' is not one of: {', '.join(UNIT_KINDS)}")
        return kind

    @classmethod
    def with_year_columns(cls, names: Iterable[str]) -> type[OrgUnitRow]:
        """The model for a file that also has the per-year columns among ``names``."""
        yearly = tuple(sorted(n for n in names if _YEARLY.match(n)))
        return _with_year_columns(yearly) if yearly else cls

    def unit(self) -> OrgUnit:
        by_year: dict[str, dict[int, float]] = {"employees": dict(self.employees_by_year),
                                                "floor_area_m2": dict(self.floor_area_m2_by_year)}
        for column in self.model_fields_set:
            match = _YEARLY.match(column)
            if match and (value := getattr(self, column)) is not None:
                by_year[match.group(1)][int(match.group(2))] = value
        return OrgUnit(
            id=self.id, name=self.name, kind=self.kind, country=self.country, parent=self.parent or None,
            city=self.city, employees=self.employees, floor_area_m2=self.floor_area_m2,
            employees_by_year=by_year["employees"], floor_area_by_year=by_year["floor_area_m2"], note=self.note,
        )


@lru_cache(maxsize=64)
def _with_year_columns(yearly: tuple[str, ...]) -> type[OrgUnitRow]:
    fields: dict[str, Any] = dict.fromkeys(yearly, (NonNegativeNumber | None, None))
    return create_model("OrgUnitYearsRow", __base__=OrgUnitRow, **fields)


def org_tree_from_records(records: Sequence[tuple[int | None, Mapping[str, Any]]], file: str = "units",
                          organisation: str = "", illustrative: bool = False, note: str = "",
                          convention: Convention = ENGLISH, headers: Mapping[str, str] | None = None) -> OrgTree:
    """A validated tree from ``(row number, fields)`` pairs; all-or-nothing.

    Fields are those of the file template (``id``, ``name``, ``kind``, ``country``,
    ``parent``, ``city``, ``employees``, ``floor_area_m2``, ``note``, and per-year
    ``employees_2024`` / ``floor_area_m2_2024`` or mappings ``employees_by_year``). The web
    layer builds the same records from its models. Numbers written as text are read in
    ``convention`` (the file's, decided by :func:`load_org_tree`); ``headers`` maps columns to
    the headers as written, for messages.
    """
    model = OrgUnitRow.with_year_columns({str(k) for _, fields in records for k in fields})
    checked = validate_rows(model, records, file=file, context=row_context(convention), headers=headers)
    problems = checked.problems
    units = [(row, m.unit()) for (row, _), m in zip(records, checked.models, strict=True) if m is not None]
    if not records:
        problems.append(Problem(file, None, None, "the file lists no units"))
    if not problems:
        problems.extend(_check_structure(units, file))
    if problems:
        raise ValidationError(problems, what=f"organisation units ({file})")
    return OrgTree([u for _, u in units], organisation=organisation, source=file,
                   illustrative=illustrative, note=note)


def _numeric(column: str) -> bool:
    return column in ("employees", "floor_area_m2") or bool(_YEARLY.match(column))


def load_org_tree(source: Source, *, name: str | None = None) -> OrgTree:
    """Read and validate a unit tree from YAML, CSV or Excel; nothing is kept on any problem.

    ``source`` is a path, bytes or a binary file object; ``name`` is the file name shown in
    messages and decides the format for bytes and file objects.
    """
    data, shown = source_bytes(source, name)
    if suffix_of(shown) in YAML_SUFFIXES:
        return _from_yaml(data, shown)
    table = read_table(data, name=shown)
    header = [c.lower() for c in table.header]
    unknown = [c for c in header if c not in BASE_COLUMNS and not _YEARLY.match(c)]
    if unknown:
        raise ValidationError(
            [Problem(shown, None, c, "unknown column; the template's columns are "
                     + ", ".join(BASE_COLUMNS) + " and employees_YYYY / floor_area_m2_YYYY") for c in unknown],
            what=f"organisation units ({shown})",
        )
    rows, problems = table.keyed_rows(_numeric)
    if problems:
        raise ValidationError(problems, what=f"organisation units ({shown})")
    convention = table.info.numbers.convention if table.info.numbers else ENGLISH
    return org_tree_from_records([(r.number, r.values) for r in rows], file=shown, convention=convention,
                                 headers=headers_of(table))


def _from_yaml(raw: bytes, file: str) -> OrgTree:
    data, _, _ = read_yaml(raw, name=file, what=f"organisation units ({file})")
    if not isinstance(data, Mapping) or not isinstance(data.get("units"), list):
        raise ValidationError([Problem(file, None, "units", "expected a mapping with a list under 'units:'")],
                              what=f"organisation units ({file})")
    records: list[tuple[int | None, Mapping[str, Any]]] = []
    problems: list[Problem] = []
    for i, item in enumerate(data["units"], start=1):
        if not isinstance(item, Mapping):
            problems.append(Problem(file, i, None, "each unit must be a mapping (id:, name:, kind:, ...)"))
            continue
        fields = dict(item)
        unknown = [k for k in fields if str(k) not in BASE_COLUMNS and not _YEARLY.match(str(k))]
        problems.extend(Problem(file, i, str(k), "unknown field; a unit has " + ", ".join(BASE_COLUMNS))
                        for k in unknown)
        for column in ("employees", "floor_area_m2"):
            if isinstance(fields.get(column), Mapping):
                fields[f"{column}_by_year"] = fields.pop(column)
        records.append((i, fields))
    # Numbers written as text follow the same rule as in a table (YAML numbers stay numbers).
    rule, number_problems = decide_convention(_number_texts(records), file=file)
    problems += number_problems
    if problems:
        raise ValidationError(problems, what=f"organisation units ({file})")
    return org_tree_from_records(
        records, file=file, organisation=str(data.get("organisation", "")),
        illustrative=bool(data.get("illustrative", False)), note=str(data.get("note", "")).strip(),
        convention=rule.convention,
    )


def _number_texts(records: Sequence[tuple[int | None, Mapping[str, Any]]]) -> Iterable[Cell]:
    """The numbers written as text in YAML units (figures, and per-year figures and years)."""
    for row, fields in records:
        for column, value in fields.items():
            name = str(column)
            if _numeric(name) and isinstance(value, str) and value.strip():
                yield Cell(row, name, value.strip())
            elif name.endswith("_by_year") and isinstance(value, Mapping):
                for year, figure in value.items():
                    for text in (year, figure):
                        if isinstance(text, str) and text.strip():
                            yield Cell(row, name.removesuffix("_by_year"), text.strip())
