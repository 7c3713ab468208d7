"""Footprints: organisation units to the footprint engine's inputs, and its results to rows.

The tree comes from :class:`Organisation` (``parent``) and :class:`UnitProfile`; footprint
data is the stored files, handed to the engine's all-or-nothing readers in memory
(bytes with their file names, never written to disk); every number a
page shows comes out of :func:`nettonul.engine.footprint.compute.compute_footprint` or
:func:`nettonul.engine.footprint.peers.compare_peers`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from nettonul.engine.footprint.activities import load_activities
from nettonul.engine.footprint.compute import FootprintResult as FootprintResult
from nettonul.engine.footprint.compute import footprint_of_files
from nettonul.engine.footprint.orgunits import OrgTree, org_tree_from_records
from nettonul.engine.footprint.peers import PeerComparison, PeerFootprint, compare_peers, load_peers, peers_from_result
from nettonul.web.organisations import permissions
from nettonul.web.organisations.models import Organisation
from nettonul.web.orgunits.models import FootprintData, PeerTable, UnitProfile

_KIND = {"ministry": "ministry", "agency": "agency", "org_unit": "department"}


def root_of(org: Organisation) -> Organisation:
    """The top of ``org``'s tree (one query per level above it)."""
    while org.parent_id is not None:
        org = Organisation.objects.select_related("unit_profile").get(pk=org.parent_id)
    return org


def units_below(root: Organisation) -> list[Organisation]:
    """``root`` and every unit below it, parents first (one query per tree level)."""
    out = [root]
    frontier = [root.pk]
    while frontier:
        level = list(Organisation.objects.filter(parent_id__in=frontier).select_related("unit_profile")
                     .order_by("pk"))
        out.extend(level)
        frontier = [o.pk for o in level]
    return out


def unit_id(org: Organisation) -> str:
    profile = getattr(org, "unit_profile", None)
    return profile.unit_id if profile is not None else org.code


@dataclass
class Tree:
    """The engine's tree with the organisations behind its unit ids."""

    tree: OrgTree
    orgs: dict[str, Organisation]

    def org_of(self, uid: str) -> Organisation:
        return self.orgs[uid]

    def uid_of(self, org: Organisation) -> str:
        return next(u for u, o in self.orgs.items() if o.pk == org.pk)


def build_tree(root: Organisation) -> Tree:
    """The validated engine tree of ``root`` (raises the engine's ValidationError)."""
    orgs = units_below(root)
    by_pk = {o.pk: o for o in orgs}
    records: list[tuple[int | None, dict[str, Any]]] = []
    illustrative = False
    for i, o in enumerate(orgs, start=1):
        p: UnitProfile | None = getattr(o, "unit_profile", None)
        fields: dict[str, Any] = {
            "id": unit_id(o), "name": o.name, "country": o.country,
            "kind": p.unit_kind if p else _KIND.get(o.kind, "department"),
            "parent": unit_id(by_pk[o.parent_id]) if o.parent_id in by_pk and o.pk != root.pk else None,
        }
        if p is not None:
            illustrative = illustrative or p.illustrative
            fields.update(city=p.city, employees=p.employees, floor_area_m2=p.floor_area_m2, note=p.note)
            if p.employees_by_year:
                fields["employees_by_year"] = p.employees_by_year
            if p.floor_area_by_year:
                fields["floor_area_m2_by_year"] = p.floor_area_by_year
        records.append((i, fields))
    tree = org_tree_from_records(records, file=f"units of {root.name}", organisation=root.name,
                                 illustrative=illustrative)
    return Tree(tree, {unit_id(o): o for o in orgs})


def subtree(tree: Tree, org: Organisation) -> OrgTree:
    """The engine tree of ``org`` and the units below it (for checking one unit's upload)."""
    ids = set(tree.tree.subtree(tree.uid_of(org)))
    units = [u for u in tree.tree.units if u.id in ids]
    top = tree.uid_of(org)
    # to_dict() gives exactly the fields the engine reads back (per-year figures included)
    records: list[tuple[int | None, dict[str, Any]]] = [
        (i, {**u.to_dict(), "parent": None if u.id == top else u.parent}) for i, u in enumerate(units, start=1)]
    return org_tree_from_records(records, file=f"units of {org.name}", organisation=org.name)


def footprint(tree: Tree, datasets: Sequence[FootprintData]) -> FootprintResult:
    """The engine's footprint of the whole tree from the given datasets (all-or-nothing).

    A factor table belongs to the unit that uploaded it: that unit's activities and those of
    the units below it use it, nearest table first; a sibling's table is never used."""
    with_factors = [d for d in datasets if d.factors]
    uid = {o.pk: u for u, o in tree.orgs.items()}
    return footprint_of_files(tree.tree, [bytes(d.factors) for d in with_factors],
                              [d.factors_name for d in with_factors],
                              [bytes(d.activities) for d in datasets], [d.activities_name for d in datasets],
                              factor_units=[uid[d.organisation_id] for d in with_factors])


def check_activities(unit_tree: OrgTree, name: str, data: bytes) -> None:
    """Validate one activity file against a unit's subtree: rows for other units are refused."""
    load_activities(bytes(data), unit_tree, name=name)


def current_data(tree: Tree) -> list[FootprintData]:
    return list(FootprintData.objects.filter(organisation__in=tree.orgs.values(), is_current=True)
                .select_related("organisation").order_by("id"))


def readable_data(tree: Tree, user: Any) -> list[FootprintData]:
    """The data a reader sees: each unit's current upload when the reader may read it, else
    the unit's latest published upload (an unpublished upload never changes what the public
    sees)."""
    current = current_data(tree)
    shown = [d for d in current if permissions.can_view(user, d)]
    withheld = [d.organisation_id for d in current if not permissions.can_view(user, d)]
    for org_id in withheld:
        last = (FootprintData.objects.filter(organisation_id=org_id, published=True)
                .select_related("organisation").order_by("-id").first())
        if last is not None:
            shown.append(last)
    return sorted(shown, key=lambda d: d.pk)


def unit_rows(result: FootprintResult, tree: Tree, year: int, within: Organisation) -> list[dict[str, Any]]:
    """The engine's rows by unit (rolled up) for ``within`` and the units below it."""
    keep = set(tree.tree.subtree(tree.uid_of(within)))
    top_depth = int(tree.tree.depth[tree.tree.index(tree.uid_of(within))])
    rows = []
    for row in result.by_unit(year):
        if row["unit"] in keep:
            rows.append({**row, "org": tree.org_of(row["unit"]), "indent": row["depth"] - top_depth})
    return rows


def commitment_progress(tree: Tree, user: Any, within: Organisation) -> tuple[list[str], list[dict[str, Any]]]:
    """Commitments of the current strategy plans the user may read, by status, for
    ``within`` and each unit below it, rolled up the tree (each unit includes those below)."""
    from nettonul.web.plans.models import Action

    statuses = [str(s) for s in Action.Status.values]
    rows = (Action.objects.filter(permissions.visible_filter(user, "plan__organisation", "plan__published"),
                                  plan__organisation__in=list(tree.orgs.values()), plan__is_current=True,
                                  plan__kind="strategy").values_list("plan__organisation_id", "status"))
    index = {o.pk: tree.tree.index(uid) for uid, o in tree.orgs.items()}
    own = np.zeros((len(tree.tree), len(statuses)))
    found = list(rows)
    if not found:
        return statuses, []
    np.add.at(own, ([index[o] for o, _s in found], [statuses.index(s) for _o, s in found]), 1.0)
    rolled = tree.tree.rollup(own)
    keep = set(tree.tree.subtree(tree.uid_of(within)))
    top = int(tree.tree.depth[tree.tree.index(tree.uid_of(within))])
    return statuses, [{"unit": uid, "org": tree.org_of(uid), "indent": int(tree.tree.depth[i]) - top,
                       "counts": [int(v) for v in rolled[i]], "total": int(rolled[i].sum())}
                      for i, uid in enumerate(tree.tree.ids) if uid in keep and rolled[i].sum() > 0]


def role_holders(tree: Tree, org: Organisation) -> list[dict[str, Any]]:
    """Who holds a role in ``org``: its own members and those of every unit above it (a role
    holds down the tree), nearest unit first."""
    from nettonul.web.organisations.models import Membership

    chain = [tree.uid_of(org), *tree.tree.ancestors(tree.uid_of(org))]
    order = {tree.org_of(u).pk: i for i, u in enumerate(chain)}
    rows = Membership.objects.filter(organisation_id__in=list(order)).select_related("user", "organisation")
    return sorted(({"user": m.user.get_username(), "role": m.get_role_display(), "granted_at": m.organisation,
                    "inherited": m.organisation_id != org.pk} for m in rows),
                  key=lambda r: (order[r["granted_at"].pk], r["user"]))


def check_peers(name: str, data: bytes) -> None:
    load_peers(bytes(data), name=name)


def peers(result: FootprintResult | None, tree: Tree | None, own: Organisation, tables: Iterable[PeerTable],
          basis: str = "market", year: int | None = None) -> PeerComparison:
    """The organisation's own computed footprint beside its peers' published ones."""
    records: list[PeerFootprint] = []
    for t in tables:
        records.extend(load_peers(bytes(t.content), name=t.filename))
    if result is not None and tree is not None:
        records = [*peers_from_result(result, tree.uid_of(own), own.name), *records]
    return compare_peers(records, year=year, basis=basis)
