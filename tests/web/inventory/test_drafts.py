"""Drafts, publishing, restoring and the checks of the merged inventory
(nettonul/web/inventory/services.py), with København's shipped inventory as version 1
(2018-2023 by top-level sector; 2023: energy 542 431, transport 226 458, agriculture -1 069.1,
waste 59 561.3, industry 40 055.7 t CO2e)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nettonul.engine.core.errors import InventoryValidationError
from nettonul.web.audit.models import ChangeRecord
from nettonul.web.errors import InvalidInputError, NotAllowedError, StaleEditError
from nettonul.web.inventory import services
from nettonul.web.inventory.models import InventoryVersion

HEADER = "organisation;year;sector;gas;amount;unit\n"


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode("utf-8")


def _co2e(version: InventoryVersion, year: int, sector: str) -> float:
    return float(version.records.get(year=year, sector=sector).co2e_t)


def test_a_danish_file_is_read_by_its_convention_and_previewed_against_the_current_one(
        client_for: Any, orgs: dict[str, Any]) -> None:
    kbh = orgs["101"]
    client = client_for("editor-kbh")
    data = _csv("101;2023;energy;CO2e;500.000;t CO2e",       # 542 431 -> 500 000: -7.8 %
                "101;2023;waste;CO2e;100.000,0;t CO2e",      # 59 561.3 -> 100 000: +67.9 %, large
                "101;2024;transport;CO2e;15.100;t CO2e")     # new: 15 100, not 15.1
    response = client.post(reverse("inventory:upload", args=[kbh.pk]),
                           {"file": SimpleUploadedFile("samsø-2024.csv", data), "mode": "add"})
    assert response.status_code == 302
    draft = InventoryVersion.objects.get(organisation=kbh, published=False)
    assert (_co2e(draft, 2024, "transport"), _co2e(draft, 2023, "energy"), _co2e(draft, 2023, "waste")) == (
        15_100.0, 500_000.0, 100_000.0)
    assert draft.read_as["separator"] == ";"
    assert draft.read_as["convention"] == "da"
    page = client.get(reverse("inventory:detail", args=[draft.pk]))
    rows = {(r["code"], r["year"]): r for r in page.context["comparison"]}
    assert set(rows) == {(s, y) for s in ("energy", "transport", "agriculture", "waste", "industry")
                         for y in (2023,)} | {("transport", 2024)}
    assert (rows["energy", 2023]["old"], rows["energy", 2023]["new"]) == (542_431.0, 500_000.0)
    assert rows["energy", 2023]["pct_text"] == "-7,8 %"
    assert not rows["energy", 2023]["large"]
    assert rows["waste", 2023]["pct_text"] == "+67,9 %"
    assert rows["waste", 2023]["large"]
    assert (rows["transport", 2024]["old"], rows["transport", 2024]["new"], rows["transport", 2024]["large"]) == (
        None, 15_100.0, True)
    assert rows["industry", 2023]["pct_text"] == "+0,0 %"
    assert not rows["industry", 2023]["large"]
    html = page.content.decode()
    assert 'id="draft-banner"' in html
    assert "<strong>Kladde</strong>" in html
    assert 'class="large-change"' in html
    assert "Tal læst i dansk notation" in html
    assert "semikolon (;)" in html


def test_a_sector_on_top_of_a_stored_sub_sector_is_refused_unless_the_years_are_replaced(
        users: dict[str, Any], orgs: dict[str, Any]) -> None:
    kbh = orgs["101"]
    editor = users["editor-kbh"]
    road = services.import_file(editor, kbh, _csv("101;2024;transport.road;CO2e;20.000;t CO2e"), filename="road.csv",
                                publish=True)
    assert services.current(kbh) == road
    before = InventoryVersion.objects.count()
    whole = _csv("101;2024;energy;CO2e;1.000;t CO2e", "101;2024;transport;CO2e;551;t CO2e")
    with pytest.raises(InventoryValidationError) as caught:
        services.import_file(editor, kbh, whole, filename="transport.csv")
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column) == ("transport.csv", 3, "sector")
    assert f"(version {road.number})" in problem.reason
    assert "twice" in problem.reason
    assert InventoryVersion.objects.count() == before  # nothing written
    # the preview says the same without raising
    seen = services.preview(editor, kbh, whole, filename="transport.csv")
    assert [p.row for p in seen.problems] == [3]
    # replacing the file's years drops the stored road transport of 2024: transport 2024 = 551 t, not 20 551 t
    replaced = services.import_file(editor, kbh, whole, filename="transport.csv", mode="years", publish=True)
    transport_2024 = sum(r.co2e_t for r in replaced.records.filter(year=2024, sector__startswith="transport"))
    assert transport_2024 == 551.0
    assert replaced.record_count == road.record_count - 1 + 2


def test_a_sub_sector_under_a_stored_sector_is_refused_in_the_file_row(users: dict[str, Any],
                                                                        orgs: dict[str, Any]) -> None:
    kbh = orgs["101"]
    with pytest.raises(InventoryValidationError) as caught:
        services.import_file(users["editor-kbh"], kbh, _csv("101;2023;transport.road;CO2e;1.000;t CO2e"),
                             filename="road.csv")
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (2, "sector")
    assert "Road transport 2023" in problem.reason or "Vejtransport 2023" in problem.reason
    # with the whole inventory replaced there is nothing underneath
    draft = services.import_file(users["editor-kbh"], kbh, _csv("101;2023;transport.road;CO2e;1.000;t CO2e"),
                                 filename="road.csv", mode="all")
    assert draft.record_count == 1
    assert _co2e(draft, 2023, "transport.road") == 1_000.0


def test_a_stale_draft_cannot_be_published(users: dict[str, Any], orgs: dict[str, Any]) -> None:
    kbh = orgs["101"]
    one = services.import_file(users["editor-kbh"], kbh, _csv("101;2024;energy;CO2e;1;t CO2e"), filename="a.csv")
    two = services.import_file(users["editor-kbh"], kbh, _csv("101;2024;waste;CO2e;2;t CO2e"), filename="b.csv")
    services.publish_version(users["admin-kbh"], one, one.version)
    with pytest.raises(NotAllowedError, match="upload the file again"):
        services.publish_version(users["admin-kbh"], two, two.version)
    with pytest.raises(StaleEditError):
        services.publish_version(users["admin-kbh"], one, one.version - 1)


def test_restoring_an_earlier_version_makes_a_new_current_one_and_is_audited(
        users: dict[str, Any], orgs: dict[str, Any], client_for: Any) -> None:
    kbh = orgs["101"]
    first = services.current(kbh)
    second = services.import_file(users["editor-kbh"], kbh, _csv("101;2024;energy;CO2e;400.000;t CO2e"),
                                  filename="2024.csv", publish=True)
    dashboard = client_for("anonymous").get(reverse("public:dashboard", args=[kbh.pk]))
    assert dashboard.context["table"]["years"][-1] == 2024
    client = client_for("editor-kbh")
    confirm = client.get(reverse("inventory:restore", args=[first.pk]))  # click 1: the confirmation page
    assert confirm.status_code == 200
    assert {(r["code"], r["year"], r["old"], r["new"]) for r in confirm.context["comparison"]
            if r["year"] == 2024} == {("energy", 2024, 400_000.0, None)}
    first.refresh_from_db()
    done = client.post(reverse("inventory:restore", args=[first.pk]), {"version": first.version})  # click 2
    assert done.status_code == 302
    third = services.current(kbh)
    assert (third.number, third.restored_from, third.record_count, third.published) == (3, first, 30, True)
    second.refresh_from_db()
    assert (second.is_current, second.published) == (False, True)
    assert _co2e(third, 2023, "energy") == 542_431.0
    change = ChangeRecord.objects.get(object_id=str(third.pk), action="import")
    assert change.actor == users["editor-kbh"]
    assert change.changes["restored_from"] == [None, 1]
    assert change.changes["replaces"] == [None, 2]
    dashboard = client_for("anonymous").get(reverse("public:dashboard", args=[kbh.pk]))
    assert dashboard.context["inventory"] == third
    assert dashboard.context["table"]["years"][-1] == 2023
    with pytest.raises(NotAllowedError):
        services.restore(users["editor-kbh"], third, third.version)  # already current


def test_publish_and_restore_permissions_through_the_api(users: dict[str, Any], orgs: dict[str, Any],
                                                         client: Any) -> None:
    from nettonul.web.api.services import create_token

    def post(who: str, url: str, version: int) -> Any:
        secret = create_token(users[who], "test")[1]
        return client.post(url, {"version": version}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {secret}")

    kbh = orgs["101"]
    draft = services.import_file(users["editor-kbh"], kbh, _csv("101;2024;energy;CO2e;1;t CO2e"), filename="a.csv")
    url = f"/api/inventories/{draft.pk}/publish"
    assert post("viewer-kbh", url, draft.version).status_code == 403
    assert post("editor-aarhus", url, draft.version).status_code == 404
    response = post("editor-kbh", url, draft.version)
    assert response.status_code == 200, response.content
    assert (response.json()["published"], response.json()["is_current"]) == (True, True)
    first = InventoryVersion.objects.get(organisation=kbh, number=1)
    restore = f"/api/inventories/{first.pk}/restore"
    assert post("viewer-kbh", restore, first.version).status_code == 403
    assert post("editor-aarhus", restore, first.version).status_code == 403  # public, but not theirs
    response = post("admin-kbh", restore, first.version)
    assert response.status_code == 201, response.content
    assert (response.json()["number"], response.json()["restored_from_id"]) == (3, first.pk)


def test_a_draft_page_and_actions_are_hidden_from_other_organisations(users: dict[str, Any], orgs: dict[str, Any],
                                                                      client_for: Any) -> None:
    kbh = orgs["101"]
    draft = services.import_file(users["editor-kbh"], kbh, _csv("101;2024;energy;CO2e;1;t CO2e"), filename="a.csv")
    other = client_for("editor-aarhus")
    for name in ("detail", "discard", "restore"):
        assert other.post(reverse(f"inventory:{name}", args=[draft.pk]), {"version": 1}).status_code == 404
    assert client_for("viewer-kbh").post(reverse("inventory:discard", args=[draft.pk]),
                                         {"version": 1}).status_code == 403
    with pytest.raises(InvalidInputError):
        services.preview(users["editor-kbh"], kbh, b"x", filename="a.pdf")


def test_editors_see_the_dashboard_with_a_drafts_figures_under_a_draft_banner_and_nobody_else(
        users: dict[str, Any], orgs: dict[str, Any], client_for: Any) -> None:
    kbh = orgs["101"]
    draft = services.import_file(users["editor-kbh"], kbh, _csv("101;2024;transport;CO2e;15.100;t CO2e"),
                                 filename="kbh-2024.csv")
    url = reverse("public:dashboard", args=[kbh.pk])
    page = client_for("editor-kbh").get(url)
    assert f'?draft={draft.pk}' in page.content.decode()
    assert 2024 not in page.context["table"]["years"]
    shown = client_for("editor-kbh").get(url + f"?draft={draft.pk}")
    table = shown.context["table"]
    assert 'id="draft-figures"' in shown.content.decode()
    assert table["sectors"][[s["code"] for s in table["sectors"]].index("transport")]["values"][
        table["years"].index(2024)] == 15_100.0
    for other in ("anonymous", "editor-aarhus", "viewer-kbh"):
        response = client_for(other).get(url + f"?draft={draft.pk}")
        assert 'id="draft-figures"' not in response.content.decode(), other
        assert 2024 not in response.context["table"]["years"], other


def test_the_version_page_writes_the_unit_as_a_reader_does(client_for: Any, orgs: dict[str, Any]) -> None:
    from nettonul.web.inventory.models import InventoryVersion

    version = InventoryVersion.objects.get(organisation=orgs["101"], is_current=True)
    c = client_for("editor-kbh")
    c.cookies["nettonul_language"] = "da"
    page = c.get(f"/inventory/{version.pk}/").content.decode()
    assert "Udledninger, t CO2e (AR5)" in page
    assert "t_CO2e" not in page
