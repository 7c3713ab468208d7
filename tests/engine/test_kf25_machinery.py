"""KF25 moves machinery from stationary to mobile categories from 2024 (methodology §9.3): the
mapping keeps machinery in one sector over the whole series, so no BAU breaks in 2024."""

from __future__ import annotations

import csv
from importlib import resources

import numpy as np
import pytest

from nettonul.engine.pathway.pathway import compute_pathway
from nettonul.engine.reference import datasets

TRANSPORT = ("1A3a", "1A3bi", "1A3bii", "1A3biiix", "1A3biiiy", "1A3biv", "1A3c", "1A3d")
MOBILE_MACHINERY = ("1A2gvii", "1A4aii", "1A4bii", "1A4cii")


def _kf25() -> dict[tuple[str, int], float]:
    text = (resources.files("nettonul") / "data" / "national_ghg_emissions_kf25_crf.csv").read_text("utf-8")
    return {(r["crf_code"], int(r["year"])): float(r["emissions_mt_co2e"])
            for r in csv.DictReader(text.splitlines()) if r["gas"] == "CO2e_total"}


def test_mobile_machinery_is_in_the_sector_of_its_stationary_category() -> None:
    crf = datasets.national_sector_series().crf
    for code in (*MOBILE_MACHINERY, "1A2", "1A4ci"):
        assert code in crf["energy"]
        assert code not in crf["transport"]


def test_lemvig_transport_bau_has_no_2024_jump_worked_out_by_hand() -> None:
    n = _kf25()

    def transport(year: int) -> float:
        return sum(n.get((c, year), 0.0) for c in TRANSPORT)

    e2023 = 32_509.0  # Lemvig (665) transport 2023, municipal_ghg_emissions_klimaregnskab.csv
    pw = compute_pathway(datasets.klimaregnskab_panel(["665"]))
    t = pw.sectors.index("transport")
    assert pw.history.values[0, t, 2023 - 1990] == pytest.approx(e2023, abs=0.5)
    for year in (2024, 2025):
        assert pw.bau.values[0, t, year - 1990] == pytest.approx(e2023 * transport(year) / transport(2023), abs=1.0)
    # 11.43 -> 10.96 Mt nationally: -4.1 %, where the naive mapping gave +9.1 %
    assert pw.bau.values[0, t, 2024 - 1990] / e2023 - 1 == pytest.approx(-0.041, abs=0.002)


def test_no_sector_breaks_at_the_seam_of_history_and_projection() -> None:
    """For every sector, the 2023 -> 2024 national change is no larger than the largest
    year-on-year change of its own history 2018-2023; and every municipality's BAU moves by
    exactly its national sector's change (all 98)."""
    s = datasets.national_sector_series()
    years = list(s.years)
    for i, sector in enumerate(s.sectors):
        if sector == "lulucf":
            continue  # a net sink near zero: its relative change has no meaning
        v = s.values[i]
        hist = np.abs(np.diff(v[years.index(2018): years.index(2023) + 1]) / v[years.index(2018): years.index(2023)])
        seam = abs(v[years.index(2024)] / v[years.index(2023)] - 1)
        assert seam <= hist.max(), sector
    pw = compute_pathway(datasets.klimaregnskab_panel())
    with np.errstate(divide="ignore", invalid="ignore"):
        step = pw.bau.values[:, :, 2024 - 1990] / pw.bau.values[:, :, 2023 - 1990]
    for j, sector in enumerate(pw.sectors):
        national = s.values[s.sectors.index(sector), years.index(2024)] / s.values[s.sectors.index(sector),
                                                                                    years.index(2023)]
        finite = np.isfinite(step[:, j])
        np.testing.assert_allclose(step[finite, j], national, rtol=1e-9)
    t, e = pw.sectors.index("transport"), pw.sectors.index("energy")
    assert np.nanmax(step[:, t]) < 1.0  # transport falls in 2024, it does not jump +9.1 %
    assert np.nanmin(step[:, e]) > 0.95  # energy falls 3.5 %, not 18 %
