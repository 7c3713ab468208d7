"""Inventory totals, roll-ups, scopes and the shipped Energi- og CO2-regnskab."""

from __future__ import annotations

import numpy as np
import pytest

from nettonul.engine import datasets
from nettonul.engine.inventory import shipped_inventory


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
