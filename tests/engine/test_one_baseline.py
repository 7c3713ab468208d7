"""One baseline: a plan's business as usual is the pathway's, row by row (methodology §9.3).

The expected numbers are worked out here from the shipped CSVs with the csv module alone:
E_BAU[s, 2030] = E_2023[s] x N[s, 2030] / N[s, 2023], N the national KF25 sector sum.
The pathway has no land use (the Energi- og CO2-regnskab publishes none); a plan's uploaded
land-use inventory is held at its inventory-year level in the BAU: Hjørring's illustrative file
is 3,000 ha x 30 t CO2e/ha = 90,000 t.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
import yaml

from nettonul.engine.pathway.pathway import PathwaySpec, compute_pathway
from nettonul.engine.plan.compile import compile_plan
from nettonul.engine.plan.scenario import evaluate, summarise
from nettonul.engine.plan.spec import load_plan
from nettonul.engine.reference import datasets

PLANS_DIR = Path(__file__).resolve().parents[2] / "examples" / "plans"
PLANS = sorted(PLANS_DIR.glob("*.yaml"))
COLUMNS = {"energy": "energi_t_co2e", "transport": "transport_t_co2e", "agriculture": "landbrug_t_co2e",
           "waste": "affald_t_co2e", "industry": "industri_t_co2e"}


def _csv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader((resources.files("nettonul") / "data" / name).read_text("utf-8").splitlines()))


def _national(sector: str, year: int) -> float:
    mapping = yaml.safe_load((resources.files("nettonul.engine") / "data" / "mappings" /
                              "dk-municipal_to_crf.yaml").read_text("utf-8"))
    codes = set(mapping["sectors"][sector]["crf"])
    return sum(float(r["emissions_mt_co2e"]) for r in _csv("national_ghg_emissions_kf25_crf.csv")
               if r["gas"] == "CO2e_total" and r["crf_code"] in codes and int(r["year"]) == year)


def _by_hand_bau(code: str, year: int) -> float:
    row = next(r for r in _csv("municipal_ghg_emissions_klimaregnskab.csv")
               if r["kommunekode"] == code and r["year"] == "2023")
    return sum(float(row[c]) * _national(s, year) / _national(s, 2023) for s, c in COLUMNS.items())


HJOERRING_LAND_USE = 3_000 * 30.0


def test_hjoerring_plan_and_pathway_give_the_same_2030_bau_worked_out_by_hand() -> None:
    expected = _by_hand_bau("860", 2030)
    plan = load_plan(PLANS_DIR / "hjoerring.yaml")
    result = evaluate(compile_plan(plan))
    scenario_2030 = result.bau[0, list(result.cp.years).index(2030)]
    pathway = compute_pathway(datasets.klimaregnskab_panel(["860"]))
    assert scenario_2030 == pytest.approx(expected + HJOERRING_LAND_USE, abs=1.0)
    assert pathway.at(pathway.bau_total, 2030)[0] == pytest.approx(expected, abs=1.0)


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_every_example_plan_with_no_actions_has_the_pathway_bau(path: Path) -> None:
    plan = load_plan(path)
    cp = compile_plan(plan)
    code = cp.orgs[0]
    trends = tuple((s, g * 100) for s, g in plan.baseline.activity_trend.items())
    pw = compute_pathway(datasets.klimaregnskab_panel([code]), PathwaySpec(activity_trends=trends))
    result = evaluate(cp)
    years = cp.years
    # sectors the pathway does not have (land use from an uploaded file) are held flat
    by_sector = result.by_sector(result.bau_rows)[0]
    extra = [s for s, sector in enumerate(cp.sectors) if sector not in pw.sectors]
    land = by_sector[extra].sum(axis=0) if extra else np.zeros(years.size)
    np.testing.assert_allclose(land, land[0], atol=1e-6)
    want = pw.bau_total[0, years - int(pw.years[0])] + land
    np.testing.assert_allclose(result.bau[0], want, atol=1.0)
    # and by sector, so a split sector follows its own sector's index
    for s, sector in enumerate(cp.sectors):
        if sector in pw.sectors:
            got = result.by_sector(result.bau_rows)[0, s]
            np.testing.assert_allclose(got, pw.bau.values[0, pw.sectors.index(sector), years - int(pw.years[0])],
                                       atol=1.0)


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_a_plan_with_all_its_actions_never_emits_more_than_bau_without_saying_why(path: Path) -> None:
    plan = load_plan(path)
    result = evaluate(compile_plan(plan))
    data = summarise(plan, result)
    above = np.asarray(data["plan_t_co2e"]) > np.asarray(data["bau_t_co2e"]) + 0.5
    said = any("more than business as usual" in n for n in data["notes"])
    assert said == bool(above.any())


def test_national_measures_in_kf25_are_not_municipal_wedges() -> None:
    plan = load_plan(PLANS_DIR / "hjoerring.yaml")
    data = summarise(plan, evaluate(compile_plan(plan)))
    national = {a["id"] for a in data["actions"] if a["in_baseline"]}
    assert national == {"electric-cars", "oil-to-heat-pumps"}
    for a in data["actions"]:
        if a["in_baseline"]:
            assert max(abs(v) for v in a["reduction_t_co2e"]) == 0.0
    # the national band is what KF25 changes from the inventory year: 2023 minus BAU
    y = data["years"].index(2030)
    assert data["national_measures_t_co2e"][y] == pytest.approx(
        data["bau_t_co2e"][0] - _by_hand_bau("860", 2030) - HJOERRING_LAND_USE, abs=1.0)


def test_a_split_row_with_its_own_factor_projection_keeps_the_sector_bau() -> None:
    """Electricity (BR18 factor falling) inside energy: the row's BAU is share x the energy index,
    not share x the BR18 projection."""
    plan = load_plan(PLANS_DIR / "samsoe.yaml")
    result = evaluate(compile_plan(plan))
    cp = result.cp
    r = next(i for i, row in enumerate(cp.rows) if row.sector == "energy" and row.carrier == "electricity")
    y = list(cp.years).index(2030)
    e2023 = next(float(row["energi_t_co2e"]) for row in _csv("municipal_ghg_emissions_klimaregnskab.csv")
                 if row["kommunekode"] == "741" and row["year"] == "2023")
    assert result.bau_rows[0, r, y] == pytest.approx(
        0.40 * e2023 * _national("energy", 2030) / _national("energy", 2023), abs=0.5)


def test_net_zero_is_gross_minus_removals_with_residuals_by_sector() -> None:
    plan = load_plan(PLANS_DIR / "hjoerring.yaml")
    result = evaluate(compile_plan(plan))
    data = summarise(plan, result)
    (nz,) = data["net_zero"]
    y = data["years"].index(2050)
    assert nz["year"] == 2050
    assert nz["removals_t_co2e"] == pytest.approx(-500 * 8.0)  # 500 ha x 8 t CO2e/ha, fully adopted by 2035
    assert nz["gross_t_co2e"] + nz["removals_t_co2e"] == pytest.approx(data["plan_t_co2e"][y])
    assert sum(nz["residual_by_sector_t_co2e"].values()) == pytest.approx(nz["gross_t_co2e"])


def test_a_met_target_never_gives_a_budget_above_business_as_usual() -> None:
    """Sønderborg (540) is below its -70 % level already; its remaining budget was 5.30 Mt
    against a BAU of 4.99 Mt. The budget now follows the lower of the path and BAU."""
    pw = compute_pathway(datasets.klimaregnskab_panel())
    assert np.all(pw.remaining <= pw.scenario_cumulative - pw.used + 1.0)
    o = pw.orgs.index("540")
    assert pw.remaining[o] < pw.scenario_cumulative[o] - pw.used[o]
    assert any("lower of the target path" in n for n in pw.notes)
