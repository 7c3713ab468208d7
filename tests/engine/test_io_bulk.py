"""Reading pauses the cyclic garbage collector only while rows are built, and always restores it."""

from __future__ import annotations

import gc

import pytest

from nettonul.engine.core.errors import InventoryValidationError
from nettonul.engine.inventory.readers import read_inventory
from nettonul.engine.io.tables import bulk

GOOD = b"organisation,year,sector,gas,amount,unit\n101,2024,energy,CO2e,100,t CO2e\n"
BAD = b"organisation,year,sector,gas,amount,unit\n101,2024,energy,CO2e,abc,t CO2e\n"


def test_collector_is_paused_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with bulk():
        assert not gc.isenabled()
        with bulk():  # nested: the outer one restores
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collector_restored_after_a_rejected_file_and_left_alone_when_paused_elsewhere() -> None:
    assert read_inventory(GOOD, name="good.csv").co2e.sum() == pytest.approx(100.0)
    assert gc.isenabled()
    with pytest.raises(InventoryValidationError):
        read_inventory(BAD, name="bad.csv")
    assert gc.isenabled()
    gc.disable()
    try:
        read_inventory(GOOD, name="good.csv")
        assert not gc.isenabled()  # someone else's pause is kept
    finally:
        gc.enable()
