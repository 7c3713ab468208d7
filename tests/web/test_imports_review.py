"""Document import in the web app (nettonul/web/imports): upload -> candidates -> accept /
edit / reject -> targets and actions with quote links; nothing half-imported on a bad file;
who may see and decide; the queue's query count does not grow with the candidates."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nettonul.web.api.services import create_token
from nettonul.web.audit.models import ChangeRecord
from nettonul.web.errors import InvalidInputError, NotAllowedError, StaleEditError
from nettonul.web.imports import services
from nettonul.web.imports.models import Candidate, SourceDocument
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans.models import Action, Target

PLAN_TEXT = """1. Klima og energi

Kommunen vil reducere udledningen af drivhusgasser med 70 procent i 2030 i forhold til 1990.
Kommunen vil være klimaneutral i 2050.

2. Transport

Vi vil etablere 200 nye ladestandere til elbiler i kommunen.
Vi vil omlægge busdriften til el-busser.
"""


def _upload(client: Any, plan: Any, name: str = "plan.txt", data: bytes = PLAN_TEXT.encode()) -> Any:
    client.cookies["nettonul_language"] = "en"  # the messages below are read in English
    return client.post(f"/documents/plan/{plan.pk}/upload/",
                       {"file": SimpleUploadedFile(name, data), "provenance": "test document"})


@pytest.fixture
def document(plans: dict[str, Any]) -> SourceDocument:
    return services.import_text(SYSTEM, plans["kbh"], PLAN_TEXT, filename="plan.txt")


def _candidate(document: SourceDocument, text_start: str) -> Candidate:
    return next(c for c in document.candidates.all() if c.text.startswith(text_start) or
                c.quote.startswith(text_start))


def test_upload_stores_document_and_candidates_with_exact_quotes(client_for: Any, plans: dict[str, Any]) -> None:
    response = _upload(client_for("editor-kbh"), plans["kbh"])
    assert response.status_code == 302
    document = SourceDocument.objects.get(plan=plans["kbh"])
    assert (document.filename, document.language, document.provenance) == ("plan.txt", "da", "test document")
    assert [s["title"] for s in document.sections] == ["1. Klima og energi", "2. Transport"]
    kinds = sorted(document.candidates.values_list("kind", flat=True))
    assert kinds == ["commitment"] * 4 + ["target"] * 2
    for c in document.candidates.all():
        assert document.text[c.start:c.end] == c.quote
        assert c.status == "pending"
    chargers = _candidate(document, "etablere 200")
    assert (chargers.sector, chargers.sdgs) == ("transport", [3, 11, 13])
    assert ChangeRecord.objects.filter(action="import", object_id=str(document.pk),
                                       content_type__model="sourcedocument").count() == 1
    queue = client_for("editor-kbh").get(response["Location"])
    assert queue.status_code == 200
    assert "<mark>Vi vil etablere 200 nye ladestandere til elbiler i kommunen.</mark>" in queue.content.decode()


def test_accept_edit_reject_make_targets_and_actions_with_quote_links(client_for: Any, document: Any,
                                                                      plans: dict[str, Any]) -> None:
    c = client_for("editor-kbh")
    c.cookies["nettonul_language"] = "en"
    base = f"/documents/{document.pk}/candidates"
    # the plan's own 2030 and 2050 targets make room for the document's (one target per year)
    Target.objects.filter(plan=plans["kbh"]).delete()
    reduction = _candidate(document, "Kommunen vil reducere udledningen")
    reduction = document.candidates.get(kind="target", start=reduction.start)
    assert c.post(f"{base}/{reduction.pk}/", {"decision": "accept", "version": reduction.version}).status_code == 302
    target = Target.objects.get(imported_from__pk=reduction.pk)
    # 70 procent i 2030 i forhold til 1990 -> a reduction of 0.70 by 2030 against 1990
    assert (target.kind, target.value, target.year, target.against) == ("reduction", 0.7, 2030, 1990)
    assert target.description == reduction.quote

    net_zero = document.candidates.get(kind="target", quote="Kommunen vil være klimaneutral i 2050")
    edit = c.get(f"{base}/{net_zero.pk}/")
    assert edit.status_code == 200
    assert "klimaneutral" in edit.content.decode()
    response = c.post(f"{base}/{net_zero.pk}/", {"decision": "edit", "version": net_zero.version,
                                                 "kind": "net_zero", "year": 2045, "description": "edited"})
    assert response.status_code == 302
    edited = Target.objects.get(imported_from__pk=net_zero.pk)
    assert (edited.kind, edited.year, edited.description) == ("net_zero", 2045, "edited")

    chargers = _candidate(document, "etablere 200")
    assert c.post(f"{base}/{chargers.pk}/", {"decision": "accept", "version": chargers.version}).status_code == 302
    action = Action.objects.get(imported_from__pk=chargers.pk)
    assert action.effect == {}
    assert action.sector == "transport"
    assert action.sdgs == [3, 11, 13]
    assert action.description == chargers.quote
    assert "plan.txt" in action.sources["title"]

    buses = _candidate(document, "omlægge busdriften")
    assert c.post(f"{base}/{buses.pk}/", {"decision": "reject", "version": buses.version}).status_code == 302
    buses.refresh_from_db()
    assert buses.status == "rejected"
    assert buses.action is None
    assert not Action.objects.filter(title__startswith="omlægge").exists()

    page = c.get(f"/plans/{plans['kbh'].pk}/").content.decode()
    assert f"/documents/{document.pk}/quote/{chargers.start}-{chargers.end}/" in page
    assert "not quantified" in page
    quote = c.get(f"/documents/{document.pk}/quote/{chargers.start}-{chargers.end}/")
    assert f"<mark>{chargers.quote}</mark>" in quote.content.decode()
    statuses = dict(document.candidates.values_list("key", "status"))
    assert sorted(statuses.values()).count("accepted") == 3


def test_a_decision_is_version_checked_and_made_once(document: Any, users: dict[str, Any]) -> None:
    editor = users["editor-kbh"]
    chargers = _candidate(document, "etablere 200")
    with pytest.raises(StaleEditError):
        services.accept(editor, chargers, chargers.version + 1)
    services.accept(editor, chargers, chargers.version)
    with pytest.raises(InvalidInputError, match="already decided"):
        services.reject(editor, chargers, chargers.version)
    assert Action.objects.filter(imported_from__pk=chargers.pk).count() == 1


def test_a_failed_accept_changes_nothing(document: Any, users: dict[str, Any]) -> None:
    target = document.candidates.filter(kind="target").first()
    before = (Target.objects.count(), ChangeRecord.objects.count())
    with pytest.raises(InvalidInputError):
        services.accept(users["editor-kbh"], target, target.version, sector="no-such-sector")
    target.refresh_from_db()
    assert target.status == "pending"
    assert target.target is None
    assert (Target.objects.count(), ChangeRecord.objects.count()) == before


def test_a_bad_file_imports_nothing(client_for: Any, plans: dict[str, Any]) -> None:
    before = (SourceDocument.objects.count(), Candidate.objects.count(), ChangeRecord.objects.count())
    response = _upload(client_for("editor-kbh"), plans["kbh"], "broken.pdf", b"%PDF-1.4 this is not a pdf")
    assert response.status_code == 422
    assert "broken.pdf" in response.content.decode()
    response = _upload(client_for("editor-kbh"), plans["kbh"], "sheet.xlsx", b"PK")
    assert response.status_code == 422
    assert (SourceDocument.objects.count(), Candidate.objects.count(), ChangeRecord.objects.count()) == before


def test_the_same_file_twice_is_refused(client_for: Any, plans: dict[str, Any]) -> None:
    assert _upload(client_for("editor-kbh"), plans["kbh"]).status_code == 302
    again = _upload(client_for("editor-kbh"), plans["kbh"], "copy.txt")
    assert again.status_code == 422
    assert "already imported" in again.content.decode()


def test_who_may_see_and_decide(client_for: Any, document: Any, users: dict[str, Any]) -> None:
    chargers = _candidate(document, "etablere 200")
    url = f"/documents/{document.pk}/"
    assert client_for("viewer-kbh").get(url).status_code == 200
    assert 'name="decision"' not in client_for("viewer-kbh").get(url).content.decode()
    assert 'name="decision"' in client_for("editor-kbh").get(url).content.decode()
    denied = client_for("viewer-kbh").post(f"{url}candidates/{chargers.pk}/",
                                           {"decision": "accept", "version": chargers.version})
    assert denied.status_code == 403
    assert client_for("editor-aarhus").get(url).status_code == 404
    assert client_for("anonymous").get(url).status_code == 404
    assert client_for("editor-aarhus").get(f"/documents/plan/{document.plan_id}/upload/").status_code == 404
    with pytest.raises(NotAllowedError):
        services.accept(users["viewer-kbh"], chargers, chargers.version)
    with pytest.raises(NotAllowedError):
        services.import_text(users["editor-aarhus"], document.plan, "Vi vil plante træer.", filename="x.txt")
    chargers.refresh_from_db()
    assert chargers.status == "pending"


def test_queue_query_count_does_not_grow_with_candidates(client_for: Any, plans: dict[str, Any]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = services.import_text(SYSTEM, plans["kbh"], PLAN_TEXT, filename="small.txt")
    many = "\n\n".join(f"Vi vil etablere {n} nye ladestandere til elbiler i område {n}." for n in range(1, 61))
    large = services.import_text(SYSTEM, plans["kbh"], "1. Transport\n\n" + many, filename="large.txt")
    assert large.candidates.count() >= 10 * small.candidates.count()
    client = client_for("editor-kbh")
    counts = []
    for document in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/documents/{document.pk}/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_api_upload_list_and_decide(client: Any, users: dict[str, Any], plans: dict[str, Any]) -> None:
    editor = {"HTTP_AUTHORIZATION": f"Bearer {create_token(users['editor-kbh'], 't')[1]}"}
    viewer = {"HTTP_AUTHORIZATION": f"Bearer {create_token(users['viewer-kbh'], 't')[1]}"}
    other = {"HTTP_AUTHORIZATION": f"Bearer {create_token(users['editor-aarhus'], 't')[1]}"}
    kbh = plans["kbh"]
    response = client.post(f"/api/plans/{kbh.pk}/documents", {"file": SimpleUploadedFile("p.txt", PLAN_TEXT.encode())},
                           **editor)
    assert response.status_code == 201, response.content
    doc = response.json()
    assert (doc["candidates"], doc["pending"]) == (6, 6)
    listed = client.get(f"/api/documents/{doc['id']}/candidates", **viewer).json()
    assert len(listed) == 6
    assert client.get(f"/api/documents/{doc['id']}/candidates", **other).status_code == 404
    target = next(c for c in listed if c["kind"] == "target" and c["found"]["kind"] == "net_zero")
    url = f"/api/documents/{doc['id']}/candidates/{target['id']}/decision"
    body = {"decision": "accept", "version": target["version"], "edits": {"year": 2045}}
    assert client.post(url, body, content_type="application/json", **viewer).status_code == 403
    decided = client.post(url, body, content_type="application/json", **editor)
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "accepted"
    assert Target.objects.get(pk=decided.json()["target"]).year == 2045
    stale = client.post(url, body, content_type="application/json", **editor)
    assert stale.status_code == 422
    bad = client.post(f"/api/plans/{kbh.pk}/documents", {"file": SimpleUploadedFile("b.pdf", b"%PDF-1.4 junk")},
                      **editor)
    assert bad.status_code == 422
    assert bad.json()["problems"][0]["path"] == "file"


def test_docx_and_html_uploads(client_for: Any, plans: dict[str, Any], tmp_path: Any) -> None:
    import docx

    document = docx.Document()
    document.add_heading("1. Transport", level=1)
    document.add_paragraph("Vi vil etablere 200 nye ladestandere til elbiler i kommunen.")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    client = client_for("editor-kbh")
    assert _upload(client, plans["kbh"], "plan.docx", path.read_bytes()).status_code == 302
    html = ("<html><body><nav>Forside | Kontakt</nav><main><h1>Klimaplan</h1>"
            "<p>Vi vil omlægge busdriften til el-busser.</p></main></body></html>").encode()
    assert _upload(client, plans["kbh"], "plan.html", html).status_code == 302
    stored = {d.filename: d for d in SourceDocument.objects.filter(plan=plans["kbh"])}
    assert (stored["plan.docx"].kind, stored["plan.html"].kind) == ("docx", "html")
    texts = {c.text for d in stored.values() for c in d.candidates.all()}
    assert "etablere 200 nye ladestandere til elbiler i kommunen" in texts
    assert "omlægge busdriften til el-busser" in texts
    assert "Kontakt" not in stored["plan.html"].text


NEWS_TEXT = """Nabokommuner skærper klimamålene

Aarhus Kommune vil være klimaneutral i 2030.
Odense Kommune skal reducere udledningen med 75 procent i 2030 i forhold til 1990.
EU skal reducere udledningen med 55 procent i 2030 i forhold til 1990.
Kommunen vil være klimaneutral i 2045.
"""


def test_context_targets_stand_apart_and_accept_all_leaves_them(client_for: Any, plans: dict[str, Any]) -> None:
    plan = plans["kbh"]
    document = services.import_text(SYSTEM, plan, NEWS_TEXT, filename="nyhed.txt")
    targets = {c.found["owner"]: c for c in document.candidates.filter(kind="target")}
    # three of the four targets are other bodies' (Aarhus, Odense, EU): context, and the
    # document is mostly about others, so the queue warns
    assert sorted(o for o, c in targets.items() if c.found["context"]) == ["Aarhus Kommune", "EU", "Odense Kommune"]
    assert services.foreign_owners(document) == ["Aarhus Kommune", "EU", "Odense Kommune"]
    c = client_for("editor-kbh")
    c.cookies["nettonul_language"] = "da"
    page = c.get(f"/documents/{document.pk}/").content.decode()
    own_part, context_part = page.split('id="context-targets"')
    assert "Andre organisationers mål og tilsagn (kontekst)" in context_part
    assert "Dette dokument handler mest om andre organisationer (Aarhus Kommune, EU, Odense Kommune)" in own_part
    for owner, candidate in targets.items():
        row = f'id="candidate-{candidate.pk}"'
        assert (row in context_part) == (owner != plan.organisation.name), owner
        assert (row in own_part) == (owner == plan.organisation.name), owner
    before = Target.objects.filter(plan=plan).count()
    assert c.post(f"/documents/{document.pk}/accept-all/").status_code == 302
    # only the plan owner's own net-zero 2045 target was accepted
    assert Target.objects.filter(plan=plan).count() == before + 1
    assert sorted(o for o, x in targets.items()
                  if Candidate.objects.get(pk=x.pk).status == "accepted") == [plan.organisation.name]


def test_a_restated_target_shows_all_its_quotes(client_for: Any, plans: dict[str, Any]) -> None:
    text = ("1. Mål\n\nKommunen vil være klimaneutral i 2040.\n\n2. Energi\n\n"
            "Som nævnt skal kommunen være klimaneutral i 2040.\n")
    document = services.import_text(SYSTEM, plans["kbh"], text, filename="mål.txt")
    (target,) = document.candidates.filter(kind="target")
    assert [m["quote"] for m in target.found["mentions"]] == [
        "Kommunen vil være klimaneutral i 2040", "Som nævnt skal kommunen være klimaneutral i 2040"]
    c = client_for("editor-kbh")
    c.cookies["nettonul_language"] = "da"
    page = c.get(f"/documents/{document.pk}/").content.decode()
    assert "Nævnt 2 gange" in page
    assert page.count("/quote/") >= 2


def test_other_bodies_commitments_stand_apart_and_accept_all_leaves_them(client_for: Any,
                                                                          plans: dict[str, Any]) -> None:
    plan = plans["kbh"]
    text = ("1. Transport\n\nVi vil etablere 200 nye ladestandere til elbiler i kommunen.\n"
            "Regeringen vil indføre en CO2-afgift på landbruget fra 2030.\n")
    document = services.import_text(SYSTEM, plan, text, filename="tilsagn.txt")
    commitments = list(document.candidates.filter(kind="commitment"))
    national = [x for x in commitments if x.found.get("context")]
    own = [x for x in commitments if not x.found.get("context")]
    assert len(national) == 1
    assert national[0].quote.startswith("Regeringen")
    assert len(own) == 1
    c = client_for("editor-kbh")
    c.cookies["nettonul_language"] = "da"
    page = c.get(f"/documents/{document.pk}/").content.decode()
    own_part, context_part = page.split('id="context-targets"')
    assert f'id="candidate-{national[0].pk}"' in context_part
    assert f'id="candidate-{own[0].pk}"' in own_part
    assert "kontekst undtaget" in own_part
    before = Action.objects.filter(plan=plan).count()
    assert c.post(f"/documents/{document.pk}/accept-all/").status_code == 302
    assert Action.objects.filter(plan=plan).count() == before + 1
    assert Candidate.objects.get(pk=national[0].pk).status == "pending"
