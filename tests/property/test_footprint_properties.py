"""Invariants of the organisational footprint: roll-up sums and the two scope 2 totals."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from nettonul.engine.footprint.activities import activities_from_rows
from nettonul.engine.footprint.compute import SUMMARY, compute_footprint
from nettonul.engine.footprint.factors import factor_table_from_rows
from nettonul.engine.footprint.orgunits import OrgTree
from nettonul.engine.io.tables import Row
from nettonul.engine.testing.strategies import trees

COUNTRIES = ("DK", "VN", "FR")


@given(trees(), st.data())
def test_root_total_is_the_sum_of_all_units_and_each_unit_adds_its_children(tree: OrgTree, data: st.DataObject) -> None:
    own = np.array(data.draw(st.lists(st.floats(0, 1e6), min_size=len(tree), max_size=len(tree))))
    rolled = tree.rollup(own)
    np.testing.assert_allclose(rolled[0], own.sum(), rtol=1e-9, atol=1e-6)
    for uid in tree.ids:
        i = tree.index(uid)
        children = [tree.index(c) for c in tree.children(uid)]
        np.testing.assert_allclose(rolled[i], own[i] + rolled[children].sum(), rtol=1e-9, atol=1e-6)
    leaves = [tree.index(u) for u in tree.leaves()]
    np.testing.assert_allclose(rolled[leaves], own[leaves])


@given(trees(), st.data())
def test_with_values_on_leaves_only_the_root_total_is_the_sum_of_the_leaves(tree: OrgTree, data: st.DataObject) -> None:
    leaves = [tree.index(u) for u in tree.leaves()]
    own = np.zeros(len(tree))
    own[leaves] = data.draw(st.lists(st.floats(0, 1e6), min_size=len(leaves), max_size=len(leaves)))
    rolled = tree.rollup(own)
    np.testing.assert_allclose(rolled[0], sum(own[i] for i in leaves), rtol=1e-9, atol=1e-6)
    # and a parent is never below any of its children
    parents = tree.parent_index[1:]
    assert (rolled[parents] >= rolled[1:] - 1e-9).all()


FACTOR_ROWS = [
    {"category": "electricity_grid", "country": c, "value": str(v), "unit": "kg CO2e/kWh", "year": "2024",
     "source": "property-test factor"}
    for c, v in zip(COUNTRIES, (0.2, 0.5, 0.05), strict=True)
] + [
    {"category": "electricity_residual_mix", "country": "DK", "value": "0.4", "unit": "kg CO2e/kWh", "year": "2024",
     "source": "property-test factor"},
    {"category": "electricity_instrument", "name": "GO", "value": "0", "unit": "kg CO2e/kWh", "year": "2024",
     "source": "property-test factor"},
    {"category": "fuel", "name": "diesel", "value": "2.5", "unit": "kg CO2e/litre", "year": "2024",
     "source": "property-test factor"},
    {"category": "commuting", "name": "car", "value": "0.17", "unit": "kg CO2e/passenger_km", "year": "2024",
     "source": "property-test factor"},
]
TABLE = factor_table_from_rows([("f.csv", Row(i + 2, r)) for i, r in enumerate(FACTOR_ROWS)])
ACTIVITY = st.sampled_from([
    {"activity": "electricity", "amount_unit": "MWh"},
    {"activity": "electricity", "amount_unit": "kWh", "instrument": "guarantee_of_origin", "instrument_name": "GO"},
    {"activity": "fuel", "category": "scope1.stationary", "name": "diesel", "amount_unit": "litre"},
    {"activity": "commuting", "name": "car", "amount_unit": "passenger_km"},
])


@given(trees(8), st.data())
def test_location_and_market_totals_differ_only_by_scope2(tree: OrgTree, data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 15))
    rows: list[tuple[str, Row]] = []
    for i in range(n):
        values = dict(data.draw(ACTIVITY))
        values.update(org_unit=data.draw(st.sampled_from(tree.ids)), year="2024",
                      amount=repr(data.draw(st.floats(0, 1e5))))
        rows.append(("a.csv", Row(i + 2, values)))
    result = compute_footprint(tree, activities_from_rows(rows, tree), TABLE)
    s = result.summary(rolled=True)
    k = {name: SUMMARY.index(name) for name in SUMMARY}
    np.testing.assert_allclose(s[:, k["total_location"]] - s[:, k["total_market"]],
                               s[:, k["scope2_location"]] - s[:, k["scope2_market"]], atol=1e-6)
    np.testing.assert_allclose(s[:, k["total_location"]],
                               s[:, k["scope1"]] + s[:, k["scope2_location"]] + s[:, k["scope3"]], rtol=1e-9, atol=1e-9)
    # the root holds everything, and the lines add up to it
    np.testing.assert_allclose(s[0, k["total_market"]],
                               sum(ln.t_co2e for ln in result.lines if ln.method != "location"), rtol=1e-9, atol=1e-6)
    # every scope 2 row gives exactly one location and one market line for the same amount
    loc = [(ln.row, ln.amount) for ln in result.lines if ln.method == "location"]
    mkt = [(ln.row, ln.amount) for ln in result.lines if ln.method == "market"]
    assert loc == mkt
