"""Back-casting with the national sector index, on a small invented case and on the shipped data."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nettonul.engine.core.errors import SpecError
from nettonul.engine.core.panel import Panel
from nettonul.engine.inventory import backcast as backcast_module
from nettonul.engine.inventory.backcast import METHOD, backcast, backcast_with_band, national_index, smoothed_crf
from nettonul.engine.pathway.pathway import compute_pathway
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
    # A energy: share = (100 + 60) / (20 + 10) over both inventory years; x N[y] = 30, 20.
    assert out.values[0, 0].tolist() == pytest.approx([160.0, 160 / 30 * 20, 100.0, 60.0])
    # A transport: share = 90 / 24; x 10, 12.
    assert out.values[0, 1].tolist() == pytest.approx([90 / 24 * 10, 90 / 24 * 12, 50.0, 40.0])
    # B transport starts in 2019: anchored on 2019 alone; 2018 is back-cast too.
    assert out.values[1, 1].tolist() == pytest.approx([24 * 10 / 12, 24.0, 24.0, 24.0])
    assert out.estimated[0, 0].tolist() == [True, True, False, False]
    assert out.estimated[1, 1].tolist() == [True, True, True, False]
    note = " ".join(out.notes)
    assert "back-cast by the national sector index" in note
    assert METHOD not in note  # the method's code is for the JSON, not for a reader
    assert "ratio of sums over the inventory years 2018, 2019" in note
    assert "KF25" in note
    assert "Reconciled" not in note  # 'A' and 'B' are not municipalities
    assert out.sources[0] == "test inventory"


@pytest.mark.usefixtures("fake_national")
def test_band_is_the_spread_over_single_year_anchors() -> None:
    panel = _panel(("energy", "transport"), [[[100.0, 60.0], [50.0, 40.0]], [[10.0, 5.0], [NAN, 24.0]]])
    out, band = backcast_with_band(panel, base_year=2016)
    # A, 2016: anchored on 2018: 100/20*30 + 50/12*10 = 191.67; on 2019: 60/10*30 + 40/12*10 = 213.33.
    assert band.value[0] == pytest.approx(out.values[0, :, 0].sum())
    assert (band.low[0], band.high[0]) == pytest.approx((150 + 500 / 12, 180 + 400 / 12))
    assert band.low[0] <= band.value[0] <= band.high[0]
    # B: transport only from 2019, so it sits at its central value in both anchors.
    assert (band.low[1], band.high[1]) == pytest.approx((10 / 20 * 30 + 20, 5 / 10 * 30 + 20))
    assert band.anchor_years == (2018, 2019)


@pytest.mark.usefixtures("fake_national")
def test_backcast_never_overwrites_values_and_keeps_empty_series_empty() -> None:
    panel = _panel(("energy", "transport"), [[[100.0, 60.0], [NAN, NAN]], [[10.0, 5.0], [1.0, 1.0]]])
    out = backcast(panel, base_year=2017)
    assert np.isnan(out.values[0, 1]).all()  # nothing to index from
    assert not out.estimated[0, 1].any()
    assert out.values[1, 0, 1:].tolist() == [10.0, 5.0]


@pytest.mark.usefixtures("fake_national")
def test_sign_change_is_left_empty_and_a_zero_year_is_not_an_anchor() -> None:
    panel = _panel(("lulucf", "waste"), [[[3.0, 4.0], [2.0, 2.0]], [[1.0, 1.0], [1.0, 1.0]]])
    out = backcast(panel, base_year=2015)
    # lulucf: national -1 in 2015 against a positive anchor: a sign change, no estimate.
    assert np.isnan(out.values[0, 0, 0])
    assert out.values[0, 0, 1] == pytest.approx(7 / 9 * 2)
    # waste: the national value is zero in 2018, so 2019 alone (5) is the anchor.
    assert out.values[0, 1, :3].tolist() == pytest.approx([2.0, 2.0, 2.0])
    assert "Not back-cast (left empty): lulucf," in " ".join(out.notes)
    with pytest.raises(SpecError, match="changes sign"):
        backcast(panel, base_year=2015, strict=True)


@pytest.mark.usefixtures("fake_national")
def test_a_fixed_reference_year_and_unknown_sectors() -> None:
    panel = _panel(("energy", "transport"), [[[100.0, 60.0], [50.0, 40.0]], [[10.0, 5.0], [1.0, 1.0]]])
    out = backcast(panel, base_year=2017, reference_year=2019)
    assert out.values[0, 0, 0] == pytest.approx(60 * 20 / 10)
    assert out.values[0, 0, 1] == 100.0  # existing value kept
    assert "reference year 2019" in " ".join(out.notes)
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


def test_smoothing_is_a_centred_moving_average_cut_at_the_ends() -> None:
    values = np.array([1.0, 2.0, 6.0, 2.0, 1.0, 9.0, 100.0])
    out = smoothed_crf(values, last_index=5)
    assert out.tolist() == pytest.approx([3.0, 2.75, 2.4, 4.0, 4.5, 4.0, 100.0])


# ---------------------------------------------------------------------------- shipped data, by hand
DATA = Path(__file__).resolve().parents[2] / "src" / "nettonul" / "data"
SECTOR_COLUMNS = {"energy": "energi_t_co2e", "transport": "transport_t_co2e", "agriculture": "landbrug_t_co2e",
                  "waste": "affald_t_co2e", "industry": "industri_t_co2e"}
# KF25 CRF categories of each sector (the mapping file), read straight from the CSV below.
CRF = {
    "energy": ["1A1a", "1A1ax", "1A2", "1A2gvii", "1A4ai", "1A4aii", "1A4bi", "1A4bii", "1A4ci", "1A4cii"],
    "transport": ["1A3a", "1A3bi", "1A3bii", "1A3biiix", "1A3biiiy", "1A3biv", "1A3c", "1A3d"],
    "agriculture": ["3A", "3B", "3D", "3F", "3G", "3H", "3I"],
    "waste": ["5A", "5D1a", "5D1b", "5D1c", "5D1d", "5D2b", "5D2d", "cor_5D1a"],
    "industry": ["2A0", "2A1", "2B", "2C", "2D", "2E", "2F", "2G", "2H"],
}
INVENTORY_YEARS = range(2018, 2024)


def _csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _national() -> dict[str, dict[int, float]]:
    """Raw and smoothed national sector sums by year (Mt), from the KF25 CSV."""
    crf: dict[tuple[str, int], float] = {}
    for r in _csv("national_ghg_emissions_kf25_crf.csv"):
        if r["gas"] == "CO2e_total":
            crf[(r["crf_code"], int(r["year"]))] = float(r["emissions_mt_co2e"])
    out: dict[str, dict[int, float]] = {}
    for sector, codes in CRF.items():
        out[sector] = {y: sum(crf.get((c, y), 0.0) for c in codes) for y in range(1990, 2024)}
        out[sector + "_raw"] = dict(out[sector])
    for y in range(1990, 2024):  # 1A1a: centred 5-year mean, cut at 1990 and 2023
        window = [crf[("1A1a", k)] for k in range(max(1990, y - 2), min(2023, y + 2) + 1)]
        out["energy"][y] += sum(window) / len(window) - crf[("1A1a", y)]
    return out


def _municipal() -> dict[str, dict[str, dict[int, float]]]:
    out: dict[str, dict[str, dict[int, float]]] = {}
    for r in _csv("municipal_ghg_emissions_klimaregnskab.csv"):
        for sector, column in SECTOR_COLUMNS.items():
            out.setdefault(r["kommunekode"], {}).setdefault(sector, {})[int(r["year"])] = float(r[column])
    return out


@pytest.fixture(scope="module")
def by_hand() -> dict[str, dict[str, float]]:
    """Every municipality's 1990 back-cast by sector, worked out from the CSVs alone."""
    nat, mun = _national(), _municipal()
    raw: dict[str, dict[str, float]] = {}
    for code, sectors in mun.items():
        raw[code] = {}
        for s, series in sectors.items():
            share = sum(series[y] for y in INVENTORY_YEARS) / sum(nat[s][y] for y in INVENTORY_YEARS)
            raw[code][s] = share * nat[s][1990]
    factor = {s: min(1.0, nat[s + "_raw"][1990] * 1e6 / sum(raw[c][s] for c in raw)) for s in CRF}
    return {code: {s: v * factor[s] for s, v in row.items()} for code, row in raw.items()} | {
        "_factor": factor, "_national_1990": {s: nat[s + "_raw"][1990] for s in CRF}}


def test_copenhagen_1990_from_the_shipped_data(by_hand: dict[str, dict[str, float]]) -> None:
    out = backcast(datasets.klimaregnskab_panel(["101"]), base_year=1990)
    for j, s in enumerate(out.sectors):
        assert out.values[0, j, 0] == pytest.approx(by_hand["101"][s], rel=1e-9), s
    # The energy factor: the 98 energy back-casts before reconciliation exceed 39.81 Mt.
    assert by_hand["_factor"]["energy"] == pytest.approx(0.793, abs=0.001)
    assert by_hand["_factor"]["transport"] == 1.0
    assert out.estimated[0, :, : 2018 - 1990].all()
    assert not out.estimated[0, :, 2018 - 1990:].any()
    assert "energy x 0.793" in " ".join(out.notes)
    # Middelfart (410), whose 1990 the defective check example is measured against: 471,735 t.
    middelfart = backcast(datasets.klimaregnskab_panel(["410"]), base_year=1990).values[0, :, 0].sum()
    assert middelfart == pytest.approx(sum(by_hand["410"].values()), rel=1e-9)
    assert middelfart == pytest.approx(471_735, abs=1)


def test_copenhagen_band_by_hand(by_hand: dict[str, dict[str, float]]) -> None:
    nat, mun = _national(), _municipal()["101"]
    factor = by_hand["_factor"]
    singles = [sum(factor[s] * mun[s][k] / nat[s][k] * nat[s][1990] for s in CRF) for k in INVENTORY_YEARS]
    _, band = backcast_with_band(datasets.klimaregnskab_panel(["101"]), base_year=1990)
    assert (band.low[0], band.high[0]) == pytest.approx((min(singles), max(singles)), rel=1e-9)
    assert band.value[0] == pytest.approx(sum(by_hand["101"].values()), rel=1e-9)
    # about 2.02-3.12 Mt around 2.53 Mt
    assert (round(band.low[0], -4), round(band.value[0], -4), round(band.high[0], -4)) == (
        2_020_000, 2_530_000, 3_120_000)


def test_the_98_back_casts_do_not_exceed_the_national_categories(by_hand: dict[str, dict[str, float]]) -> None:
    out = backcast(datasets.klimaregnskab_panel(), base_year=1990)
    sums = np.nansum(out.values[:, :, 0], axis=0) / 1e6  # Mt
    national = by_hand["_national_1990"]
    for j, s in enumerate(out.sectors):
        assert sums[j] <= national[s] + 1e-9, s
    # Energy and waste are scaled to the national value exactly; the total is below both the
    # five-sector national total (70.14 Mt) and the whole inventory without LULUCF (72.47 Mt).
    assert sums[out.sector_index("energy")] == pytest.approx(39.81)
    assert sums.sum() == pytest.approx(sum(by_hand[c][s] for c in by_hand if not c.startswith("_")
                                           for s in CRF) / 1e6)
    assert sums.sum() < 70.14 < 72.47
    assert (f"sum to {sums.sum():.2f} Mt against 70.14 Mt for the national categories of the same sectors; "
            f"the residual of {70.14 - sums.sum():.2f} Mt") in " ".join(out.notes)


def test_moving_the_anchor_years_moves_the_estimate_far_less_than_a_single_year() -> None:
    panel = datasets.klimaregnskab_panel(["101", "540"])
    single = {y: backcast(panel, 1990, reference_year=y, reconcile=False).values[:, :, 0].sum(axis=1)
              for y in (2018, 2023)}
    early = backcast(panel.reindex_years(2018, 2022), 1990, reconcile=False).values[:, :, 0].sum(axis=1)
    late = backcast(panel.reindex_years(2019, 2023), 1990, reconcile=False).values[:, :, 0].sum(axis=1)
    single_move = np.abs(single[2018] / single[2023] - 1)
    pooled_move = np.abs(early / late - 1)
    # København, Sønderborg: a 2018 vs a 2023 anchor differ by 55 % and 86 %; pooling 2018-2022
    # vs 2019-2023 (dropping the first or the last of six years) by about 10 % and 12 %.
    assert (single_move > 0.5).all()
    assert (pooled_move < 0.15).all()
    assert (pooled_move < single_move / 4).all()


def test_copenhagen_1996_shows_no_trade_year_spike() -> None:
    out = backcast(datasets.klimaregnskab_panel(["101"]), base_year=1990)
    total = out.values[0].sum(axis=0)
    # 1A1a 42.08 Mt in 1996 against 24.37 in 1990 made the old back-cast jump +48 %.
    assert total[1996 - 1990] / total[0] - 1 < 0.15


def test_pathway_carries_the_band() -> None:
    p = compute_pathway(datasets.klimaregnskab_panel(["101", "741"]))
    for code in ("101", "741"):
        est = p.to_dict(code)["base_year_estimate"]
        assert est["estimated"] is True
        assert est["year"] == 1990
        assert est["low"] < est["value"] < est["high"]
        assert est["anchor_years"] == list(INVENTORY_YEARS)
    json.dumps(p.to_dict("101"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.1, 1e6), min_size=2, max_size=2), st.lists(st.floats(0.1, 1e6), min_size=2, max_size=2))
def test_pooled_share_lies_between_single_year_shares_and_the_band_holds_it(a: list[float], b: list[float]) -> None:
    # Organisation A, energy and transport in 2018-2019 (FAKE national series, positive in 2016-2019).
    panel = Panel(orgs=("A",), sectors=("energy", "transport"), years=np.array([2018, 2019], dtype=np.int64),
                  values=np.array([[[a[0], a[1]], [b[0], b[1]]]]), sources=("t",))
    with pytest.MonkeyPatch.context() as m:
        m.setattr(backcast_module.datasets, "national_sector_series", lambda framework="x": FAKE)
        out, band = backcast_with_band(panel, base_year=2016)
    for j, n18, n19, n16 in ((0, 20.0, 10.0, 30.0), (1, 12.0, 12.0, 10.0)):
        singles = (panel.values[0, j, 0] / n18 * n16, panel.values[0, j, 1] / n19 * n16)
        assert min(singles) * (1 - 1e-9) <= out.values[0, j, 0] <= max(singles) * (1 + 1e-9)
    assert band.low[0] <= band.value[0] <= band.high[0]


@pytest.mark.usefixtures("fake_national")
def test_projection_years_are_no_anchor_while_inventory_years_exist() -> None:
    # FAKE is historical to 2019; a municipal 2020+ would be a projection year. Here: A has 2018
    # and 2019 (both historical) in energy; with 2019 alone, the 2018 value is back-cast from 2019.
    panel = Panel(orgs=("A",), sectors=("energy",), years=np.array([2018, 2019], dtype=np.int64),
                  values=np.array([[[100.0, 60.0]]]), sources=("t",))
    short = replace(FAKE, last_historical_year=2018)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(backcast_module.datasets, "national_sector_series", lambda framework="x": short)
        out = backcast(panel, base_year=2016)
    assert out.values[0, 0, 0] == pytest.approx(100 / 20 * 30)  # 2018 only: 2019 is a projection year
    assert "inventory years 2018;" in " ".join(out.notes)
    only_projection = Panel(orgs=("A",), sectors=("energy",), years=np.array([2019], dtype=np.int64),
                            values=np.array([[[60.0]]]), sources=("t",))
    with pytest.MonkeyPatch.context() as m:
        m.setattr(backcast_module.datasets, "national_sector_series", lambda framework="x": short)
        out = backcast(only_projection, base_year=2016)
    assert out.values[0, 0, 0] == pytest.approx(60 / 10 * 30)
