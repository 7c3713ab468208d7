"""Inventory totals, roll-ups, scopes and the shipped Energi- og CO2-regnskab."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from nettonul.engine.core.errors import SpecError, UnknownOrganisationError
from nettonul.engine.inventory.model import Inventory, shipped_inventory
from nettonul.engine.inventory.readers import inventory_from_records
from nettonul.engine.reference import datasets


def test_shipped_inventory_matches_the_published_klimaregnskab() -> None:
    inv = shipped_inventory(["101"])
    panel = inv.to_panel()
    assert panel.orgs == ("101",)
    assert panel.unit == "t_CO2e"
    assert panel.gwp_set == "AR5"
    assert "Energi- og CO2-regnskabet" in panel.sources[0]
    # København 2018 from the file: energi 1,279,927.9 t CO2e; published total 1,701,882.1.
    assert panel.values[0, panel.sector_index("energy"), 0] == pytest.approx(1_279_927.9)
    published = datasets.klimaregnskab().published_total[0]
    assert np.allclose(panel.total()[0], published, atol=0.25)  # the file rounds each sector to 0.1 t


def test_shipped_panel_equals_the_dataset_panel_for_all_98() -> None:
    panel = shipped_inventory().to_panel()
    reference = datasets.klimaregnskab_panel()
    order = [reference.sector_index(s) for s in panel.sectors]
    assert panel.orgs == reference.orgs
    np.testing.assert_array_equal(panel.values, reference.values[:, order])


def _records(framework: str, rows: list[tuple[str, int, str, str, float, str]], **extra: Any) -> Inventory:
    return inventory_from_records(
        [{"organisation": o, "year": y, "sector": s, "gas": g, "amount": a, "unit": u, **extra}
         for o, y, s, g, a, u in rows], framework=framework)


def test_children_roll_up_into_parents_at_every_level() -> None:
    inv = _records("dk-municipal", [
        ("a", 2020, "energy.electricity", "CO2e", 100, "t CO2e"),
        ("a", 2020, "energy.district_heating", "CO2e", 50, "t CO2e"),
        ("a", 2020, "transport", "CO2e", 30, "t CO2e"),
        ("a", 2022, "agriculture.livestock", "CH4", 1, "t"),       # 28 t CO2e (AR5)
        ("b", 2020, "waste", "CO2e", 7, "kt CO2e"),                # 7,000 t CO2e
    ])
    top = inv.by_sector("top")
    assert top.sectors == ("energy", "transport", "agriculture", "waste")
    assert top.years.tolist() == [2020, 2021, 2022]
    a = top.org_index("a")
    assert top.values[a, top.sector_index("energy"), 0] == 150
    assert np.isnan(top.values[a, top.sector_index("energy"), 1])  # 2021 has no records: missing, not 0
    assert top.values[a, top.sector_index("agriculture"), 2] == pytest.approx(28)
    assert top.total()[top.org_index("b"), 0] == 7000
    given = inv.by_sector("given")
    assert given.sectors == ("energy.electricity", "energy.district_heating", "transport",
                             "agriculture.livestock", "waste")
    everything = inv.by_sector("all")
    assert everything.values[a, everything.sector_index("energy"), 0] == 150
    assert everything.values[a, everything.sector_index("energy.electricity"), 0] == 100
    np.testing.assert_allclose(inv.by_sector(1).total(), top.total())
    np.testing.assert_allclose(inv.total(), top.total())


def test_by_gas_splits_the_same_total() -> None:
    inv = _records("dk-municipal", [
        ("a", 2020, "agriculture.livestock", "CH4", 10, "t"),
        ("a", 2020, "agriculture.soils", "N2O", 1, "t"),
        ("a", 2020, "energy", "CO2", 500, "t"),
    ])
    gases = inv.by_gas()
    assert gases.sectors == ("CO2", "CH4", "N2O")
    assert gases.values[0, :, 0].tolist() == pytest.approx([500, 280, 265])
    assert inv.total()[0, 0] == pytest.approx(1045)


def test_notation_keys_carry_no_number_and_do_not_enter_totals() -> None:
    inv = inventory_from_records([
        {"organisation": "a", "year": 2020, "sector": "transport.rail", "notation": "NO"},
        {"organisation": "a", "year": 2020, "sector": "transport.road", "gas": "CO2e", "amount": 5, "unit": "t CO2e"},
    ])
    assert inv.notation.tolist() == ["NO", ""]
    assert np.isnan(inv.co2e[0])
    assert inv.total()[0, 0] == 5


def test_estimates_are_flagged_in_the_panel_with_a_note() -> None:
    inv = _records("dk-municipal", [("a", 2020, "waste", "CO2e", 5, "t CO2e")],
                   estimated="yes", note="copied from 2019")
    panel = inv.to_panel()
    assert panel.estimated[0, 0, 0]
    assert any("estimate" in n for n in panel.notes)


def test_gpc_scopes_and_basic_basic_plus_territorial_totals() -> None:
    inv = _records("gpc", [
        ("city", 2020, "I.1.1", "CO2e", 100, "t CO2e"),   # scope 1, BASIC
        ("city", 2020, "I.1.2", "CO2e", 40, "t CO2e"),    # scope 2, BASIC
        ("city", 2020, "I.1.3", "CO2e", 4, "t CO2e"),     # scope 3, BASIC+
        ("city", 2020, "I.4.4", "CO2e", 1000, "t CO2e"),  # scope 1, territorial only
        ("city", 2020, "III.1.2", "CO2e", 20, "t CO2e"),  # scope 3, BASIC
        ("city", 2020, "IV.1", "CO2e", 8, "t CO2e"),      # scope 1, BASIC+
    ])
    scopes = inv.by_scope()
    assert scopes.sectors == ("scope 1", "scope 2", "scope 3")
    assert scopes.values[0, :, 0].tolist() == [1108, 40, 24]
    totals = inv.gpc_totals()
    assert totals.sectors == ("BASIC", "BASIC+", "territorial")
    # BASIC = 100 + 40 + 20; BASIC+ adds 4 + 8; territorial = all scope 1 = 100 + 1000 + 8.
    assert totals.values[0, :, 0].tolist() == [160, 172, 1108]
    assert scopes.total()[0, 0] == inv.total()[0, 0] == 1172


def test_ghgp_scope2_location_and_market_are_never_added_together() -> None:
    inv = _records("ghgp-corporate", [
        ("ministry", 2023, "scope1.mobile", "CO2", 50, "t"),
        ("ministry", 2023, "scope2_location.electricity", "CO2e", 120, "t CO2e"),
        ("ministry", 2023, "scope2_market.electricity", "CO2e", 30, "t CO2e"),
        ("ministry", 2023, "scope3.06", "CO2e", 900, "t CO2e"),
    ])
    location, market = inv.by_scope("location"), inv.by_scope("market")
    assert location.values[0, :, 0].tolist() == [50, 120, 900]
    assert market.values[0, :, 0].tolist() == [50, 30, 900]
    assert inv.total("location")[0, 0] == 1070
    assert inv.total("market")[0, 0] == 980
    assert "scope2_market" not in inv.to_panel().sectors
    assert any("never added together" in n for n in location.notes)


def test_dk_municipal_has_no_scopes() -> None:
    inv = _records("dk-municipal", [("a", 2020, "waste", "CO2e", 5, "t CO2e")])
    with pytest.raises(SpecError, match="no scopes"):
        inv.by_scope()
    with pytest.raises(SpecError, match="GPC reporting levels"):
        inv.gpc_totals()


def test_select_and_rows() -> None:
    inv = shipped_inventory(["101", "147"])
    only = inv.select(["147"], years=[2020])
    assert set(only.org.tolist()) == {"147"}
    assert len(only) == 5
    row = only.to_rows()[0]
    assert row["unit"] == "t_CO2e"
    assert row["source"].startswith("Energistyrelsen")


def test_shipped_inventory_by_name_and_unknown_codes() -> None:
    assert shipped_inventory(["København"]).orgs == ("101",)
    with pytest.raises(UnknownOrganisationError, match="999"):
        shipped_inventory(["999"])
