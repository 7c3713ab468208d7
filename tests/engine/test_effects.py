"""Each effect kind on activity and factors, with figures worked out by hand."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from nettonul.engine.plan.adoption import adoption
from nettonul.engine.plan.compile import compile_plan, reference_factor
from nettonul.engine.plan.effects import Removal, parameters_of
from nettonul.engine.plan.scenario import evaluate
from nettonul.engine.plan.spec import parse_plan

MARK = {"assumption": True, "reason": "test figure"}


def plan(rows: dict[str, list[dict[str, Any]]], actions: list[dict[str, Any]], emissions: dict[str, float],
         horizon: int = 2026, year: int = 2025) -> Any:
    for a in actions:
        a.setdefault("title", a["id"])
        a.setdefault("schedule", {"start": year, "curve": "step"})
    doc = {"name": "t", "organisation": "test", "horizon": horizon, "baseline": {"method": "constant"},
           "inventory": {"source": "inline", "year": year, "emissions": emissions},
           "activity": {s: [{**r, **MARK} for r in rs] for s, rs in rows.items()}, "actions": actions}
    return evaluate(compile_plan(parse_plan(doc)))


def test_two_demand_reductions_on_one_activity_do_not_double_count() -> None:
    # two -50 % actions leave 25 %, not 0 %
    r = plan({}, [{"id": "a", "effect": {"type": "demand", "sector": "transport", "reduction": 0.5}},
                  {"id": "b", "effect": {"type": "demand", "sector": "transport", "reduction": 0.5}}],
             {"transport": 80.0})
    assert r.plan[0, 0] == pytest.approx(20.0)
    assert r.wedges[0, :, 0].tolist() == pytest.approx([30.0, 30.0])


def test_switch_to_electricity_gets_cleaner_as_the_grid_factor_falls() -> None:
    # 2025: oil 100 t at 0.266 t/MWh = 375.94 MWh; all of it to heat pumps at 0.3 MWh el per MWh oil
    # = 112.78 MWh el x BR18 factor (0.135 in 2025, 0.047 in 2030)
    r = plan({"energy": [{"carrier": "oil", "share": 1.0, "factor": 0.266},
                         {"carrier": "electricity", "share": 0.0, "factor": "br18.electricity"}]},
             [{"id": "hp", "effect": {"type": "switch", "sector": "energy", "from": "oil", "to": "electricity",
                                      "share": 1.0, "efficiency_ratio": 0.3}}],
             {"energy": 100.0}, horizon=2030)
    mwh = 100.0 / 0.266 * 0.3
    assert r.plan[0, 0] == pytest.approx(mwh * 0.135)
    assert r.plan[0, 5] == pytest.approx(mwh * 0.047)
    assert r.plan[0, 5] < r.plan[0, 0]


def test_shift_moves_activity_at_its_ratio() -> None:
    # 100 t from cars at 0.2 t per 1000 vehicle-km = 500 units; 10 % shifted to buses at
    # 0.05 units of bus per car unit (shared), bus factor 1.0 t per unit: 90 + 50 x 0.05 x 1.0 = 92.5
    r = plan({"transport": [{"carrier": "cars", "share": 1.0, "factor": 0.2, "unit": "1000 vkm"},
                            {"carrier": "buses", "share": 0.0, "factor": 1.0, "unit": "1000 vkm"}]},
             [{"id": "modal", "effect": {"type": "shift", "sector": "transport", "from": "cars", "to": "buses",
                                         "share": 0.1, "ratio": 0.05}}],
             {"transport": 100.0})
    assert r.plan[0, 0] == pytest.approx(92.5)


def test_factor_change_and_removal() -> None:
    # grid gas 60 t, 40 % lower factor with biogas = 36 t; other energy 40 t; 500 ha x 2 t/ha removed
    r = plan({"energy": [{"carrier": "grid_gas", "share": 0.6, "factor": 0.2},
                         {"carrier": "other", "share": 0.4, "factor": 1.0}]},
             [{"id": "biogas", "effect": {"type": "factor", "sector": "energy", "carriers": ["grid_gas"],
                                          "reduction": 0.4}},
              {"id": "forest", "effect": {"type": "removal", "sector": "lulucf", "activity": "afforestation",
                                          "amount": 500, "unit": "ha", "rate": 2.0}}],
             {"energy": 100.0})
    assert r.plan[0, 0] == pytest.approx(36.0 + 40.0 - 1000.0)
    sectors = r.by_sector(r.plan_rows)[0, :, 0]
    assert sectors[r.cp.sectors.index("lulucf")] == pytest.approx(-1000.0)
    assert r.wedges[0, :, 0].tolist() == pytest.approx([24.0, 1000.0])


def test_adoption_scales_the_effect_year_by_year() -> None:
    r = plan({}, [{"id": "a", "schedule": {"start": 2026, "full": 2029, "curve": "linear"},
                   "effect": {"type": "demand", "sector": "waste", "reduction": 0.4}}],
             {"waste": 100.0}, horizon=2030)
    # linear from 2026 to 2029: 1/4, 2/4, 3/4, 1
    assert r.plan[0].tolist() == pytest.approx([100, 90, 80, 70, 60, 60])


def test_adoption_curves() -> None:
    years = np.arange(2023, 2032)
    assert adoption("step", 2025, 2030, years).tolist() == [0, 0, 1, 1, 1, 1, 1, 1, 1]
    lin = adoption("linear", 2025, 2030, years)
    assert lin[1] == 0.0
    assert lin[2] == pytest.approx(1 / 6)
    assert lin[7:].tolist() == [1.0, 1.0]
    logi = adoption("logistic", 2025, 2030, years)
    assert logi[1] == 0.0
    assert logi[7] == 1.0
    assert np.all(np.diff(logi) >= 0)
    # the ramp runs from 2024 (0) to 2030 (1): half in 2027, symmetric around it
    assert logi[4] == pytest.approx(0.5)
    assert logi[3] + logi[5] == pytest.approx(1.0)


def test_reference_factor_interpolates_br18() -> None:
    # halfway between 2025 (0.135) and 2030 (0.047) is 2027.5; 2027 is 0.135 - 2/5 x 0.088
    assert reference_factor("br18.electricity", np.array([2027]))[0] == pytest.approx(0.135 - 0.4 * 0.088)
    assert reference_factor("br18.grid_gas", np.array([2045]))[0] == pytest.approx(0.105)


def test_parameters_of_a_removal() -> None:
    e = Removal(type="removal", sector="lulucf", activity="forest", amount=10, unit="ha", rate=3)
    assert parameters_of(e) == {"amount": 10.0, "rate": 3.0}
