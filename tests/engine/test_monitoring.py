"""Derived monitoring statuses at their boundaries, and trend forecasts against hand figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from nettonul.engine.core.errors import ValidationError
from nettonul.engine.plan.monitoring import (
    ProgressUpdate,
    action_status,
    add_months,
    decimal_year,
    emissions_outlook,
    indicator_statuses,
    linear_forecast,
    load_monitoring,
    months_between,
    parse_monitoring,
    worded_reasons,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "check" / "monitoring_2025.yaml"


def _update(day: date, percent: float, status: str = "in_progress") -> ProgressUpdate:
    return ProgressUpdate.model_validate({"action": "a", "date": day, "status": status, "percent": percent})


def test_calendar_months() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 11, 15), 14) == date(2027, 1, 15)
    assert months_between(date(2025, 1, 31), date(2026, 1, 30)) == 11
    assert months_between(date(2025, 1, 31), date(2026, 1, 31)) == 12


@pytest.mark.parametrize(("as_of", "stale"), [(date(2026, 1, 31), False), (date(2026, 2, 1), True)])
def test_exactly_n_months_is_not_stale(as_of: date, stale: bool) -> None:
    s = action_status("a", 2024, 2030, [_update(date(2025, 1, 31), 30)], as_of, stale_after_months=12)
    assert s.stale is stale
    assert s.state == ("stale" if stale else "on_track")


def test_reasons_are_worded_in_english_and_danish() -> None:
    s = action_status("a", 2024, 2026, [_update(date(2025, 1, 31), 12.5)], date(2027, 3, 1), stale_after_months=12)
    row = s.to_dict()
    assert row["reasons"] == ["full-effect year 2026 has passed at 12.5 %",
                              "last updated 2025-01-31, 25 months ago (limit 12)"]
    assert worded_reasons(row, "en") == row["reasons"]
    assert worded_reasons(row, "da") == ["året for fuld effekt, 2026, er passeret ved 12,5 %",
                                         "senest opdateret 31.1.2025, for 25 måneder siden (grænse 12)"]
    never = action_status("b", 2024, 2030, [], date(2025, 6, 1), 12).to_dict()
    assert worded_reasons(never, "da") == ["startåret 2024 er passeret med 0 % udført", "aldrig opdateret"]
    # a row stored before the keys were kept keeps its English reasons
    assert worded_reasons({"reasons": ["never updated"]}, "da") == ["never updated"]


def test_never_updated_is_stale_once_started() -> None:
    assert action_status("a", 2025, 2030, [], date(2025, 6, 1), 12).state == "stale"
    assert action_status("a", 2026, 2030, [], date(2025, 6, 1), 12).state == "not_started"


@pytest.mark.parametrize(("as_of", "late"), [(date(2025, 12, 31), False), (date(2026, 1, 1), True)])
def test_late_when_the_start_year_has_passed_with_nothing_done(as_of: date, late: bool) -> None:
    s = action_status("a", 2025, 2030, [_update(date(2025, 12, 1), 0, "not_started")], as_of, 12)
    assert s.late is late
    assert s.state == ("late" if late else "on_track")


def test_minimum_progress_after_start_is_configurable() -> None:
    updates = [_update(date(2025, 12, 1), 5)]
    assert action_status("a", 2025, 2030, updates, date(2026, 1, 1), 12, min_percent_after_start=5).late
    assert not action_status("a", 2025, 2030, updates, date(2026, 1, 1), 12, min_percent_after_start=4.9).late


def test_late_after_the_full_year_below_100_percent() -> None:
    updates = [_update(date(2030, 12, 1), 99)]
    assert not action_status("a", 2025, 2030, updates, date(2030, 12, 31), 12).late
    assert action_status("a", 2025, 2030, updates, date(2031, 1, 1), 12).state == "late"
    done = [_update(date(2030, 12, 1), 100, "completed")]
    assert action_status("a", 2025, 2030, done, date(2035, 1, 1), 12).state == "completed"


def test_updates_after_as_of_are_ignored() -> None:
    updates = [_update(date(2025, 1, 1), 10), _update(date(2026, 6, 1), 100, "completed")]
    s = action_status("a", 2024, 2030, updates, date(2025, 12, 31), 12)
    assert (s.state, s.percent) == ("on_track", 10)


def test_exact_line_forecast_and_zero_width_interval() -> None:
    x = np.asarray([2023.0, 2024.0, 2025.0])
    fc = linear_forecast(x, np.asarray([[100.0, 90.0, 80.0]]), 2031.0)
    assert fc.value[0] == pytest.approx(20.0)
    assert fc.slope[0] == pytest.approx(-10.0)
    assert fc.upper[0] == pytest.approx(20.0)


def test_prediction_interval_matches_the_textbook_formula() -> None:
    x = np.asarray([2019.5, 2020.5, 2021.5, 2022.5, 2023.5])
    y = np.asarray([368.5, 333.3, 320.6, 315.3, 274.7])
    fc = linear_forecast(x, y[None, :], 2031.0, confidence=0.9)
    lr = stats.linregress(x, y)
    pred = lr.intercept + lr.slope * 2031.0
    s = np.sqrt(np.sum((y - (lr.intercept + lr.slope * x)) ** 2) / 3)
    half = stats.t.ppf(0.95, 3) * s * np.sqrt(1 + 1 / 5 + (2031.0 - x.mean()) ** 2 / np.sum((x - x.mean()) ** 2))
    assert fc.value[0] == pytest.approx(pred)
    assert fc.upper[0] - fc.value[0] == pytest.approx(half)


def test_two_observations_give_no_interval() -> None:
    fc = linear_forecast(np.asarray([2024.0, 2025.0]), np.asarray([[10.0, 8.0]]), 2031.0)
    assert fc.value[0] == pytest.approx(-4.0)
    assert np.isnan(fc.upper[0])


def test_emissions_outlook_for_two_organisations_at_once() -> None:
    years = np.arange(2018, 2051)
    totals = np.full((2, years.size), np.nan)
    totals[0, :6] = 300.0 - 10.0 * np.arange(6)  # falls 10 t/yr: 250 in 2023, 180 at end of 2030
    totals[1, :6] = 300.0  # flat
    path = np.tile(np.linspace(300, 0, years.size), (2, 1))
    out = emissions_outlook(years, totals, path, 2030, np.asarray([180.0, 180.0]), fit_years=5)
    assert out.last_year == 2023
    assert out.fit_from == 2019
    # the mid-2023 value 250 falls 10 t/yr for 7.5 years to the end of 2030
    assert out.forecast.value == pytest.approx([175.0, 300.0])
    assert out.state == ["on_track", "off_track"]


def test_example_monitoring_file_statuses() -> None:
    data = load_monitoring(EXAMPLE)
    states = {s.indicator.id: s.state for s in indicator_statuses(data)}
    # oil boilers fall ~350 a year from 1,050: the line is below 0 at the end of 2030
    assert states == {"oil-boilers": "on_track", "ev-share": "off_track", "bike-km": "off_track",
                      "forest-area": "insufficient_data"}
    assert decimal_year(date(2025, 12, 31)) == pytest.approx(2025 + 364 / 365)


def test_bad_monitoring_data_is_rejected_whole() -> None:
    data = {"as_of": "2025-12-31", "indicators": [{"id": "x", "name": "X", "unit": "t", "direction": "decrease"}],
            "observations": [{"indicator": "y", "value": 1, "date": "2026-01-05", "source": "s"}],
            "updates": [{"action": "nope", "date": "2025-01-01", "status": "in_progress", "percent": 5}]}
    with pytest.raises(ValidationError) as err:
        parse_monitoring(data, "m.yaml", action_ids={"a"})
    reasons = sorted(p.reason for p in err.value.problems)
    assert reasons == ["2026-01-05 is after as_of 2025-12-31", "no indicator 'y'", "the plan has no action 'nope'"]


@pytest.mark.parametrize(("target", "state"), [(20.0, "on_track"), (19.99, "off_track")])
def test_off_track_exactly_at_the_target_boundary(target: float, state: str) -> None:
    from nettonul.engine.plan.monitoring import trend_state

    fc = linear_forecast(np.asarray([2023.0, 2024.0, 2025.0]), np.asarray([[100.0, 90.0, 80.0]]), 2031.0)
    assert trend_state(fc, np.asarray([target]), "decrease") == [state]


def test_at_risk_when_the_interval_reaches_past_the_target() -> None:
    from nettonul.engine.plan.monitoring import trend_state

    fc = linear_forecast(np.asarray([2022.0, 2023.0, 2024.0, 2025.0]), np.asarray([[100.0, 93.0, 78.0, 71.0]]),
                         2031.0)
    # slope Sxy/Sxx = -51/5 = -10.2 per year from the mean (2023.5, 85.5): 85.5 - 10.2 x 7.5 = 9.0 at
    # the end of 2030, which meets a target of 15; the 90 % upper bound (about 35) does not
    assert fc.value[0] == pytest.approx(9.0)
    assert trend_state(fc, np.asarray([15.0]), "decrease") == ["at_risk"]
    assert trend_state(fc, np.asarray([fc.upper[0] + 0.01]), "decrease") == ["on_track"]
    # for an indicator where more is better the same line is off track against 15
    assert trend_state(fc, np.asarray([15.0]), "increase") == ["off_track"]


def test_emissions_above_the_adopted_path_are_off_it_even_when_a_restarted_path_is_met() -> None:
    from nettonul.engine.plan.monitoring import adopted_path, emissions_outlook

    years = np.arange(1990, 2031, dtype=np.int64)
    totals = np.full((1, years.size), np.nan)
    totals[0, 0] = 100.0  # 1990
    totals[0, 28:34] = [84.0, 83.0, 82.0, 81.0, 80.5, 80.0]  # 2018-2023
    # adopted: 100 in 1990 -> 30 in 2030, so 2023 is on 100 - 70 x 33/40 = 42.25
    path = adopted_path(years, 1990, np.array([100.0]), np.array([2030]), np.array([[30.0]]))
    assert path[0, 2023 - 1990] == pytest.approx(42.25)
    o = emissions_outlook(years, totals, path, 2030, np.array([30.0]))
    assert o.to_dict()["on_path"] is False
    assert o.to_dict()["path_latest"] == pytest.approx(42.25)
    # a path re-started at the 2023 inventory would have said "on the path"
    restarted = adopted_path(years, 2023, np.array([80.0]), np.array([2030]), np.array([[30.0]]))
    assert emissions_outlook(years, totals, restarted, 2030, np.array([30.0])).to_dict()["on_path"] is True
