"""Invariants of inventory totals and files, for random inventories."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from tempfile import TemporaryDirectory
from unittest.mock import patch

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from nettonul.engine.core.errors import InventoryValidationError
from nettonul.engine.core.frameworks import get_framework
from nettonul.engine.inventory import records as inventory_records
from nettonul.engine.inventory.model import Inventory
from nettonul.engine.inventory.readers import inventory_from_records, read_inventory, write_csv
from nettonul.engine.testing.strategies import inventories

DK = get_framework("dk-municipal")
GPC = get_framework("gpc")
ORGS = ("101", "147", "eksempelby")


def _reference_totals(inv: Inventory) -> dict[tuple[str, int], float]:
    out: dict[tuple[str, int], float] = defaultdict(float)
    for org, year, value in zip(inv.org.tolist(), inv.year.tolist(), inv.co2e.tolist(), strict=True):
        out[(org, year)] += value
    return out


def _check_total(total: np.ndarray, inv: Inventory, orgs: tuple[str, ...], years: np.ndarray) -> None:
    expected = _reference_totals(inv)
    for (org, year), value in expected.items():
        assert np.isclose(total[orgs.index(org), year - years[0]], value, rtol=1e-9, atol=1e-6)
    assert int((~np.isnan(total)).sum()) == len(expected)


@given(inventories("dk-municipal"))
def test_sector_sums_equal_totals_at_every_level(inv: Inventory) -> None:
    for level in ("top", 0, 1, 2, "given"):
        panel = inv.by_sector(level)
        _check_total(panel.total(), inv, panel.orgs, panel.years)
    assert inv.by_sector("top").sectors == tuple(s for s in DK.top_level_codes()
                                                 if s in {DK.top_level(c) for c in inv.sector.tolist()})


@given(inventories("dk-municipal"))
def test_every_parent_is_the_sum_of_its_children_and_its_own_records(inv: Inventory) -> None:
    everything = inv.by_sector("all")
    given_level = inv.by_sector("given")
    values = np.nan_to_num(everything.values)
    for parent in everything.sectors:
        children = [c for c in DK.children(parent) if c in everything.sectors]
        own = (np.nan_to_num(given_level.values[:, given_level.sector_index(parent)])
               if parent in given_level.sectors else 0.0)
        expected = own + sum((values[:, everything.sector_index(c)] for c in children), np.zeros_like(own))
        np.testing.assert_allclose(values[:, everything.sector_index(parent)], expected, rtol=1e-9, atol=1e-6)


@given(inventories("dk-municipal"))
def test_aggregation_by_gas_and_by_sector_give_the_same_total(inv: Inventory) -> None:
    np.testing.assert_allclose(inv.by_gas().total(), inv.by_sector().total(), rtol=1e-9, atol=1e-6)
    estimated_cells = inv.by_gas().total_estimated()
    np.testing.assert_array_equal(estimated_cells, inv.by_sector().total_estimated())


@given(inventories("gpc"))
def test_gpc_scopes_add_up_and_basic_is_within_basic_plus(inv: Inventory) -> None:
    np.testing.assert_allclose(inv.by_scope().total(), inv.total(), rtol=1e-9, atol=1e-6)
    totals = inv.gpc_totals()
    basic, basic_plus = np.nan_to_num(totals.values[:, 0]), np.nan_to_num(totals.values[:, 1])
    added = np.zeros_like(basic)  # what BASIC+ adds to BASIC: the records of level B+
    for org, year, sector, value in zip(inv.org.tolist(), inv.year.tolist(), inv.sector.tolist(),
                                        inv.co2e.tolist(), strict=True):
        if GPC.sector(sector).level == "B+":
            added[totals.org_index(org), year - totals.years[0]] += value
    np.testing.assert_allclose(basic_plus - basic, added, rtol=1e-9, atol=1e-6)


# Leaf sectors only, so that random records never give a parent together with its child.
LEAVES = ("energy.electricity", "energy.process", "transport.road", "industry", "waste", "lulucf",
          "agriculture.livestock")
emission = st.fixed_dictionaries({
    "kind": st.just("emission"), "gas": st.sampled_from(("CO2", "CH4", "N2O", "SF6", "CO2e")),
    "amount": st.floats(0, 1e7, allow_nan=False), "unit": st.sampled_from(("t", "kg", "kt")),
})
activity = st.fixed_dictionaries({
    "kind": st.just("activity"), "activity": st.sampled_from(("electricity", "diesel", "cows")),
    "amount": st.floats(0, 1e7, allow_nan=False), "unit": st.sampled_from(("MWh", "GJ", "kWh")),
    "emission_factor": st.floats(0, 500, allow_nan=False),
    "ef_unit": st.sampled_from(("kg CO2e/kWh", "t CO2/TJ", "g CH4/MWh")),
})


@given(st.lists(st.tuples(st.sampled_from(ORGS), st.integers(1990, 2050), st.sampled_from(LEAVES),
                          st.one_of(emission, activity), st.booleans()),
                min_size=1, max_size=25, unique_by=lambda r: (r[0], r[1], r[2])))
def test_reading_back_a_written_csv_gives_the_same_inventory(rows: list[tuple]) -> None:  # type: ignore[type-arg]
    records = []
    for org, year, sector, body, estimated in rows:
        record = {"organisation": org, "year": year, "sector": sector, "source": "property test",
                  "estimated": estimated, "note": "assumed" if estimated else ""}
        record.update({k: v for k, v in body.items() if k != "kind"})
        records.append(record)
    original = inventory_from_records(records)
    with TemporaryDirectory() as folder:
        path = Path(folder) / "written.csv"
        write_csv(original, path)
        back = read_inventory(path)
    assert back.gwp_set == original.gwp_set
    for name in ("org", "year", "sector", "gas", "amount", "unit", "co2e", "activity", "ef", "ef_unit",
                 "source", "estimated", "note"):
        np.testing.assert_array_equal(getattr(back, name), getattr(original, name), err_msg=name)


cell_rows = st.lists(st.fixed_dictionaries({
    "organisation": st.sampled_from(("101", "147", "")), "year": st.sampled_from(("2020", "2021", "1989", "20x0")),
    "sector": st.sampled_from(("waste", "transport", "transport.road", "nowhere")),
    "gas": st.sampled_from(("CO2e", "CH4", "", "CH5")), "amount": st.sampled_from(("5", "-5", "x", "")),
    "unit": st.sampled_from(("t CO2e", "t", "MWh", "")), "quality": st.sampled_from(("", "h", "superb")),
    "gwp": st.sampled_from(("", "AR5", "AR4")),
}), min_size=1, max_size=12)


def _outcome(records: list[dict[str, str]]) -> tuple[str, object]:
    try:
        inv = inventory_from_records(records)
    except InventoryValidationError as exc:
        return "problems", [(p.row, p.column, p.reason) for p in exc.problems]
    return "inventory", (inv.gwp_set, inv.sector.tolist(), inv.co2e.tolist())


@given(cell_rows)
def test_a_file_validated_in_parts_gives_what_it_gives_in_one_part(records: list[dict[str, str]]) -> None:
    whole = _outcome(records)
    with patch.object(inventory_records, "_PART", 3):  # parts of 3 rows: failing and passing parts mixed
        assert _outcome(records) == whole
    if whole[0] == "problems":  # every row's own problems are those of the row validated alone
        alone = {i: _outcome([r])[1] for i, r in enumerate(records, start=1)}
        for row, column, reason in whole[1]:  # type: ignore[union-attr]
            if column == "gwp" or reason.startswith(("duplicate of row", "sector '")):
                continue  # problems between rows
            assert isinstance(alone[row], list)
            assert (1, column, reason) in alone[row]  # type: ignore[operator]
