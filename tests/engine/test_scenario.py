"""Scenario evaluation: the two kernels agree, wedges add up, targets and gap, compile once."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from nettonul.engine.core.errors import SpecError, ValidationError
from nettonul.engine.plan.compile import compile_plan
from nettonul.engine.plan.kernels import intensities, row_emissions, totals
from nettonul.engine.plan.scenario import evaluate, summarise
from nettonul.engine.plan.spec import parse_plan
from nettonul.engine.reference import datasets

MARK = {"assumption": True, "reason": "test figure"}


def rich_plan(**over: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "name": "Samsø test", "organisation": "741", "horizon": 2040,
        "inventory": {"source": "shipped:klimaregnskab", "year": 2023},
        "baseline": {"method": "kf25", "activity_trend": {"transport": 0.01}},
        "activity": {
            "energy": [{"carrier": "oil", "share": 0.3, "factor": 0.266, **MARK},
                       {"carrier": "grid_gas", "share": 0.2, "factor": "br18.grid_gas", **MARK},
                       {"carrier": "electricity", "share": 0.5, "factor": "br18.electricity", **MARK}],
            "transport": [{"carrier": "cars", "share": 0.4, "factor": 0.25, **MARK},
                          {"carrier": "ferries", "share": 0.6, "factor": 0.2, **MARK},
                          {"carrier": "bus", "share": 0.0, "factor": 0.9, **MARK}]},
        "targets": [{"kind": "reduction", "year": 2030, "value": 0.7, "against": 1990},
                    {"kind": "net_zero", "year": 2040}],
        "actions": [
            {"id": "insulate", "title": "Insulation", "schedule": {"start": 2024, "full": 2030},
             "effect": {"type": "demand", "sector": "energy", "reduction": 0.15}},
            {"id": "hp", "title": "Heat pumps", "schedule": {"start": 2025, "full": 2030, "curve": "logistic"},
             "effect": {"type": "switch", "sector": "energy", "from": "oil", "to": "electricity", "share": 0.9,
                        "efficiency_ratio": 0.3}},
            {"id": "gas-hp", "title": "Gas to heat pumps", "schedule": {"start": 2026, "full": 2032},
             "effect": {"type": "switch", "sector": "energy", "from": "grid_gas", "to": "electricity",
                        "share": 0.5, "efficiency_ratio": 0.3}},
            {"id": "biogas", "title": "Biogas ferries", "schedule": {"start": 2027, "curve": "step"},
             "effect": {"type": "factor", "sector": "transport", "carriers": ["ferries"], "reduction": 0.8}},
            {"id": "ev", "title": "Electric cars", "schedule": {"start": 2024, "full": 2035},
             "effect": {"type": "switch", "sector": "transport", "from": "cars", "to": "electricity",
                        "to_sector": "energy", "share": 0.6, "efficiency_ratio": 0.1}},
            {"id": "modal", "title": "Modal shift", "schedule": {"start": 2025, "full": 2028},
             "effect": {"type": "shift", "sector": "transport", "from": "cars", "to": "bus", "share": 0.1,
                        "ratio": 0.05}},
            {"id": "lowland", "title": "Lowland soils", "schedule": {"start": 2026, "full": 2030},
             "effect": {"type": "demand", "sector": "agriculture", "reduction": 0.05}},
            {"id": "forest", "title": "Forest", "schedule": {"start": 2025, "full": 2035},
             "effect": {"type": "removal", "sector": "lulucf", "activity": "forest", "amount": 100, "unit": "ha",
                        "rate": 5.0}},
        ],
    }
    doc.update(over)
    return doc


def test_forward_and_backward_kernels_agree_for_draws() -> None:
    cp = compile_plan(parse_plan(rich_plan()))
    rng = np.random.default_rng(3)
    theta = cp.theta[None, :] * rng.uniform(0.7, 1.1, size=(5, cp.theta.size))
    levels = rng.uniform(0, 1, size=(5, len(cp.action_ids)))
    np.testing.assert_allclose(totals(cp, theta, levels), row_emissions(cp, theta, levels).sum(axis=2), rtol=1e-12)


def test_bau_starts_at_the_inventory_and_wedges_add_up() -> None:
    cp = compile_plan(parse_plan(rich_plan()))
    r = evaluate(cp)
    inventory = datasets.klimaregnskab_panel(("741",))
    assert r.bau[0, 0] == pytest.approx(float(np.nansum(inventory.values[0, :, -1])))
    np.testing.assert_allclose(r.wedges.sum(axis=1), r.bau - r.plan, rtol=1e-9, atol=1e-6)
    assert r.wedges[0, cp.action_ids.index("biogas"), cp.years.tolist().index(2026)] == 0.0
    assert np.all(r.wedges[0, :, -1] > 0)


def test_targets_against_1990_use_the_backcast_and_the_gap_is_plan_minus_target() -> None:
    cp = compile_plan(parse_plan(rich_plan()))
    r = evaluate(cp)
    assert cp.target_years.tolist() == [2030, 2040]
    assert cp.target_levels[0, 1] == 0.0
    assert cp.target_levels[0, 0] > 0
    gap = r.gap()
    assert gap[0, 1] == pytest.approx(r.plan[0, cp.years.tolist().index(2040)])
    assert np.isnan(cp.target_path[0]).sum() == 0
    assert cp.target_path[0, 0] == pytest.approx(r.bau[0, 0])


def test_electrified_transport_lands_in_the_energy_sector() -> None:
    cp = compile_plan(parse_plan(rich_plan()))
    r = evaluate(cp)
    sectors = r.by_sector(r.plan_rows)[0]
    bau = r.by_sector(r.bau_rows)[0]
    t = cp.sectors.index("transport")
    assert sectors[t, -1] < bau[t, -1]
    assert sectors.sum(axis=0) == pytest.approx(r.plan[0])
    # the cars' electricity is counted on the energy sector's electricity row
    ev = np.zeros(len(cp.action_ids))
    ev[cp.action_ids.index("ev")] = 1.0
    rows = r.cp.rows
    el = next(i for i, lab in enumerate(rows) if (lab.sector, lab.carrier) == ("energy", "electricity"))
    with_ev = row_emissions(cp, None, ev)[0, 0, el, -1]
    without = row_emissions(cp, None, np.zeros(len(cp.action_ids)))[0, 0, el, -1]
    assert with_ev > without


def test_compile_once_evaluate_many() -> None:
    cp = compile_plan(parse_plan(rich_plan()))
    base = totals(cp)[0, 0, -1]
    theta = cp.theta.copy()
    theta[cp.param("actions.hp.share")] = 0.0
    theta[cp.param("actions.gas-hp.share")] = 0.0
    assert totals(cp, theta)[0, 0, -1] > base
    w = intensities(cp, np.stack([cp.theta, theta]))
    assert w.shape == (2, len(cp.rows), cp.years.size)


def test_a_plan_applies_to_many_organisations_at_once() -> None:
    plan = parse_plan(rich_plan())
    one = totals(compile_plan(plan, ("741",)))[0, 0]
    many = totals(compile_plan(plan, ("101", "741", "860")))[0]
    np.testing.assert_allclose(many[1], one, rtol=1e-12)
    assert many[0, 0] > many[1, 0]


def test_an_edit_is_re_evaluated_without_compiling_again() -> None:
    cp = compile_plan(parse_plan(rich_plan()))
    edited = cp.theta_with({"actions.ev.share": 0.0})
    doc = rich_plan()
    doc["actions"][4]["effect"]["share"] = 0.0
    recompiled = compile_plan(parse_plan(doc))
    np.testing.assert_allclose(totals(cp, edited), totals(recompiled), rtol=1e-12)


def test_a_plan_can_start_from_its_own_inventory_file(tmp_path: Any) -> None:
    (tmp_path / "inventory.csv").write_text(
        "organisation,year,sector,gas,amount,unit,source\n"
        "testby,2023,energy,CO2e,1000,t CO2e,test figure\n"
        "testby,2023,transport,CO2e,500,t CO2e,test figure\n", encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(
        "name: Testby\norganisation: testby\nhorizon: 2030\n"
        "inventory: {source: file, path: inventory.csv}\nbaseline: {method: constant}\n"
        "targets: [{kind: reduction, year: 2030, value: 0.5}]\n"
        "actions:\n  - {id: a, title: A, effect: {type: demand, sector: transport, reduction: 0.2},"
        " schedule: {start: 2025, curve: step}}\n", encoding="utf-8")
    from nettonul.engine.plan.spec import load_plan

    r = evaluate(compile_plan(load_plan(tmp_path / "plan.yaml")))
    assert r.bau[0].tolist() == pytest.approx([1500.0] * 8)
    assert r.plan[0, -1] == pytest.approx(1400.0)
    assert r.gap()[0, 0] == pytest.approx(1400.0 - 750.0)


# --------------------------------------------------------------------------- per-capita and sector targets
def test_per_capita_and_sector_targets_reach_the_scenario() -> None:
    """Middelfart (410) with inline 2023 emissions, a flat baseline and one transport action.

    By hand: the total starts at 1,000 + 600 = 1,600 t. 0.02 t per inhabitant in 2030 uses the
    population of 1 January 2026 (40,625, the last shipped year, held flat): 812.5 t. The
    linear total path from 1,600 (2023) to 812.5 (2030) is 1,600 - 787.5 x 2/7 = 1,375 in 2025.
    Transport -50 % against 2023 is 300 t in 2030; its path is 600 - 300 x 4/7 in 2027 and
    ends after 2030. Halving transport demand from 2025 leaves 1,000 + 300 = 1,300 t in 2030:
    487.5 t above the per-capita level, and exactly on the transport target."""
    doc = {
        "name": "Targets test", "organisation": "410", "horizon": 2035,
        "inventory": {"source": "inline", "year": 2023, "emissions": {"energy": 1000.0, "transport": 600.0}},
        "baseline": {"method": "constant"},
        "targets": [{"kind": "per_capita", "year": 2030, "value": 0.02},
                    {"kind": "reduction", "year": 2030, "value": 0.5, "against": 2023, "sector": "transport"}],
        "actions": [{"id": "less-driving", "title": "Less driving", "schedule": {"start": 2025, "curve": "step"},
                     "effect": {"type": "demand", "sector": "transport", "reduction": 0.5}}],
    }
    plan = parse_plan(doc)
    cp = compile_plan(plan)
    y = {int(year): i for i, year in enumerate(cp.years)}
    assert cp.target_years.tolist() == [2030]
    assert cp.target_levels[0].tolist() == pytest.approx([812.5])
    assert cp.target_path[0, y[2025]] == pytest.approx(1375.0)
    assert cp.target_path[0, y[2030]] == pytest.approx(812.5)
    assert cp.target_path[0, y[2035]] == pytest.approx(812.5)
    [transport] = cp.sector_targets
    assert transport.sector == "transport"
    assert transport.levels[0].tolist() == pytest.approx([300.0])
    assert transport.path[0, y[2027]] == pytest.approx(600.0 - 300.0 * 4 / 7)
    assert np.isnan(transport.path[0, y[2031]])

    result = evaluate(cp)
    assert result.gap()[0].tolist() == pytest.approx([487.5])
    assert result.sector_gaps()["transport"][0].tolist() == pytest.approx([0.0], abs=1e-9)

    summary = summarise(plan, result)
    assert [(t["sector"], t["target_t_co2e"], round(t["gap_t_co2e"], 6), t["met"]) for t in summary["targets"]] == [
        (None, pytest.approx(812.5), 487.5, False), ("transport", pytest.approx(300.0), 0.0, True)]
    assert summary["sector_target_paths_t_co2e"]["transport"][y[2030]] == pytest.approx(300.0)


def test_a_per_capita_target_needs_a_known_population() -> None:
    doc = {"name": "x", "organisation": "Somewhere", "horizon": 2035,
           "inventory": {"source": "inline", "year": 2023, "emissions": {"energy": 10.0}},
           "targets": [{"kind": "per_capita", "year": 2030, "value": 1.0}]}
    with pytest.raises(SpecError, match="population of Somewhere"):
        compile_plan(parse_plan(doc))


def test_sector_targets_are_checked_in_the_document() -> None:
    doc = {"name": "x", "organisation": "410",
           "targets": [{"kind": "net_zero", "year": 2050, "sector": "transprot"},
                       {"kind": "absolute", "year": 2030, "value": 5.0, "sector": "energy"},
                       {"kind": "net_zero", "year": 2030, "sector": "energy"}]}
    with pytest.raises(ValidationError) as exc:
        parse_plan(doc)
    assert [(p.column, p.reason.split(" (")[0]) for p in exc.value.problems] == [
        ("targets[0].sector", "'transprot' is not a top-level sector of dk-municipal"),
        ("targets[2].year", "a second target for energy in 2030"),
    ]
