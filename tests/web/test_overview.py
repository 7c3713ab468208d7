"""The national overview (nettonul/web/site/views.py): figures from the engine, sorting,
filtering, and the same figures the engine gives for the same inventory."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from nettonul.engine.inventory.model import shipped_inventory
from nettonul.engine.pathway.pathway import compute_pathway
from nettonul.engine.reference import datasets


def test_overview_figures_are_the_engines(client: Any, db: None) -> None:
    rows = client.get(reverse("public:overview")).context["rows"]
    by_code = {r["org"].code: r for r in rows}
    assert set(by_code) == {"101", "147", "751"}
    k = datasets.klimaregnskab()
    kbh = by_code["101"]
    assert kbh["year"] == 2023
    assert abs(kbh["emissions"] - k.values[k.codes.index("101"), :, -1].sum()) < 1e-6
    # independently: the engine's own pathway on the shipped inventory, Danish default targets
    pathway = compute_pathway(shipped_inventory(["101"]).to_panel())
    assert abs(kbh["per_capita"] - pathway.at(pathway.per_capita(pathway.historical), 2023)[0]) < 1e-9
    assert abs(kbh["gap"] - pathway.at(pathway.gap, 2030)[0]) < 1e-6
    assert kbh["milestone"] == "-70% in 2030 vs 1990"
    assert kbh["base_estimated"]  # 1990 is back-cast, and the page says so


def test_overview_sorts_and_filters(client: Any, db: None) -> None:
    url = reverse("public:overview")
    rows = client.get(url, {"sort": "-per_capita"}).context["rows"]
    values = [r["per_capita"] for r in rows]
    assert values == sorted(values, reverse=True)
    names = [r["org"].name for r in client.get(url, {"sort": "name"}).context["rows"]]
    assert names == ["Aarhus", "Frederiksberg", "København"]
    assert [r["org"].code for r in client.get(url, {"q": "frederiks"}).context["rows"]] == ["147"]
    on_track = client.get(url, {"status": "on_track"}).context["rows"]
    gap = client.get(url, {"status": "gap"}).context["rows"]
    assert all(r["on_track"] for r in on_track)
    assert not any(r["on_track"] for r in gap)
    assert len(on_track) + len(gap) == 3
