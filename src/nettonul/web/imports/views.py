"""Import pages: upload a document to a plan, the review queue (each candidate with its quote
highlighted in context), accept / edit-then-accept / reject, and a quote's place in its document."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nettonul.web import pages
from nettonul.web.errors import InvalidInputError, NotAllowedError, StaleEditError
from nettonul.web.imports import services
from nettonul.web.imports.forms import CommitmentEditForm, TargetEditForm, UploadForm
from nettonul.web.imports.models import Candidate, SourceDocument
from nettonul.web.organisations import permissions
from nettonul.web.plans.models import Plan
from nettonul.web.uploads import upload_bytes


def _document(request: HttpRequest, document_id: int) -> SourceDocument:
    document = get_object_or_404(SourceDocument.objects.select_related("plan", "plan__organisation"),
                                 pk=document_id)
    if not services.can_review(request.user, document):
        raise Http404  # not revealed to non-members
    pages.use_organisation_language(request, document.plan.organisation)
    return document


@login_required
def upload(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = pages.get_visible(request, Plan, plan_id, ("organisation",))
    pages.use_organisation_language(request, plan.organisation)
    if not permissions.can_edit(request.user, plan):
        raise PermissionDenied(_("You may not change this organisation's data."))
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                data, name = upload_bytes(form.cleaned_data["file"], "document")
                document = services.import_file(request.user, plan, data, filename=name,
                                                provenance=form.cleaned_data["provenance"])
            except InvalidInputError as exc:
                problems = list(exc.problems.values())
            except NotAllowedError as exc:
                raise PermissionDenied(str(exc)) from None
            else:
                messages.success(request, _("Imported '%(name)s': %(n)s candidates await review.")
                                 % {"name": name, "n": document.candidates.count()})
                return redirect("imports:queue", document.pk)
    documents = SourceDocument.objects.filter(plan=plan).only("id", "filename", "created_at", "plan_id")
    return render(request, "imports/upload.html", {"plan": plan, "org": plan.organisation, "form": form,
                                                   "problems": problems, "documents": documents}, status=status)


def queue(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    wanted = request.GET.get("status") or ""
    if wanted not in Candidate.Status.values:
        wanted = ""
    candidates = list(services.queue(document, wanted or None))
    rows = [{"c": c, "context": services.in_context(c, document.text),
             "mentions": c.found.get("mentions") or [] if c.kind == Candidate.Kind.TARGET else []}
            for c in candidates]
    own = [r for r in rows if not services.is_context(r["c"])]
    others = [r for r in rows if services.is_context(r["c"])]
    counts = dict.fromkeys(Candidate.Status.values, 0)
    for s in document.candidates.values_list("status", flat=True):
        counts[s] += 1
    return render(request, "imports/queue.html", {
        "document": document, "plan": document.plan, "org": document.plan.organisation, "rows": own,
        "context_rows": others, "foreign_owners": services.foreign_owners(document),
        "own_pending": sum(1 for r in own if r["c"].status == Candidate.Status.PENDING),
        "counts": counts, "status": wanted, "statuses": Candidate.Status.choices,
        "can_decide": document.plan.is_current and permissions.can_edit(request.user, document.plan),
    })


def _candidate(request: HttpRequest, document_id: int, candidate_id: int) -> tuple[SourceDocument, Candidate]:
    document = _document(request, document_id)
    candidate = get_object_or_404(Candidate, pk=candidate_id, document=document)
    candidate.document = document
    if not permissions.can_edit(request.user, document.plan):
        raise PermissionDenied(_("You may not change this organisation's data."))
    return document, candidate


@login_required
def decide(request: HttpRequest, document_id: int, candidate_id: int) -> HttpResponse:
    """GET: the edit-then-accept form. POST: accept (with the form's values) or reject."""
    document, candidate = _candidate(request, document_id, candidate_id)
    form_class: Any = TargetEditForm if candidate.kind == Candidate.Kind.TARGET else CommitmentEditForm
    start = services.proposal(candidate)
    if "sdgs" in start:
        start["sdgs"] = ", ".join(str(g) for g in start["sdgs"])
    status = 200
    if request.method == "POST":
        version = int(request.POST.get("version") or 0)
        form = form_class(request.POST)
        status = 422
        try:
            if request.POST.get("decision") == "reject":
                services.reject(request.user, candidate, version)
                messages.success(request, _("Rejected."))
                return redirect("imports:queue", document.pk)
            if request.POST.get("decision") == "accept" and "kind" not in request.POST and "title" not in request.POST:
                services.accept(request.user, candidate, version)  # accepted as proposed, from the queue
                messages.success(request, _("Accepted."))
                return redirect("imports:queue", document.pk)
            if form.is_valid():
                edits = {k: v for k, v in form.cleaned_data.items() if k != "version"}
                edits = {k: v for k, v in edits.items() if v != start.get(k) or k == "sdgs"}
                services.accept(request.user, candidate, version, **edits)
                messages.success(request, _("Accepted with your changes."))
                return redirect("imports:queue", document.pk)
        except StaleEditError as exc:
            form.add_error(None, str(exc))
            status = 409
        except InvalidInputError as exc:
            for path, message in exc.problems.items():
                form.add_error(path if path in form.fields else None, message)
        except NotAllowedError as exc:
            raise PermissionDenied(str(exc)) from None
    else:
        form = form_class(initial={**start, "version": candidate.version})
    return render(request, "imports/decide.html", {
        "document": document, "plan": document.plan, "org": document.plan.organisation, "c": candidate,
        "context": services.in_context(candidate, document.text), "form": form,
    }, status=status)


def quote(request: HttpRequest, document_id: int, start: int, end: int) -> HttpResponse:
    """A candidate's quote (or one of its mentions) in its context, never an arbitrary span.

    Readers of the plan see the quotes of the accepted candidates (the sources of the plan's
    targets and actions); its members, who may read the review queue, every candidate's."""
    document = get_object_or_404(SourceDocument.objects.select_related("plan", "plan__organisation"),
                                 pk=document_id)
    if not permissions.can_view(request.user, document):
        raise Http404
    if not 0 <= start < end <= len(document.text) or not _is_quote(request, document, start, end):
        raise Http404
    pages.use_organisation_language(request, document.plan.organisation)
    probe = Candidate(start=start, end=end)
    return render(request, "imports/quote.html", {
        "document": document, "plan": document.plan, "org": document.plan.organisation,
        "context": services.in_context(probe, document.text, width=1200),
    })


def _is_quote(request: HttpRequest, document: SourceDocument, start: int, end: int) -> bool:
    candidates = Candidate.objects.filter(document=document)
    if not permissions.can_view_history(request.user, document.plan):
        candidates = candidates.filter(status=Candidate.Status.ACCEPTED)
    if candidates.filter(start=start, end=end).exists():
        return True
    return any(int(m.get("start", -1)) == start and int(m.get("end", -1)) == end
               for found in candidates.filter(kind=Candidate.Kind.TARGET).values_list("found", flat=True)
               for m in (found.get("mentions") or []) if isinstance(m, dict))


@login_required
@require_POST
def accept_all(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    try:
        accepted, skipped = services.accept_all(request.user, document)
    except NotAllowedError as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(request, _("Accepted %(n)s candidates as proposed.") % {"n": accepted})
    for s in skipped:
        messages.warning(request, s)
    return redirect("imports:queue", document.pk)


@login_required
@require_POST
def draft_plan(request: HttpRequest, document_id: int) -> HttpResponse:
    """Create a draft plan from the document, then show the plan check of the result."""
    document = _document(request, document_id)
    try:  # a refused permission is answered by ErrorResponseMiddleware (403)
        made = services.create_draft_plan(request.user, document)
    except InvalidInputError as exc:
        messages.error(request, str(exc))
        return redirect("imports:queue", document.pk)
    messages.success(request, _("Draft plan: %(targets)s targets and %(actions)s actions created; every assumed "
                                "number is marked “assumption - needs review” until an editor confirms it.")
                     % {"targets": made["targets"], "actions": made["actions"]})
    for s in made["skipped"]:
        messages.warning(request, s)
    return redirect("monitoring:check", document.plan.pk)
