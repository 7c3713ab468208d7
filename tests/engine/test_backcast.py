"""Back-casting with the national sector index, on a small invented case and on the shipped data."""

from __future__ import annotations

import numpy as np
import pytest

from nettonul.engine.core.errors import SpecError
from nettonul.engine.core.panel import Panel
from nettonul.engine.inventory import backcast as backcast_module
from nettonul.engine.inventory.backcast import METHOD, backcast, national_index
from nettonul.engine.reference import datasets

NAN = np.nan

# An invented national series, 2015-2019 (Mt; only the ratios matter).
FAKE = datasets.NationalSectorSeries(
    sectors=("energy", "transport", "lulucf", "waste"),
    years=np.arange(2015, 2020, dtype=np.int64),
    values=np.array([
        [40.0, 30.0, 20.0, 20.0, 10.0],   # energy
        [10.0, 10.0, 12.0, 12.0, 12.0],   # transport
        [-1.0, 2.0, 3.0, 4.0, 5.0],       # lulucf: a sink that became a source
        [5.0, 5.0, 5.0, 0.0, 5.0],        # waste: zero in 2018
    ]),
    last_historical_year=2019,
    crf={},
    source=datasets.SOURCES["kf25"],
)


@pytest.fixture
def fake_national(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backcast_module.datasets, "national_sector_series", lambda framework="x": FAKE)


def _panel(sectors: tuple[str, ...], values: list[list[list[float]]]) -> Panel:
    return Panel(orgs=("A", "B"), sectors=sectors, years=np.array([2018, 2019], dtype=np.int64),
                 values=np.array(values), sources=("test inventory",))


@pytest.mark.usefixtures("fake_national")
def test_backcast_by_hand() -> None:
    panel = _panel(("energy", "transport"), [[[100.0, 60.0], [50.0, 40.0]], [[10.0, 5.0], [NAN, 24.0]]])
    out = backcast(panel, base_year=2016)
    assert out.years.tolist() == [2016, 2017, 2018, 2019]
    # A energy: 100 x N[y]/N[2018] = 100 x 30/20, 100 x 20/20
    assert out.values[0, 0].tolist() == pytest.approx([150.0, 100.0, 100.0, 60.0])
    # A transport: 50 x 10/12, 50 x 12/12
    assert out.values[0, 1].tolist() == pytest.approx([50 * 10 / 12, 50.0, 50.0, 40.0])
    # B transport starts in 2019: that is its reference year; 2018 is back-cast too.
    assert out.values[1, 1].tolist() == pytest.approx([24 * 10 / 12, 24.0, 24.0, 24.0])
    assert out.estimated[0, 0].tolist() == [True, True, False, False]
    assert out.estimated[1, 1].tolist() == [True, True, True, False]
    note = " ".join(out.notes)
    assert METHOD in note
    assert "reference year 2018, 2019" in note
    assert "KF25" in note
    assert out.sources[0] == "test inventory"


@pytest.mark.usefixtures("fake_national")
def test_backcast_never_overwrites_values_and_keeps_empty_series_empty() -> None:
    panel = _panel(("energy", "transport"), [[[100.0, 60.0], [NAN, NAN]], [[10.0, 5.0], [1.0, 1.0]]])
    out = backcast(panel, base_year=2017)
    assert np.isnan(out.values[0, 1]).all()  # nothing to index from
    assert not out.estimated[0, 1].any()
    assert out.values[1, 0, 1:].tolist() == [10.0, 5.0]


@pytest.mark.usefixtures("fake_national")
def test_sign_change_and_zero_are_left_empty_and_named() -> None:
    panel = _panel(("lulucf", "waste"), [[[3.0, 4.0], [2.0, 2.0]], [[1.0, 1.0], [1.0, 1.0]]])
    out = backcast(panel, base_year=2015)
    # lulucf: national -1 in 2015 against +4 in 2018: a sign change, no estimate.
    assert np.isnan(out.values[0, 0, 0])
    assert out.values[0, 0, 1] == pytest.approx(3.0 * 2 / 4)
    # waste: the national value of the reference year 2018 is zero.
    assert np.isnan(out.values[:, 1, :3]).all()
    assert "Not back-cast (left empty): lulucf, waste" in " ".join(out.notes)
    with pytest.raises(SpecError, match="changes sign"):
        backcast(panel, base_year=2015, strict=True)


@pytest.mark.usefixtures("fake_national")
def test_a_fixed_reference_year_and_unknown_sectors() -> None:
    panel = _panel(("energy", "transport"), [[[100.0, 60.0], [50.0, 40.0]], [[10.0, 5.0], [1.0, 1.0]]])
    out = backcast(panel, base_year=2017, reference_year=2019)
    assert out.values[0, 0, 0] == pytest.approx(60 * 20 / 10)
    assert out.values[0, 0, 1] == 100.0  # existing value kept
    with pytest.raises(SpecError, match="'industry' has no national series"):
        backcast(_panel(("industry", "energy"), [[[1.0, 1.0]] * 2] * 2), base_year=2016)
    with pytest.raises(SpecError, match=r"cannot back-cast to 2010: .* starts in 2015"):
        backcast(panel, base_year=2010)
    with pytest.raises(SpecError, match="covers 2015-2019"):
        national_index(FAKE, ("energy",), np.arange(2010, 2012), np.array([[2015]]))


def test_national_index_marks_invalid_cells() -> None:
    ratio, invalid = national_index(FAKE, ("lulucf",), np.arange(2015, 2020), np.array([[2019]]))
    assert invalid[0, 0].tolist() == [True, False, False, False, False]
    assert ratio[0, 0, 1:].tolist() == pytest.approx([0.4, 0.6, 0.8, 1.0])


def test_copenhagen_1990_energy_from_the_shipped_data() -> None:
    # By hand from the shipped CSVs: København energy 2018 = 1,279,927.9 t (Energi- og
    # CO2-regnskab). KF25 energy (1A1a+1A1ax+1A2+1A4ai+1A4bi+1A4ci), Mt CO2e:
    # 1990: 24.37+0.55+5.84+1.42+5.04+2.32 + machinery 0.04+0.02+0.10+0.11 = 39.81;
    # 2018: 7.80+1.55+3.85+0.65+2.14+1.46 + machinery 0.03+0.05+0.08+0.03 = 17.64.
    out = backcast(datasets.klimaregnskab_panel(["101"]), base_year=1990)
    assert out.values[0, out.sector_index("energy"), 0] == pytest.approx(1_279_927.9 * 39.81 / 17.64)
    assert out.estimated[0, :, : 2018 - 1990].all()
    assert not out.estimated[0, :, 2018 - 1990:].any()
