"""Units, GWPs, frameworks and the shipped reference data, checked against published figures."""

from __future__ import annotations

import pytest

from nettonul.engine.core import frameworks, gwp, units
from nettonul.engine.core.errors import SpecError, UnitError, UnknownGasError, UnknownOrganisationError
from nettonul.engine.reference import datasets


@pytest.mark.parametrize(
    ("unit", "expected"),
    [("t CO2e", 1.0), ("kt CO2e", 1e3), ("Mt CO2e", 1e6), ("kg CO2e", 1e-3), ("tCO2e", 1.0),
     ("kt CO2-eq", 1e3)],
)
def test_emission_units_convert_to_tonnes(unit: str, expected: float) -> None:
    assert units.factor(unit, "t CO2e") == pytest.approx(expected)


def test_energy_units() -> None:
    assert units.factor("GJ", "MWh") == pytest.approx(1 / 3.6)
    assert units.factor("TJ", "MWh") == pytest.approx(1e6 / 3600)


def test_unit_errors_are_clear() -> None:
    with pytest.raises(UnitError, match="cannot be converted"):
        units.factor("MWh", "t CO2e")
    with pytest.raises(UnitError, match="unknown unit 'bananas'"):
        units.factor("bananas", "t CO2e")


@pytest.mark.parametrize(
    # Published 100-year GWPs: IPCC AR4 WG1 Table 2.14, AR5 WG1 Table 8.A.1, AR6 WG1 Table 7.SM.7.
    ("set_name", "gas", "value"),
    [("AR4", "CH4", 25), ("AR4", "N2O", 298), ("AR4", "SF6", 22800),
     ("AR5", "CH4", 28), ("AR5", "N2O", 265), ("AR5", "SF6", 23500), ("AR5", "HFC-134a", 1300),
     ("AR6", "CH4", 27.9), ("AR6", "N2O", 273), ("AR6", "SF6", 25200), ("AR6", "NF3", 17400)],
)
def test_gwp_values_match_published_tables(set_name: str, gas: str, value: float) -> None:
    assert gwp.gwp_set(set_name).factor(gas) == pytest.approx(value)


def test_gwp_conversion_and_default() -> None:
    assert gwp.DEFAULT_GWP_SET == "AR5"
    assert gwp.to_co2e(2.0, "CH4") == pytest.approx(56.0)
    assert gwp.to_co2e(2.0, "CO2e") == pytest.approx(2.0)
    with pytest.raises(UnknownGasError):
        gwp.gwp_set("AR5").factor("unobtainium")
    with pytest.raises(SpecError):
        gwp.gwp_set("AR9")


def test_frameworks_load_with_expected_structure() -> None:
    dk = frameworks.get_framework("dk-municipal")
    assert set(dk.top_level_codes()) >= {"energy", "transport", "agriculture", "waste", "industry", "lulucf"}
    assert dk.top_level("energy.district_heating") == "energy"
    corp = frameworks.get_framework("ghgp-corporate")
    assert len(corp.children("scope3")) == 15
    assert corp.sector("scope2_market").scope2_method == "market"
    gpc = frameworks.get_framework("gpc")
    assert gpc.sector("I.4.4").level == "T"


def test_the_98_municipalities_match_published_counts() -> None:
    ms = datasets.municipalities()
    assert len(ms) == 98
    by_region: dict[str, int] = {}
    for m in ms:
        by_region[m.region_name] = by_region.get(m.region_name, 0) + 1
    # Published region sizes (PROVENANCE.md, checked against DAWA).
    assert by_region == {"Region Hovedstaden": 29, "Region Midtjylland": 19, "Region Nordjylland": 11,
                         "Region Sjælland": 17, "Region Syddanmark": 22}
    assert sum(m.population_2023 for m in ms) == 5_932_561
    assert round(sum(m.area_km2 for m in ms), 1) == 42_956.7


@pytest.mark.parametrize("query", ["101", "0101", "København", "kobenhavn", "Københavns Kommune", "Copenhagen"])
def test_find_municipality_by_code_or_name(query: str) -> None:
    assert datasets.find_municipality(query).code == "101"


def test_unknown_municipality_suggests_names() -> None:
    with pytest.raises(UnknownOrganisationError, match="København"):
        datasets.find_municipality("Kobenhvn")


def test_klimaregnskab_sectors_sum_to_published_total() -> None:
    k = datasets.klimaregnskab()
    assert k.values.shape == (98, 5, 6)
    sums = k.values.sum(axis=1)
    # PROVENANCE.md: the total equals the sum of the five sectors to within 0.002 %.
    assert abs(sums - k.published_total).max() <= 2e-5 * abs(k.published_total).max()
    assert k.values[:, :, -1].sum() / 1e6 == pytest.approx(34.04, abs=0.01)


def test_national_totals_match_kf25_check_table() -> None:
    inv = datasets.national_inventory()
    years = list(inv.years)
    lulucf = [i for i, c in enumerate(inv.crf_codes) if c.startswith("4")]
    for year, incl, excl in ((1990, 79.18, 72.47), (2023, 38.77, 39.27), (2030, 22.18, 21.85)):
        col = inv.values[:, years.index(year)]
        assert col.sum() == pytest.approx(incl, abs=0.06)
        assert col.sum() - col[lulucf].sum() == pytest.approx(excl, abs=0.06)
    assert inv.last_historical_year == 2023
