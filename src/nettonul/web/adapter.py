"""The one seam between the database and the engine.

Models go in as engine inputs (:class:`~nettonul.engine.inventory.model.Inventory`, target specs,
effects); engine results come out as plain dicts and lists for templates and the API. No
emissions, paths or gaps are computed here or anywhere else in the web layer: this module
only converts, and every number it returns was computed by :mod:`nettonul.engine`.
"""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from nettonul.engine.core.errors import NettonulError
from nettonul.engine.core.frameworks import get_framework
from nettonul.engine.core.jsondata import finite, finites, plain
from nettonul.engine.core.panel import Panel
from nettonul.engine.inventory.model import Inventory
from nettonul.engine.inventory.readers import read_inventory, write_csv
from nettonul.engine.pathway.pathway import Pathway, PathwaySpec, compute_pathway
from nettonul.engine.pathway.targets import Absolute, NetZero, PerCapita, Reduction, Target, check_consistent
from nettonul.engine.plan.compile import compile_plan
from nettonul.engine.plan.effects import Effect
from nettonul.engine.plan.scenario import evaluate
from nettonul.engine.plan.spec import Plan as EnginePlan
from nettonul.engine.plan.spec import parse_plan, unmarked_numbers
from nettonul.engine.plan.uncertainty import simulate
from nettonul.engine.reference import datasets
from nettonul.web.results import CACHE_SECONDS, cache_key, inventory_key

#: EmissionRecord field -> Inventory.from_columns column.
RECORD_COLUMNS = {
    "organisation_code": "org", "year": "year", "sector": "sector", "gas": "gas", "amount": "amount",
    "unit": "unit", "co2e_t": "co2e", "activity": "activity", "emission_factor": "ef", "ef_unit": "ef_unit",
    "source": "source", "quality": "quality", "notation": "notation", "estimated": "estimated", "note": "note",
}
_EFFECT = TypeAdapter(Effect)


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


def read_inventory_upload(path: Path, *, framework: str, gwp_set: str, organisation_code: str,
                          name: str | None = None) -> Inventory:
    """Read and validate an uploaded CSV or Excel inventory with the engine's readers.

    Raises :class:`~nettonul.engine.core.errors.InventoryValidationError` listing every problem
    (file, row, column, reason); rows for another organisation than ``organisation_code``
    are problems too, so an upload can never touch another organisation's data.
    """
    def only_this(cell: str) -> str:
        code = cell.strip()
        if code in (organisation_code, organisation_code.lstrip("0")):
            return organisation_code
        try:
            if datasets.find_municipality(code).code == organisation_code:
                return organisation_code
        except NettonulError:
            pass
        raise NettonulError(f"this upload is for organisation {organisation_code}, not '{cell}'")

    return read_inventory(path, framework=framework, gwp=gwp_set, resolve_organisation=only_this, name=name)


def sector_names(framework: str, codes: Iterable[str], language: str) -> dict[str, str]:
    fw = get_framework(framework)
    out = {}
    for code in codes:
        try:
            out[code] = fw.sector(code).name(language)
        except NettonulError:
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


# ----------------------------------------------------------------------------- targets and actions
def target_spec(kind: str, year: int, value: float | None, against: int | None, sector: str) -> Target | None:
    """The engine's target for a Target row; None for a qualitative commitment."""
    s = sector or None
    if kind == "reduction":
        if value is None:
            raise NettonulError("a reduction target needs a value (0.7 = 70 %)")
        return Reduction(int(year), float(value), against, s)
    if kind == "net_zero":
        return NetZero(int(year), s)
    if kind == "absolute":
        if value is None:
            raise NettonulError("an absolute target needs a value in t CO2e")
        return Absolute(int(year), float(value), s)
    if kind == "per_capita":
        if value is None:
            raise NettonulError("a per-capita target needs a value in t CO2e per inhabitant")
        return PerCapita(int(year), float(value), s)
    return None


def targets_of(rows: Iterable[Any]) -> tuple[Target, ...]:
    """Engine targets for Target model instances (qualitative ones are left out)."""
    out = []
    for t in rows:
        spec = target_spec(t.kind, t.year, t.value, t.against, t.sector)
        if spec is not None:
            out.append(spec)
    return tuple(out)


def target_problems(target: Any) -> dict[str, str]:
    """Field path -> reason for a Target the engine cannot use; empty when it is fine."""
    try:
        target_spec(target.kind, target.year, target.value, target.against, target.sector)
    except NettonulError as exc:
        return {"value": str(exc)}
    if target.sector:
        try:
            get_framework(target.plan.framework).sector(target.sector)
        except NettonulError as exc:
            return {"sector": str(exc)}
    return {}


def action_problems(action: Any) -> dict[str, str]:
    """Field path -> reason for an Action whose effect the engine does not accept."""
    if not action.effect:
        return {}
    if not isinstance(action.effect, dict):
        return {"effect": "the effect must be an object with a 'type'"}
    try:
        effect = _EFFECT.validate_python(action.effect)
    except PydanticValidationError as exc:
        kind = action.effect.get("type")
        # Drop the union's tag from the location: 'effect.share', not 'effect.switch.share'.
        return {".".join(["effect", *(str(p) for i, p in enumerate(err["loc"]) if not (i == 0 and p == kind))]):
                err["msg"] for err in exc.errors()}
    try:
        get_framework(action.plan.framework).sector(effect.sector)
    except NettonulError as exc:
        return {"effect.sector": str(exc)}
    return {}


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
             base_year: int = 1990) -> dict[str, dict[str, Any]]:
    """Key figures per organisation for the national overview.

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
                "targets": [t.describe() for t in pathway.spec.targets],
                "milestone": first.describe() if first else None,
                "milestone_year": first.year if first else None,
                "gap": finite(gap_first[i]),
                "on_track": None if math.isnan(float(gap_first[i])) else bool(gap_first[i] <= 0),
                "sources": list(pathway.sources),
            }
    return out


# ----------------------------------------------------------------------------- plan documents
#: Plan-document fields kept whole in ``Plan.model`` (not edited row by row).
PLAN_MODEL_KEYS = ("currency", "discount_rate", "horizon", "inventory", "baseline", "activity", "uncertainty",
                   "correlations", "notes", "assumptions", "sources")


def plan_rows(spec: EnginePlan) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """Plan, Target and Action field values from a validated engine plan document."""
    doc = spec.model_dump(mode="json", by_alias=True, exclude_none=True)
    plan = {"title": spec.name, "framework": spec.framework, "gwp_set": spec.gwp,
            "model": {k: doc[k] for k in PLAN_MODEL_KEYS if k in doc}}
    targets = [{"kind": t["kind"], "year": t["year"], "value": t.get("value"), "against": t.get("against")}
               for t in doc["targets"]]
    actions = []
    for a in doc["actions"]:
        actions.append({
            "key": a["id"], "title": a["title"], "sector": a["effect"]["sector"], "owner": a.get("owner", ""),
            "start_year": a["schedule"]["start"], "full_year": a["schedule"].get("full"),
            "curve": a["schedule"].get("curve", "linear"), "effect": a["effect"], "cost": a.get("cost", {}),
            "uncertainty": a.get("uncertainty", {}), "sdgs": a.get("sdgs", []), "sources": a.get("sources", {}),
            "assumptions": a.get("assumptions", {}),
        })
    return plan, targets, actions


def plan_document(plan: Any, targets: Iterable[Any], actions: Iterable[Any]) -> dict[str, Any]:
    """The engine's plan document for a Plan with its targets and actions."""
    doc: dict[str, Any] = {"name": plan.title, "organisation": plan.organisation.code,
                           "framework": plan.framework, "gwp": plan.gwp_set, **(plan.model or {})}
    doc["targets"] = [
        {k: v for k, v in {"kind": t.kind, "year": t.year, "value": t.value, "against": t.against}.items()
         if v is not None}
        for t in targets if t.kind in ("reduction", "net_zero", "absolute") and not t.sector
    ]
    doc["actions"] = []
    for a in actions:
        if not a.effect or a.status == "cancelled":
            continue
        # No start year is left for the engine to report ("schedule.start"), never guessed.
        schedule: dict[str, Any] = {"curve": a.curve}
        if a.start_year:
            schedule["start"] = a.start_year
        if a.full_year:
            schedule["full"] = a.full_year
        item = {"id": a.key, "title": a.title, "effect": a.effect, "schedule": schedule, "sdgs": a.sdgs,
                "sources": a.sources, "assumptions": a.assumptions, "uncertainty": a.uncertainty}
        if a.cost:
            item["cost"] = a.cost
        if a.owner:
            item["owner"] = a.owner
        doc["actions"].append(item)
    if (plan.model or {}).get("inventory", {}).get("source") != "inline":
        # The organisation's latest stored inventory (an upload of a new year included) is
        # what every plan figure starts from, not the data named when the plan was written.
        # A published plan is public: it uses only a published inventory, never a draft upload.
        # Looked up once per plan instance: a page builds the document for its cache key and
        # again for each engine call, and its query count must not depend on cache hits.
        memo = plan.__dict__.setdefault("_stored_inventory", {})
        key = (plan.framework, bool(plan.published))
        if key not in memo:
            memo[key] = stored_inventory_ref(plan.organisation, plan.framework, published_only=key[1])
        stored = memo[key]
        if stored is not None:
            doc["inventory"], notes = stored
            doc["notes"] = [*doc.get("notes", []), *notes]
    return doc


# ----------------------------------------------------------------------------- stored inventories
#: Where the merged inventories handed to the engine are written, one file per content digest:
#: in the data directory, beside the database they come from (a temporary folder would be
#: emptied under a running server).
STORED_DIR = Path(settings.DATA_DIR) / "inventories"


def merged_inventory(stored: Inventory, code: str) -> tuple[Inventory, list[str]]:
    """The stored inventory with the shipped Energi- og CO2-regnskab in every year it does
    not cover (as top-level sector totals), and notes saying which years come from where.
    Organisations outside the shipped data get their stored inventory alone."""
    own = sorted({int(y) for y in stored.year[stored.org == code]})
    try:
        shipped = datasets.klimaregnskab_panel([datasets.find_municipality(code).code])
    except (NettonulError, LookupError):
        shipped = None
    if shipped is None or stored.framework != shipped.framework or not own:
        return stored, []
    values = shipped.values[0]  # (sector, year)
    keep = ~np.isnan(values) & ~np.isin(shipped.years, own)[None, :]
    sector_idx, year_idx = np.nonzero(keep)
    n = sector_idx.size
    source = datasets.SOURCES["klimaregnskab"].citation()
    rows = inventory_rows(stored)
    rows["org"] += [code] * n
    rows["year"] += shipped.years[year_idx].tolist()
    rows["sector"] += [shipped.sectors[i] for i in sector_idx]
    rows["gas"] += ["CO2e"] * n
    rows["amount"] += values[sector_idx, year_idx].tolist()
    rows["unit"] += ["t_CO2e"] * n
    rows["co2e"] += values[sector_idx, year_idx].tolist()
    rows["source"] += [source] * n
    rows["estimated"] += [False] * n
    for col in ("activity", "ef", "ef_unit", "quality", "notation", "note"):
        rows[col] += [math.nan if col == "ef" else ""] * n
    merged = Inventory.from_columns(stored.framework, stored.gwp_set, rows, sources=stored.sources)
    notes = []
    if n:
        filled = sorted({int(y) for y in shipped.years[year_idx]})
        notes.append(f"Emissions {_span(own)} are the organisation's stored inventory; {_span(filled)}, which it does "
                     "not cover, are from the shipped Energi- og CO2-regnskab.")
    return merged, notes


def _span(years: Sequence[int]) -> str:
    """``[2018, 2019, 2020, 2024]`` -> ``2018-2020, 2024``."""
    parts: list[str] = []
    for y in years:
        if parts and y == int(parts[-1].split("-")[-1]) + 1:
            parts[-1] = f"{parts[-1].split('-')[0]}-{y}"
        else:
            parts.append(str(y))
    return ", ".join(parts)


def inventory_rows(inventory: Inventory) -> dict[str, list[Any]]:
    """The ``Inventory.from_columns`` columns of an inventory, as lists."""
    return {"org": inventory.org.tolist(), "year": inventory.year.tolist(), "sector": inventory.sector.tolist(),
            "gas": inventory.gas.tolist(), "amount": inventory.amount.tolist(), "unit": inventory.unit.tolist(),
            "co2e": inventory.co2e.tolist(), "activity": inventory.activity.tolist(), "ef": inventory.ef.tolist(),
            "ef_unit": inventory.ef_unit.tolist(), "source": inventory.source.tolist(),
            "quality": inventory.quality.tolist(), "notation": inventory.notation.tolist(),
            "estimated": inventory.estimated.tolist(), "note": inventory.note.tolist()}


def stored_inventory_ref(organisation: Any, framework: str,
                         published_only: bool = False) -> tuple[dict[str, Any], list[str]] | None:
    """The plan-file ``inventory`` entry for ``organisation``'s current stored inventory, or
    with ``published_only`` its newest published one (merged with the shipped series), and
    notes saying so; None without such an inventory in ``framework``.

    The engine reads plan inventories from files, so the merged inventory is written as a
    CSV named by its content digest: the same data gives the same document (and cache keys),
    and a new upload gives a new one."""
    from nettonul.web.inventory.models import InventoryVersion

    chosen = {"published": True} if published_only else {"is_current": True}
    version = (InventoryVersion.objects.filter(organisation_id=organisation.pk, framework=framework, **chosen)
               .order_by("-number")
               .only("pk", "number", "organisation_id", "created_at", "record_count", "framework", "gwp_set",
                     "source").first())
    if version is None:
        return None
    # Kept between requests under the inventory version's key (see results kept between
    # requests below): every page of a plan needs this entry for its document and its cache
    # keys, and reading and merging the records is most of a page's cost otherwise. The file
    # is checked, as another process or a cleaned temporary directory may not have it.
    key = cache_key("stored-inventory", inventory_key(version), organisation.code)
    found: tuple[dict[str, Any], list[str]] | None = cache.get(key)
    if found is not None and Path(found[0]["path"]).is_file():
        return found
    records = list(version.records.order_by("id").values(*RECORD_COLUMNS))
    if not records:
        return None
    stored = inventory_from_records(version.framework, version.gwp_set, records,
                                    sources=[version.source] if version.source else ())
    merged, notes = merged_inventory(stored, organisation.code)
    path = _write_inventory(merged)
    year = int(merged.year.max())
    note = f"stored inventory version {version.number} of {organisation.code}"
    found = {"source": "file", "path": str(path), "year": year, "note": note}, notes
    cache.set(key, found, CACHE_SECONDS)
    return found


def _write_inventory(inventory: Inventory) -> Path:
    STORED_DIR.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=STORED_DIR, suffix=".part")
    os.close(handle)  # write_csv opens the file by its name
    tmp = Path(name)
    try:
        write_csv(inventory, tmp)
        digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
        path = STORED_DIR / f"{digest}.csv"
        os.replace(tmp, path)  # atomic: a reader never sees half a file
    finally:
        tmp.unlink(missing_ok=True)
    return path


def stored_history(spec: EnginePlan) -> Panel | None:
    """The stored (merged) inventory a plan document points to, as top-level sector totals;
    None when the plan uses another inventory."""
    inv = spec.inventory
    if inv.source != "file" or not inv.path or Path(inv.path).parent != STORED_DIR:
        return None
    panel = read_inventory(inv.path, framework=spec.framework, gwp=spec.gwp).to_panel("top")
    return panel.select([spec.organisation]) if spec.organisation in panel.orgs else None


def engine_plan(plan: Any, targets: Iterable[Any], actions: Iterable[Any]) -> EnginePlan:
    """The validated engine plan; raises the engine's ValidationError with field paths."""
    return parse_plan(plan_document(plan, targets, actions), file=f"plan {plan.pk}")


def has_assumptions(spec: EnginePlan) -> bool:
    """Does the plan rest on assumed numbers (so it must be shown as illustrative)?"""
    return bool(spec.assumptions or any(a.assumptions for a in spec.actions)
                or any(r.assumption for rows in spec.activity.values() for r in rows) or unmarked_numbers(spec))


# ----------------------------------------------------------------------------- scenarios
def scenario(plan: Any, targets: Iterable[Any], actions: Iterable[Any]) -> dict[str, Any]:
    """BAU, the plan's scenario, each action's wedge and the gap to each target, by the engine.

    The scenario starts from the organisation's latest stored inventory (merged with the
    shipped Energi- og CO2-regnskab where it does not cover a year), or without one from the
    inventory the plan document names; its notes and sources state which."""
    spec = engine_plan(plan, targets, actions)
    cp = compile_plan(spec)
    result = evaluate(cp)
    gap = result.gap()
    return plain({
        "organisation": cp.orgs[0], "years": cp.years.tolist(), "unit": "t_CO2e", "gwp_set": spec.gwp,
        "bau": result.bau[0].tolist(), "plan": result.plan[0].tolist(), "target_path": cp.target_path[0].tolist(),
        "wedges": [{"action": k, "title": t, "values": result.wedges[0, i].tolist()}
                   for i, (k, t) in enumerate(zip(cp.action_ids, cp.action_titles, strict=True))],
        "targets": [{"target": label, "year": int(y), "level": float(cp.target_levels[0, j]), "gap": float(gap[0, j])}
                    for j, (label, y) in enumerate(zip(cp.target_labels, cp.target_years.tolist(), strict=True))],
        "notes": list(dict.fromkeys([*cp.notes, *spec.notes])), "sources": list(cp.sources),
    }, strict=False)


def simulation(plan: Any, targets: Iterable[Any], actions: Iterable[Any], draws: int = 1000,
               seed: int = 0) -> dict[str, Any]:
    """Monte Carlo over the plan's uncertainties (percentile band, probability of each target)."""
    spec = engine_plan(plan, targets, actions)
    ensemble = simulate(spec, compile_plan(spec), draws, seed)
    out: dict[str, Any] = plain(ensemble.to_dict(), strict=False)
    return out


# ----------------------------------------------------------------------------- results kept between requests
def organisation_results(version: Any, base_year: int, targets: Sequence[Target] | None,
                         load: Callable[[], Inventory]) -> dict[str, Any]:
    """The inventory table and the pathway (history with the back-cast estimate mask, BAU,
    target path, gap) of one organisation's inventory version with ``targets`` (the Danish
    national targets when None), language-independent, kept between requests.

    ``load`` reads the inventory from the database; it is only called on a miss. Returns
    ``{"key", "table", "pathway", "error"}``; :func:`localised` adds sector names."""
    inv_key = inventory_key(version)
    target_key = [repr(t) for t in targets] if targets else None
    keys = {"table": cache_key("inventory-table", inv_key),
            "pathway": cache_key("pathway", inv_key, base_year, target_key)}
    found = cache.get_many(list(keys.values()))
    out: dict[str, Any] = {"key": keys["pathway"], "error": None}
    inventory: Inventory | None = None
    for part, key in keys.items():
        if key in found:
            out[part] = found[key]
            continue
        inventory = inventory if inventory is not None else load()
        try:
            out[part] = (inventory_table(inventory, None) if part == "table" else
                         pathway_dict(compute(inventory, base_year, targets), version.organisation.code, None))
        except NettonulError as exc:
            out[part], out["error"] = None, str(exc)
            continue
        cache.set(key, out[part], CACHE_SECONDS)
    return out


def localised(results: dict[str, Any], language: str) -> dict[str, Any]:
    """Sector names in ``language`` on a copy of :func:`organisation_results`' table and pathway."""
    out = dict(results)
    if results.get("table"):
        table = dict(results["table"])
        names = sector_names(table["framework"], [s["code"] for s in table["sectors"]], language)
        table["sectors"] = [dict(s, name=names[s["code"]]) for s in table["sectors"]]
        out["table"] = table
    if results.get("pathway"):
        pathway = dict(results["pathway"])
        pathway["sector_names"] = sector_names(pathway["framework"], pathway["historical"]["by_sector"], language)
        out["pathway"] = pathway
    return out
