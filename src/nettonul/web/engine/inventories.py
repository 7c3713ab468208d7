"""Inventories and pathways: emission records to engine inventories and back, uploads read by
the engine's readers, an organisation's stored inventory completed with the shipped series
(in memory), and the inventory table, pathway and national overview the engine computes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from nettonul.engine.core import i18n
from nettonul.engine.core.errors import EngineError, InventoryValidationError, Problem
from nettonul.engine.core.frameworks import get_framework
from nettonul.engine.core.jsondata import finite, finites, plain
from nettonul.engine.inventory.gapfill import fill_years
from nettonul.engine.inventory.model import Inventory
from nettonul.engine.inventory.readers import TEMPLATE_HEADERS, how_read, read_inventory
from nettonul.engine.inventory.readers import read_table as read_inventory_table
from nettonul.engine.inventory.records import build_inventory
from nettonul.engine.inventory.stored import Change, compare, double_counts, years_of
from nettonul.engine.pathway.pathway import Pathway, PathwaySpec, compute_pathway
from nettonul.engine.pathway.targets import Target, check_consistent
from nettonul.engine.reference import datasets
from nettonul.web.engine import cache

#: EmissionRecord field -> Inventory.from_columns column.
RECORD_COLUMNS = {
    "organisation_code": "org", "year": "year", "sector": "sector", "gas": "gas", "amount": "amount",
    "unit": "unit", "co2e_t": "co2e", "activity": "activity", "emission_factor": "ef", "ef_unit": "ef_unit",
    "source": "source", "quality": "quality", "notation": "notation", "estimated": "estimated", "note": "note",
}


# ----------------------------------------------------------------------------- inventories
def inventory_from_records(framework: str, gwp_set: str, records: Sequence[Mapping[str, Any]],
                           sources: Sequence[str] = ()) -> Inventory:
    """An engine inventory from EmissionRecord rows (``QuerySet.values()`` dicts)."""
    columns: dict[str, list[Any]] = {col: [] for col in RECORD_COLUMNS.values()}
    for r in records:
        for field, col in RECORD_COLUMNS.items():
            value = r[field]
            if col in ("amount", "co2e", "ef") and value is None:
                value = math.nan
            columns[col].append(value)
    return Inventory.from_columns(framework, gwp_set, columns, sources=sources)


def records_from_inventory(inventory: Inventory) -> list[dict[str, Any]]:
    """EmissionRecord field values for every record of an engine inventory."""
    out = []
    for row in inventory.to_rows():
        out.append({
            "organisation_code": row["organisation"], "year": row["year"], "sector": row["sector"],
            "gas": row["gas"], "amount": row["amount"], "unit": row["unit"], "co2e_t": row["co2e_t"],
            "activity": row["activity"], "emission_factor": row["emission_factor"], "ef_unit": row["ef_unit"],
            "source": row["source"], "quality": row["quality"], "notation": row["notation"],
            "estimated": row["estimated"], "note": row["note"],
        })
    return out


def _only(organisation_code: str) -> Callable[[str], str]:
    """The organisation resolver of an upload: every row must be for ``organisation_code``."""
    def only_this(cell: str) -> str:
        code = cell.strip()
        if code in (organisation_code, organisation_code.lstrip("0")):
            return organisation_code
        try:
            if datasets.find_municipality(code).code == organisation_code:
                return organisation_code
        except EngineError:
            pass
        raise EngineError(_("this upload is for organisation %(code)s, not '%(cell)s'")
                          % {"code": organisation_code, "cell": cell})

    return only_this


#: How an upload is merged with the current inventory.
MERGE_MODES = ("add", "years", "all")
#: A change of at least this fraction between the current and the new figures is highlighted.
LARGE_CHANGE = 0.2


@dataclass(frozen=True)
class UploadRead:
    """An upload as read: how (``read_as``: kind, separator, encoding, sheet, number
    convention), the inventory when every row passed, the file row of each of its records,
    and every problem otherwise."""

    name: str
    read_as: dict[str, Any]
    inventory: Inventory | None
    rows: tuple[int, ...]
    problems: tuple[Problem, ...]
    sector_column: str = "sector"


def read_upload(data: bytes | Path, *, framework: str, gwp_set: str, organisation_code: str,
                name: str) -> UploadRead:
    """Read and validate an upload like :func:`read_inventory_upload`, keeping how the file
    was read and the row of each record, and returning the problems instead of raising."""
    try:
        table = read_inventory_table(data, None, name)
    except InventoryValidationError as exc:
        return UploadRead(name, {}, None, (), exc.problems)
    info = how_read(table)
    read_as = {"kind": info.kind, "separator": info.separator, "encoding": info.encoding, "sheet": info.sheet,
               "convention": info.numbers.convention if info.numbers else None,
               "described": info.describe()}
    try:
        inventory = build_inventory(table, framework=framework, gwp=gwp_set,
                                    resolve_organisation=_only(organisation_code))
    except InventoryValidationError as exc:
        return UploadRead(table.file, read_as, None, (), exc.problems, table.headers.get("sector", "sector"))
    rows = tuple(r.number for r in table.rows) if len(table.rows) == len(inventory) else ()
    return UploadRead(table.file, read_as, inventory, rows, (), table.headers.get("sector", "sector"))


_KEY = ("organisation_code", "sector", "year", "gas", "activity")


@dataclass(frozen=True)
class MergedUpload:
    """What storing an upload would give: the merged records, how many stored records the
    upload replaces, the problems of the merged inventory (double counts), and the per sector
    and year comparison with the current inventory."""

    records: list[dict[str, Any]]
    replaced: int
    problems: tuple[Problem, ...]
    changes: tuple[Change, ...]


def merge_upload(stored: Sequence[Mapping[str, Any]], stored_number: int | None, upload: UploadRead, mode: str,
                 framework: str, gwp_set: str) -> MergedUpload:
    """Merge ``upload`` (read without problems) into the ``stored`` records of the current
    version (number ``stored_number``) by ``mode`` and check the result as a whole: a sector
    stored together with one of its sub-sectors for the same year (one from the file, one
    from the stored inventory) is a problem on the file's row, in the user's language."""
    if upload.inventory is None:
        raise ValueError("merge_upload needs an upload without problems")
    if mode not in MERGE_MODES:
        raise ValueError(f"unknown merge mode {mode!r}")
    new = records_from_inventory(upload.inventory)
    years = {int(r["year"]) for r in new}
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    origin: dict[tuple[Any, ...], int | None] = {}  # key -> file row (None: from the stored inventory)
    if mode != "all":
        for row in stored:
            if mode == "years" and int(row["year"]) in years:
                continue
            key = tuple(row[k] for k in _KEY)
            merged[key], origin[key] = dict(row), None
    replaced = sum(1 for r in new if tuple(r[k] for k in _KEY) in merged)
    rows: Sequence[int | None] = upload.rows or (None,) * len(new)
    for r, number in zip(new, rows, strict=True):
        key = tuple(r[k] for k in _KEY)
        merged[key], origin[key] = r, number if number is not None else 0
    records = list(merged.values())
    keys = list(merged)
    combined = inventory_from_records(framework, gwp_set, records)
    names = sector_names(framework, set(combined.sector.tolist()), (get_language() or "en")[:2])
    problems = []
    for clash in double_counts(combined):
        parent_row, child_row = origin[keys[clash.parent_index]], origin[keys[clash.child_index]]
        if parent_row is not None and child_row is not None:
            continue  # within the file: the file's own check already refuses it
        args = {"parent": names.get(clash.parent, clash.parent), "child": names.get(clash.child, clash.child),
                "year": clash.year, "n": stored_number}
        at: int | None
        if parent_row is not None:
            reason = _("%(parent)s %(year)s in the file would be stored on top of %(child)s %(year)s, which the "
                       "current inventory (version %(n)s) already has: the sub-sector would count twice. Give "
                       "the sub-sectors instead, or choose \"replace the years in the file\" or \"replace the "
                       "whole inventory\".") % args
            at = parent_row
        else:
            reason = _("%(child)s %(year)s in the file would be stored under %(parent)s %(year)s, which the "
                       "current inventory (version %(n)s) already has as a whole: it would count twice. Give the "
                       "sector as a whole instead, or choose \"replace the years in the file\" or \"replace "
                       "the whole inventory\".") % args
            at = child_row
        problems.append(Problem(upload.name, at or None, upload.sector_column, reason))
    old = inventory_from_records(framework, gwp_set, stored) if stored else None
    touched = None if mode == "all" else years
    changes = compare(old, combined, touched)
    return MergedUpload(records, replaced, tuple(sorted(problems, key=lambda p: p.row or 0)), tuple(changes))


def comparison_rows(changes: Sequence[Change], framework: str, language: str) -> list[dict[str, Any]]:
    """The comparison for a template: sector name, year, old and new t CO2e, the change as a
    fraction, and whether it is large (:data:`LARGE_CHANGE`, or a sector-year added or gone)."""
    names = sector_names(framework, {c.sector for c in changes}, language)
    return [{"sector": names[c.sector], "code": c.sector, "year": c.year, "old": c.old, "new": c.new,
             "change": c.change, "large": c.is_large(LARGE_CHANGE),
             "pct_text": i18n.percent(c.change, language, 1, signed=True) if c.change is not None else None}
            for c in changes]


def inventory_years(inventory: Inventory) -> set[int]:
    return years_of(inventory)


def read_inventory_upload(data: bytes | Path, *, framework: str, gwp_set: str, organisation_code: str,
                          name: str | None = None) -> Inventory:
    """Read and validate an uploaded CSV or Excel inventory (its bytes, in memory, or a file)
    with the engine's readers.

    Raises :class:`~nettonul.engine.core.errors.InventoryValidationError` listing every problem
    (file, row, column, reason); rows for another organisation than ``organisation_code``
    are problems too, so an upload can never touch another organisation's data.
    """
    return read_inventory(data, framework=framework, gwp=gwp_set, resolve_organisation=_only(organisation_code),
                          name=name)


def sector_names(framework: str, codes: Iterable[str], language: str) -> dict[str, str]:
    fw = get_framework(framework)
    out = {}
    for code in codes:
        try:
            out[code] = fw.sector(code).name(language)
        except EngineError:
            out[code] = code
    return out


def inventory_table(inventory: Inventory, language: str | None = "en") -> dict[str, Any]:
    """Emissions by top-level sector and year for one organisation, ready for a table
    (sector names in ``language``; the codes when None)."""
    panel = inventory.to_panel()
    names = sector_names(panel.framework, panel.sectors, language) if language else {s: s for s in panel.sectors}
    total = panel.total()[0] if panel.orgs else np.zeros(0)
    return {
        "years": panel.years.tolist(),
        "unit": panel.unit, "gwp_set": panel.gwp_set, "framework": panel.framework,
        "sectors": [
            {"code": s, "name": names[s], "values": finites(panel.values[0, j]),
             "estimated": panel.estimated[0, j].tolist()}
            for j, s in enumerate(panel.sectors)
        ] if panel.orgs else [],
        "total": finites(total),
        "sources": list(dict.fromkeys((*panel.sources, *inventory.sources))),
        "notes": list(panel.notes),
    }


# ----------------------------------------------------------------------------- pathways
def pathway_spec(base_year: int, targets: Sequence[Target] | None) -> PathwaySpec:
    """The engine's pathway spec; without targets, the Danish default targets."""
    if targets:
        check_consistent(targets)
        return PathwaySpec(targets=tuple(targets), base_year=base_year)
    return PathwaySpec(base_year=base_year)


def compute(inventory: Inventory, base_year: int = 1990, targets: Sequence[Target] | None = None) -> Pathway:
    return compute_pathway(inventory.to_panel(), pathway_spec(base_year, targets))


def pathway_dict(pathway: Pathway, org: str, language: str | None = "en") -> dict[str, Any]:
    """One organisation's pathway for templates and the API: the engine's ``to_dict`` with
    NaN as None, sector names (none when ``language`` is None), and a year-by-year table
    whose ``estimated`` flags the engine's back-cast years."""
    raw = pathway.to_dict(org)
    data: dict[str, Any] = plain(raw, strict=False)
    data["framework"] = pathway.history.framework
    data["sector_names"] = sector_names(pathway.history.framework, pathway.sectors, language) if language else {}
    years = raw["years"]
    data["table"] = [
        {"year": y, "historical": data["historical"]["total"][i], "estimated": raw["historical"]["estimated"][i],
         "bau": data["bau"]["total"][i], "target_path": data["target_path"]["values"][i], "gap": data["gap"][i]}
        for i, y in enumerate(years)
    ]
    return data


def overview(inventory: Inventory, targets_by_org: Mapping[str, tuple[Target, ...]],
             base_year: int = 1990, language: str | None = "en") -> dict[str, dict[str, Any]]:
    """Key figures per organisation for the national overview (targets described in ``language``).

    Organisations that share the same targets are computed together in one engine call
    (normally all those without an own plan share the Danish default targets).
    """
    groups: dict[tuple[Target, ...], list[str]] = {}
    for org in inventory.orgs:
        groups.setdefault(tuple(targets_by_org.get(org, ())), []).append(org)
    out: dict[str, dict[str, Any]] = {}
    for targets, orgs in groups.items():
        pathway = compute_pathway(inventory.select(orgs).to_panel(), pathway_spec(base_year, targets))
        last = pathway.last_inventory_year
        emissions_last = pathway.at(pathway.historical, last)
        emissions_base = pathway.at(pathway.historical, base_year)
        per_capita = pathway.at(pathway.per_capita(pathway.historical), last)
        path_last = pathway.at(pathway.path.values, last)
        milestones = pathway.milestone_targets
        first = milestones[0] if milestones else None
        gap_first = pathway.at(pathway.gap, first.year) if first else np.full(len(orgs), np.nan)
        for i, org in enumerate(pathway.orgs):
            out[org] = {
                "year": last,
                "emissions": finite(emissions_last[i]),
                "emissions_base": finite(emissions_base[i]),
                "base_estimated": bool(pathway.historical_estimated[i, 0]),
                "per_capita": finite(per_capita[i]),
                "change_since_base": finite(emissions_last[i] / emissions_base[i] - 1.0)
                if emissions_base[i] else None,
                "path_value": finite(path_last[i]),
                "targets": [t.describe(language) for t in pathway.spec.targets],
                "milestone": first.describe(language) if first else None,
                "milestone_year": first.year if first else None,
                "gap": finite(gap_first[i]),
                "on_track": None if math.isnan(float(gap_first[i])) else bool(gap_first[i] <= 0),
                "sources": list(pathway.sources),
            }
    return out


def shipped_source() -> datasets.DataSource:
    """The shipped Energi- og CO2-regnskab's source (title, citation, vintage, file)."""
    return datasets.SOURCES["klimaregnskab"]


# ----------------------------------------------------------------------------- stored inventories
def version_inventory(version: Any) -> Inventory:
    """The engine inventory of a stored inventory version's records (read in one query)."""
    rows = list(version.records.order_by("id").values(*RECORD_COLUMNS))
    return inventory_from_records(version.framework, version.gwp_set, rows,
                                  sources=[version.source] if version.source else ())


@dataclass(frozen=True)
class StoredInventory:
    """An organisation's stored inventory as the engine takes it: its records completed with
    the shipped Energi- og CO2-regnskab in the years they do not cover, in memory."""

    inventory: Inventory
    name: str
    year: int
    notes: tuple[str, ...]

    def reference(self) -> dict[str, Any]:
        """The plan document's ``inventory`` entry for these records (they reach the engine in
        memory, :func:`nettonul.engine.plan.spec.with_inventory`; the path only names them)."""
        return {"source": "file", "path": self.name, "year": self.year, "note": self.name}


def stored_inventory(organisation: Any, framework: str, published_only: bool = True,
                     version: Any = None) -> StoredInventory | None:
    """``organisation``'s current stored inventory (the published version in force; a draft
    never is), or the published ``version`` given (an earlier one, for the last good figures),
    merged with the shipped series; None without one in ``framework``.
    (``published_only`` is kept for callers; the current version is always published.)

    Kept between requests under the inventory version (:func:`cache.stored`): every page of a
    plan needs it, and reading and merging the records is most of a page's cost otherwise."""
    from nettonul.web.inventory.models import InventoryVersion

    # a version given is the caller's choice (an earlier published one, or a draft its members preview)
    chosen = {"pk": version.pk} if version is not None else {"is_current": True, "published": True}
    version = (InventoryVersion.objects.filter(organisation_id=organisation.pk, framework=framework, **chosen)
               .order_by("-number")
               .only("pk", "number", "organisation_id", "created_at", "record_count", "framework", "gwp_set",
                     "source").first())
    if version is None:
        return None

    def build() -> StoredInventory | bool:
        stored = version_inventory(version)
        if not stored.org.size:
            return False  # kept as "none" (the cache does not keep None)
        merged, notes = fill_years(stored, organisation.code)
        return StoredInventory(merged, f"stored inventory version {version.number} of {organisation.code}",
                               int(merged.year.max()), tuple(notes))

    found = cache.stored(f"stored-inventory-{framework}", version, build)
    return found if isinstance(found, StoredInventory) else None


# ----------------------------------------------------------------------------- results kept between requests
def organisation_results(version: Any, base_year: int, targets: Sequence[Target] | None,
                         load: Callable[[], Inventory] | None = None) -> dict[str, Any]:
    """The inventory table and the pathway (history with the back-cast estimate mask, BAU,
    target path, gap) of one organisation's inventory version with ``targets`` (the Danish
    national targets when None), language-independent, kept between requests under the key of
    the engine inputs (the inventory's records, base year and targets).

    ``load`` reads the inventory (default: the version's records, kept per version). Returns
    ``{"key", "table", "pathway", "error"}``; :func:`localised` adds sector names."""
    try:
        inventory = load() if load is not None else cache.stored("version-inventory", version,
                                                                 lambda: version_inventory(version))
    except EngineError as exc:  # stored records the engine no longer accepts (e.g. a renamed sector)
        return {"key": "", "table": None, "pathway": None, "error": str(exc)}
    org = version.organisation.code
    out: dict[str, Any] = {"key": cache.key("inventory-table", inventory), "table": None, "pathway": None,
                           "error": None}
    try:
        out["key"], out["table"] = cache.cached("inventory-table", (inventory,),
                                                lambda: inventory_table(inventory, None))
        spec = pathway_spec(base_year, targets)
        out["key"], out["pathway"] = cache.cached(
            "pathway", (inventory, spec, org),
            lambda: pathway_dict(compute_pathway(inventory.to_panel(), spec), org, None))
    except EngineError as exc:
        out["error"] = str(exc)
    return out


def target_words(targets: Sequence[Target] | None, framework: str, language: str) -> dict[str, str]:
    """Each target's English description (the engine's, in cached results) -> its description
    in ``language`` with the sector's name; the Danish national targets when None."""
    chosen = tuple(targets) if targets else pathway_spec(1990, None).targets
    names = sector_names(framework, [t.sector for t in chosen if t.sector], language)
    return {t.describe(): t.describe(language, names.get(t.sector) if t.sector else None) for t in chosen}


def localised(results: dict[str, Any], language: str, targets: Sequence[Target] | None = None) -> dict[str, Any]:
    """Sector names and target descriptions (of ``targets``, the Danish national targets when
    None) in ``language`` on a copy of :func:`organisation_results`' table and pathway."""
    out = dict(results)
    if results.get("table"):
        table = dict(results["table"])
        names = sector_names(table["framework"], [s["code"] for s in table["sectors"]], language)
        table["sectors"] = [dict(s, name=names[s["code"]]) for s in table["sectors"]]
        out["table"] = table
    if results.get("pathway"):
        pathway = dict(results["pathway"])
        pathway["sector_names"] = sector_names(pathway["framework"], pathway["historical"]["by_sector"], language)
        words = target_words(targets, pathway["framework"], language)
        pathway["targets"] = [words.get(t, t) for t in pathway["targets"]]
        pathway["past_targets"] = [words.get(t, t) for t in pathway.get("past_targets", [])]
        path = dict(pathway["target_path"])
        path["milestones"] = [dict(m, target=words.get(m["target"], m["target"])) for m in path["milestones"]]
        pathway["target_path"] = path
        out["pathway"] = pathway
    return out


def version_comparison(current: Any, version: Any, language: str) -> list[dict[str, Any]]:
    """Per top-level sector and year, ``current``'s (an inventory version, or None) and
    ``version``'s t CO2e with the change (:func:`comparison_rows`): for a draft merged onto the
    current inventory, only the years its file has; otherwise every year either has."""
    new = cache.stored("version-inventory", version, lambda: version_inventory(version))
    old = cache.stored("version-inventory", current, lambda: version_inventory(current)) if current else None
    file_years = (version.read_as or {}).get("years")
    years = {int(y) for y in file_years} if file_years and version.mode in ("add", "years") else None
    return comparison_rows(compare(old, new, years), version.framework, language)


# ----------------------------------------------------------------------------- downloads
#: The columns a normalised download and the short template have (the template's first six).
SHORT_TEMPLATE = ("organisation", "year", "sector", "gas", "amount", "unit", "source")


def _plain_number(value: float, danish: bool) -> str:
    """Every digit of ``value`` without grouping or exponent; a decimal comma in Danish."""
    text = format(Decimal(repr(float(value))), "f")
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return text.replace(".", ",") if danish else text


def version_rows(version: Any, language: str, *, text_numbers: bool) -> list[list[Any]]:
    """A stored version's records in the inventory template (header in ``language``, the
    file a user could upload again): every column, numbers exact; with ``text_numbers`` (a
    CSV) written in the language's convention (Danish: decimal comma, no grouping), otherwise
    as numbers (Excel); ``estimated`` as yes/no words of the template (``ja``/``nej``)."""
    lang = i18n.language_of(language)
    danish = lang == "da"
    names = TEMPLATE_HEADERS[lang]
    rows: list[list[Any]] = [list(names.values())]
    for r in version_inventory(version).to_rows():
        line: list[Any] = []
        for column in names:
            value = r[column]
            if column == "estimated":
                value = ("ja" if value else "nej") if danish else ("true" if value else "false")
            elif column in ("amount", "emission_factor"):
                value = "" if value is None else (_plain_number(value, danish) if text_numbers else float(value))
            line.append(value)
        rows.append(line)
    return rows


def template_rows(language: str, organisation_code: str) -> list[list[Any]]:
    """The short inventory template in ``language`` (``kommunekode;år;sektor;gas;udledning;
    enhed;kilde`` in Danish) with two example rows for ``organisation_code``: one total for a
    sector and one amount of a single gas. The example numbers are placeholders to overwrite."""
    lang = i18n.language_of(language)
    names = TEMPLATE_HEADERS[lang]
    unit = "t CO2e"
    source = "Energi- og CO2-regnskabet" if lang == "da" else "Energy and CO2 accounts"
    return [[names[c] for c in SHORT_TEMPLATE],
            [organisation_code, 2024, "energy", "CO2e", 0, unit, source],
            [organisation_code, 2024, "agriculture", "CH4", 0, "t", source]]
