"""Business-as-usual projections, checked by hand against the shipped data."""

from __future__ import annotations

import numpy as np
import pytest

from nettonul.engine.core.errors import SpecError
from nettonul.engine.core.panel import Panel
from nettonul.engine.pathway.baseline import last_inventory_year, population_matrix, project_baseline
from nettonul.engine.reference import datasets

# København in the Energi- og CO2-regnskab, 2023 (t CO2e) and DST population (1 January).
KBH_ENERGY_2023 = 542_431.0
KBH_TRANSPORT_2023 = 226_458.0
KBH_POP = {2023: 653_664.0, 2025: 667_099.0, 2026: 671_714.0}
# KF25 energy sector (1A1a+1A1ax+1A2+1A4ai+1A4bi+1A4ci), Mt CO2e.
# 1A1a, 1A1ax, 1A2, 1A4ai, 1A4bi, 1A4ci and the mobile machinery 1A2gvii, 1A4aii, 1A4bii, 1A4cii
N_ENERGY_2023 = 3.15 + 1.52 + 2.88 + 0.37 + 1.19 + 1.36 + 0.03 + 0.04 + 0.05 + 0.03  # 10.62
N_ENERGY_2030 = 0.15 + 1.96 + 0.98 + 0.09 + 0.34 + 0.09 + 0.50 + 0.02 + 0.05 + 0.85  # 5.03


@pytest.fixture(scope="module")
def kbh() -> Panel:
    return datasets.klimaregnskab_panel(["101"])


def test_kf25_baseline_follows_the_national_sector_index(kbh: Panel) -> None:
    bau = project_baseline(kbh, 2050)
    assert bau.start_year == 2023
    assert bau.years[0] == 2023
    assert bau.years[-1] == 2050
    e = bau.panel.sector_index("energy")
    assert bau.panel.values[0, e, 0] == KBH_ENERGY_2023  # joins the inventory
    assert bau.panel.values[0, e, 2030 - 2023] == pytest.approx(KBH_ENERGY_2023 * N_ENERGY_2030 / N_ENERGY_2023)
    assert "KF25" in bau.panel.notes[0]
    assert any("KF25" in s for s in bau.panel.sources)
    assert bau.total().shape == (1, 28)


def test_frozen_technology_scales_with_population_then_holds_it(kbh: Panel) -> None:
    bau = project_baseline(kbh, 2040, "frozen")
    e = bau.panel.sector_index("energy")
    per_person = KBH_ENERGY_2023 / KBH_POP[2023]
    assert bau.panel.values[0, e, 2026 - 2023] == pytest.approx(per_person * KBH_POP[2026])
    assert bau.panel.values[0, e, 2040 - 2023] == pytest.approx(per_person * KBH_POP[2026])
    assert "held flat after 2026" in " ".join(bau.panel.notes)


def test_activity_trend_multiplies_the_projection(kbh: Panel) -> None:
    bau = project_baseline(kbh, 2030, "frozen", activity_trends={"transport": -2.0})
    t = bau.panel.sector_index("transport")
    expected = KBH_TRANSPORT_2023 * KBH_POP[2025] / KBH_POP[2023] * 0.98**2
    assert bau.panel.values[0, t, 2] == pytest.approx(expected)
    assert "-2 % per year" in " ".join(bau.panel.notes)
    with pytest.raises(SpecError, match="sector 'aviation'"):
        project_baseline(kbh, 2030, activity_trends={"aviation": 1.0})


def test_supplied_driver_replaces_population_for_its_sector(kbh: Panel) -> None:
    years = 2030 - 2023 + 1
    driver = np.linspace(1.0, 2.0, years)[None, :]
    bau = project_baseline(kbh, 2030, "frozen", driver={"energy": driver})
    e, t = bau.panel.sector_index("energy"), bau.panel.sector_index("transport")
    assert bau.panel.values[0, e, -1] == pytest.approx(2 * KBH_ENERGY_2023)
    assert bau.panel.values[0, t, 2] == pytest.approx(KBH_TRANSPORT_2023 * KBH_POP[2025] / KBH_POP[2023])
    with pytest.raises(SpecError, match="driver for energy has shape"):
        project_baseline(kbh, 2030, "frozen", driver={"energy": np.ones((1, 3))})


def test_errors_are_clear(kbh: Panel) -> None:
    with pytest.raises(SpecError, match="baseline method 'magic'"):
        project_baseline(kbh, 2050, "magic")  # type: ignore[arg-type]
    with pytest.raises(SpecError, match="after the last inventory year 2023"):
        project_baseline(kbh, 2023)
    stranger = Panel(("X",), ("energy",), np.array([2020], dtype=np.int64), np.array([[[5.0]]]))
    with pytest.raises(SpecError, match="no population for X"):
        project_baseline(stranger, 2030, "frozen")
    early = Panel(("101",), ("energy",), np.array([2005], dtype=np.int64), np.array([[[5.0]]]))
    with pytest.raises(SpecError, match="population is known from 2008"):
        project_baseline(early, 2030, "frozen")
    with pytest.raises(SpecError, match="no national series"):
        project_baseline(Panel(("X",), ("aviation",), np.array([2020], dtype=np.int64),
                               np.array([[[5.0]]])), 2030)


def test_population_matrix_and_last_inventory_year(kbh: Panel) -> None:
    years = np.array([2007, 2023, 2030], dtype=np.int64)
    pop = population_matrix(("101", "nope"), years)
    assert np.isnan(pop[0, 0])
    assert pop[0, 1] == KBH_POP[2023]
    assert np.isnan(pop[0, 2])
    assert np.isnan(pop[1]).all()
    held = population_matrix(("101",), years, hold_after=True)
    assert held[0, 2] == KBH_POP[2026]
    assert last_inventory_year(kbh) == 2023
