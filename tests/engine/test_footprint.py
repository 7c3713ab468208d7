"""Organisational footprints computed by hand: dual scope 2, flights, roll-up, intensities, peers."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from nettonul.engine.core.errors import ValidationError
from nettonul.engine.footprint.activities import load_activities
from nettonul.engine.footprint.compute import FootprintOptions, FootprintResult, compute_footprint, footprint_of_files
from nettonul.engine.footprint.factors import FactorTable, load_factor_tables
from nettonul.engine.footprint.flights import EARTH_RADIUS_KM, airport, great_circle_km
from nettonul.engine.footprint.orgunits import OrgTree, OrgUnit, load_org_tree
from nettonul.engine.footprint.peers import PeerFootprint, compare_peers, peers_from_result

SRC = "Test agency: factors for tests"
UNITS = """\
organisation: Small ministry
units:
  - {id: root, name: Ministry, kind: ministry, country: DK}
  - {id: hq, name: Headquarters, kind: department, country: DK, parent: root, employees: 100, floor_area_m2: 2000}
  - {id: emb, name: Embassy in Hanoi, kind: embassy, country: VN, parent: root, employees: 10, floor_area_m2: 500}
"""
FACTORS = f"""\
factor_id,category,country,name,distance_band,cabin_class,value,unit,gas,year,source
grid-dk,electricity_grid,DK,,,,0.2,kg CO2e/kWh,,2024,{SRC}
grid-vn,electricity_grid,VN,,,,0.5,kg CO2e/kWh,,2024,{SRC}
rm-dk,electricity_residual_mix,DK,,,,0.4,kg CO2e/kWh,,2024,{SRC}
go,electricity_instrument,,GO wind,,,0,kg CO2e/kWh,,2024,Certificate register: cancelled GOs
diesel,fuel,,diesel,,,2.5,kg CO2e/litre,,2024,{SRC}
pellets,fuel,,pellets,,,0.05,kg CO2e/kg,,2024,{SRC}
pellets-bio,fuel,,pellets,,,1.6,kg CO2/kg,CO2_biogenic,2024,{SRC}
lh-eco,flight,,,long-haul,economy,0.15,kg CO2e/passenger_km,,2024,{SRC}
sh-eco,flight,,,short-haul,economy,0.1,kg CO2e/passenger_km,,2024,{SRC}
dom-eco,flight,,,domestic,economy,0.25,kg CO2e/passenger_km,,2024,{SRC}
business,flight_class_multiplier,,,,business,2.9,1,,2024,{SRC}
short,flight_band_limit,,,short-haul,,3700,km,,2024,{SRC}
rf,flight_rf_multiplier,,,,,1.9,1,,2024,{SRC}
spend-it,spend,,IT,,,0.05,kg CO2e/DKK,,2024,{SRC}
"""
HEADER = "org_unit,year,activity,category,amount,amount_unit,name,distance_band,cabin_class,passengers," \
         "origin,destination,return_trip,instrument,instrument_name,country"
ACTIVITIES = [
    "hq,2024,electricity,,100,MWh,,,,,,,,guarantee_of_origin,GO wind,",   # row 2
    "hq,2024,electricity,,50,MWh,,,,,,,,,,",                              # row 3
    "emb,2024,electricity,,20000,kWh,,,,,,,,,,",                          # row 4
    "emb,2024,fuel,scope1.stationary,1000,litre,diesel,,,,,,,,,",         # row 5
    "hq,2024,flight,,5000,km,,long-haul,business,2,,,,,,",                # row 6
]


def write_inputs(tmp_path: Path, activities: list[str], factors: str = FACTORS) -> tuple[OrgTree, FactorTable, Path]:
    (tmp_path / "units.yaml").write_text(UNITS, encoding="utf-8")
    (tmp_path / "factors.csv").write_text(factors, encoding="utf-8")
    act = tmp_path / "activities.csv"
    act.write_text(HEADER + "\n" + "\n".join(activities) + "\n", encoding="utf-8")
    return load_org_tree(tmp_path / "units.yaml"), load_factor_tables(tmp_path / "factors.csv"), act


def run(tmp_path: Path, activities: list[str], **options: object) -> FootprintResult:
    tree, table, path = write_inputs(tmp_path, activities)
    return compute_footprint(tree, load_activities(path, tree), table, FootprintOptions(**options))  # type: ignore[arg-type]


@pytest.fixture
def small(tmp_path: Path) -> FootprintResult:
    return run(tmp_path, ACTIVITIES)


def test_location_and_market_scope2_by_hand(small: FootprintResult) -> None:
    # location: HQ 100 MWh x 0.2 + 50 MWh x 0.2 = 30 t; embassy 20 MWh x 0.5 (host grid VN) = 10 t
    # market:   HQ GOs 0 + 50 MWh x 0.4 residual mix = 20 t; embassy: no VN residual mix -> 10 t
    s = small.by_scope(2024)
    assert s["scope2_location"] == pytest.approx(40.0)
    assert s["scope2_market"] == pytest.approx(30.0)
    assert s["scope1"] == pytest.approx(2.5)            # 1000 litre x 2.5 kg
    assert s["scope3"] == pytest.approx(4.35)           # 5000 km x 2 pax x 0.15 x 2.9
    assert s["total_location"] == pytest.approx(2.5 + 40.0 + 4.35)
    assert s["total_market"] == pytest.approx(2.5 + 30.0 + 4.35)


def test_each_market_line_says_which_rule_applied(small: FootprintResult) -> None:
    market = [ln for ln in small.lines if ln.method == "market"]
    assert [(ln.row, ln.rule) for ln in market] == [
        (2, "contractual_instrument"), (3, "residual_mix"), (4, "location_fallback"),
    ]
    assert [ln.t_co2e for ln in market] == pytest.approx([0.0, 20.0, 10.0])
    assert market[0].sources == ("Certificate register: cancelled GOs",)
    assert market[0].to_dict()["market_quality_rank"] == 1
    assert market[2].to_dict()["market_quality_rank"] == 4
    assert any("location-based factor" in w for w in small.warnings())
    location = [ln for ln in small.lines if ln.method == "location"]
    assert [ln.factors[0].factor_id for ln in location] == ["grid-dk", "grid-dk", "grid-vn"]


def test_flight_by_hand_distance_factor_class_multiplier(small: FootprintResult) -> None:
    (flight,) = [ln for ln in small.lines if ln.activity == "flight"]
    assert flight.category == "scope3.06"
    assert flight.amount == pytest.approx(10_000.0)       # 5000 km x 2 passengers
    assert flight.kg_co2e_per_unit == pytest.approx(0.15)  # the economy long-haul factor
    assert flight.multiplier == pytest.approx(2.9)         # business = economy x 2.9
    assert flight.t_co2e == pytest.approx(10_000 * 0.15 * 2.9 / 1000)
    assert {f.factor_id for f in flight.factors} == {"lh-eco", "business"}
    assert small.radiative_forcing() == "radiative-forcing uplift for flights: off"


def test_radiative_forcing_is_explicit_and_stated(tmp_path: Path) -> None:
    result = run(tmp_path, ACTIVITIES, radiative_forcing=True)
    assert result.by_scope(2024)["scope3"] == pytest.approx(4.35 * 1.9)
    assert result.by_scope(2024)["scope2_location"] == pytest.approx(40.0)  # only flights change
    assert "on, x1.9 (Test agency" in result.radiative_forcing()
    given = run(tmp_path, ACTIVITIES, radiative_forcing=True, rf_multiplier=3.0, rf_source="policy choice")
    assert given.by_scope(2024)["scope3"] == pytest.approx(4.35 * 3.0)
    assert "x3 (policy choice)" in given.radiative_forcing()


def test_rollup_sums_and_intensities(small: FootprintResult) -> None:
    rows = {r["unit"]: r for r in small.by_unit(2024)}
    assert rows["hq"]["total_location"] == pytest.approx(30.0 + 4.35)
    assert rows["hq"]["total_market"] == pytest.approx(20.0 + 4.35)
    assert rows["emb"]["total_location"] == pytest.approx(10.0 + 2.5)
    assert rows["root"]["total_location"] == pytest.approx(rows["hq"]["total_location"] + rows["emb"]["total_location"])
    # own vs rolled: the ministry itself has no activity of its own
    own = {r["unit"]: r for r in small.by_unit(2024, rolled=False)}
    assert own["root"]["total_location"] == 0.0
    # intensities: 46.85 t / 110 FTE; 46.85 t / 2500 m2 = 18.74 kg/m2; the embassy 12.5 t / 10 FTE
    assert rows["root"]["employees"] == 110.0
    assert rows["root"]["t_per_employee_location"] == pytest.approx(46.85 / 110)
    assert rows["root"]["kg_per_m2_location"] == pytest.approx(18.74)
    assert rows["root"]["t_per_employee_market"] == pytest.approx(36.85 / 110)
    assert rows["emb"]["t_per_employee_location"] == pytest.approx(1.25)


def test_great_circle_distance_and_band_from_airports(tmp_path: Path) -> None:
    cph, nrt = airport("CPH"), airport("NRT")
    assert cph is not None
    assert nrt is not None
    # the spherical law of cosines, an independent formula, gives the same distance
    p1, p2 = math.radians(cph.lat), math.radians(nrt.lat)
    cosines = EARTH_RADIUS_KM * math.acos(
        math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(math.radians(nrt.lon - cph.lon)))
    d = float(great_circle_km(cph.lat, cph.lon, nrt.lat, nrt.lon))
    assert d == pytest.approx(cosines, rel=1e-9)
    assert 8_600 < d < 8_800
    result = run(tmp_path, [
        "hq,2024,flight,,3,,,,economy,,CPH,NRT,yes,,,",   # long-haul: 3 return trips
        "hq,2024,flight,,1,,,,economy,,CPH,ARN,no,,,",    # short-haul: Denmark to Sweden
        "hq,2024,flight,,1,,,,economy,,CPH,AAR,no,,,",    # domestic: both airports in Denmark
    ])
    long_haul, short_haul, domestic = result.lines
    assert long_haul.amount == pytest.approx(6 * d)
    assert long_haul.t_co2e == pytest.approx(6 * d * 0.15 / 1000)
    assert long_haul.factors[0].factor_id == "lh-eco"
    assert short_haul.factors[0].factor_id == "sh-eco"
    assert domestic.factors[0].factor_id == "dom-eco"
    assert "airportsdata (PyPI), IATA airport coordinates" in long_haul.sources


def test_biogenic_co2_is_reported_outside_the_scopes(tmp_path: Path) -> None:
    result = run(tmp_path, ["emb,2024,fuel,scope1.stationary,2000,kg,pellets,,,,,,,,,"])
    assert result.by_scope(2024)["scope1"] == pytest.approx(0.1)     # 2000 kg x 0.05 kg CO2e
    assert result.biogenic(True)[0, 0] == pytest.approx(3.2)          # 2000 kg x 1.6 kg CO2, separately


def test_refrigerant_leak_uses_the_gwp_set(tmp_path: Path) -> None:
    result = run(tmp_path, ["hq,2024,refrigerant,,10,kg,HFC-134a,,,,,,,,,"])
    # 10 kg HFC-134a x 1300 (AR5) = 13 t; AR6 (WGI table 7.SM.7) gives 1530 -> 15.3 t
    assert result.by_category(2024) == {"scope1.fugitive": pytest.approx(13.0)}
    assert run(tmp_path, ["hq,2024,refrigerant,,10,kg,HFC-134a,,,,,,,,,"], gwp="AR6").by_scope(2024)[
        "scope1"] == pytest.approx(15.3)


def test_every_missing_factor_and_bad_unit_is_listed(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as info:
        run(tmp_path, [
            "emb,2024,electricity,,5,MWh,,,,,,,,,,NO",     # row 2: no grid factor for NO
            "hq,2024,spend,,1000,EUR,IT,,,,,,,,,",         # row 3: factor is per DKK
            "hq,2024,fuel,scope1.mobile,10,kWh,diesel,,,,,,,,,",  # row 4: kWh is not litre
            "hq,2024,electricity,,7,MWh,,,,,,,,,,NO",      # row 5: the same missing factor again
        ])
    reasons = {p.row: p.reason for p in info.value.problems}
    assert reasons[5] == reasons[2]
    assert reasons[2].startswith("no location-based grid factor for country NO in 2024 in the imported tables")
    assert "give the amount in DKK" in reasons[3]
    assert "cannot be converted" in reasons[4]


def test_activity_rows_are_validated_against_the_tree(tmp_path: Path) -> None:
    tree, _, path = write_inputs(tmp_path, [
        "oslo,2024,electricity,,5,MWh,,,,,,,,,,",                 # unknown unit
        "hq,2024,fuel,,5,litre,diesel,,,,,,,,,",                  # fuel needs a category
        "hq,2024,flight,,1,,,,,,CPH,XXX,,,,",                     # unknown airport, no cabin class
        "hq,2024,fuel,scope1.mobile,5,litre,diesel,,,,,,,rec,,",  # instrument outside scope 2
        "hq,2024,electricity,,5,MWh,,,,,,,,guarantee_of_origin,,",  # instrument without its factor row
    ])
    with pytest.raises(ValidationError) as info:
        load_activities(path, tree)
    found = {(p.row, p.column) for p in info.value.problems}
    assert {(2, "org_unit"), (3, "category"), (4, "destination"), (4, "cabin_class"), (5, "instrument"),
            (6, "instrument_name")} <= found


def test_earlier_factor_year_is_noted_on_the_line(tmp_path: Path) -> None:
    result = run(tmp_path, ["hq,2025,fuel,scope1.mobile,100,litre,diesel,,,,,,,,,"])
    (line,) = result.lines
    assert line.t_co2e == pytest.approx(0.25)
    assert "factor for 2024 used for 2025" in line.notes[0]
    with pytest.raises(ValidationError, match="no fuel factor for country DK, 'diesel' in 2025"):
        run(tmp_path, ["hq,2025,fuel,scope1.mobile,100,litre,diesel,,,,,,,,,"], exact_factor_years=True)


def test_to_dict_traces_every_line_to_its_source(small: FootprintResult) -> None:
    data = small.to_dict()
    assert data["framework"] == "ghgp-corporate"
    assert data["unit"] == "t_CO2e"
    assert data["years"] == [2024]
    assert data["units"][0]["years"]["2024"]["total"]["total_market"] == pytest.approx(36.85)
    assert all(line["sources"] and line["factors"] for line in data["lines"])
    assert data["illustrative"] is False
    assert {s["source"] for s in data["sources"]} == {SRC, "Certificate register: cancelled GOs"}


def test_peer_comparison_by_hand() -> None:
    peers = [
        PeerFootprint("A", 2020, 100, 300, 200, 600, 100, 5000, "report A"),   # market total 900
        PeerFootprint("A", 2024, 80, 200, 120, 500, 100, 5000, "report A"),    # market total 700
        PeerFootprint("B", 2020, 50, 100, 100, 350, 25, float("nan"), "report B"),
        PeerFootprint("B", 2024, 50, 100, 100, 350, 25, float("nan"), "report B"),
    ]
    cmp = compare_peers(peers, basis="market")
    assert (cmp.year, cmp.base_year) == (2024, 2020)
    rows = {r["organisation"]: r for r in cmp.rows()}
    assert rows["A"]["t_per_employee"] == pytest.approx(7.0)
    assert rows["A"]["kg_per_m2"] == pytest.approx(140.0)
    assert rows["A"]["change_total_vs_base"] == pytest.approx(700 / 900 - 1)
    assert rows["B"]["t_per_employee"] == pytest.approx(20.0)
    assert rows["B"]["change_total_vs_base"] == pytest.approx(0.0)
    assert (rows["A"]["rank_t_per_employee"], rows["B"]["rank_t_per_employee"]) == (1.0, 2.0)
    location = {r["organisation"]: r for r in compare_peers(peers, basis="location").rows()}
    assert location["A"]["total_t_co2e"] == pytest.approx(780.0)


def test_own_footprint_joins_the_peers(small: FootprintResult) -> None:
    (own,) = peers_from_result(small)
    assert own.organisation == "Small ministry"
    assert own.total("location") == pytest.approx(46.85)
    assert own.employees == 110.0
    cmp = compare_peers([own, PeerFootprint("Peer", 2024, 0, 10, 10, 0, 10, float("nan"), "x")])
    assert np.isfinite(cmp.per_employee()).all()


def test_explicit_factor_id_overrides_the_lookup(tmp_path: Path) -> None:
    tree, table, path = write_inputs(tmp_path, [
        "hq,2024,flight,,1000,passenger_km,,,economy,,,,,,,",   # no band: needs factor_id
        "hq,2024,fuel,scope1.mobile,10,litre,,,,,,,,,,",
    ])
    text = path.read_text(encoding="utf-8").splitlines()
    header = text[0] + ",factor_id"
    path.write_text("\n".join([header, text[1] + ",sh-eco", text[2] + ",diesel"]) + "\n", encoding="utf-8")
    result = compute_footprint(tree, load_activities(path, tree), table)
    flight, fuel = result.lines
    with_rf = compute_footprint(tree, load_activities(path, tree), table, FootprintOptions(radiative_forcing=True))
    assert with_rf.lines[0].multiplier == pytest.approx(1.9)  # the RF row, not the flight's own factor_id
    assert flight.t_co2e == pytest.approx(1000 * 0.1 / 1000)
    assert fuel.t_co2e == pytest.approx(10 * 2.5 / 1000)
    assert [f.factor_id for f in flight.factors] == ["sh-eco"]


def test_a_tree_built_in_code_is_checked_too() -> None:
    with pytest.raises(ValidationError, match="unknown parent 'x'"):
        OrgTree([OrgUnit("a", "A", "ministry", "DK"), OrgUnit("b", "B", "embassy", "FR", parent="x")])


def test_electricity_outside_scope2_uses_the_grid_factor_once(tmp_path: Path) -> None:
    result = run(tmp_path, [
        "hq,2024,electricity,scope3.08,10,MWh,,,,,,,,,,",          # leased premises: one line, location factor
        "hq,2024,flight,,2,,,,economy,3,CPH,ARN,yes,,,",            # 2 trips x 3 passengers, return
    ])
    leased, flight = result.lines
    assert (leased.category, leased.method) == ("scope3.08", "")
    assert leased.t_co2e == pytest.approx(2.0)
    d = float(great_circle_km(*(getattr(airport(c), k) for c in ("CPH", "ARN") for k in ("lat", "lon"))))
    assert flight.amount == pytest.approx(d * 2 * 3 * 2)


def test_grid_zone_factor_for_electricity(tmp_path: Path) -> None:
    factors = FACTORS + f"dk2,electricity_grid,DK,DK2,,,0.1,kg CO2e/kWh,,2024,{SRC}\n"
    tree, table, path = write_inputs(tmp_path, ["hq,2024,electricity,,10,MWh,DK2,,,,,,,,,",
                                                "hq,2024,electricity,,10,MWh,,,,,,,,,,"], factors)
    zone, national = [ln for ln in compute_footprint(tree, load_activities(path, tree), table).lines
                      if ln.method == "location"]
    assert zone.t_co2e == pytest.approx(1.0)      # 10 MWh x 0.1 (zone DK2)
    assert national.t_co2e == pytest.approx(2.0)  # 10 MWh x 0.2 (national)
    assert zone.factors[0].factor_id == "dk2"


def test_files_in_memory_read_as_their_paths_do(tmp_path: Path, small: FootprintResult) -> None:
    tree, _table, _path = write_inputs(tmp_path, ACTIVITIES)
    activities = (HEADER + "\n" + "\n".join(ACTIVITIES) + "\n").encode()
    table = load_factor_tables(FACTORS.encode(), name="factors.csv")
    result = compute_footprint(tree, load_activities([activities], tree, name=["activities.csv"]), table)
    assert result.by_scope(2024) == small.by_scope(2024)
    assert result.by_scope(2024)["scope2_market"] == pytest.approx(30.0)  # as worked out by hand above
    one_call = footprint_of_files(tree, [FACTORS.encode()], ["factors.csv"], [activities], ["activities.csv"])
    assert one_call.by_scope(2024) == result.by_scope(2024)
    with pytest.raises(ValidationError) as err:
        load_activities((HEADER + "\nnowhere,2024,electricity,,1,MWh,,,,,,,,,,\n").encode(), tree, name="mine.csv")
    assert [(p.file, p.row) for p in err.value.problems] == [("mine.csv", 2)]
