"""Every write of document import: upload (all-or-nothing) and the review decisions.

An upload reads and analyses the whole document with :func:`nettonul.documents.import_bytes`
first; only then are the document and all its candidates written, in one transaction. A
decision names the candidate version the reviewer saw; accepting creates the plan's Target
or Action through the plans services (role check, validation, audit) in the same
transaction as the candidate's new status, so an accepted candidate always has its object
and a failed accept changes nothing.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Model, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nettonul.documents import Commitment, DocumentError, ImportResult, analyse_text, draft, import_bytes
from nettonul.web.audit import services as audit
from nettonul.web.errors import InvalidInputError, NotAllowedError, StaleEditError
from nettonul.web.imports.models import Candidate, SourceDocument
from nettonul.web.organisations import permissions
from nettonul.web.plans import services as plan_services
from nettonul.web.plans.models import Action, Plan, Target

UPLOAD_SUFFIXES = (".pdf", ".html", ".htm", ".docx", ".txt", ".md")
TARGET_EDITS = ("kind", "year", "value", "against", "sector", "description")
COMMITMENT_EDITS = ("title", "description", "sector", "owner", "status", "sdgs")
#: What a draft plan adds to an accepted commitment: its suggested effect, schedule, the
#: sources of what its sentence states and the assumed fields awaiting confirmation.
DRAFT_EDITS = ("effect", "start_year", "full_year", "curve", "sources", "assumptions", "unconfirmed")
#: Characters of text shown before and after a quote in the review queue.
CONTEXT = 240


# ----------------------------------------------------------------------------- upload
def import_file(actor: Any, plan: Plan, source: bytes | Path, *, filename: str | None = None,
                provenance: str = "") -> SourceDocument:
    """Read ``source`` (an upload's bytes, in memory, or a file; PDF, HTML, DOCX or text),
    find its candidates and store them for review.

    Raises :class:`InvalidInputError` and writes nothing when the file cannot be read.
    """
    _require_edit(actor, plan)
    name = filename or (source.name if isinstance(source, Path) else "document")
    if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
        raise InvalidInputError({"file": _("upload a PDF, HTML, DOCX or text file, not '%(name)s'") % {"name": name}})
    data = source.read_bytes() if isinstance(source, Path) else bytes(source)
    try:
        result = import_bytes(data, name, owner=plan.organisation.name)
    except DocumentError as exc:
        raise InvalidInputError({"file": _("'%(name)s' could not be read: %(why)s") % {"name": name, "why": exc}},
                                _("nothing was imported")) from None
    return store(actor, plan, result, filename=name, sha256=hashlib.sha256(data).hexdigest(), provenance=provenance)


def import_text(actor: Any, plan: Plan, text: str, *, filename: str, provenance: str = "") -> SourceDocument:
    """Like :func:`import_file` for text already in hand (a text file's content)."""
    _require_edit(actor, plan)
    result = analyse_text(text, source=filename, owner=plan.organisation.name)
    return store(actor, plan, result, filename=filename, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                 provenance=provenance)


def store(actor: Any, plan: Plan, result: ImportResult, *, filename: str, sha256: str,
          provenance: str = "") -> SourceDocument:
    """Write a document and all its candidates at once."""
    _require_edit(actor, plan)
    if not result.text.strip():
        raise InvalidInputError({"file": _("'%(name)s' contains no text; nothing was imported") % {"name": filename}})
    _refuse_a_second_import(plan, sha256)
    try:
        document = _store(actor, plan, result, filename=filename, sha256=sha256, provenance=provenance)
    except IntegrityError:  # the same file was stored by another request since the check above
        _refuse_a_second_import(plan, sha256)
        raise
    return document


def _refuse_a_second_import(plan: Plan, sha256: str) -> None:
    existing = SourceDocument.objects.filter(plan=plan, sha256=sha256).first()
    if existing is not None:
        raise InvalidInputError({"file": _("this file was already imported into this plan as '%(name)s'")
                                 % {"name": existing.filename}})


def _store(actor: Any, plan: Plan, result: ImportResult, *, filename: str, sha256: str,
           provenance: str) -> SourceDocument:
    with transaction.atomic():
        document = SourceDocument.objects.create(
            plan=plan, filename=filename[:255], sha256=sha256, kind=result.kind, language=result.language,
            text=result.text, sections=[s.to_dict() for s in result.sections], notes=list(result.notes),
            provenance=provenance, uploaded_by=actor if isinstance(actor, Model) else None,
        )
        rows = [_target_row(document, i, t.to_dict()) for i, t in enumerate(result.targets)]
        offset = len(rows)
        rows += [_commitment_row(document, offset + i, c.to_dict()) for i, c in enumerate(result.commitments)]
        Candidate.objects.bulk_create(rows, batch_size=500)
        audit.record(actor, "import", document, {
            "file": [None, filename], "targets": [None, len(result.targets)],
            "commitments": [None, len(result.commitments)],
        }, organisation_id=plan.organisation_id)
    return document


def _target_row(document: SourceDocument, position: int, found: dict[str, Any]) -> Candidate:
    return Candidate(
        document=document, kind=Candidate.Kind.TARGET, key=found["id"], position=position,
        text=found.get("subject") or found["quote"], quote=found["quote"], start=found["start"], end=found["end"],
        section=(found.get("section") or "")[:300], found=found,
        flags=[] if found.get("target_year") else ["no target year"],
    )


def _commitment_row(document: SourceDocument, position: int, found: dict[str, Any]) -> Candidate:
    return Candidate(
        document=document, kind=Candidate.Kind.COMMITMENT, key=found["id"], position=position,
        text=found["text"], quote=found["quote"], start=found["start"], end=found["end"],
        section=(found.get("section") or "")[:300], sector=found.get("sector") or "", sdgs=found.get("sdgs") or [],
        flags=found.get("flags") or [], found=found,
    )


# ----------------------------------------------------------------------------- review
def queue(document: SourceDocument, status: str | None = None) -> QuerySet[Candidate]:
    """The candidates of a document in reading order, with what they became (one query)."""
    qs = document.candidates.select_related("target", "action")
    return qs.filter(status=status) if status else qs


def proposal(candidate: Candidate) -> dict[str, Any]:
    """The fields the candidate becomes when accepted unchanged (the edit form's start values)."""
    found = candidate.found
    if candidate.kind == Candidate.Kind.TARGET:
        raw = found.get("value")
        if isinstance(raw, list):  # a range: the reviewer decides; start from its lower end
            raw = raw[0]
        kind, value = {
            "reduction_pct": (Target.Kind.REDUCTION, None if raw is None else raw / 100),
            "net_zero": (Target.Kind.NET_ZERO, None),
        }.get(found.get("kind", ""), (Target.Kind.QUALITATIVE, None))
        return {"kind": str(kind), "year": found.get("target_year"), "value": value,
                "against": found.get("base_year") if kind == Target.Kind.REDUCTION else None,
                "sector": "", "description": candidate.quote}
    plan = candidate.document.plan
    return {"title": candidate.text[:300], "description": candidate.quote,
            # A sector only means something to a climate plan's engine; a strategy has themes.
            "sector": candidate.sector if plan.kind == Plan.Kind.CLIMATE_ACTION_PLAN else "",
            "owner": "", "status": str(Action.Status.PLANNED), "sdgs": list(candidate.sdgs)}


def accept(actor: Any, candidate: Candidate, expected_version: int, *, draft: bool = False,
           **edits: Any) -> Target | Action:
    """Accept ``candidate`` (with the reviewer's ``edits``): it becomes a Target or an Action.

    A commitment becomes an action without an effect ("not quantified" until someone gives
    it one); its description is the quote and its source names the document and offsets.
    """
    plan = candidate.document.plan
    _require_edit(actor, plan)
    allowed: tuple[str, ...] = TARGET_EDITS if candidate.kind == Candidate.Kind.TARGET else COMMITMENT_EDITS
    if draft and candidate.kind == Candidate.Kind.COMMITMENT:
        allowed = (*allowed, *DRAFT_EDITS)
    unknown = sorted(set(edits) - set(allowed))
    if unknown:
        raise InvalidInputError({k: _("unknown field") for k in unknown})
    fields = {**proposal(candidate), **edits}
    with transaction.atomic():
        _decide(actor, candidate, expected_version, "accepted")
        created: Target | Action
        if candidate.kind == Candidate.Kind.TARGET:
            if not fields.get("year"):
                raise InvalidInputError({"year": _("the quote names no target year; give one before accepting")})
            created = plan_services.add_target(actor, plan, **fields)
            Candidate.objects.filter(pk=candidate.pk).update(target=created)
        else:
            document = candidate.document
            fields["key"] = f"{slugify(str(fields['title']))[:60].strip('-') or 'commitment'}-{candidate.key}"
            fields["sources"] = {**(fields.get("sources") or {}),
                                 "title": _("%(file)s, characters %(start)s–%(end)s")
                                 % {"file": document.filename, "start": candidate.start, "end": candidate.end}}
            created = plan_services.add_action(actor, plan, **fields)
            Candidate.objects.filter(pk=candidate.pk).update(action=created)
        audit.record(actor, "update", candidate, {
            "status": [Candidate.Status.PENDING, Candidate.Status.ACCEPTED],
            created._meta.model_name or "object": [None, created.pk],
            **({"edited": [None, sorted(edits)]} if edits else {}),
        }, organisation_id=plan.organisation_id)
    candidate.refresh_from_db()
    return created


def reject(actor: Any, candidate: Candidate, expected_version: int) -> Candidate:
    plan = candidate.document.plan
    _require_edit(actor, plan)
    with transaction.atomic():
        _decide(actor, candidate, expected_version, "rejected")
        audit.record(actor, "update", candidate, {"status": [Candidate.Status.PENDING, Candidate.Status.REJECTED]},
                     organisation_id=plan.organisation_id)
    candidate.refresh_from_db()
    return candidate


def is_context(candidate: Candidate) -> bool:
    """A target or commitment of another body (the nation, the EU, Paris, another municipality)
    quoted in the document: shown apart and never accepted unless a reviewer takes it one by one."""
    return bool(candidate.found.get("context"))


def foreign_owners(document: SourceDocument) -> list[str]:
    """The other bodies whose targets outnumber the plan owner's own in this document (a news
    article about other municipalities), or [] when the document is about the plan owner."""
    targets = [c.found for c in document.candidates.filter(kind=Candidate.Kind.TARGET)]
    others = [t for t in targets if t.get("context")]
    if not others or len(others) <= len(targets) - len(others):
        return []
    return sorted({str(t.get("owner")) for t in others if t.get("owner")})


def accept_all(actor: Any, document: SourceDocument) -> tuple[int, list[str]]:
    """Accept every pending candidate of the plan owner unchanged; returns (accepted, why the
    others were not). Context targets and commitments (other bodies') are never accepted here."""
    accepted, skipped = 0, []
    for candidate in queue(document, "pending"):
        if is_context(candidate):
            continue
        try:
            accept(actor, candidate, candidate.version)
        except InvalidInputError as exc:
            skipped.append(f"{candidate.key}: {exc}")
        else:
            accepted += 1
    return accepted, skipped


def create_draft_plan(actor: Any, document: SourceDocument) -> dict[str, Any]:
    """Accept the document's own targets (as stated) and turn its own commitments into actions
    with a suggested sector, effect kind and the parameters their sentences state
    (:mod:`nettonul.documents.draft`); every assumed field is listed in the action's
    ``unconfirmed`` until an editor confirms it. Context targets and commitments (other
    bodies') are never taken. Returns counts and why candidates were skipped; the plan check
    then shows what the draft lacks."""
    plan = document.plan
    _require_edit(actor, plan)
    if plan.kind != Plan.Kind.CLIMATE_ACTION_PLAN:
        raise InvalidInputError({"plan": _("a draft plan needs a climate action plan, not a strategy")})
    language = document.language if document.language in ("da", "en") else "da"
    with transaction.atomic():
        model = dict(plan.model or {})
        if not model.get("activity"):
            # without an activity split no effect can name a carrier: start from the generic one,
            # every row an assumption
            model["activity"] = draft.generic_activity(language)
            plan = plan_services.update_plan(actor, plan, plan.version, model=model, illustrative=True)
        targets = actions = 0
        skipped: list[str] = []
        years = set(plan.targets.values_list("year", "sector"))
        for candidate in queue(document, "pending"):
            found = candidate.found
            if found.get("context"):
                continue
            try:
                if candidate.kind == Candidate.Kind.TARGET:
                    spec = draft.target_spec_of(found)
                    if spec is None or (spec["year"], "") in years:
                        continue
                    accept(actor, candidate, candidate.version, kind=spec["kind"], year=spec["year"],
                           value=spec.get("value"), against=spec.get("against"))
                    years.add((spec["year"], ""))
                    targets += 1
                    continue
                if candidate.sector == "adaptation":
                    continue
                made = draft.draft_action(_commitment_of(candidate), language, candidate.key, None,
                                          model["activity"]).spec
                accept(actor, candidate, candidate.version, draft=True, sector=made["effect"]["sector"],
                       effect=made["effect"], start_year=made["schedule"]["start"],
                       full_year=made["schedule"]["full"], curve=made["schedule"]["curve"],
                       sources=made["sources"], assumptions=made["assumptions"],
                       unconfirmed=sorted(made["assumptions"]))
                actions += 1
            except InvalidInputError as exc:
                skipped.append(f"{candidate.key}: {exc}")
        audit.record(actor, "update", document, {"draft_plan": [None, {"targets": targets, "actions": actions}]},
                     organisation_id=plan.organisation_id)
    return {"targets": targets, "actions": actions, "skipped": skipped}


def _commitment_of(candidate: Candidate) -> Commitment:
    found = candidate.found
    return Commitment(text=candidate.text, quote=candidate.quote, section=candidate.section or None,
                      sector=candidate.sector or None, sdgs=tuple(candidate.sdgs or ()), start=candidate.start,
                      end=candidate.end, owner=found.get("owner"), context=bool(found.get("context")))


def _decide(actor: Any, candidate: Candidate, expected_version: int, status: str) -> None:
    """Move a pending candidate at ``expected_version`` to ``status`` or raise, writing nothing."""
    changed = Candidate.objects.filter(pk=candidate.pk, version=expected_version,
                                       status=Candidate.Status.PENDING).update(
        status=status, version=F("version") + 1, decided_at=timezone.now(),
        decided_by=actor if isinstance(actor, Model) else None)
    if changed:
        return
    current = Candidate.objects.filter(pk=candidate.pk).values_list("status", "version").first()
    if current is not None and current[0] != Candidate.Status.PENDING:
        raise InvalidInputError({"status": _("this candidate was already decided (%(status)s)")
                                 % {"status": Candidate.Status(current[0]).label}})
    raise StaleEditError(_("candidate '%(key)s'") % {"key": candidate.key}, expected_version,
                         None if current is None else current[1])


def _require_edit(actor: Any, plan: Plan) -> None:
    permissions.require_edit(actor, plan)
    if not plan.is_current:
        raise NotAllowedError(_("this is an old version of the plan; import into the current version"))


# ----------------------------------------------------------------------------- reading
def in_context(candidate: Candidate, text: str, width: int = CONTEXT) -> dict[str, str]:
    """The quote with the text around it, for highlighting: before, quote, after."""
    start, end = candidate.start, candidate.end
    lo, hi = max(0, start - width), min(len(text), end + width)
    return {"before": ("…" if lo > 0 else "") + text[lo:start], "quote": text[start:end],
            "after": text[end:hi] + ("…" if hi < len(text) else "")}


def can_review(user: Any, document: SourceDocument) -> bool:
    """Members of the plan's organisation (any role) see the queue; deciding needs an editor."""
    return permissions.can_view_history(user, document)
