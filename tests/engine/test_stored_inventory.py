"""Checks of the inventory that would be stored (nettonul/engine/inventory/stored.py)."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from nettonul.engine.inventory.model import Inventory
from nettonul.engine.inventory.stored import Change, compare, double_counts, sector_year_totals


def _inventory(rows: list[tuple[int, str, str, float]]) -> Inventory:
    n = len(rows)
    return Inventory.from_columns("dk-municipal", "AR5", {
        "org": ["741"] * n, "year": [r[0] for r in rows], "sector": [r[1] for r in rows], "gas": [r[2] for r in rows],
        "amount": [r[3] for r in rows], "unit": ["t_CO2e"] * n, "co2e": [r[3] for r in rows], "activity": [""] * n,
        "ef": [math.nan] * n, "ef_unit": [""] * n, "source": [""] * n, "quality": [""] * n, "notation": [""] * n,
        "estimated": [False] * n, "note": [""] * n})


def test_a_sector_with_its_sub_sector_in_one_year_is_a_double_count() -> None:
    inventory = _inventory([(2024, "transport.road", "CO2e", 20_000.0), (2024, "transport", "CO2e", 551.0),
                            (2023, "transport", "CO2e", 500.0), (2024, "energy", "CO2e", 1.0),
                            (2024, "transport.rail", "CH4", 3.0)])
    found = double_counts(inventory)
    assert [(d.year, d.parent, d.child, d.parent_index, d.child_index) for d in found] == [
        (2024, "transport", "transport.road", 1, 0), (2024, "transport", "transport.rail", 1, 4)]


def test_different_single_gases_do_not_overlap() -> None:
    inventory = _inventory([(2024, "transport", "CH4", 1.0), (2024, "transport.road", "N2O", 1.0)])
    assert double_counts(inventory) == []


def test_totals_roll_up_to_the_top_level_sector_and_compare_old_with_new() -> None:
    old = _inventory([(2023, "transport", "CO2e", 1_000.0), (2023, "energy", "CO2e", 400.0)])
    new = _inventory([(2023, "transport.road", "CO2e", 700.0), (2023, "transport.rail", "CO2e", 50.0),
                      (2024, "energy", "CO2e", 10.0)])
    assert sector_year_totals(new) == {("transport", 2023): 750.0, ("energy", 2024): 10.0}
    changes = compare(old, new)
    assert changes == [Change("energy", 2023, 400.0, None), Change("transport", 2023, 1_000.0, 750.0),
                       Change("energy", 2024, None, 10.0)]
    assert changes[1].change == -0.25
    assert changes[1].is_large(0.2)
    assert not changes[1].is_large(0.3)
    assert changes[0].is_large(0.2)
    assert changes[0].change is None
    assert compare(old, new, {2024}) == [Change("energy", 2024, None, 10.0)]


@given(st.floats(min_value=1, max_value=1e7), st.floats(min_value=0, max_value=1e7))
def test_the_change_is_new_over_old_minus_one(old: float, new: float) -> None:
    change = Change("energy", 2024, old, new)
    assert change.change is not None
    assert math.isclose(old * (1 + change.change), new, rel_tol=1e-9, abs_tol=1e-6)
    assert change.is_large(0.2) == (abs(new / old - 1) >= 0.2)
