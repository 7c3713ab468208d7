"""compute_pathway on a small invented case worked out by hand, and on the shipped data."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nettonul.engine.core.errors import SpecError
from nettonul.engine.core.panel import Panel
from nettonul.engine.pathway.pathway import PathwaySpec, compute_pathway
from nettonul.engine.pathway.targets import NetZero, Reduction
from nettonul.engine.reference import datasets

YEARS = np.arange(2016, 2031, dtype=np.int64)
# Invented national series 2016-2030 (only ratios matter): energy falls, transport is flat.
N_ENERGY = [30.0, 25.0, 20.0, 18.0, 16.0, *range(15, 5, -1)]
N_TRANSPORT = [8.0] + [10.0] * 14
FAKE = datasets.NationalSectorSeries(
    sectors=("energy", "transport"), years=YEARS, values=np.array([N_ENERGY, N_TRANSPORT], dtype=float),
    last_historical_year=2020, crf={}, source=datasets.SOURCES["kf25"],
)
TARGETS = (Reduction(2025, 0.5, 2016), NetZero(2030))


@pytest.fixture
def panel(monkeypatch: pytest.MonkeyPatch) -> Panel:
    monkeypatch.setattr(datasets, "national_sector_series", lambda framework="x": FAKE)
    return Panel(orgs=("A",), sectors=("energy", "transport"), years=np.arange(2018, 2021, dtype=np.int64),
                 values=np.array([[[100.0, 90.0, 80.0], [50.0, 50.0, 50.0]]]), sources=("invented",))


def _spec(**kw: object) -> PathwaySpec:
    return PathwaySpec(**{"targets": TARGETS, "base_year": 2016, "end_year": 2030, **kw})  # type: ignore[arg-type]


def test_hand_computed_pathway(panel: Panel) -> None:
    p = compute_pathway(panel, _spec())
    assert p.years.tolist() == list(range(2016, 2031))
    # Back-cast: energy 100 x 30/20, 100 x 25/20; transport 50 x 8/10, 50 x 10/10.
    assert p.historical[0, :5].tolist() == pytest.approx([190.0, 175.0, 150.0, 140.0, 130.0])
    assert p.historical_estimated[0, :5].tolist() == [True, True, False, False, False]
    assert np.isnan(p.historical[0, 5:]).all()
    # BAU: energy 80 x N[y]/16, transport 50.
    assert p.at(p.bau_total, 2021)[0] == pytest.approx(80 * 15 / 16 + 50)
    assert p.at(p.bau_total, 2025)[0] == pytest.approx(105.0)
    assert p.at(p.bau_total, 2030)[0] == pytest.approx(80.0)
    # Path: 130 (2020) -> 95 (2025, -50 % of 190) -> 0 (2030): -7/yr then -19/yr.
    expected_path = [130, 123, 116, 109, 102, 95, 76, 57, 38, 19, 0]
    assert p.path.values[0, 4:].tolist() == pytest.approx(expected_path)
    assert np.isnan(p.path.values[0, :4]).all()
    assert p.target_levels[0].tolist() == pytest.approx([95.0, 0.0])
    # Gap = scenario - path; shortfall = max(0, gap).
    assert p.at(p.gap, 2021)[0] == pytest.approx(125.0 - 123.0)
    assert p.at(p.gap, 2025)[0] == pytest.approx(10.0)
    assert p.at(p.gap, 2030)[0] == pytest.approx(80.0)
    assert p.at(p.gap, 2020)[0] == 0.0
    # Budget: the path summed 2020-2030 = 865; used in 2020 = 130.
    assert p.budget[0] == pytest.approx(865.0)
    assert p.used[0] == pytest.approx(130.0)
    assert p.remaining[0] == pytest.approx(735.0)
    bau_sum = 130 + sum(80 * n / 16 + 50 for n in N_ENERGY[5:])
    assert p.scenario_cumulative[0] == pytest.approx(bau_sum)
    assert p.required_rate[0, 0] == pytest.approx(1 - (95 / 130) ** (1 / 5))
    assert np.isnan(p.required_rate[0, 1])
    assert p.required_reduction[0].tolist() == pytest.approx([7.0, 13.0])
    assert p.unit == "t_CO2e"
    assert "invented" in p.sources


def test_trapezoid_budget_and_earlier_anchor(panel: Panel) -> None:
    p = compute_pathway(panel, _spec(budget_method="trapezoid", anchor_year=2018))
    # Path from 150 (2018) to 95 (2025): -55/7 per year; 2019 on the path = 150 - 55/7.
    assert p.at(p.path.values, 2019)[0] == pytest.approx(150 - 55 / 7)
    assert p.at(p.gap, 2019)[0] == pytest.approx(140 - (150 - 55 / 7))
    # Used 2018-2020 by the trapezoid rule: (150+140)/2 + (140+130)/2 = 280.
    assert p.used[0] == pytest.approx(280.0)


def test_sector_targets_and_past_targets(panel: Panel) -> None:
    targets = (*TARGETS, Reduction(2025, 0.5, 2016, "energy"), Reduction(2019, 0.1, 2016))
    p = compute_pathway(panel, _spec(targets=targets))
    (energy,) = p.sectors_paths
    assert energy.sector == "energy"
    # energy: 80 (2020) -> 75 (2025, -50 % of the back-cast 150), nothing after 2025.
    assert energy.path.values[0, 2025 - 2016] == pytest.approx(75.0)
    assert np.isnan(energy.path.values[0, 2026 - 2016:]).all()
    assert energy.gap[0, 2025 - 2016] == pytest.approx(80 * 11 / 16 - 75.0)
    assert p.past_targets == (Reduction(2019, 0.1, 2016),)
    assert any("not after the anchor year" in n for n in p.notes)


def test_target_already_met_holds_the_path_unless_allowed(panel: Panel) -> None:
    targets = (Reduction(2025, 0.1, 2016), NetZero(2030))  # 171 > 130 already reached
    held = compute_pathway(panel, _spec(targets=targets))
    assert held.at(held.path.values, 2025)[0] == pytest.approx(130.0)
    assert held.summary()["already_met_2025"].tolist() == [True]
    assert any("Already below a target level" in n for n in held.notes)
    rising = compute_pathway(panel, _spec(targets=targets, allow_increase=True))
    assert rising.at(rising.path.values, 2025)[0] == pytest.approx(171.0)


def test_errors(panel: Panel) -> None:
    with pytest.raises(SpecError, match="after the end year"):
        compute_pathway(panel, _spec(targets=(NetZero(2040),)))
    with pytest.raises(SpecError, match="must lie between"):
        compute_pathway(panel, _spec(end_year=2020))
    with pytest.raises(SpecError, match="anchor year 2021"):
        compute_pathway(panel, _spec(anchor_year=2021))
    with pytest.raises(SpecError, match="two targets"):
        compute_pathway(panel, _spec(targets=(NetZero(2030), Reduction(2030, 1.0, 2016))))


def test_to_dict_is_json_and_complete(panel: Panel) -> None:
    d = compute_pathway(panel, _spec()).to_dict("A")
    text = json.dumps(d)
    assert d["unit"] == "t_CO2e"
    assert d["historical"]["estimated"][:3] == [True, True, False]
    assert d["target_path"]["milestones"][0]["target_level"] == pytest.approx(95.0)
    assert d["budget"]["remaining"] == pytest.approx(735.0)
    assert set(d["historical"]["by_sector"]) == {"energy", "transport"}
    assert "backcast_national_sector_index" in text
    p = compute_pathway(panel, _spec())
    assert json.dumps(p.to_dict()) == json.dumps(p.to_dict("A"))


def test_whole_country_on_the_shipped_data() -> None:
    p = compute_pathway(datasets.klimaregnskab_panel())
    assert len(p.orgs) == 98
    assert p.years[0] == 1990
    assert p.years[-1] == 2050
    k = datasets.klimaregnskab()
    # The inventory years are the published sector values, the back-cast years estimates.
    np.testing.assert_allclose(p.history.values[:, :, 2018 - 1990:2024 - 1990], k.values)
    assert p.historical_estimated[:, :28].all()
    assert not p.historical_estimated[:, 28:34].any()
    # København 2023 per capita: 867,436.9 t / 653,664 inhabitants (DST, 1 January 2023).
    assert p.per_capita(p.historical)[0, 2023 - 1990] == pytest.approx(867_436.9 / 653_664)
    assert np.isnan(p.population[:, 0]).all()  # population is shipped from 2008 only
    # Net zero in 2050, except where the municipality is already below zero (held there).
    np.testing.assert_array_equal(p.path.values[:, -1], np.minimum(0.0, p.historical[:, 2023 - 1990]))
    assert (p.historical[:, 2023 - 1990] < 0).sum() == 1


def test_a_reduction_without_reference_year_is_against_the_base_year(panel: Panel) -> None:
    p = compute_pathway(panel, _spec(targets=(Reduction(2025, 0.5), NetZero(2030))))
    assert p.milestone_targets[0] == Reduction(2025, 0.5, 2016)
    assert p.milestone_targets[0].describe() == "-50% in 2025 vs 2016"
    assert p.target_levels[0, 0] == pytest.approx(95.0)


def test_any_panel_works_the_inventory_gives_the_same_pathway() -> None:
    from nettonul.engine.inventory.model import shipped_inventory

    via_inventory = compute_pathway(shipped_inventory().to_panel())
    direct = compute_pathway(datasets.klimaregnskab_panel())
    assert via_inventory.orgs == direct.orgs
    np.testing.assert_allclose(via_inventory.gap, direct.gap, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(via_inventory.remaining, direct.remaining, rtol=1e-9)


def test_an_organisation_without_a_value_in_the_anchor_year_gets_no_path(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datasets, "national_sector_series", lambda framework="x": FAKE)
    values = np.array([[[100.0, 90.0, 80.0], [50.0, 50.0, 50.0]], [[1.0, 1.0, np.nan], [1.0, 1.0, np.nan]]])
    panel = Panel(("A", "B"), ("energy", "transport"), np.arange(2018, 2021, dtype=np.int64), values)
    p = compute_pathway(panel, _spec())
    assert np.isnan(p.path.values[1]).all()
    assert np.isnan(p.remaining[1])
    assert p.path.values[0, -1] == 0.0
    assert any("No inventory value in 2020 for B" in n for n in p.notes)
    assert [d["organisation"] for d in p.to_dict()["organisations"]] == ["A", "B"]
