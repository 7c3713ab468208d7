"""The check runs on every shipped example plan, and its sector shares equal the shipped CSV's."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pytest

from nettonul.engine.check import dk2020, run_check
from nettonul.engine.plan.sections import load_capf_plan
from nettonul.engine.reference import datasets

from .conftest import TODAY

ROOT = Path(__file__).resolve().parents[3] / "examples"
PLANS = sorted((ROOT / "plans").glob("*.yaml")) + sorted((ROOT / "check").glob("*plan*.yaml"))
COLUMNS = ("energi_t_co2e", "transport_t_co2e", "landbrug_t_co2e", "affald_t_co2e", "industri_t_co2e")


def _land_use(path: Path | None, year: int) -> list[float]:
    """The land-use file's total for ``year`` by hand: t CO2e records, or ha x t CO2e/ha."""
    if path is None:
        return []
    rows = [r for r in csv.DictReader(line for line in path.read_text("utf-8").splitlines() if not line.startswith("#"))
            if int(r["year"]) == year and r["amount"]]
    return [sum(float(r["amount"]) * (float(r["emission_factor"]) if r["emission_factor"] else 1.0) for r in rows)]


def _csv_shares(code: str, year: int, land_use: Path | None = None) -> list[float]:
    text = (resources.files("nettonul") / "data" / "municipal_ghg_emissions_klimaregnskab.csv").read_text("utf-8")
    row = next(r for r in csv.DictReader(text.splitlines()) if r["kommunekode"] == code and int(r["year"]) == year)
    values = [float(row[c]) for c in COLUMNS] + _land_use(land_use, year)
    gross = sum(v for v in values if v > 0)
    return sorted((round(100 * v / gross, 1) for v in values if v / gross >= 0.05), reverse=True)


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_check_runs_on_shipped_plans(path: Path) -> None:
    capf = load_capf_plan(path)
    result = run_check(capf, today=TODAY)
    assert len(result.results) == len(dk2020().criteria)
    assert result.verdict in ("pass", "pass_with_warnings", "fail")
    # rules that compute from the scenario always have numbers to work with
    for cid in ("PTH-1", "PTH-2", "PTH-3", "TGT-6"):
        assert result.get(cid).result != "n.a.", cid
    if capf.plan.inventory.source == "inline":
        return
    code = datasets.find_municipality(capf.plan.organisation).code
    year = capf.plan.inventory.year or 2023
    shares = [e["value"] for e in result.get("PTH-2").evidence]
    land_use = Path(capf.plan.inventory.land_use) if capf.plan.inventory.land_use else None
    assert shares == _csv_shares(code, year, land_use)
