"""Downloading inventory versions and templates (nettonul/web/inventory/views.py): any version
as the file that was uploaded (byte for byte) and as its records normalised to the template
(CSV in the page's conventions, Excel), which upload again to the same records; the Danish and
English templates from the upload page. København (101) has the shipped inventory as version 1."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from nettonul.web.inventory import services
from nettonul.web.inventory.models import InventoryVersion

DANISH = ("kommunekode;år;sektor;gas;udledning;enhed\n"
          "101;2024;energy;CO2e;10.250,5;t CO2e\n"
          "101;2024;transport;CO2e;15.100;t CO2e\n").encode("cp1252")  # as Danish Excel saves it


def _records(version: InventoryVersion) -> dict[tuple[int, str, str], float]:
    return {(r.year, r.sector, r.gas): r.co2e_t for r in version.records.all()}


def _sheet(content: bytes) -> list[list[Any]]:
    return [list(r) for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


def test_a_version_downloads_as_the_file_uploaded_and_restoring_keeps_it(users: dict[str, Any],
                                                                          orgs: dict[str, Any],
                                                                          client_for: Any) -> None:
    kbh = orgs["101"]
    draft = services.import_file(users["editor-kbh"], kbh, DANISH, filename="kbh 2024 æøå.csv")
    url = reverse("inventory:original", args=[draft.pk])
    got = client_for("viewer-kbh").get(url)
    assert got.status_code == 200
    assert got.content == DANISH  # byte for byte, in its own encoding
    assert "kbh%202024%20%C3%A6%C3%B8%C3%A5.csv" in got["Content-Disposition"]
    assert client_for("editor-aarhus").get(url).status_code == 404  # a draft of another organisation
    response = client_for("editor-kbh").get(reverse("inventory:detail", args=[draft.pk]))
    assert url in response.content.decode()
    # the versions table: the draft's last year 2024 = 10 250,5 + 15 100; version 1's 2023 from its records
    totals = {v.number: v.last_total for v in response.context["versions"]}
    first = InventoryVersion.objects.get(organisation=kbh, number=1)
    assert totals == {2: 25_350.5, 1: sum(r.co2e_t for r in first.records.filter(year=first.last_year))}
    services.publish_version(users["editor-kbh"], draft, draft.version)
    assert client_for("anonymous").get(url).status_code == 404  # members only, even once published
    first.refresh_from_db()
    assert client_for("editor-kbh").get(reverse("inventory:original", args=[first.pk])).status_code == 404
    services.restore(users["editor-kbh"], first, first.version)
    draft.refresh_from_db()
    again = services.restore(users["editor-kbh"], draft, draft.version)
    assert client_for("editor-kbh").get(reverse("inventory:original", args=[again.pk])).content == DANISH


def test_the_normalised_csv_and_excel_upload_again_to_the_same_records(users: dict[str, Any],
                                                                        orgs: dict[str, Any],
                                                                        client_for: Any) -> None:
    kbh = orgs["101"]
    draft = services.import_file(users["editor-kbh"], kbh, DANISH, filename="kbh.csv", publish=True)
    expected = _records(draft)
    assert expected[2024, "transport", "CO2e"] == 15_100.0
    client = client_for("anonymous")  # published: anyone may read the records
    danish = client.get(reverse("inventory:records_csv", args=[draft.pk]))
    text = danish.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:6] == ["kommunekode", "år", "sektor", "gas", "udledning", "enhed"]
    by_key = {(r[1], r[2]): r for r in rows[1:]}
    assert by_key["2024", "energy"][4] == "10250,5"  # every digit, a decimal comma, no grouping
    assert by_key["2024", "transport"][4] == "15100"
    assert len(rows) - 1 == draft.record_count
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("inventory:records_csv", args=[draft.pk])).content.decode()
    assert english.splitlines()[0].startswith("organisation,year,sector,gas,amount,unit")
    excel = client.get(reverse("inventory:records_xlsx", args=[draft.pk]))
    sheet = _sheet(excel.content)
    assert sheet[0][:6] == ["organisation", "year", "sector", "gas", "amount", "unit"]
    assert {(r[1], r[2]): r[4] for r in sheet[1:]}[2024, "energy"] == 10_250.5  # a number, not text
    for name, data in (("again.csv", danish.content), ("again.xlsx", excel.content)):
        seen = services.preview(users["editor-kbh"], kbh, data, filename=name, mode="all")
        assert seen.ok, seen.problems
        copy = services.save_draft(users["editor-kbh"], kbh, seen)
        assert _records(copy) == expected
        services.discard(users["editor-kbh"], copy, copy.version)


def test_the_templates_are_offered_in_danish_and_english_and_upload_as_they_are(users: dict[str, Any],
                                                                                 orgs: dict[str, Any],
                                                                                 client_for: Any) -> None:
    kbh = orgs["101"]
    client = client_for("editor-kbh")
    page = client.get(reverse("inventory:upload", args=[kbh.pk])).content.decode()
    for name in ("inventory:template_csv", "inventory:template_xlsx"):
        assert reverse(name, args=[kbh.pk]) in page
    danish = client.get(reverse("inventory:template_csv", args=[kbh.pk])).content.decode("utf-8")
    assert danish.lstrip("\ufeff").splitlines()[0] == "kommunekode;år;sektor;gas;udledning;enhed;kilde"
    excel = client.get(reverse("inventory:template_xlsx", args=[kbh.pk])).content
    assert _sheet(excel)[0] == ["kommunekode", "år", "sektor", "gas", "udledning", "enhed", "kilde"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("inventory:template_csv", args=[kbh.pk])).content.decode()
    assert english.splitlines()[0] == "organisation,year,sector,gas,amount,unit,source"
    for name, data in (("t.csv", danish.encode("utf-8")), ("t.xlsx", excel), ("t-en.csv", english.encode())):
        seen = services.preview(users["editor-kbh"], kbh, data, filename=name, mode="add")
        assert seen.ok, (name, seen.problems)
        assert seen.imported == 2


def test_public_downloads_serve_the_published_inventory_while_a_draft_waits(users: dict[str, Any],
                                                                            orgs: dict[str, Any],
                                                                            client_for: Any) -> None:
    kbh = orgs["101"]
    first = InventoryVersion.objects.get(organisation=kbh, number=1)
    first_2023 = sum(r.co2e_t for r in first.records.filter(year=2023))  # 867 436.9 t in the shipped series
    services.import_file(users["editor-kbh"], kbh, DANISH, filename="kbh.csv")  # a draft with 2024 only
    client = client_for("anonymous")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for name in ("ui:inventory_csv", "ui:pathway_csv"):
        response = client.get(reverse(name, args=[kbh.pk]))
        assert response.status_code == 200, name
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        years = [int(r[0]) for r in rows[1:]]
        if name == "ui:inventory_csv":
            assert 2024 not in years  # the draft's year is nowhere
            assert float(rows[1 + years.index(2023)][-2]) == first_2023
    for name in ("ui:inventory_xlsx", "ui:pathway_xlsx"):
        assert client.get(reverse(name, args=[kbh.pk])).status_code == 200


def test_the_api_downloads_the_uploaded_file_and_the_normalised_records(users: dict[str, Any],
                                                                       orgs: dict[str, Any], client: Any) -> None:
    from nettonul.web.api.services import create_token

    kbh = orgs["101"]
    draft = services.import_file(users["editor-kbh"], kbh, DANISH, filename="kbh.csv")

    def get(who: str, url: str) -> Any:
        return client.get(url, HTTP_AUTHORIZATION=f"Bearer {create_token(users[who], 'test')[1]}")

    assert get("viewer-kbh", f"/api/inventories/{draft.pk}/file").content == DANISH
    assert get("editor-aarhus", f"/api/inventories/{draft.pk}/file").status_code == 404
    rows = list(csv.reader(io.StringIO(get("viewer-kbh", f"/api/inventories/{draft.pk}/export?language=da")
                                       .content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["kommunekode", "år", "sektor", "gas", "udledning", "enhed"]
    assert {(r[1], r[2]): r[4] for r in rows[1:]}["2024", "energy"] == "10250,5"
    sheet = _sheet(get("viewer-kbh", f"/api/inventories/{draft.pk}/export?format=xlsx").content)
    assert {(r[1], r[2]): r[4] for r in sheet[1:]}[2024, "transport"] == 15_100.0
