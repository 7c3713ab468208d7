"""Roles down the unit tree (organisations.permissions with nettonul/web/orgunits): an editor of
an embassy edits it and nothing else; an editor of the ministry edits every unit; the web
layer agrees with the engine's OrgTree.editable_units."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from nettonul.engine.core.errors import ValidationError as EngineValidationError
from nettonul.engine.footprint.orgunits import load_org_tree
from nettonul.web.errors import NotAllowedError
from nettonul.web.organisations import permissions
from nettonul.web.organisations.models import Membership, Organisation
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.orgunits import services
from nettonul.web.orgunits.models import PeerTable, UnitProfile

DATA = Path(__file__).parent / "data"


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    services.import_units(SYSTEM, DATA / "orgunits_units.yaml", code_prefix="t-")
    units = {o.code[2:]: o for o in Organisation.objects.filter(code__startswith="t-")}
    people = {}
    for name, unit, role in (("emb-editor", "emb-de", "editor"), ("min-editor", "min", "editor"),
                             ("min-viewer", "min", "viewer"), ("posts-admin", "posts", "admin")):
        user = get_user_model().objects.create_user(name, password=None)
        Membership.objects.create(user=user, organisation=units[unit], role=role)
        people[name] = user
    return {"units": units, "people": people}


def test_roles_hold_down_the_tree_only(world: dict[str, Any]) -> None:
    units, people = world["units"], world["people"]
    tree = load_org_tree(DATA / "orgunits_units.yaml")
    for person, memberships in (("emb-editor", ["emb-de"]), ("min-editor", ["min"]), ("posts-admin", ["posts"])):
        web = {uid for uid, org in units.items() if permissions.can_edit(people[person], org)}
        assert web == set(tree.editable_units(memberships)), person
    assert {u for u, o in units.items() if permissions.can_edit(people["emb-editor"], o)} == {"emb-de"}
    assert not any(permissions.can_edit(people["min-viewer"], o) for o in units.values())
    assert all(permissions.role_in(people["min-viewer"], o.pk) == "viewer" for o in units.values())
    # an administrator of the group administers the embassies below it, not the ministry
    assert permissions.can_administer(people["posts-admin"], units["emb-fr"])
    assert not permissions.can_administer(people["posts-admin"], units["min"])


def test_an_embassy_editor_cannot_edit_another_embassy_or_the_ministry(world: dict[str, Any]) -> None:
    units, editor = world["units"], world["people"]["emb-editor"]
    own = UnitProfile.objects.select_related("organisation").get(organisation=units["emb-de"])
    services.update_profile(editor, own, own.version, employees=12)
    for other in ("emb-fr", "min", "hq", "posts"):
        profile = UnitProfile.objects.select_related("organisation").get(organisation=units[other])
        with pytest.raises(NotAllowedError):
            services.update_profile(editor, profile, profile.version, employees=1)
    activities = (DATA / "orgunits_activities.csv").read_bytes()
    factors = ("factors.csv", (DATA / "orgunits_factors.csv").read_bytes())
    with pytest.raises(NotAllowedError):
        services.upload_footprint(editor, units["min"], ("a.csv", activities), factors)
    # its own upload may not carry rows for other units: the engine names them
    with pytest.raises(EngineValidationError) as info:
        services.upload_footprint(editor, units["emb-de"], ("a.csv", activities), factors)
    assert {p.row for p in info.value.problems} == {2, 3, 5}  # hq, hq, emb-fr


def test_an_embassy_adds_its_own_data_to_the_roll_up(world: dict[str, Any]) -> None:
    units, editor = world["units"], world["people"]["emb-editor"]
    services.upload_footprint(SYSTEM, units["min"], ("activities.csv", (DATA / "orgunits_activities.csv")
                                                     .read_bytes()),
                              ("factors.csv", (DATA / "orgunits_factors.csv").read_bytes()))
    own = (b"org_unit,year,activity,amount,amount_unit,source\n"
           b"emb-de,2024,electricity,50,MWh,test figure\n")
    services.upload_footprint(editor, units["emb-de"], ("berlin.csv", own))  # factors from the ministry's table
    _tree, result, data = services.tree_footprint(units["emb-fr"])
    assert result is not None
    assert len(data) == 2
    # 50 MWh more in Berlin: location +50x0.4 = 20 t, market +50x0.6 = 30 t
    assert result.by_scope(2024, "emb-de")["total_location"] == pytest.approx(60.0)
    assert result.by_scope(2024, "emb-de")["total_market"] == pytest.approx(90.0)
    assert result.by_scope(2024)["total_location"] == pytest.approx(283.0)
    assert result.by_scope(2024)["total_market"] == pytest.approx(113.0)


def test_pages_refuse_edits_outside_the_editors_units(world: dict[str, Any], client: Any) -> None:
    units = world["units"]
    client.force_login(world["people"]["emb-editor"])
    assert client.get(f"/units/{units['emb-de'].pk}/edit/").status_code == 200
    assert client.get(f"/units/{units['emb-fr'].pk}/edit/").status_code == 403
    assert client.get(f"/units/{units['min'].pk}/footprint/upload/").status_code == 403
    assert client.get(f"/units/{units['emb-de'].pk}/footprint/upload/").status_code == 200
    response = client.post(f"/units/{units['emb-fr'].pk}/edit/", {"version": 1, "employees": 1})
    assert response.status_code == 403
    assert UnitProfile.objects.get(organisation=units["emb-fr"]).employees == 20


def test_the_unit_page_lists_who_holds_a_role_there(world: dict[str, Any], client: Any) -> None:
    units, people = world["units"], world["people"]
    client.cookies["nettonul_language"] = "en"
    client.force_login(people["posts-admin"])
    html = client.get(f"/units/{units['emb-de'].pk}/").content.decode()
    table = html[html.index('id="role-holders"'):]
    table = table[:table.index("</table>")]
    # Berlin's own editor, the group's admin and the ministry's editor and viewer; no one from Paris
    for name in ("emb-editor", "posts-admin", "min-editor", "min-viewer"):
        assert f"<td>{name}</td>" in table
    assert table.index("emb-editor") < table.index("posts-admin") < table.index("min-editor")
    client.force_login(people["emb-editor"])  # an editor, not an administrator: no list
    assert 'id="role-holders"' not in client.get(f"/units/{units['emb-de'].pk}/").content.decode()


def test_units_are_created_by_administrators_only(world: dict[str, Any], users: dict[str, Any]) -> None:
    units, people = world["units"], world["people"]
    with pytest.raises(NotAllowedError):
        services.import_units(people["min-editor"], DATA / "orgunits_units.yaml", code_prefix="x-")
    with pytest.raises(NotAllowedError):
        services.import_units(people["emb-editor"], DATA / "orgunits_units.yaml", code_prefix="x-",
                              parent=units["emb-de"])
    # an administrator of the group may add a tree below it
    top = services.import_units(people["posts-admin"], DATA / "orgunits_units.yaml", code_prefix="x-",
                                parent=units["posts"])
    assert top.parent_id == units["posts"].pk
    assert permissions.can_edit(people["posts-admin"], Organisation.objects.get(code="x-emb-fr"))


def test_an_editor_of_another_unit_is_refused_with_403_and_nothing_changes(world: dict[str, Any],
                                                                         client: Any) -> None:
    units, editor = world["units"], world["people"]["emb-editor"]
    other = UnitProfile.objects.get(organisation=units["emb-fr"])
    before = (other.version, other.employees)
    client.force_login(editor)
    response = client.post(f"/units/{units['emb-fr'].pk}/edit/",
                           {"version": other.version, "employees": 99, "city": "Paris", "floor_area_m2": "",
                            "note": ""})
    assert response.status_code == 403
    page = response.content.decode()
    assert '<header class="site">' in page  # the site's own error page, naming the refusal
    assert f"you may not change data of {units['emb-fr'].name}" in page
    other.refresh_from_db()
    assert (other.version, other.employees) == before
    peers = PeerTable.objects.count()
    csv = b"name,year,total_t\nx,2024,1\n"
    response = client.post(f"/units/{units['emb-fr'].pk}/peers/",
                           {"file": SimpleUploadedFile("peers.csv", csv)})
    assert response.status_code == 403
    assert PeerTable.objects.count() == peers
    # the same refusal as JSON for an htmx request, with the message the service gave
    response = client.post(f"/units/{units['emb-fr'].pk}/edit/", {"version": other.version}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert response.json()["error"] == f"you may not change data of {units['emb-fr'].name}"
    # the own unit is still editable through the same view
    own = UnitProfile.objects.get(organisation=units["emb-de"])
    response = client.post(f"/units/{units['emb-de'].pk}/edit/",
                           {"version": own.version, "employees": 7, "city": "", "floor_area_m2": "", "note": ""})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.employees == 7
