"""API routes of document import: upload to a plan, list a document's candidates, decide.

Every write calls :mod:`nettonul.web.imports.services`; the API's error handlers turn their
errors into JSON (403 role, 404 not visible, 409 stale version, 422 invalid input or file).
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from nettonul.web.imports import services
from nettonul.web.imports.models import Candidate, SourceDocument
from nettonul.web.organisations import permissions
from nettonul.web.plans.models import Plan
from nettonul.web.uploads import upload_bytes

router = Router(tags=["document import"])


class DocumentOut(Schema):
    id: int
    plan: int
    filename: str
    sha256: str
    kind: str
    language: str
    sections: list[dict[str, Any]]
    notes: list[str]
    provenance: str
    candidates: int
    pending: int


class CandidateOut(Schema):
    id: int
    key: str
    kind: str
    status: str
    version: int
    text: str
    quote: str
    start: int
    end: int
    section: str
    sector: str
    sdgs: list[int]
    flags: list[str]
    found: dict[str, Any]
    target: int | None
    action: int | None


class DecisionIn(Schema):
    decision: Literal["accept", "reject"]
    version: int
    edits: dict[str, Any] = {}


def _document(request: HttpRequest, document_id: int) -> SourceDocument:
    document = get_object_or_404(SourceDocument.objects.select_related("plan"), pk=document_id)
    if not services.can_review(request.user, document):
        raise Http404(f"document {document_id} not found")
    return document


def _document_out(document: SourceDocument) -> dict[str, Any]:
    statuses = list(document.candidates.values_list("status", flat=True))
    return {"id": document.pk, "plan": document.plan_id, "filename": document.filename, "sha256": document.sha256,
            "kind": document.kind, "language": document.language, "sections": document.sections,
            "notes": document.notes, "provenance": document.provenance, "candidates": len(statuses),
            "pending": statuses.count(Candidate.Status.PENDING)}


def _candidate_out(c: Candidate) -> dict[str, Any]:
    return {"id": c.pk, "key": c.key, "kind": c.kind, "status": c.status, "version": c.version, "text": c.text,
            "quote": c.quote, "start": c.start, "end": c.end, "section": c.section, "sector": c.sector,
            "sdgs": c.sdgs, "flags": c.flags, "found": c.found, "target": c.target_id, "action": c.action_id}


@router.post("/plans/{plan_id}/documents", response={201: DocumentOut})
def upload(request: HttpRequest, plan_id: int, file: File[UploadedFile],
           provenance: Form[str] = "") -> Status[dict[str, Any]]:
    """Upload a PDF, HTML, DOCX or text file; its candidates await review (editor role)."""
    plan = get_object_or_404(Plan.objects.select_related("organisation"), pk=plan_id)
    if not permissions.can_view(request.user, plan):
        raise Http404(f"plan {plan_id} not found")
    data, name = upload_bytes(file, "document")
    document = services.import_file(request.user, plan, data, filename=name, provenance=provenance)
    return Status(201, _document_out(document))


@router.get("/documents/{document_id}", response=DocumentOut)
def get_document(request: HttpRequest, document_id: int) -> dict[str, Any]:
    return _document_out(_document(request, document_id))


@router.get("/documents/{document_id}/candidates", response=list[CandidateOut])
def list_candidates(request: HttpRequest, document_id: int, status: str | None = None) -> list[dict[str, Any]]:
    """The document's candidates in reading order (members of the organisation only)."""
    document = _document(request, document_id)
    return [_candidate_out(c) for c in services.queue(document, status)]


@router.post("/documents/{document_id}/candidates/{candidate_id}/decision", response=CandidateOut)
def decide(request: HttpRequest, document_id: int, candidate_id: int, payload: DecisionIn) -> dict[str, Any]:
    """Accept (with optional ``edits`` of the target's or action's fields) or reject a candidate."""
    document = _document(request, document_id)
    candidate = get_object_or_404(Candidate, pk=candidate_id, document=document)
    candidate.document = document
    if payload.decision == "reject":
        services.reject(request.user, candidate, payload.version)
    else:
        services.accept(request.user, candidate, payload.version, **payload.edits)
    candidate.refresh_from_db()
    return _candidate_out(candidate)
