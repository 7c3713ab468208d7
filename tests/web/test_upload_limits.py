"""Hostile uploads through the web pages and the API: each is refused with 413 (too large) or
422 (malformed) and a message naming the limit, in the user's language, never a 500, and
nothing is written; a long Unicode file name is accepted under a safe name; UTF-16 text is
stored as the text it is."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from hostile_files import (
    MB,
    billion_laughs_xlsx,
    blank_sheet_bomb,
    pdf_bomb,
    truncated_xlsx,
    xlsx_bytes,
    xxe_xlsx,
)
from nettonul.web.api.services import create_token
from nettonul.web.engine import limits
from nettonul.web.imports.models import SourceDocument
from nettonul.web.inventory.models import InventoryVersion
from nettonul.web.uploads import MAX_NAME, safe_name

GOOD_CSV = b"organisation;year;sector;gas;amount;unit\n101;2024;transport;CO2e;15.100;t CO2e\n"
TEXT = "Kommunen vil reducere udledningen af drivhusgasser med 70 procent i 2030 i forhold til 1990."


@pytest.fixture
def api(users: dict[str, Any]) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {create_token(users['editor-kbh'], 'uploads')[1]}")


def _english(client: Any) -> Any:
    client.cookies["nettonul_language"] = "en"
    return client


def _inventory_page(client: Any, org: Any, name: str, data: bytes) -> Any:
    return client.post(reverse("inventory:upload", args=[org.pk]),
                       {"file": SimpleUploadedFile(name, data), "mode": "add"})


def _inventory_api(api: Client, org: Any, name: str, data: bytes) -> Any:
    return api.post(f"/api/organisations/{org.pk}/inventories", {"file": SimpleUploadedFile(name, data)})


# ----------------------------------------------------------------------------- bytes
def test_a_file_over_the_byte_limit_is_413_in_danish_and_nothing_is_written(
        client_for: Any, orgs: dict[str, Any], api: Client) -> None:
    kbh = orgs["101"]
    before = InventoryVersion.objects.count()
    with limits.applied(max_bytes=50):
        response = _inventory_page(client_for("editor-kbh"), kbh, "big.csv", GOOD_CSV)
        assert response.status_code == 413
        html = response.content.decode()
        assert "Filen er for stor" in html
        assert f"big.csv: filen er {len(GOOD_CSV)} bytes, mere end grænsen for uploads på 50 bytes" in html
        response = _inventory_api(api, kbh, "big.csv", GOOD_CSV)
        assert response.status_code == 413
        assert response.json()["error"] == (f"big.csv: the file is {len(GOOD_CSV)} bytes, more than the upload "
                                            "limit of 50 bytes")
    assert InventoryVersion.objects.count() == before
    assert _inventory_api(api, kbh, "ok.csv", GOOD_CSV).status_code == 201  # within the default limit


@override_settings(MAX_REQUEST_BYTES=2_000)
def test_a_request_over_the_request_limit_is_413_before_it_is_read(
        client_for: Any, orgs: dict[str, Any], api: Client) -> None:
    kbh = orgs["101"]
    big = GOOD_CSV + b"# padding\n" * 300  # 3,000 bytes and more
    response = _inventory_page(_english(client_for("editor-kbh")), kbh, "big.csv", big)
    assert response.status_code == 413
    assert "more than the limit of 2,000 bytes; send a smaller file" in response.content.decode()
    response = _inventory_api(api, kbh, "big.csv", big)
    assert response.status_code == 413
    assert "more than the limit of 2,000 bytes" in response.json()["error"]
    assert not InventoryVersion.objects.filter(organisation=kbh, published=False).exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1_000)
def test_form_fields_over_django_s_limit_are_413_not_400(client_for: Any, plans: dict[str, Any]) -> None:
    client = _english(client_for("editor-kbh"))
    response = client.post(f"/monitoring/plans/{plans['kbh'].pk}/sections/", {"text": "x" * 5_000, "version": ""})
    assert response.status_code == 413
    assert "The request&#x27;s fields are more than 1,000 bytes" in response.content.decode()


# ----------------------------------------------------------------------------- hostile workbooks
@pytest.mark.parametrize(("build", "status", "limit_text"), [
    (xxe_xlsx, 422, "declares a document type or entities"),
    (billion_laughs_xlsx, 422, "declares a document type or entities"),
    (lambda: blank_sheet_bomb(30 * MB), 413, "more than the compression-ratio limit of 100"),
], ids=["xxe", "billion-laughs", "zip-bomb"])
def test_a_hostile_workbook_is_refused_by_page_and_api_never_500(
        client_for: Any, orgs: dict[str, Any], api: Client, build: Any, status: int, limit_text: str) -> None:
    kbh = orgs["101"]
    data = build()
    before = InventoryVersion.objects.count()
    page = _inventory_page(_english(client_for("editor-kbh")), kbh, "evil.xlsx", data)
    assert page.status_code == status
    assert limit_text in page.content.decode().replace("&lt;", "<")
    answer = _inventory_api(api, kbh, "evil.xlsx", data)
    assert answer.status_code == status
    assert limit_text in answer.json()["error"]
    assert "root:" not in answer.content.decode()
    assert InventoryVersion.objects.count() == before


def test_the_xml_refusal_is_in_danish_for_a_danish_user(client_for: Any, orgs: dict[str, Any]) -> None:
    page = _inventory_page(client_for("editor-kbh"), orgs["101"], "evil.xlsx", xxe_xlsx())
    assert page.status_code == 422
    assert "Filen blev afvist" in page.content.decode()
    assert "erklærer en dokumenttype eller entiteter" in page.content.decode()


def test_a_truncated_workbook_is_422_with_its_problem(client_for: Any, orgs: dict[str, Any], api: Client) -> None:
    answer = _inventory_api(api, orgs["101"], "cut.xlsx", truncated_xlsx())
    assert answer.status_code == 422
    assert "cannot read the file as an Excel .xlsx workbook" in answer.json()["problems"][0]["message"]
    page = _inventory_page(client_for("editor-kbh"), orgs["101"], "cut.xlsx", truncated_xlsx())
    assert page.status_code == 422


def test_rows_beyond_the_limit_are_413(api: Client, orgs: dict[str, Any]) -> None:
    rows = [["organisation", "year", "sector", "gas", "amount", "unit"]]
    rows += [["101", 2024, "transport", "CO2e", i, "t CO2e"] for i in range(20)]
    with limits.applied(max_rows=10):
        answer = _inventory_api(api, orgs["101"], "rows.xlsx", xlsx_bytes(rows))
    assert answer.status_code == 413
    assert answer.json()["error"] == "rows.xlsx: the table has more than the limit of 10 rows"


def test_a_zip_bomb_as_footprint_activities_is_413_and_nothing_is_written(client: Any, users: dict[str, Any],
                                                                         db: None) -> None:
    from pathlib import Path

    from nettonul.web.organisations.permissions import SYSTEM
    from nettonul.web.orgunits import services
    from nettonul.web.orgunits.models import FootprintData

    data = Path(__file__).parent / "data"
    root = services.import_units(SYSTEM, data / "orgunits_units.yaml", code_prefix="t-")
    client.force_login(users["admin"])
    client.cookies["nettonul_language"] = "en"
    response = client.post(f"/units/{root.pk}/footprint/upload/", {
        "activities": SimpleUploadedFile("activities.xlsx", blank_sheet_bomb(30 * MB)),
        "factors": SimpleUploadedFile("f.csv", (data / "orgunits_factors.csv").read_bytes())})
    assert response.status_code == 413
    assert "activities.xlsx: the file unpacks to" in response.content.decode()
    assert not FootprintData.objects.exists()


# ----------------------------------------------------------------------------- documents
def test_a_pdf_decompression_bomb_is_413_by_api_and_page(api: Client, client_for: Any, plans: dict[str, Any]) -> None:
    plan = plans["kbh"]
    bomb = pdf_bomb(30 * MB)
    answer = api.post(f"/api/plans/{plan.pk}/documents", {"file": SimpleUploadedFile("bomb.pdf", bomb)})
    assert answer.status_code == 413
    assert "more than the compression-ratio limit of 100" in answer.json()["error"]
    page = client_for("editor-kbh").post(reverse("imports:upload", args=[plan.pk]),
                                         {"file": SimpleUploadedFile("bomb.pdf", bomb), "provenance": ""})
    assert page.status_code == 413
    assert not SourceDocument.objects.filter(plan=plan).exists()


def test_a_docx_with_an_external_entity_is_422(api: Client, plans: dict[str, Any]) -> None:
    import docx

    doc = docx.Document()
    doc.add_paragraph(TEXT)
    out = io.BytesIO()
    doc.save(out)
    src = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    part = src.read("word/document.xml")
    end = part.index(b"?>") + 2
    evil = part[:end] + b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + part[end:]
    from hostile_files import rewrite_zip

    upload = SimpleUploadedFile("evil.docx", rewrite_zip(out.getvalue(), {"word/document.xml": evil}))
    answer = api.post(f"/api/plans/{plans['kbh'].pk}/documents", {"file": upload})
    assert answer.status_code == 422
    assert "evil.docx: the file's XML declares a document type or entities" in answer.json()["error"]
    assert not SourceDocument.objects.filter(plan=plans["kbh"]).exists()


LONG = "æøå" * 100 + ".txt"  # 304 characters, 604 bytes in UTF-8


def test_a_long_unicode_file_name_is_stored_under_a_safe_name_by_page_and_api(
        api: Client, client_for: Any, plans: dict[str, Any]) -> None:
    plan = plans["kbh"]
    answer = api.post(f"/api/plans/{plan.pk}/documents", {"file": SimpleUploadedFile(LONG, TEXT.encode())})
    assert answer.status_code == 201, answer.content
    stored = SourceDocument.objects.get(plan=plan)
    assert len(stored.filename) == MAX_NAME
    assert stored.filename.startswith("æøåæøå")
    assert stored.filename.endswith(".txt")
    assert "…" in stored.filename
    assert answer.json()["filename"] == stored.filename
    stored.delete()
    page = client_for("editor-kbh").post(reverse("imports:upload", args=[plan.pk]),
                                         {"file": SimpleUploadedFile(LONG, TEXT.encode()), "provenance": ""})
    assert page.status_code == 302
    assert len(SourceDocument.objects.get(plan=plan).filename) == MAX_NAME


def test_a_long_file_name_on_an_inventory_is_not_a_500(api: Client, orgs: dict[str, Any]) -> None:
    assert _inventory_api(api, orgs["101"], "å" * 300 + ".csv", GOOD_CSV).status_code == 201


def test_safe_name_keeps_the_extension_and_drops_paths_and_control_characters() -> None:
    assert safe_name("C:\\Users\\x\\plan.pdf", "document") == "plan.pdf"
    assert safe_name("../../etc/passwd", "document") == "passwd"
    assert safe_name("a\x00b\x1fc.csv", "upload.csv") == "abc.csv"
    assert safe_name("", "upload.csv") == "upload.csv"
    assert safe_name("..", "upload.csv") == "upload.csv"
    assert safe_name("e\u0301.txt", "d") == "\u00e9.txt"  # NFC
    name = safe_name("x" * 500 + ".xlsx", "d")
    assert len(name) == MAX_NAME
    assert name.endswith("x.xlsx")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_a_utf16_text_document_is_stored_as_its_text(api: Client, plans: dict[str, Any], encoding: str) -> None:
    text = TEXT + " Vi når målet før 2050."
    answer = api.post(f"/api/plans/{plans['kbh'].pk}/documents",
                      {"file": SimpleUploadedFile("plan-utf16.txt", text.encode(encoding))})
    assert answer.status_code == 201, answer.content
    stored = SourceDocument.objects.get(plan=plans["kbh"])
    assert "Vi når målet før 2050." in stored.text
    assert "\x00" not in stored.text


def test_utf16_junk_is_refused_with_a_message(api: Client, plans: dict[str, Any]) -> None:
    answer = api.post(f"/api/plans/{plans['kbh'].pk}/documents",
                      {"file": SimpleUploadedFile("junk.txt", b"\xff\xfe" + b"\x00\xd8" * 100)})
    assert answer.status_code == 422
    assert "not a text file in UTF-8, UTF-16 or Windows-1252" in answer.content.decode()

