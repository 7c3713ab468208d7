"""``inputs_from_plan`` with an emissions history given (e.g. an uploaded inventory) instead
of the shipped Energi- og CO2-regnskab."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from nettonul.engine.plan.monitoring import MonitoringData
from nettonul.engine.plan.sections import CapfPlan
from nettonul.engine.reference import datasets
from nettonul.reports.build import ReportInputs, inputs_from_plan

# Middelfart 2024 by top-level sector, t CO2e (illustrative figures of this test).
UPLOAD_2024 = {"energy": 50_000.0, "transport": 100_000.0, "agriculture": 80_000.0, "waste": 3_000.0,
               "industry": 2_000.0}
# summed by hand, plus the example plan's illustrative land use (800 ha x 30 t/ha - 9,000 + 1,000 t),
# held at its 2023 level in 2024
TOTAL_2024 = 235_000.0 + 16_000.0


@pytest.fixture(scope="module")
def with_2024(capf: CapfPlan, monitoring: MonitoringData) -> ReportInputs:
    shipped = datasets.klimaregnskab_panel(["410"])
    panel = shipped.reindex_years(int(shipped.years[0]), 2024)
    values = panel.values.copy()
    values[0, :, -1] = [UPLOAD_2024[s] for s in panel.sectors]
    return inputs_from_plan(capf, 2025, monitoring, history=replace(panel, values=values))


def test_the_given_history_is_what_the_report_shows(with_2024: ReportInputs, inputs: ReportInputs) -> None:
    i = with_2024.years.index(2024)
    assert with_2024.historical[i] == pytest.approx(TOTAL_2024)
    assert with_2024.estimated[i] is False  # its land use is the 2023 land-use inventory held (noted)
    assert {s: with_2024.by_sector[s][i] for s in UPLOAD_2024} == pytest.approx(UPLOAD_2024)
    assert inputs.historical[i] is None  # the shipped series ends in 2023
    # The years both cover are the same, and 1990 stays the same back-cast estimate.
    j = with_2024.years.index(2023)
    assert with_2024.historical[:j + 1] == pytest.approx(inputs.historical[:j + 1])
    assert with_2024.estimated[0] is True
    assert with_2024.outlook is not None
    assert inputs.outlook is not None
    assert (with_2024.outlook["last_year"], inputs.outlook["last_year"]) == (2024, 2023)
    assert with_2024.outlook["latest"] == pytest.approx(TOTAL_2024)


def test_a_history_matching_the_shipped_one_changes_nothing(capf: CapfPlan, monitoring: MonitoringData,
                                                            inputs: ReportInputs) -> None:
    given = inputs_from_plan(capf, 2025, monitoring, history=datasets.klimaregnskab_panel(["410"]))
    assert given == inputs


def test_years_after_the_report_year_are_left_out(capf: CapfPlan, with_2024: ReportInputs) -> None:
    shipped = datasets.klimaregnskab_panel(["410"])
    panel = shipped.reindex_years(int(shipped.years[0]), 2024)
    values = np.where(np.isnan(panel.values), 1.0, panel.values)
    early = inputs_from_plan(capf, 2023, None, history=replace(panel, values=values))
    assert early.historical[early.years.index(2024)] is None
    assert early.outlook is not None
    assert early.outlook["last_year"] == 2023


def test_monitoring_judges_against_the_adopted_path_not_one_restarted_at_the_latest_inventory(
        capf: CapfPlan, monitoring: MonitoringData, inputs: ReportInputs) -> None:
    """Middelfart's path as adopted runs from its 1990 level to the 2030 target; 2023 emissions
    far above that line are off the path, although the plan's scenario starts at 2023."""
    assert inputs.outlook is not None
    i90, i23 = inputs.years.index(1990), inputs.years.index(2023)
    base = inputs.historical[i90]
    level_2030 = next(t["level"] for t in inputs.targets if t["year"] == 2030) if any(
        t["year"] == 2030 for t in inputs.targets) else None
    first = min(inputs.targets, key=lambda t: t["year"])
    # straight line 1990 -> first milestone, read at 2023, worked out by hand
    expected = base + (first["level"] - base) * (2023 - 1990) / (first["year"] - 1990)
    assert inputs.outlook["path_latest"] == pytest.approx(expected, rel=1e-9)
    assert inputs.outlook["latest"] == pytest.approx(inputs.historical[i23])
    assert inputs.outlook["on_path"] is (inputs.historical[i23] <= expected)
    assert level_2030 is None or level_2030 < base
    assert abs(inputs.outlook["path_latest"] - inputs.outlook["latest"]) > 1_000  # not re-started at 2023
