"""The one error tree (nettonul.errors) and the one mapping from an error to a response."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from nettonul.documents.readers import DocumentError
from nettonul.engine.core.errors import EngineError, Problem, SpecError, ValidationError
from nettonul.engine.footprint.factors import MissingFactorError
from nettonul.errors import NettonulError
from nettonul.reports.snapshot import SnapshotError
from nettonul.web import errors


def test_every_deliberate_error_has_the_one_root() -> None:
    for cls in (EngineError, SpecError, ValidationError, MissingFactorError, DocumentError, SnapshotError,
                errors.WebError, errors.StaleEditError, errors.NotAllowedError, errors.InvalidInputError,
                errors.NotFoundError):
        assert issubclass(cls, NettonulError), cls
    assert not issubclass(errors.WebError, EngineError)
    assert not issubclass(SnapshotError, EngineError)


@pytest.mark.parametrize(("exc", "status"), [
    (errors.StaleEditError("plan 'x'", 3, 4), 409),
    (errors.NotAllowedError("no"), 403),
    (errors.NotFoundError("gone"), 404),
    (errors.InvalidInputError({"title": "required"}), 422),
    (SpecError("bad target"), 422),
    (ValidationError([Problem("a.csv", 3, "value", "not a number")]), 422),
])
def test_each_error_is_answered_with_its_status_as_page_and_as_json(exc: NettonulError, status: int,
                                                                    db: None) -> None:
    page = errors.error_response(RequestFactory().get("/plans/1/"), exc)
    assert page.status_code == status
    assert page["Content-Type"].startswith("text/html")
    assert "nettonul" in page.content.decode()
    body: Any = errors.error_response(RequestFactory().get("/plans/1/", HTTP_HX_REQUEST="true"), exc)
    assert body.status_code == status
    assert body["Content-Type"] == "application/json"


def test_the_json_body_lists_located_problems_and_the_current_version() -> None:
    assert errors.error_body(errors.InvalidInputError({"effect.share": "above 1"})) == {
        "error": "invalid input", "problems": [{"path": "effect.share", "message": "above 1"}]}
    body = errors.error_body(ValidationError([Problem("a.csv", 3, "value", "not a number")], what="inventory"))
    assert body["error"] == "inventory rejected: 1 problem; nothing was imported"
    assert body["problems"] == [{"path": "row 3.value", "file": "a.csv", "row": 3, "column": "value",
                                 "message": "not a number"}]
    assert errors.error_body(errors.StaleEditError("plan 'x'", 3, 4))["current_version"] == 4


def test_django_refusals_and_missing_pages_use_the_site_layout_too(client_for: Any,
                                                                   plans: dict[str, Any]) -> None:
    client = client_for("editor-kbh")
    refused = client.get(f"/plans/{plans['aarhus'].pk}/edit/", HTTP_ACCEPT_LANGUAGE="da")
    assert refused.status_code == 403
    assert '<header class="site">' in refused.content.decode()
    assert "<h1>Det har du ikke lov til</h1>" in refused.content.decode()
    missing = client.get("/plans/999999/", HTTP_ACCEPT_LANGUAGE="da")
    assert missing.status_code == 404
    assert '<header class="site">' in missing.content.decode()
    assert "<h1>Ikke fundet</h1>" in missing.content.decode()
