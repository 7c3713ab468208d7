"""The yearly report of the illustrative Middelfart example, built once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from nettonul.engine.plan.monitoring import MonitoringData, load_monitoring
from nettonul.engine.plan.sections import CapfPlan, load_capf_plan
from nettonul.reports.build import ReportInputs, build_snapshot, inputs_from_plan
from nettonul.reports.snapshot import Snapshot

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "check"
ISSUED = date(2026, 1, 15)


@pytest.fixture(scope="session")
def capf() -> CapfPlan:
    return load_capf_plan(EXAMPLES / "middelfart_plan.yaml")


@pytest.fixture(scope="session")
def monitoring() -> MonitoringData:
    return load_monitoring(EXAMPLES / "monitoring_2025.yaml")


@pytest.fixture(scope="session")
def inputs(capf: CapfPlan, monitoring: MonitoringData) -> ReportInputs:
    return inputs_from_plan(capf, 2025, monitoring)


@pytest.fixture(scope="session")
def snapshot(inputs: ReportInputs) -> Snapshot:
    return build_snapshot(inputs, ISSUED)
