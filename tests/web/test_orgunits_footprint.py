"""Organisation units in the web app (nettonul/web/orgunits): a footprint computed through the
web service on a small case worked out by hand (scope 2 location- vs market-based), roll-up
sums on the unit tree page, the all-or-nothing upload and the peer comparison.

The case (factors are round test numbers, not published ones):

==========  ==========================  ============  ===================================
unit        activity                    location      market
==========  ==========================  ============  ===================================
hq (DK)     1000 MWh, GO wind (0)       1000x0.2=200  0 (contractual instrument)
hq          10 kg HFC-134a (AR5 1300)   scope 1: 13
emb-de      100 MWh                     100x0.4=40    100x0.6=60 (residual mix)
emb-fr      200 MWh                     200x0.05=10   10 (no residual mix: location factor)
==========  ==========================  ============  ===================================

Totals: with location-based scope 2 13+250=263 t, with market-based 13+70=83 t; the posts
group 50 / 70 t; per FTE (130) 2.023 / 0.638 t; Berlin per m2 (500) 80 / 120 kg.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nettonul.engine.core.errors import ValidationError as EngineValidationError
from nettonul.web.organisations.models import Organisation
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.orgunits import services
from nettonul.web.orgunits.models import FootprintData

DATA = Path(__file__).parent / "data"


@pytest.fixture
def ministry(db: None) -> dict[str, Organisation]:
    root = services.import_units(SYSTEM, DATA / "orgunits_units.yaml", code_prefix="t-")
    return {o.code[2:]: o for o in Organisation.objects.filter(code__startswith="t-")} | {"root": root}


def _files() -> tuple[tuple[str, bytes], tuple[str, bytes]]:
    return (("activities.csv", (DATA / "orgunits_activities.csv").read_bytes()),
            ("factors.csv", (DATA / "orgunits_factors.csv").read_bytes()))


def test_hand_computed_footprint_location_and_market(ministry: dict[str, Any]) -> None:
    activities, factors = _files()
    services.upload_footprint(SYSTEM, ministry["min"], activities, factors)
    _tree, result, _data = services.tree_footprint(ministry["emb-de"])
    assert result is not None
    s = result.by_scope(2024)
    assert s["scope1"] == pytest.approx(13.0)
    assert s["scope2_location"] == pytest.approx(250.0)
    assert s["scope2_market"] == pytest.approx(70.0)
    assert s["total_location"] == pytest.approx(263.0)
    assert s["total_market"] == pytest.approx(83.0)
    rows = {r["unit"]: r for r in result.by_unit(2024)}
    assert (rows["posts"]["total_location"], rows["posts"]["total_market"]) == (pytest.approx(50.0),
                                                                                pytest.approx(70.0))
    assert rows["min"]["t_per_employee_location"] == pytest.approx(263 / 130)
    assert rows["min"]["t_per_employee_market"] == pytest.approx(83 / 130)
    assert (rows["emb-de"]["kg_per_m2_location"], rows["emb-de"]["kg_per_m2_market"]) == (
        pytest.approx(80.0), pytest.approx(120.0))


def test_tree_page_shows_the_roll_up(ministry: dict[str, Any], client_for: Any) -> None:
    activities, factors = _files()
    services.upload_footprint(SYSTEM, ministry["min"], activities, factors, publish=True)
    client = client_for("anonymous")
    client.cookies["nettonul_language"] = "en"
    page = client.get(f"/units/{ministry['min'].pk}/?year=2024")
    assert page.status_code == 200
    html = page.content.decode()
    def cells(unit: str) -> list[str]:
        row = re.search(rf'<tr data-unit="{unit}">(.*?)</tr>', html, re.S)
        assert row is not None, unit
        return re.findall(r'class="num[^"]*">([^<]*)<', row.group(1))

    # columns: scope 1, scope 2 location, scope 2 market, scope 3, total location, total market, ...
    assert cells("min")[:6] == ["13.0", "250.0", "70.0", "0.0", "263.0", "83.0"]
    assert cells("posts")[:6] == ["0.0", "50.0", "70.0", "0.0", "50.0", "70.0"]
    assert cells("emb-fr")[:6] == ["0.0", "10.0", "10.0", "0.0", "10.0", "10.0"]
    # the sum of the children is the parent (hq + posts = ministry)
    assert float(cells("hq")[4]) + float(cells("posts")[4]) == float(cells("min")[4])
    sub = client.get(f"/units/{ministry['posts'].pk}/").content.decode()
    assert 'data-unit="hq"' not in sub
    assert 'data-unit="emb-de"' in sub


def test_a_bad_upload_changes_nothing(ministry: dict[str, Any]) -> None:
    activities, factors = _files()
    services.upload_footprint(SYSTEM, ministry["min"], activities, factors)
    before = list(FootprintData.objects.values_list("pk", "is_current"))
    bad = activities[1].replace(b"emb-fr,2024,electricity,,200,MWh", b"emb-xx,2024,electricity,,two hundred,MWh")
    with pytest.raises(EngineValidationError) as info:
        services.upload_footprint(SYSTEM, ministry["min"], ("activities.csv", bad), factors)
    reasons = " ".join(p.reason for p in info.value.problems)
    assert "emb-xx" in reasons
    assert {p.row for p in info.value.problems} == {5}
    missing_factor = activities[1].replace(b"emb-fr,2024", b"emb-fr,2031")
    with pytest.raises(EngineValidationError):
        services.upload_footprint(SYSTEM, ministry["min"], ("activities.csv", missing_factor), None)
    assert list(FootprintData.objects.values_list("pk", "is_current")) == before


def test_upload_page_reports_problems(ministry: dict[str, Any], users: dict[str, Any], client: Any) -> None:
    client.force_login(users["admin"])
    response = client.post(f"/units/{ministry['min'].pk}/footprint/upload/", {
        "activities": SimpleUploadedFile("a.csv", b"org_unit,year,activity,amount,amount_unit\nnobody,2024,x,1,kg\n"),
        "factors": SimpleUploadedFile("f.csv", (DATA / "orgunits_factors.csv").read_bytes())})
    assert response.status_code == 422
    assert 'id="validation-report"' in response.content.decode()
    assert not FootprintData.objects.exists()


def test_peer_comparison_beside_own_footprint(ministry: dict[str, Any], client_for: Any) -> None:
    activities, factors = _files()
    services.upload_footprint(SYSTEM, ministry["min"], activities, factors, publish=True)
    services.upload_peers(SYSTEM, ministry["min"], "peers.csv", (DATA / "orgunits_peers.csv").read_bytes(),
                          publish=True)
    client = client_for("anonymous")
    client.cookies["nettonul_language"] = "en"
    html = client.get(f"/units/{ministry['min'].pk}/peers/").content.decode()
    # own: 83 t market-based / 130 FTE = 0.64; peer: (50 + 60) / 100 = 1.10 -> own ranks first
    assert "0.64" in html
    assert "1.10" in html
    html = client.get(f"/units/{ministry['min'].pk}/peers/?basis=location").content.decode()
    assert "2.02" in html  # 263 / 130
    assert "1.50" in html  # (50 + 100) / 100


def test_index_lists_unit_trees(ministry: dict[str, Any], client_for: Any) -> None:
    html = client_for("anonymous").get("/units/").content.decode()
    assert f'href="/units/{ministry["min"].pk}/"' in html
    assert f'href="/units/{ministry["emb-de"].pk}/"' not in html  # only the tops of trees


def test_commitment_progress_rolls_up_the_tree(ministry: dict[str, Any], client_for: Any) -> None:
    from nettonul.web.plans import services as plans

    for unit, statuses, published in (("min", ["done"], True), ("hq", ["planned", "done"], True),
                                      ("emb-de", ["in_progress", "in_progress", "cancelled"], True),
                                      ("emb-fr", ["planned"], False)):
        plan = plans.create_plan(SYSTEM, ministry[unit], title=f"Strategy of {unit}", kind="strategy",
                                 published=published)
        for i, status in enumerate(statuses):
            plans.add_action(SYSTEM, plan, title=f"Commitment {i}", status=status)
    client = client_for("anonymous")
    html = client.get(f"/units/{ministry['min'].pk}/").content.decode()

    def counts(unit: str) -> list[str]:
        row = re.search(rf'<tr data-progress-unit="{unit}">(.*?)</tr>', html, re.S)
        assert row is not None, unit
        return re.findall(r'class="num">(\d+)<', row.group(1))

    # planned, in progress, done, cancelled, all; Paris's strategy is not published, so not counted
    assert counts("min") == ["1", "2", "2", "1", "6"]
    assert counts("hq") == ["1", "0", "1", "0", "2"]
    assert counts("posts") == ["0", "2", "0", "1", "3"]
    assert 'data-progress-unit="emb-fr"' not in html
