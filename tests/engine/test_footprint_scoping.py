"""Factor tables owned by units (engine/footprint/compute.UnitFactors, factors.layered_table):
a unit's activities use its own table, then its ancestors', never a sibling's; the answer to
one lookup comes from one table, so tables never add up."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nettonul.engine.core.errors import ValidationError
from nettonul.engine.footprint.compute import footprint_of_files
from nettonul.engine.footprint.orgunits import OrgTree, org_tree_from_records

HEADER = "factor_id,category,country,name,distance_band,cabin_class,value,unit,gas,year,source,valid_from,valid_to\n"
ROOT = HEADER + ("grid-de,electricity_grid,DE,,,,0.4,kg CO2e/kWh,CO2e,2024,test,,\n"
                 "grid-de-23,electricity_grid,DE,,,,0.5,kg CO2e/kWh,CO2e,2023,test,,\n"
                 "grid-fr,electricity_grid,FR,,,,0.05,kg CO2e/kWh,CO2e,2024,test,,\n"
                 "rm-de,electricity_residual_mix,DE,,,,0.6,kg CO2e/kWh,CO2e,2024,test,,\n"
                 "rm-de-23,electricity_residual_mix,DE,,,,0.6,kg CO2e/kWh,CO2e,2023,test,,\n")
ACTIVITIES = ("org_unit,year,activity,amount,amount_unit,source\n"
              "de,2024,electricity,100,MWh,test\nde,2023,electricity,100,MWh,test\nfr,2024,electricity,200,MWh,test\n")


def tree() -> OrgTree:
    records = [(1, {"id": "min", "name": "Ministry", "kind": "ministry", "country": "DK"}),
               (2, {"id": "de", "name": "Berlin", "kind": "embassy", "country": "DE", "parent": "min"}),
               (3, {"id": "fr", "name": "Paris", "kind": "embassy", "country": "FR", "parent": "min"})]
    return org_tree_from_records(records, file="units", organisation="Ministry")


def compute(tables: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    return footprint_of_files(tree(), [t.encode() for _u, t in tables], [f"{u}.csv" for u, _t in tables],
                              [ACTIVITIES.encode()], ["activities.csv"], factor_units=[u for u, _t in tables])


def test_a_units_table_wins_for_its_rows_and_no_other() -> None:
    # Berlin's own 2024 DE factor, and a French one with a window (which, shared, used to be
    # added to the ministry's FR row for Paris: 0.05 + 5.0)
    berlin = HEADER + ("grid-de,electricity_grid,DE,,,,0.3,kg CO2e/kWh,CO2e,2024,test,,\n"
                       "x-fr,electricity_grid,FR,,,,5.0,kg CO2e/kWh,CO2e,2024,test,2024-01-01,2024-12-31\n")
    result = compute([("min", ROOT), ("de", berlin)])
    # Berlin 2024: 100 MWh x 0.3 (own); 2023: not in its table, the ministry's 0.5; Paris 200 x 0.05
    assert result.by_scope(2024, "de")["scope2_location"] == pytest.approx(30.0)
    assert result.by_scope(2023, "de")["scope2_location"] == pytest.approx(50.0)
    assert result.by_scope(2024, "fr")["scope2_location"] == pytest.approx(10.0)
    # the market line takes the ministry's residual mix, which Berlin did not define: 100 x 0.6
    assert result.by_scope(2024, "de")["scope2_market"] == pytest.approx(60.0)
    # an explicit factor_id is looked up nearest first
    line = next(ln for ln in result.lines if ln.org_unit == "de" and ln.year == 2024 and ln.method == "location")
    assert line.factors[0].file == "de.csv"


def test_a_siblings_table_is_never_used() -> None:
    only_paris = HEADER + ("grid-de,electricity_grid,DE,,,,0.3,kg CO2e/kWh,CO2e,2024,test,,\n"
                           "grid-fr,electricity_grid,FR,,,,0.05,kg CO2e/kWh,CO2e,2024,test,,\n")
    with pytest.raises(ValidationError) as info:
        footprint_of_files(tree(), [only_paris.encode()], ["fr.csv"], [ACTIVITIES.encode()], ["activities.csv"],
                           factor_units=["fr"])
    # Berlin's rows find no factor: Paris's DE row is Paris's alone
    assert {p.row for p in info.value.problems} == {2, 3}


def test_an_owner_outside_the_tree_is_refused() -> None:
    with pytest.raises(Exception, match="no organisation unit 'rome'"):
        compute([("rome", ROOT)])


@settings(max_examples=30, deadline=None)
@given(st.floats(min_value=0, max_value=1e6, allow_nan=False), st.floats(min_value=0, max_value=1e6, allow_nan=False))
def test_paris_figures_do_not_depend_on_berlins_table(de_value: float, fr_value: float) -> None:
    berlin = HEADER + (f"a,electricity_grid,DE,,,,{de_value!r},kg CO2e/kWh,CO2e,2024,test,,\n"
                       f"b,electricity_grid,FR,,,,{fr_value!r},kg CO2e/kWh,CO2e,2024,test,2024-01-01,2024-12-31\n")
    result = compute([("min", ROOT), ("de", berlin)])
    assert result.by_scope(2024, "fr") == compute([("min", ROOT)]).by_scope(2024, "fr")
    assert result.by_scope(2024, "de")["scope2_location"] == pytest.approx(100 * de_value)
