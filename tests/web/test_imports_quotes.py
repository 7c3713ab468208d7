"""Document quote pages (nettonul/web/imports/views.quote): only a candidate's quote (or one
of its mentions) with its context, to those who may read the document; an arbitrary span is
not found, so the whole text of a document cannot be read through the quote page."""

from __future__ import annotations

from typing import Any

import pytest

from nettonul.web.imports import services
from nettonul.web.imports.models import Candidate, SourceDocument
from nettonul.web.organisations.permissions import SYSTEM

TEXT = """1. Klima

Kommunen vil reducere udledningen af drivhusgasser med 70 procent i 2030 i forhold til 1990.
Vi vil etablere 200 nye ladestandere til elbiler i kommunen.
Vi vil omlægge busdriften til el-busser.
"""


@pytest.fixture
def document(plans: dict[str, Any]) -> SourceDocument:
    doc = services.import_text(SYSTEM, plans["aarhus"], TEXT, filename="plan.txt")  # a published plan
    chargers = doc.candidates.get(quote__startswith="Vi vil etablere 200")
    services.accept(SYSTEM, chargers, chargers.version)
    return doc


def _url(doc: SourceDocument, start: int, end: int) -> str:
    return f"/documents/{doc.pk}/quote/{start}-{end}/"


def test_the_public_sees_accepted_quotes_only(document: SourceDocument, client: Any) -> None:
    accepted = document.candidates.get(status=Candidate.Status.ACCEPTED)
    page = client.get(_url(document, accepted.start, accepted.end))
    assert page.status_code == 200
    assert f"<mark>{accepted.quote}</mark>" in page.content.decode()
    pending = document.candidates.filter(status=Candidate.Status.PENDING).first()
    assert pending is not None
    assert client.get(_url(document, pending.start, pending.end)).status_code == 404
    # the whole text, or any span that is no candidate's, is not found
    assert client.get(_url(document, 0, len(document.text))).status_code == 404
    assert client.get(_url(document, accepted.start, accepted.end + 1)).status_code == 404
    assert client.get(_url(document, 0, 10)).status_code == 404


def test_members_see_every_candidates_quote(document: SourceDocument, client_for: Any) -> None:
    member = client_for("editor-aarhus")
    pending = document.candidates.filter(status=Candidate.Status.PENDING).first()
    assert pending is not None
    assert member.get(_url(document, pending.start, pending.end)).status_code == 200
    assert member.get(_url(document, 0, len(document.text))).status_code == 404


def test_an_unpublished_plans_quotes_are_not_found_for_others(plans: dict[str, Any], client_for: Any,
                                                               client: Any) -> None:
    doc = services.import_text(SYSTEM, plans["kbh"], TEXT, filename="plan.txt")  # a draft
    c = doc.candidates.filter(kind="commitment").first()
    assert c is not None
    services.accept(SYSTEM, c, c.version)
    assert client.get(_url(doc, c.start, c.end)).status_code == 404
    assert client_for("editor-aarhus").get(_url(doc, c.start, c.end)).status_code == 404
    assert client_for("viewer-kbh").get(_url(doc, c.start, c.end)).status_code == 200
