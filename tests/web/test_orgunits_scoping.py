"""Writes scoped by data in the unit tree (nettonul/web/orgunits with engine/footprint): a factor
table, an activity file and a unit's facts belong to the unit that uploaded them; a unit's
upload changes only its own and its descendants' results; an unpublished upload never changes
what the public sees.

Demo figures (examples/ministry, illustrative): Paris 2024 uses 414 MWh x 0.045 kg/kWh (the
ministry's FR grid factor) = 18.63 t location-based; Berlin 2024 uses 552 MWh x 0.315 (DE) =
173.88 t. Berlin's own table below sets DE to 0.5 and adds 10 MWh: (552 + 10) x 0.5 = 281 t,
i.e. +107.12 t for Berlin and the ministry, 0 for Paris.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from nettonul.engine.core.errors import ValidationError as EngineValidationError
from nettonul.web.demo import DemoResult
from nettonul.web.errors import NotAllowedError
from nettonul.web.organisations.models import Membership, Organisation
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.orgunits import services
from nettonul.web.orgunits.demo import load_ministry_demo
from nettonul.web.orgunits.models import FootprintData, UnitProfile

DATA = Path(__file__).parent / "data"
HEADER = b"factor_id,category,country,name,distance_band,cabin_class,value,unit,gas,year,source,valid_from,valid_to\n"
# The attack of the security test: a French grid factor with a validity window for 2024 (so
# it did not clash with the ministry's row by key and year) and a German one.
BERLIN_FACTORS = HEADER + (
    b"grid-FR-2024,electricity_grid,FR,,,,5.0,kg CO2e/kWh,CO2e,2024,test factor,2024-01-01,2024-12-31\n"
    b"grid-DE-2024,electricity_grid,DE,,,,0.5,kg CO2e/kWh,CO2e,2024,test factor,,\n")
BERLIN_ACTIVITIES = (b"org_unit,year,activity,amount,amount_unit,source\n"
                     b"emb-berlin,2024,electricity,10,MWh,test figure\n")


def _location(unit: Organisation, uid: str, reader: Any = None, year: int = 2024) -> float:
    _tree, result, _data = services.tree_footprint(unit, reader)
    assert result is not None
    return result.by_scope(year, uid)["scope2_location"]


@pytest.fixture
def demo(db: None, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.DATA_DIR = tmp_path
    load_ministry_demo(DemoResult())
    units = {o.code.removeprefix("demo-"): o for o in Organisation.objects.filter(code__startswith="demo-")}
    return {"units": units, "berlin_editor": get_user_model().objects.get(username="editor-berlin@demo")}


def test_a_berlin_factor_table_changes_berlin_only(demo: dict[str, Any]) -> None:
    units, editor = demo["units"], demo["berlin_editor"]
    paris, berlin, mfa = units["emb-paris"], units["emb-berlin"], units["mfa"]
    assert _location(paris, "emb-paris") == pytest.approx(414 * 0.045)
    assert _location(berlin, "emb-berlin") == pytest.approx(552 * 0.315)
    ministry_before = _location(mfa, "mfa")
    _t, before, _d = services.tree_footprint(mfa)
    assert before is not None
    services.upload_footprint(editor, berlin, ("berlin.csv", BERLIN_ACTIVITIES), ("berlin-factors.csv", BERLIN_FACTORS))
    assert _location(paris, "emb-paris") == pytest.approx(18.63)  # was 2,088.6 t before the scoping
    assert _location(berlin, "emb-berlin") == pytest.approx(281.0)
    assert _location(mfa, "mfa") == pytest.approx(ministry_before + 281.0 - 173.88)
    # every unit outside Berlin's branch keeps its figures exactly
    _t, after, _d = services.tree_footprint(mfa)
    assert after is not None
    for row in after.by_unit(2024):
        if row["unit"] not in ("emb-berlin", "front-posts", "mfa"):
            assert row == next(r for r in before.by_unit(2024) if r["unit"] == row["unit"]), row["unit"]
    # the upload was not published (an editor cannot publish): the public still sees the old figures
    anonymous = AnonymousUser()
    assert _location(berlin, "emb-berlin", anonymous) == pytest.approx(173.88)
    assert _location(mfa, "mfa", anonymous) == pytest.approx(ministry_before)
    assert _location(berlin, "emb-berlin", editor) == pytest.approx(281.0)


def test_the_public_page_still_shows_the_ministry_after_an_unpublished_upload(demo: dict[str, Any],
                                                                              client: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    units, editor = demo["units"], demo["berlin_editor"]
    client.force_login(editor)  # the upload page, as the security test did it
    response = client.post(f"/units/{units['emb-berlin'].pk}/footprint/upload/", {
        "activities": SimpleUploadedFile("berlin.csv", BERLIN_ACTIVITIES),
        "factors": SimpleUploadedFile("berlin-factors.csv", BERLIN_FACTORS), "publish": "on"})
    assert response.status_code == 302
    latest = FootprintData.objects.filter(organisation=units["emb-berlin"]).get()
    assert not latest.published  # an editor's upload is not published, whatever the form says
    client.logout()
    page = client.get(f"/units/{units['emb-paris'].pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "visible to its members only" not in text
    assert "18.6" in text


def test_a_unit_cannot_upload_activities_for_a_sibling(demo: dict[str, Any]) -> None:
    units, editor = demo["units"], demo["berlin_editor"]
    rows = BERLIN_ACTIVITIES + b"emb-paris,2024,electricity,1000,MWh,test figure\n"
    with pytest.raises(EngineValidationError) as info:
        services.upload_footprint(editor, units["emb-berlin"], ("berlin.csv", rows))
    assert {p.row for p in info.value.problems} == {3}
    with pytest.raises(NotAllowedError):
        services.upload_footprint(editor, units["emb-paris"], ("paris.csv", rows))
    assert _location(units["emb-paris"], "emb-paris") == pytest.approx(18.63)
    assert FootprintData.objects.filter(organisation__in=[units["emb-berlin"], units["emb-paris"]]).count() == 0


# ----------------------------------------------------------------------------- test tree
@pytest.fixture
def world(db: None) -> dict[str, Any]:
    services.import_units(SYSTEM, DATA / "orgunits_units.yaml", code_prefix="t-")
    units = {o.code[2:]: o for o in Organisation.objects.filter(code__startswith="t-")}
    people = {}
    for name, unit in (("de-editor", "emb-de"), ("fr-editor", "emb-fr")):
        people[name] = get_user_model().objects.create_user(name, password=None)
        Membership.objects.create(user=people[name], organisation=units[unit], role="editor")
    services.upload_footprint(SYSTEM, units["min"], ("activities.csv", (DATA / "orgunits_activities.csv").read_bytes()),
                              ("factors.csv", (DATA / "orgunits_factors.csv").read_bytes()), publish=True)
    return {"units": units, "people": people}


def test_clashing_sibling_tables_are_each_used_by_their_own_unit(world: dict[str, Any]) -> None:
    units, people = world["units"], world["people"]
    # both define grid-DE and grid-FR for 2024, with the same ids and different values
    de = HEADER + (b"grid-DE,electricity_grid,DE,,,,0.3,kg CO2e/kWh,CO2e,2024,test factor,,\n"
                   b"grid-FR,electricity_grid,FR,,,,9.0,kg CO2e/kWh,CO2e,2024,test factor,,\n")
    fr = HEADER + (b"grid-DE,electricity_grid,DE,,,,9.0,kg CO2e/kWh,CO2e,2024,test factor,,\n"
                   b"grid-FR,electricity_grid,FR,,,,0.1,kg CO2e/kWh,CO2e,2024,test factor,,\n")
    one = b"org_unit,year,activity,amount,amount_unit,factor_id,source\n"
    services.upload_footprint(people["de-editor"], units["emb-de"],
                              ("de.csv", one + b"emb-de,2024,electricity,10,MWh,grid-DE,test figure\n"),
                              ("de-f.csv", de))
    services.upload_footprint(people["fr-editor"], units["emb-fr"],
                              ("fr.csv", one + b"emb-fr,2024,electricity,10,MWh,grid-FR,test figure\n"),
                              ("fr-f.csv", fr))
    _tree, result, data = services.tree_footprint(units["min"])
    assert result is not None
    assert len(data) == 3
    # Berlin: (100 + 10) MWh x its own 0.3 = 33 t; Paris: (200 + 10) MWh x its own 0.1 = 21 t;
    # headquarters keeps the ministry's DK factor: 1000 MWh x 0.2 = 200 t
    assert result.by_scope(2024, "emb-de")["scope2_location"] == pytest.approx(33.0)
    assert result.by_scope(2024, "emb-fr")["scope2_location"] == pytest.approx(21.0)
    assert result.by_scope(2024, "hq")["scope2_location"] == pytest.approx(200.0)
    assert result.by_scope(2024)["scope2_location"] == pytest.approx(254.0)
    # Berlin's market line still takes the ministry's residual mix (a key Berlin did not define)
    assert result.by_scope(2024, "emb-de")["scope2_market"] == pytest.approx(110 * 0.6)


def test_an_ancestor_upload_that_breaks_a_descendant_is_refused(world: dict[str, Any]) -> None:
    units, people = world["units"], world["people"]
    services.upload_footprint(people["de-editor"], units["emb-de"],
                              ("de.csv", b"org_unit,year,activity,amount,amount_unit,source\n"
                                         b"emb-de,2024,electricity,10,MWh,test figure\n"))
    before = list(FootprintData.objects.values_list("pk", "is_current"))
    # a new ministry table without a DE grid factor would leave Berlin's own rows without one
    no_de = b"\n".join(ln for ln in (DATA / "orgunits_factors.csv").read_bytes().splitlines()
                       if not ln.startswith(b"grid-DE")) + b"\n"
    with pytest.raises(EngineValidationError) as info:
        services.upload_footprint(SYSTEM, units["min"], ("activities.csv", (DATA / "orgunits_activities.csv")
                                                         .read_bytes()), ("factors.csv", no_de))
    assert any(p.file == "de.csv" for p in info.value.problems)
    assert list(FootprintData.objects.values_list("pk", "is_current")) == before


def test_unit_facts_change_only_the_unit_and_its_ancestors(world: dict[str, Any]) -> None:
    units, people = world["units"], world["people"]
    berlin = UnitProfile.objects.select_related("organisation").get(organisation=units["emb-de"])
    services.update_profile(people["de-editor"], berlin, berlin.version, employees=40)
    paris = UnitProfile.objects.select_related("organisation").get(organisation=units["emb-fr"])
    with pytest.raises(NotAllowedError):
        services.update_profile(people["de-editor"], paris, paris.version, employees=1)
    _t, result, _d = services.tree_footprint(units["min"])
    assert result is not None
    per_fte = {r["unit"]: r["t_per_employee_location"] for r in result.by_unit(2024)}
    # location totals (module docstring of test_orgunits_footprint): Berlin 40 t, Paris 10 t,
    # headquarters 213 t, posts 50 t, ministry 263 t; FTE Berlin 40 (was 10), Paris 20, hq 100
    assert per_fte["emb-de"] == pytest.approx(40 / 40)
    assert per_fte["emb-fr"] == pytest.approx(10 / 20)
    assert per_fte["hq"] == pytest.approx(213 / 100)
    assert per_fte["posts"] == pytest.approx(50 / 60)
    assert per_fte["min"] == pytest.approx(263 / 160)


def test_uploads_of_one_tree_take_turns(world: dict[str, Any]) -> None:
    """The upload locks the tree's root row before it reads the tree's other data, so a second
    upload waits for the first to commit and is checked against it (SQLite: the immediate
    transaction serialises writers the same way)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    units, people = world["units"], world["people"]
    with CaptureQueriesContext(connection) as queries:
        services.upload_footprint(people["de-editor"], units["emb-de"],
                                  ("de.csv", b"org_unit,year,activity,amount,amount_unit,source\n"
                                             b"emb-de,2024,electricity,10,MWh,test figure\n"))
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite serialises writers with its immediate transactions; the row lock is PostgreSQL's")
    sql = [q["sql"] for q in queries.captured_queries]
    lock = next(i for i, s in enumerate(sql) if "FOR UPDATE" in s)
    assert "organisations_organisation" in sql[lock]
    assert queries.captured_queries[lock]["sql"].count("FOR UPDATE") == 1
    first_read = next(i for i, s in enumerate(sql) if "orgunits_footprintdata" in s)
    assert lock < first_read
