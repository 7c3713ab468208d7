"""Greenhouse-gas inventories: emission and activity records, and their totals.

An :class:`Inventory` holds one row per record in columnar numpy arrays (no list of record
objects), so totals over thousands of organisations are a few ``np.bincount`` calls. A record
is either

* an **emission record**: an amount of one gas (tonnes of the gas) or of CO2e, or a notation
  key (NO, IE, NE, C) where there is no number; or
* an **activity record**: an activity amount with a unit (MWh, GJ, km, head, ...) times an
  emission factor with its unit (kg CO2e/kWh, t CO2/TJ, g/km, kg CH4/head); its emissions
  are ``amount x EF`` converted through :mod:`nettonul.engine.core.units`, times the GWP.

Every record has its CO2e under the inventory's single GWP set, a source, a data-quality
mark and an ``estimated`` flag with a note, so no estimate is ever silent. Files are read
and validated by :mod:`nettonul.engine.inventory.readers`; records are checked by
:mod:`nettonul.engine.inventory.records`.

Totals roll children up into parents along the framework's sector tree. For the
``ghgp-corporate`` framework, scope 2 location-based and market-based are alternative views
of the same electricity: every total here uses exactly one of them (``scope2=``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import cached_property
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from nettonul.engine.core.arrays import BoolArray, FloatArray, IntArray, StrArray
from nettonul.engine.core.errors import SpecError
from nettonul.engine.core.frameworks import Framework, get_framework
from nettonul.engine.core.jsondata import finite
from nettonul.engine.core.panel import Panel
from nettonul.engine.core.vocabulary import RECORD_COLUMNS
from nettonul.engine.reference import datasets

NOTATION_KEYS = {
    "NO": "not occurring",
    "IE": "included elsewhere",
    "NE": "not estimated",
    "C": "confidential",
}
Scope2Method = Literal["location", "market"]
#: GPC reporting levels counted in each GPC total (methodology 3.2).
GPC_TOTALS = ("BASIC", "BASIC+", "territorial")

#: The record columns, in the order of the file template (see docs/inventory-format.md).
COLUMNS = RECORD_COLUMNS


def _str(values: Sequence[str]) -> StrArray:
    return np.asarray(list(values), dtype=np.str_)


@dataclass(frozen=True, eq=False)
class Inventory:
    """Emission and activity records of one or more organisations, under one GWP set.

    Every array has one entry per record. ``amount`` is in ``unit`` as the user gave it;
    ``co2e`` is tonnes CO2e under ``gwp_set`` (NaN for a notation key). Activity records
    have a non-empty ``activity`` and an emission factor ``ef`` in ``ef_unit``; emission
    records have ``activity == ""`` and ``ef`` NaN.
    """

    framework: str
    gwp_set: str
    org: StrArray
    year: IntArray
    sector: StrArray
    gas: StrArray
    amount: FloatArray
    unit: StrArray
    co2e: FloatArray
    activity: StrArray
    ef: FloatArray
    ef_unit: StrArray
    source: StrArray
    quality: StrArray
    notation: StrArray
    estimated: BoolArray
    note: StrArray
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        n = self.org.shape[0]
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray) and value.shape != (n,):
                raise SpecError(f"inventory column '{f.name}' has shape {value.shape}, expected ({n},)")
        for code in self._present("sector"):
            self.framework_tree.sector(code)  # raises UnknownSectorError for a bad code

    # ----------------------------------------------------------------- construction
    @classmethod
    def from_columns(cls, framework: str, gwp_set: str, columns: Mapping[str, Sequence[Any]],
                     sources: Sequence[str] = (), notes: Sequence[str] = ()) -> Inventory:
        """An inventory from already-checked columns (lists); missing optional columns get
        their empty value. Use :func:`nettonul.engine.inventory.records.build_inventory` for user input."""
        n = len(columns["org"])

        def text(name: str) -> StrArray:
            values = columns.get(name)
            return np.full(n, "", dtype=np.str_) if values is None else np.asarray(values, dtype=np.str_).reshape(n)

        def num(name: str) -> FloatArray:
            return np.asarray(columns.get(name, [np.nan] * n), dtype=np.float64).reshape(n)

        return cls(
            framework=framework, gwp_set=gwp_set, org=text("org"),
            year=np.asarray(columns["year"], dtype=np.int64).reshape(n), sector=text("sector"),
            gas=text("gas"), amount=num("amount"), unit=text("unit"), co2e=num("co2e"),
            activity=text("activity"), ef=num("ef"), ef_unit=text("ef_unit"), source=text("source"),
            quality=text("quality"), notation=text("notation"),
            estimated=np.asarray(columns.get("estimated", [False] * n), dtype=np.bool_).reshape(n),
            note=text("note"), sources=tuple(sources), notes=tuple(notes),
        )

    # ----------------------------------------------------------------- labels
    def __len__(self) -> int:
        return int(self.org.shape[0])

    @property
    def framework_tree(self) -> Framework:
        return get_framework(self.framework)

    @cached_property
    def orgs(self) -> tuple[str, ...]:
        """Organisations in order of first appearance."""
        labels, inverse = self._factorised("org")
        _, first = np.unique(inverse, return_index=True)
        return tuple(labels[inverse[i]] for i in np.sort(first).tolist())

    def _factorised(self, column: str) -> tuple[list[str], IntArray]:
        """(distinct labels, label number of each record) of a text column, computed once:
        later lookups loop over the few distinct labels, never over the records."""
        cache: dict[str, tuple[list[str], IntArray]] = self.__dict__.setdefault("_factor_cache", {})
        if column not in cache:
            uniq, inverse = np.unique(getattr(self, column), return_inverse=True)
            cache[column] = ([str(u) for u in uniq.tolist()], inverse.reshape(-1).astype(np.int64))
        return cache[column]

    def _map(self, column: str, index: Mapping[str, int]) -> IntArray:
        """``index[label]`` for every record (-1 where the label is not in ``index``)."""
        labels, inverse = self._factorised(column)
        table = np.asarray([index.get(label, -1) for label in labels], dtype=np.int64)
        out: IntArray = table[inverse] if labels else np.zeros(0, dtype=np.int64)
        return out

    def _present(self, column: str, mask: BoolArray | None = None) -> set[str]:
        """The distinct labels of ``column`` among the records in ``mask``."""
        labels, inverse = self._factorised(column)
        used = inverse if mask is None else inverse[mask]
        return {labels[i] for i in np.unique(used).tolist()}

    @property
    def years(self) -> IntArray:
        """The contiguous range of years from the first to the last record."""
        if len(self) == 0:
            return np.zeros(0, dtype=np.int64)
        return np.arange(int(self.year.min()), int(self.year.max()) + 1, dtype=np.int64)

    @property
    def is_activity(self) -> BoolArray:
        out: BoolArray = self.activity != ""
        return out

    def select(self, orgs: Sequence[str] | None = None, years: Sequence[int] | None = None) -> Inventory:
        """The records of the given organisations and/or years."""
        keep = np.ones(len(self), dtype=bool)
        if orgs is not None:
            keep &= np.isin(self.org, _str(orgs))
        if years is not None:
            keep &= np.isin(self.year, np.asarray(list(years), dtype=np.int64))
        return self._take(keep)

    def _take(self, mask: BoolArray) -> Inventory:
        changes = {f.name: getattr(self, f.name)[mask] for f in fields(self)
                   if isinstance(getattr(self, f.name), np.ndarray)}
        return replace(self, **changes)

    # ----------------------------------------------------------------- aggregation core
    def _cube(self, row_of: IntArray, rows: tuple[str, ...], mask: BoolArray | None = None,
              extra_notes: Sequence[str] = ()) -> Panel:
        """Sum CO2e into a panel org x row x year; ``row_of[i]`` is record i's row (-1 = skip)."""
        orgs = self.orgs
        years = self.years
        use = ~np.isnan(self.co2e) & (row_of >= 0)
        if mask is not None:
            use &= mask
        oi = self._map("org", {o: i for i, o in enumerate(orgs)})
        shape = (len(orgs), len(rows), int(years.size))
        size = int(np.prod(shape))
        first_year = int(years[0]) if years.size else 0
        # One flat cell number per record, so each sum is a single bincount.
        cell = (oi[use] * len(rows) + row_of[use]) * int(years.size) + (self.year[use] - first_year)
        total = np.asarray(np.bincount(cell, weights=self.co2e[use], minlength=size), dtype=np.float64).reshape(shape)
        count = np.bincount(cell, minlength=size).reshape(shape)
        est = np.asarray(np.bincount(cell, weights=self.estimated[use].astype(np.float64), minlength=size),
                         dtype=np.float64).reshape(shape)
        return self._panel(orgs, rows, years, total, count, est, extra_notes)

    def _panel(self, orgs: tuple[str, ...], rows: tuple[str, ...], years: IntArray, total: FloatArray,
               count: npt.NDArray[np.int64], est: FloatArray, extra_notes: Sequence[str]) -> Panel:
        notes = list(self.notes) + list(extra_notes)
        n_est = int(self.estimated.sum())
        if n_est:
            notes.append(f"{n_est} record{'s are' if n_est != 1 else ' is'} marked as "
                         f"{'estimates' if n_est != 1 else 'an estimate'} in the inventory")
        return Panel(
            orgs=orgs, sectors=rows, years=years, values=np.where(count > 0, total, np.nan),
            estimated=est > 0, unit="t_CO2e", gwp_set=self.gwp_set, framework=self.framework,
            sources=self.sources or tuple(sorted(self._present("source") - {""})), notes=tuple(notes),
        )

    # ----------------------------------------------------------------- by sector
    def _scope2_mask(self, scope2: Scope2Method) -> BoolArray:
        """Records to count: for ghgp-corporate, drop the other scope 2 method's sectors."""
        fw = self.framework_tree
        other = "market" if scope2 == "location" else "location"
        if scope2 not in ("location", "market"):
            raise SpecError(f"scope2 must be 'location' or 'market', not '{scope2}'")
        dropped = {s.code for s in fw if s.scope2_method == other}
        keep: BoolArray = self._map("sector", dict.fromkeys(dropped, 1)) != 1
        return keep

    def _scope2_note(self, scope2: Scope2Method) -> list[str]:
        if not any(s.scope2_method for s in self.framework_tree):
            return []
        return [f"scope 2 is counted {scope2}-based; location- and market-based are never added together"]

    def by_sector(self, level: Literal["top", "given", "all"] | int = "top",
                  scope2: Scope2Method = "location") -> Panel:
        """CO2e by sector, t CO2e, children rolled up into parents.

        ``level``: ``"top"`` (top-level sectors; the same as depth 0), an int depth (each
        record counts in its ancestor at that depth, or in its own sector if it is given at a
        shallower level), ``"given"`` (the sectors as given), or ``"all"`` (every sector of the
        framework with its rolled-up total; rows overlap, so do not add them up). Except for
        ``"all"``, the rows add up to :meth:`total`.
        """
        fw = self.framework_tree
        codes = [s.code for s in fw]
        depth = {c: len(fw.ancestors(c)) for c in codes}
        if level == "all":
            # membership[a, s] is 1 when sector a is s itself or one of its ancestors.
            index = {c: i for i, c in enumerate(codes)}
            membership = np.zeros((len(codes), len(codes)))
            for c in codes:
                for a in (c, *fw.ancestors(c)):
                    membership[index[a], index[c]] = 1.0
            leaf = self._cube(self._map("sector", index), tuple(codes), self._scope2_mask(scope2),
                              self._scope2_note(scope2))
            given = ~np.isnan(leaf.values)
            values = np.einsum("as,osy->oay", membership, np.nan_to_num(leaf.values))
            count = np.einsum("as,osy->oay", membership, given.astype(float))
            est = np.einsum("as,osy->oay", membership, leaf.estimated.astype(float))
            used = count.sum(axis=(0, 2)) > 0
            return replace(leaf, sectors=tuple(c for c, u in zip(codes, used, strict=True) if u),
                           values=np.where(count > 0, values, np.nan)[:, used],
                           estimated=(est > 0)[:, used])
        if level == "top":
            cut = 0
        elif level == "given":
            cut = max(depth.values())
        elif isinstance(level, int) and level >= 0:
            cut = level
        else:
            raise SpecError(f"level must be 'top', 'given', 'all' or a depth >= 0, not {level!r}")

        def truncated(code: str) -> str:
            chain = (code, *fw.ancestors(code))  # nearest first, top-level last
            return chain[max(0, len(chain) - 1 - cut)]

        keep = self._scope2_mask(scope2)
        target = {c: truncated(c) for c in self._present("sector", keep)}
        rows = tuple(c for c in codes if c in set(target.values()))
        row_of = self._map("sector", {c: rows.index(t) for c, t in target.items()})
        return self._cube(row_of, rows, keep, self._scope2_note(scope2))

    def to_panel(self, level: Literal["top", "given"] | int = "top", scope2: Scope2Method = "location") -> Panel:
        """The inventory as a :class:`Panel` of t CO2e by organisation x sector x year.

        The default, top-level sectors, is what pathways, back-casting and baselines use.
        Years without any record are NaN (never filled silently; see ``engine.gapfill``).
        """
        return self.by_sector(level, scope2=scope2)

    def total(self, scope2: Scope2Method = "location") -> FloatArray:
        """Total t CO2e by (organisation, year); NaN where an organisation has no number."""
        return self.by_sector("top", scope2=scope2).total()

    # ----------------------------------------------------------------- by gas
    def by_gas(self, scope2: Scope2Method = "location") -> Panel:
        """CO2e by gas (rows are gases: CO2, CH4, N2O, ..., and 'CO2e' for amounts given as
        CO2e without a gas split), t CO2e. Rows add up to :meth:`total`."""
        order = {"CO2": 0, "CH4": 1, "N2O": 2, "CO2e": 99}
        keep = self._scope2_mask(scope2)
        rows = tuple(sorted(self._present("gas", keep), key=lambda g: (order.get(g, 50), g)))
        row_of = self._map("gas", {g: i for i, g in enumerate(rows)})
        return self._cube(row_of, rows, keep, self._scope2_note(scope2))

    # ----------------------------------------------------------------- by scope
    def by_scope(self, scope2: Scope2Method = "location") -> Panel:
        """CO2e by scope (rows ``scope 1``, ``scope 2``, ``scope 3``, and ``unspecified`` for
        records at a sector level that spans scopes), t CO2e.

        For ``ghgp-corporate`` the scope 2 row is the ``scope2`` method only; call twice for
        dual reporting. The ``dk-municipal`` framework has no scopes.
        """
        fw = self.framework_tree
        if not any(s.scope for s in fw):
            raise SpecError(f"the {fw.id} framework has no scopes; aggregate by sector or by gas instead")

        def scope_of(code: str) -> str:
            for c in (code, *fw.ancestors(code)):
                if fw.sector(c).scope is not None:
                    return f"scope {fw.sector(c).scope}"
            return "unspecified"

        keep = self._scope2_mask(scope2)
        label = {c: scope_of(c) for c in self._present("sector", keep)}
        rows = tuple(r for r in ("scope 1", "scope 2", "scope 3", "unspecified") if r in set(label.values()))
        row_of = self._map("sector", {c: rows.index(r) for c, r in label.items()})
        return self._cube(row_of, rows, keep, self._scope2_note(scope2))

    def gpc_totals(self) -> Panel:
        """GPC BASIC, BASIC+ and territorial totals (methodology 3.2), t CO2e.

        BASIC sums the reference numbers of level B; BASIC+ adds those of level B+;
        territorial sums every scope-1 reference, including I.4.4 and III.x.3. The rows
        overlap: never add them up. Records given at a level without a reporting level
        (e.g. ``I.1``) cannot be classified and are left out, with a note.
        """
        fw = self.framework_tree
        if not any(s.level for s in fw):
            raise SpecError(f"BASIC/BASIC+/territorial totals need GPC reporting levels; {fw.id} has none")
        codes = [s.code for s in fw]
        level_names = ["", "B", "B+", "T", "optional"]
        level_of = self._map("sector", {c: level_names.index(fw.sector(c).level or "") if
                                         (fw.sector(c).level or "") in level_names else 0 for c in codes})
        levels = np.asarray(level_names, dtype=np.str_)[level_of]
        scope1 = self._map("sector", {c: int(fw.sector(c).scope == 1) for c in codes}) == 1
        unclassified = (levels == "") & ~np.isnan(self.co2e)
        notes = []
        if unclassified.any():
            codes = sorted(self._present("sector", unclassified))
            notes.append(f"{int(unclassified.sum())} records in sectors without a GPC reporting level "
                         f"({', '.join(codes)}) are not in BASIC, BASIC+ or territorial")
        masks = {"BASIC": levels == "B", "BASIC+": np.isin(levels, ["B", "B+"]), "territorial": scope1}
        parts = [self._cube(np.zeros(len(self), dtype=np.int64), (name,), masks[name]) for name in GPC_TOTALS]
        base = parts[0]
        return replace(base, sectors=GPC_TOTALS, values=np.concatenate([p.values for p in parts], axis=1),
                       estimated=np.concatenate([p.estimated for p in parts], axis=1),
                       notes=base.notes + tuple(notes) + ("BASIC, BASIC+ and territorial overlap; do not add them",))

    # ----------------------------------------------------------------- export
    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per record with the template's columns (see ``COLUMNS``)."""
        out = []
        for i in range(len(self)):
            activity = bool(self.activity[i])
            out.append({
                "organisation": str(self.org[i]), "year": int(self.year[i]), "sector": str(self.sector[i]),
                "gas": str(self.gas[i]),
                "amount": finite(self.amount[i]),
                "unit": str(self.unit[i]), "activity": str(self.activity[i]),
                "emission_factor": float(self.ef[i]) if activity else None,
                "ef_unit": str(self.ef_unit[i]),
                "co2e_t": finite(self.co2e[i]),
                "source": str(self.source[i]), "quality": str(self.quality[i]),
                "notation": str(self.notation[i]), "estimated": bool(self.estimated[i]),
                "note": str(self.note[i]),
            })
        return out


def shipped_inventory(codes: Sequence[str] | None = None) -> Inventory:
    """Energistyrelsen's Energi- og CO2-regnskab (shipped data) as an :class:`Inventory`:
    t CO2e (AR5) by municipality x top-level dk-municipal sector x year, one record per cell,
    for the given municipalities (kommunekoder or names; all 98 by default)."""
    k = datasets.klimaregnskab()
    orgs = k.codes if codes is None else tuple(datasets.find_municipality(c).code for c in codes)
    index = {c: i for i, c in enumerate(k.codes)}
    values = k.values[[index[c] for c in orgs]]  # (org, sector, year)
    o, s, y = np.meshgrid(np.arange(len(orgs)), np.arange(len(k.sectors)), np.arange(k.years.size), indexing="ij")
    n = values.size
    citation = k.source.citation()
    flat = values.reshape(n)
    return Inventory.from_columns(
        "dk-municipal", k.gwp_set,
        {
            "org": np.asarray(orgs, dtype=np.str_)[o.reshape(n)].tolist(),
            "year": k.years[y.reshape(n)].tolist(),
            "sector": np.asarray(k.sectors, dtype=np.str_)[s.reshape(n)].tolist(),
            "gas": ["CO2e"] * n, "amount": flat.tolist(), "unit": ["t_CO2e"] * n, "co2e": flat.tolist(),
            "source": [citation] * n,
        },
        sources=(citation,),
    )
