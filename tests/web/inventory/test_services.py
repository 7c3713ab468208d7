"""Inventory imports (nettonul/web/inventory/services.py): all or nothing, versions, merge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from nettonul.engine.core.errors import InventoryValidationError
from nettonul.web.audit.models import ChangeRecord
from nettonul.web.errors import NotAllowedError
from nettonul.web.inventory import services
from nettonul.web.inventory.models import EmissionRecord, InventoryVersion

HEADER = ["organisation", "year", "sector", "gas", "amount", "unit", "source"]


def _xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _counts() -> tuple[int, int, int]:
    return InventoryVersion.objects.count(), EmissionRecord.objects.count(), ChangeRecord.objects.count()


def test_a_bad_excel_file_leaves_no_rows_and_names_every_problem(tmp_path: Path, users: dict[str, Any],
                                                                 orgs: dict[str, Any]) -> None:
    path = _xlsx(tmp_path / "next-year.xlsx", [
        ["101", 2024, "energy", "CO2e", 1_000_000, "t CO2e", "own data"],     # fine
        ["101", 2024, "spaceflight", "CO2e", 5, "t CO2e", "own data"],        # unknown sector
        ["101", 2024, "transport", "CO2e", "lots", "t CO2e", "own data"],     # text for a number
        ["751", 2024, "waste", "CO2e", 10, "t CO2e", "own data"],             # another organisation
    ])
    before = _counts()
    with pytest.raises(InventoryValidationError) as caught:
        services.import_file(users["editor-kbh"], orgs["101"], path)
    where = {(p.row, p.column) for p in caught.value.problems}
    assert {(3, "sector"), (4, "amount"), (5, "organisation")} <= where
    assert all(p.file.startswith("next-year.xlsx") for p in caught.value.problems)
    assert _counts() == before


def test_a_good_upload_is_a_draft_merged_with_the_current_one_until_published(
        tmp_path: Path, users: dict[str, Any], orgs: dict[str, Any]) -> None:
    kbh = orgs["101"]
    first = services.current(kbh)
    path = _xlsx(tmp_path / "2024.xlsx", [
        ["101", 2024, "energy", "CO2e", 900_000, "t CO2e", "own data"],
        ["København", 2024, "transport", "CO2e", 800_000, "t CO2e", "own data"],
        ["101", 2023, "waste", "CO2e", 12_345, "t CO2e", "corrected"],
    ])
    version = services.import_file(users["editor-kbh"], kbh, path)
    first.refresh_from_db()
    # a draft: the first version stays current until someone publishes the draft
    assert (first.is_current, version.is_current, version.published, version.number) == (True, False, False, 2)
    assert services.current(kbh) == first
    assert version.record_count == first.record_count + 2  # 2023 waste replaced, two 2024 records added
    assert (version.first_year, version.last_year) == (2018, 2024)
    assert version.read_as["kind"] == "excel"
    assert version.read_as["years"] == [2023, 2024]
    waste_2023 = version.records.get(year=2023, sector="waste")
    assert (waste_2023.co2e_t, waste_2023.source) == (12_345.0, "corrected")
    assert first.records.get(year=2023, sector="waste").co2e_t != 12_345.0  # the old version is unchanged
    change = ChangeRecord.objects.get(action="import", object_id=str(version.pk))
    assert change.actor == users["editor-kbh"]
    assert change.changes["imported"] == [None, 3]
    assert change.changes["replaced"] == [None, 1]
    published = services.publish_version(users["admin-kbh"], version, version.version)
    first.refresh_from_db()
    assert (first.is_current, first.published, published.is_current, published.published) == (False, True, True, True)
    assert services.current(kbh) == published
    assert published.published_by == users["admin-kbh"]
    inventory = services.engine_inventory(version)
    assert inventory.to_panel().years.tolist() == list(range(2018, 2025))


def test_only_editors_of_the_organisation_may_upload(tmp_path: Path, users: dict[str, Any],
                                                     orgs: dict[str, Any]) -> None:
    path = _xlsx(tmp_path / "x.xlsx", [["101", 2024, "energy", "CO2e", 1, "t CO2e", "s"]])
    for name in ("viewer-kbh", "editor-aarhus", "anonymous"):
        with pytest.raises(NotAllowedError):
            services.import_file(users[name], orgs["101"], path)
    assert orgs["101"].inventories.count() == 1


def test_the_upload_page_shows_the_validation_report(client_for: Any, orgs: dict[str, Any]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client = client_for("editor-kbh")
    url = reverse("inventory:upload", args=[orgs["101"].pk])
    bad = SimpleUploadedFile("bad.csv", b"organisation,year,sector,gas,amount,unit\n101,1850,energy,CO2e,5,t CO2e\n")
    response = client.post(url, {"file": bad})
    assert response.status_code == 422
    page = response.content.decode()
    assert "validation-report" in page
    assert "intet blev importeret" in page  # the organisation's language: Danish
    assert "read-as" in page  # how the file was read, also when a row has a problem
    assert orgs["101"].inventories.count() == 1
    good = SimpleUploadedFile("good.csv", b"organisation,year,sector,gas,amount,unit\n101,2024,energy,CO2e,5,t CO2e\n")
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert orgs["101"].inventories.count() == 2


def test_discarding_a_draft_keeps_the_current_version(tmp_path: Path, users: dict[str, Any],
                                                     orgs: dict[str, Any]) -> None:
    kbh = orgs["101"]
    first = services.current(kbh)
    path = _xlsx(tmp_path / "x.xlsx", [["101", 2024, "energy", "CO2e", 1, "t CO2e", "s"]])
    second = services.import_file(users["editor-kbh"], kbh, path)
    services.discard(users["editor-kbh"], second, second.version)
    assert services.current(kbh) == first
    assert not InventoryVersion.objects.filter(pk=second.pk).exists()
    assert ChangeRecord.objects.filter(action="delete", object_id=str(second.pk)).count() == 1
    with pytest.raises(NotAllowedError):
        services.discard(users["editor-kbh"], first, first.version)


def test_an_unpublished_upload_is_seen_only_by_members_and_feeds_nothing(
        tmp_path: Path, users: dict[str, Any], orgs: dict[str, Any], client_for: Any) -> None:
    from django.urls import reverse

    kbh = orgs["101"]
    published = services.current(kbh)
    path = _xlsx(tmp_path / "draft.xlsx", [["101", 2024, "energy", "CO2e", 1, "t CO2e", "draft"]])
    draft = services.import_file(users["editor-kbh"], kbh, path)
    assert not draft.published
    for name in ("anonymous", "viewer-kbh", "editor-kbh"):
        assert services.latest_visible(users[name], kbh) == [published]
    assert services.drafts(users["editor-aarhus"], kbh) == []
    assert services.drafts(users["editor-kbh"], kbh) == [draft]
    for name, status in (("anonymous", 404), ("editor-aarhus", 404), ("viewer-kbh", 200)):
        client = client_for(name)
        assert client.get(reverse("inventory:detail", args=[draft.pk])).status_code == status
        assert client.get(f"/api/inventories/{draft.pk}").status_code == status
        assert client.get(f"/api/inventories/{draft.pk}/records").status_code == status
        dashboard = client.get(reverse("public:dashboard", args=[kbh.pk]))
        assert dashboard.context["inventory"] == published
        assert 2024 not in dashboard.context["table"]["years"]
    editor_dashboard = client_for("editor-kbh").get(reverse("public:dashboard", args=[kbh.pk]))
    assert editor_dashboard.context["inventory"] == published
    assert 'id="draft-notice"' in editor_dashboard.content.decode()
    overview = client_for("editor-kbh").get(reverse("public:overview"))
    assert next(r for r in overview.context["rows"] if r["org"] == kbh)["year"] == 2023


def test_editors_publish_a_draft_from_its_page_viewers_and_others_cannot(
        tmp_path: Path, users: dict[str, Any], orgs: dict[str, Any], client_for: Any) -> None:
    from django.urls import reverse

    kbh = orgs["101"]
    path = _xlsx(tmp_path / "draft.xlsx", [["101", 2024, "energy", "CO2e", 1, "t CO2e", "draft"]])
    draft = services.import_file(users["editor-kbh"], kbh, path)
    url = reverse("inventory:publish", args=[draft.pk])
    assert client_for("viewer-kbh").post(url, {"version": draft.version}).status_code == 403
    assert client_for("editor-aarhus").post(url, {"version": draft.version}).status_code == 404
    assert client_for("anonymous").post(url, {"version": draft.version}).status_code == 302  # to the login page
    draft.refresh_from_db()
    assert not draft.published
    with pytest.raises(NotAllowedError):
        services.publish_version(users["viewer-kbh"], draft, draft.version)
    assert client_for("editor-kbh").post(url, {"version": draft.version}).status_code == 302
    draft.refresh_from_db()
    assert (draft.published, draft.is_current, draft.version) == (True, True, 2)
    assert services.latest_visible(users["anonymous"], kbh) == [draft]
    assert ChangeRecord.objects.filter(object_id=str(draft.pk), action="update").get().changes == {
        "published": [False, True], "current": [False, True], "replaces": [None, 1]}
