"""Explicit gap-filling: only missing cells, marked as estimates, explained in a note."""

from __future__ import annotations

import numpy as np
import pytest

from nettonul.engine.core.errors import SpecError
from nettonul.engine.core.panel import Panel
from nettonul.engine.inventory.gapfill import fill_gaps, fill_years
from nettonul.engine.inventory.model import Inventory
from nettonul.engine.reference.datasets import klimaregnskab_panel

NAN = np.nan


def _panel() -> Panel:
    values = np.array([[[10.0, NAN, NAN, 40.0, NAN], [NAN, 2.0, NAN, NAN, NAN], [NAN] * 5]])
    return Panel(orgs=("101",), sectors=("energy", "waste", "industry"), years=np.arange(2018, 2023),
                 values=values, sources=("test",))


def test_linear_fills_between_reported_years_only() -> None:
    out = fill_gaps(_panel(), "linear")
    assert out.values[0, 0].tolist()[:4] == [10.0, 20.0, 30.0, 40.0]
    assert np.isnan(out.values[0, 0, 4])  # after the last reported year: no extrapolation
    assert out.estimated[0, 0].tolist() == [False, True, True, False, False]
    assert np.isnan(out.values[0, 1]).sum() == 4  # a single reported year has nothing to interpolate
    assert out.notes == ("gap-filled 2 missing values by linear interpolation between the nearest reported "
                         "years (101 energy 2019-2020); these are estimates, not reported data",)


def test_carry_forward_and_backward() -> None:
    forward = fill_gaps(_panel(), "carry_forward")
    assert forward.values[0, 0].tolist() == [10.0, 10.0, 10.0, 40.0, 40.0]
    assert forward.values[0, 1].tolist()[1:] == [2.0, 2.0, 2.0, 2.0]
    assert "101 energy 2019, 2020, 2022" in forward.notes[0]
    backward = fill_gaps(_panel(), "carry_backward")
    assert backward.values[0, 0].tolist()[:4] == [10.0, 40.0, 40.0, 40.0]
    assert backward.values[0, 1, 0] == 2.0
    assert np.isnan(backward.values[0, 2]).all()  # nothing reported: nothing to carry


def test_reported_values_and_the_input_panel_are_never_changed() -> None:
    panel = _panel()
    before = panel.values.copy()
    out = fill_gaps(panel, "carry_forward")
    np.testing.assert_array_equal(panel.values, before)
    reported = ~np.isnan(before)
    np.testing.assert_array_equal(out.values[reported], before[reported])
    assert not out.estimated[reported].any()


def test_no_gaps_means_no_change_and_no_note() -> None:
    panel = Panel(orgs=("a",), sectors=("x",), years=np.arange(2020, 2022), values=np.ones((1, 1, 2)))
    assert fill_gaps(panel, "linear") is panel


def test_unknown_method() -> None:
    with pytest.raises(SpecError, match="unknown gap-filling method"):
        fill_gaps(_panel(), "guess")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- fill_years
def _own(org: str = "101") -> Inventory:
    return Inventory.from_columns("dk-municipal", "AR5", {
        "org": [org, org], "year": [2021, 2021], "sector": ["energy", "transport"], "gas": ["CO2e", "CO2e"],
        "amount": [100.0, 50.0], "unit": ["t_CO2e", "t_CO2e"], "co2e": [100.0, 50.0], "source": ["own", "own"]})


def test_fill_years_adds_the_series_only_where_the_inventory_has_no_year() -> None:
    series = Panel(orgs=("101",), sectors=("energy", "transport"), years=np.arange(2019, 2023),
                   values=np.array([[[1.0, 2.0, 999.0, 4.0], [10.0, NAN, 999.0, 40.0]]]), framework="dk-municipal",
                   sources=("series S",))
    merged, notes = fill_years(_own(), "101", series, label="series S")
    panel = merged.to_panel("top")
    assert panel.years.tolist() == [2019, 2020, 2021, 2022]
    # 2021 is the organisation's own (150), never the series' 999 + 999; 2020 transport is missing in both.
    assert panel.total()[0].tolist() == [11.0, 2.0, 150.0, 44.0]
    assert set(merged.source[merged.year != 2021].tolist()) == {"series S"}
    assert not merged.estimated.any()
    assert notes == ["Emissions 2021 are the organisation's stored inventory; 2019-2020, 2022, which it does not "
                     "cover, are from series S."]


def test_fill_years_defaults_to_the_shipped_series_and_leaves_others_alone() -> None:
    merged, notes = fill_years(_own(), "101")
    shipped = klimaregnskab_panel(["101"])
    panel = merged.to_panel("top")
    years = shipped.years.tolist()
    assert panel.years.tolist() == sorted({*years, 2021})
    if 2021 in years:
        assert panel.total()[0, panel.years.tolist().index(2021)] == 150.0
    first = years[0] if years[0] != 2021 else years[1]
    assert panel.total()[0, panel.years.tolist().index(first)] == pytest.approx(
        np.nansum(shipped.values[0, :, years.index(first)]))
    assert len(notes) == 1
    assert "shipped Energi- og CO2-regnskab" in notes[0]
    outside = _own("acme")
    assert fill_years(outside, "acme") == (outside, [])
