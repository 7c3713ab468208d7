"""Plan pages: a plan with its targets and actions, edit forms (through the services, with
the version check), new plan versions, and the action library search across all plans."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from nettonul.web import charts, pages
from nettonul.web.engine import problems, scenarios
from nettonul.web.engine.inventories import sector_names
from nettonul.web.engine.library import peer_families
from nettonul.web.errors import InvalidInputError, NotAllowedError, StaleEditError, form_write
from nettonul.web.organisations import permissions
from nettonul.web.organisations.models import Organisation
from nettonul.web.plans import services
from nettonul.web.plans.effect_forms import EFFECT_KIND_LABELS
from nettonul.web.plans.forms import ActionForm, PlanForm, SearchForm, TargetForm
from nettonul.web.plans.models import Action, Plan, Target

#: Monte Carlo draws behind the uncertainty band on a plan page (a few tenths of a second).
SIMULATION_DRAWS = 1000


def _require_edit(request: HttpRequest, obj: Any) -> None:
    """Refuse unless the user may edit ``obj`` (an organisation or a plan); words the answer,
    and the messages of the write that follows, in the organisation's language."""
    pages.use_organisation_language(request, obj if isinstance(obj, Organisation) else obj.organisation)
    if not permissions.can_edit(request.user, obj):
        raise PermissionDenied(_("You may not change this organisation's data."))


def _changes(form: Any) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.fields}


def _plan_form(request: HttpRequest, org: Organisation, *args: Any, **kwargs: Any) -> PlanForm:
    """The plan form; publishing is for the organisation's administrators only, so editors
    do not see the box at all."""
    form = PlanForm(*args, **kwargs)
    if not permissions.can_administer(request.user, org):
        del form.fields["published"]
    return form


# ----------------------------------------------------------------------------- plans
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = pages.get_visible(request, Plan, plan_id, ("organisation",))
    pages.use_organisation_language(request, plan.organisation)
    versions = [p for p in services.plan_versions(plan) if permissions.can_view(request.user, p)]
    targets, actions = list(plan.targets.all()), list(plan.actions.all())
    words = scenarios.plan_words(plan, targets, actions, translation.get_language() or "en")
    for t in targets:
        t.label = words["targets"].get(t.pk) or str(t)
    for a in actions:
        a.sector_name = words["sectors"].get(a.sector, a.sector)
        kind = (a.effect or {}).get("type", "")
        a.kind_label = EFFECT_KIND_LABELS.get(kind, kind)
    computed = scenarios.plan_scenario(plan, targets, actions, draws=SIMULATION_DRAWS)
    computed["problems"] = [problems.error(p) for p in computed["problems"]]
    return render(request, "plans/detail.html", {
        "plan": plan, "org": plan.organisation, "targets": targets, "actions": actions, "versions": versions,
        "computed": scenarios.worded_scenario(computed, words["labels"]),
        "can_edit": plan.is_current and permissions.can_edit(request.user, plan),
        "can_view_history": permissions.can_view_history(request.user, plan),
        "can_retire": not plan.is_current and permissions.can_administer(request.user, plan.organisation),
    })


@require_safe
def costs_download(request: HttpRequest, plan_id: int, which: str, fmt: str) -> HttpResponse:
    """The plan's MACC (``which="macc"``) or cost by year (``"cost-by-year"``) as CSV or Excel:
    the numbers of the charts on the plan page."""
    if fmt not in ("csv", "xlsx") or which not in ("macc", "cost-by-year"):
        raise Http404
    plan = pages.get_visible(request, Plan, plan_id, ("organisation",))
    pages.use_organisation_language(request, plan.organisation)
    targets, actions = list(plan.targets.all()), list(plan.actions.all())
    words = scenarios.plan_words(plan, targets, actions, translation.get_language() or "en")
    scenario = scenarios.worded_scenario(scenarios.plan_scenario(plan, targets, actions), words["labels"])["scenario"]
    chart = None
    if scenario:
        chart = charts.macc_chart(scenario) if which == "macc" else charts.cost_by_year_chart(scenario)
    if chart is None:
        raise Http404
    name = f"{plan.organisation.code}-{plan.title}-{which}"
    if fmt == "xlsx":
        return charts.xlsx_response(chart, name)
    return charts.csv_response(chart, name, translation.get_language())


@login_required
def plan_create(request: HttpRequest, org_id: int) -> HttpResponse:
    org = pages.get_visible(request, Organisation, org_id)
    _require_edit(request, org)
    form = _plan_form(request, org, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        plan, status = form_write(form, lambda: services.create_plan(request.user, org, **_changes(form)))
        if plan is not None:
            messages.success(request, _("Plan created."))
            return redirect("plans:detail", plan.pk)
    return render(request, "plans/form.html", {"form": form, "org": org, "title": _("New plan")}, status=status)


@login_required
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = pages.get_visible(request, Plan, plan_id, ("organisation",))
    _require_edit(request, plan)
    if request.method == "POST":
        form = _plan_form(request, plan.organisation, request.POST)
        status = 422
        if form.is_valid():
            saved, status = form_write(form, lambda: services.update_plan(
                request.user, plan, form.cleaned_data["version"] or 0, **_changes(form)))
            if saved is not None:
                messages.success(request, _("Plan saved."))
                return redirect("plans:detail", plan.pk)
    else:
        form, status = _plan_form(request, plan.organisation, instance=plan, initial={"version": plan.version}), 200
    return render(request, "plans/form.html", {"form": form, "plan": plan, "org": plan.organisation,
                                               "title": _("Edit plan")}, status=status)


@login_required
@require_POST
def plan_revise(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = pages.get_visible(request, Plan, plan_id, ("organisation",))
    _require_edit(request, plan)
    try:
        new = services.revise_plan(request.user, plan, int(request.POST.get("version", 0)))
    except (StaleEditError, NotAllowedError) as exc:
        messages.error(request, str(exc))
        return redirect("plans:detail", plan.pk)
    messages.success(request, _("Version %(n)s created; version %(old)s is kept unchanged.")
                     % {"n": new.revision, "old": plan.revision})
    return redirect("plans:detail", new.pk)


@login_required
@require_POST
def plan_retire(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Unpublish or archive a superseded version (administrators of the organisation)."""
    plan = pages.get_visible(request, Plan, plan_id, ("organisation",))
    if not permissions.can_administer(request.user, plan.organisation):
        raise PermissionDenied(_("Only an administrator of the organisation may do this."))
    archive = request.POST.get("archive") == "1"
    try:
        services.retire_version(request.user, plan, int(request.POST.get("version") or 0),
                                unpublish=not archive or request.POST.get("unpublish") == "1", archive=archive)
    except (StaleEditError, NotAllowedError, InvalidInputError) as exc:
        messages.error(request, str(exc))
        return redirect("plans:detail", plan.pk)
    messages.success(request, _("Version %(n)s archived.") % {"n": plan.revision} if archive
                     else _("Version %(n)s is no longer published.") % {"n": plan.revision})
    return redirect("plans:detail", plan.pk)


# ----------------------------------------------------------------------------- targets and actions
def _part(request: HttpRequest, model: type[Target] | type[Action], plan: Plan, pk: int | None) -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk, plan=plan).first()
    if obj is None:
        raise Http404
    obj.plan = plan  # already loaded with its organisation
    return obj


def _edit_part(request: HttpRequest, plan_id: int, pk: int | None, model: Any, form_class: Any,
               add: Any, update: Any, label: str) -> HttpResponse:
    plan = pages.get_visible(request, Plan, plan_id, ("organisation",))
    _require_edit(request, plan)
    obj = _part(request, model, plan, pk)
    if request.method == "POST":
        form = form_class(request.POST)
        status = 422
        if form.is_valid():
            if obj is None:
                saved, status = form_write(form, lambda: add(request.user, plan, **_changes(form)))
            else:
                saved, status = form_write(form, lambda: update(
                    request.user, obj, form.cleaned_data["version"] or 0, **_changes(form)))
            if saved is not None:
                messages.success(request, _("%(what)s saved.") % {"what": label})
                return redirect("plans:detail", plan.pk)
    else:
        form = form_class(instance=obj, initial={"version": obj.version} if obj else {})
        status = 200
    return render(request, "plans/part_form.html", {
        "form": form, "plan": plan, "org": plan.organisation, "obj": obj, "label": label,
    }, status=status)


@login_required
def target_edit(request: HttpRequest, plan_id: int, target_id: int | None = None) -> HttpResponse:
    return _edit_part(request, plan_id, target_id, Target, TargetForm, services.add_target, services.update_target,
                      _("Target"))


@login_required
def action_edit(request: HttpRequest, plan_id: int, action_id: int | None = None) -> HttpResponse:
    """A new or changed action in plain fields (:class:`~nettonul.web.plans.forms.ActionForm`)."""
    plan = pages.get_visible(request, Plan, plan_id, ("organisation",))
    pages.use_organisation_language(request, plan.organisation)
    _require_edit(request, plan)
    action = _part(request, Action, plan, action_id)
    options = {"action": action, "framework": plan.framework, "language": pages.language(request)}
    status = 200
    if request.method == "POST":
        form = ActionForm(request.POST, **options)
        status = 422
        if form.is_valid():
            if action is None:
                saved, status = form_write(form, lambda: services.add_action(request.user, plan, **form.changes()))
            else:
                saved, status = form_write(form, lambda: services.update_action(
                    request.user, action, form.cleaned_data["version"] or 0, **form.changes()))
            if saved is not None:
                messages.success(request, _("Action “%(title)s” saved.") % {"title": saved.title})
                return redirect("plans:detail", plan.pk)
    else:
        form = ActionForm(**options)
    return render(request, "plans/action_form.html", {
        "form": form, "plan": plan, "org": plan.organisation, "obj": action, "label": _("Action"),
    }, status=status)


def _delete_part(request: HttpRequest, plan_id: int, pk: int, model: Any, delete: Any) -> HttpResponse:
    plan = pages.get_visible(request, Plan, plan_id, ("organisation",))
    _require_edit(request, plan)
    obj = _part(request, model, plan, pk)
    if request.method != "POST":
        # The confirmation step: nothing is deleted until the user answers yes.
        what = obj.title if isinstance(obj, Action) else (getattr(obj, "label", None) or _target_label(plan, obj))
        title = _("Delete the action") if isinstance(obj, Action) else _("Delete the target")
        return render(request, "plans/confirm_delete.html",
                      {"plan": plan, "org": plan.organisation, "obj": obj, "what": what, "title": title})
    try:
        delete(request.user, obj, int(request.POST.get("version", 0)))
        messages.success(request, _("Deleted."))
    except (StaleEditError, NotAllowedError) as exc:
        messages.error(request, str(exc))
    return redirect("plans:detail", plan.pk)


def _target_label(plan: Plan, target: Target) -> str:
    words = scenarios.plan_words(plan, [target], [], translation.get_language() or "en")
    return words["targets"].get(target.pk) or str(target)


@login_required
@require_http_methods(["GET", "POST"])
def target_delete(request: HttpRequest, plan_id: int, target_id: int) -> HttpResponse:
    return _delete_part(request, plan_id, target_id, Target, services.delete_target)


@login_required
@require_http_methods(["GET", "POST"])
def action_delete(request: HttpRequest, plan_id: int, action_id: int) -> HttpResponse:
    return _delete_part(request, plan_id, action_id, Action, services.delete_action)


@login_required
@require_POST
def action_confirm(request: HttpRequest, plan_id: int, action_id: int) -> HttpResponse:
    """Confirm one assumed field of an action ("assumption - needs review")."""
    plan = pages.get_visible(request, Plan, plan_id, ("organisation",))
    _require_edit(request, plan)
    obj = _part(request, Action, plan, action_id)
    try:
        services.confirm_assumption(request.user, obj, int(request.POST.get("version", 0)),
                                    str(request.POST.get("path", "")))
        messages.success(request, _("Confirmed: %(path)s") % {"path": request.POST.get("path", "")})
    except (StaleEditError, NotAllowedError, InvalidInputError) as exc:
        messages.error(request, str(exc))
    return redirect("plans:action_edit", plan.pk, obj.pk)


# ----------------------------------------------------------------------------- search
def search(request: HttpRequest) -> HttpResponse:
    """The action library: every readable plan's actions matching all words of the query."""
    form = SearchForm(request.GET or None)
    page = None
    query = ""
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        page = Paginator(services.search_actions(request.user, query), 50).get_page(request.GET.get("page"))
    rural = request.GET.get("rural") == "1"
    families, compared = peer_families(services.published_current(), match=services.text_matcher(query),
                                       agriculture_above=RURAL_SHARE if rural else None)
    return render(request, "plans/search.html", {
        "form": form, "page": page, "query": query, "rural": rural, "rural_percent": round(RURAL_SHARE * 100),
        "families": [_family_row(f) for f in families], "compared": compared})


#: "Agriculture above 30 % of the latest inventory": the rural municipalities of the filter.
RURAL_SHARE = 0.30


def _family_row(f: Any) -> dict[str, Any]:
    """One family of the peer table in the reader's language."""
    language = (get_language() or "en")[:2]
    names = sector_names("dk-municipal", [f.sector], language)
    moved = f.family.split(" / ", 2)[2] if f.family.count(" / ") >= 2 else ""
    return {"sector": names.get(f.sector, f.sector), "kind": EFFECT_KIND_LABELS.get(f.kind, f.kind),
            "moved": moved.replace("_", " ").replace("->", "→"), "plans": f.plans,
            "size": f.size, "share": f.size_unit == "share", "size_unit": f.size_unit, "cost": f.cost_per_t,
            "reduction": f.reduction_total_t, "users": f.users}
