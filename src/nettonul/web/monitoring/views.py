"""Pages of the plan check, monitoring and yearly reports. Views fetch rows, call the
services (every write) and :func:`services.plan_state` (every figure, from the engine), and
choose what to show; nothing is computed here."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nettonul.web import charts, pages
from nettonul.web.errors import NotAllowedError, StaleEditError, form_write
from nettonul.web.monitoring import fixlinks, labels, reporting, services
from nettonul.web.monitoring.capf_forms import VersionForm
from nettonul.web.monitoring.capf_sections import SECTIONS
from nettonul.web.monitoring.forms import (
    IndicatorForm,
    IssueReportForm,
    ObservationForm,
    ProgressUpdateForm,
    SectionsForm,
    SettingsForm,
    sections_text,
)
from nettonul.web.monitoring.models import Indicator, Observation, ProgressUpdate, ReportSnapshot
from nettonul.web.organisations import permissions
from nettonul.web.organisations.models import Organisation
from nettonul.web.plans.models import Plan


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    plan: Plan = pages.get_visible(request, Plan, plan_id, ("organisation",))
    pages.use_organisation_language(request, plan.organisation)
    return plan


def _require_edit(request: HttpRequest, obj: Any) -> None:
    if not permissions.can_edit(request.user, obj):
        raise PermissionDenied(_("You may not change this organisation's data."))


def _context(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    state = services.plan_state(plan)
    lang = labels.language_of(pages.language(request))
    inputs = state["inputs"]
    return {"plan": plan, "org": plan.organisation, "state": state, "inputs": inputs, "lang": lang,
            "can_edit": plan.is_current and permissions.can_edit(request.user, plan),
            "check": inputs["check"][lang] if inputs else None}


# ----------------------------------------------------------------------------- check
def plan_check(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The DK2020/CAPF checklist: criterion by criterion with evidence and the fix."""
    plan = _plan(request, plan_id)
    ctx = _context(request, plan)
    if ctx["check"]:
        ctx["rows"] = labels.check_rows(ctx["check"])
        if ctx["can_edit"]:
            actions = {key: (pk, title) for key, pk, title in plan.actions.values_list("key", "pk", "title")}
            for row in ctx["rows"]:
                row["links"] = fixlinks.links(row, plan, actions) if row["result"] != "pass" else []
        ctx["verdict"] = labels.VERDICT[ctx["check"]["verdict"]]
        ctx["na_count"] = ctx["check"]["counts"]["n.a."]
    return render(request, "monitoring/check.html", ctx)


@login_required
def sections_index(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The CAPF sections start with their first page; the YAML text posted here (as before
    the forms) is still read, by the "Advanced" page."""
    if request.method == "POST":
        return sections_edit(request, plan_id)
    return redirect("monitoring:section", plan_id, next(iter(SECTIONS)))


@login_required
def section_edit(request: HttpRequest, plan_id: int, section: str) -> HttpResponse:
    """One CAPF section as a form (:mod:`nettonul.web.monitoring.capf_forms`), saved
    version-checked and audited with the rest of the sections document."""
    page = SECTIONS.get(section)
    if page is None:
        raise Http404
    plan = _plan(request, plan_id)
    _require_edit(request, plan)
    row, data = services.sections_for(plan)
    options = {"framework": plan.framework, "language": pages.language(request)}
    status = 200
    if request.method == "POST":
        main, sets = page.bind(data, request.POST, **options)
        version = VersionForm(request.POST)
        status = 422
        if version.is_valid() and (main is None or main.is_valid()) and all(s.is_valid() for s in sets.values()):
            expected = version.cleaned_data["version"]
            saved, status = form_write(version, lambda: services.save_sections(
                request.user, plan, page.apply(data, main, sets), expected))
            if saved is not None:
                messages.success(request, _("%(section)s saved.") % {"section": page.title})
                return redirect("monitoring:section", plan.pk, page.slug)
    else:
        main, sets = page.bind(data, **options)
        version = VersionForm(initial={"version": row.version if row else None})
    return render(request, "monitoring/section_form.html", {
        "plan": plan, "org": plan.organisation, "row": row, "page": page, "form": main, "formsets": sets,
        "version_form": version, "sections": SECTIONS.values(), "inherited": row is None and bool(data),
        "orphans": _orphan_details(plan, data),
    }, status=status)


def _orphan_details(plan: Plan, data: dict[str, Any]) -> list[str]:
    """Action details of actions the plan no longer has (deleted or renamed since): the engine
    refuses them, so no section can be saved until they are removed under "Advanced"."""
    keys = set(plan.actions.values_list("key", flat=True))
    return sorted(k for k, d in (data.get("action_details") or {}).items()
                  if k not in keys and not ((d or {}).get("title") and (d or {}).get("sector")))


def sections_yaml(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The CAPF sections in force as a YAML file (the keys of a plan file), for export."""
    plan = _plan(request, plan_id)
    _row, data = services.sections_for(plan)
    response = HttpResponse(sections_text(data), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.organisation.code}-capf-sections.yaml"'
    return response


@login_required
def sections_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The CAPF sections as one YAML text, for power users (import and export of all of them)."""
    plan = _plan(request, plan_id)
    _require_edit(request, plan)
    row, data = services.sections_for(plan)
    status = 200
    if request.method == "POST":
        form = SectionsForm(request.POST)
        status = 422
        if form.is_valid():
            saved, status = form_write(form, lambda: services.save_sections(
                request.user, plan, form.cleaned_data["text"], form.cleaned_data["version"]))
            if saved is not None:
                messages.success(request, _("CAPF sections saved."))
                return redirect("monitoring:check", plan.pk)
    else:
        form = SectionsForm(initial={"text": sections_text(data), "version": row.version if row else None})
    return render(request, "monitoring/sections_form.html", {"form": form, "plan": plan, "org": plan.organisation,
                                                             "row": row, "inherited": row is None and bool(data)},
                  status=status)


# ----------------------------------------------------------------------------- monitoring
def plan_monitoring(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Derived statuses of actions and indicators, and emissions against the path."""
    plan = _plan(request, plan_id)
    ctx = _context(request, plan)
    inputs = ctx["inputs"]
    if inputs:
        actions = labels.action_rows(inputs)
        indicators = labels.indicator_rows(inputs)
        ctx.update({
            "actions": actions, "indicators": indicators,
            "late": [a for a in actions if a.get("late")], "stale": [a for a in actions if a.get("stale")],
            "off_track": [i for i in indicators if i["state"] == "off_track"],
            "outlook": inputs["outlook"],
            "emissions_chart": labels.emissions_chart(inputs, reverse("monitoring:emissions_csv", args=[plan.pk])),
            "outlook_label": labels.STATE.get((inputs["outlook"] or {}).get("state", ""), ""),
        })
    ctx.update({
        "indicator_list": list(Indicator.objects.filter(plan__lineage=plan.lineage).prefetch_related("observations")),
        "updates": list(ProgressUpdate.objects.filter(plan__lineage=plan.lineage).order_by("-date", "-id")[:50]),
        "settings": services.settings_for(plan.organisation),
    })
    return render(request, "monitoring/monitoring.html", ctx)


def emissions_csv(request: HttpRequest, plan_id: int, kind: str = "csv") -> HttpResponse:
    """The monitoring chart's numbers as CSV or Excel (with the ``estimated`` column)."""
    plan = _plan(request, plan_id)
    inputs = services.plan_state(plan)["inputs"]
    if not inputs:
        raise Http404
    return charts.chart_download(labels.emissions_chart(inputs), f"{plan.organisation.code}-{plan.title}-emissions",
                                 kind, pages.language(request))


@login_required
def settings_edit(request: HttpRequest, org_id: int) -> HttpResponse:
    org = pages.get_visible(request, Organisation, org_id)
    _require_edit(request, org)
    row = services.settings_for(org)
    status = 200
    if request.method == "POST":
        form = SettingsForm(request.POST)
        status = 422
        if form.is_valid():
            fields = {k: form.cleaned_data[k] for k in SettingsForm.Meta.fields}
            saved, status = form_write(form, lambda: services.save_settings(
                request.user, org, form.cleaned_data["version"], **fields))
            if saved is not None:
                messages.success(request, _("Monitoring settings saved."))
                return redirect(pages.next_url(request, "public:overview"))
    else:
        form = SettingsForm(instance=row, initial={"version": row.version if row else None})
    from nettonul.web.engine.monitoring import engine_defaults

    return render(request, "monitoring/settings_form.html", {"form": form, "org": org, "row": row,
                                                             "defaults": engine_defaults()}, status=status)


def _indicator(plan: Plan, indicator_id: int) -> Indicator:
    """An indicator of any version of ``plan`` (indicators follow a plan across its versions)."""
    found = Indicator.objects.filter(pk=indicator_id, plan__lineage=plan.lineage).select_related(
        "plan__organisation").first()
    if found is None:
        raise Http404
    return found


@login_required
def indicator_edit(request: HttpRequest, plan_id: int, indicator_id: int | None = None) -> HttpResponse:
    plan = _plan(request, plan_id)
    _require_edit(request, plan)
    obj = None if indicator_id is None else _indicator(plan, indicator_id)
    status = 200
    if request.method == "POST":
        form = IndicatorForm(request.POST)
        status = 422
        if form.is_valid():
            fields = form.changes()
            if obj is None:
                saved, status = form_write(form, lambda: services.add_indicator(request.user, plan, **fields))
            else:
                saved, status = form_write(form, lambda: services.update_indicator(
                    request.user, obj, form.cleaned_data["version"] or 0, **fields))
            if saved is not None:
                messages.success(request, _("Indicator saved."))
                return redirect("monitoring:plan", plan.pk)
    else:
        form = IndicatorForm(instance=obj, initial={"version": obj.version} if obj else {})
    return render(request, "monitoring/indicator_form.html", {"form": form, "plan": plan, "org": plan.organisation,
                                                              "title": _("Indicator")}, status=status)


@login_required
def observation_add(request: HttpRequest, plan_id: int, indicator_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    _require_edit(request, plan)
    indicator = _indicator(plan, indicator_id)
    status = 200
    if request.method == "POST":
        form = ObservationForm(request.POST)
        status = 422
        if form.is_valid():
            fields = {k: form.cleaned_data[k] for k in ObservationForm.Meta.fields}
            saved, status = form_write(form, lambda: services.add_observation(request.user, indicator, **fields))
            if saved is not None:
                messages.success(request, _("Observation recorded."))
                return redirect("monitoring:plan", plan.pk)
    else:
        form = ObservationForm(initial={"date": timezone.localdate()})
    return render(request, "monitoring/form.html", {"form": form, "plan": plan, "org": plan.organisation,
                                                    "title": _("Observation of %(name)s (%(unit)s)")
                                                    % {"name": indicator.name, "unit": indicator.unit}},
                  status=status)


@login_required
def update_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    _require_edit(request, plan)
    actions = services.action_keys(plan)
    status = 200
    if request.method == "POST":
        form = ProgressUpdateForm(request.POST, actions=actions)
        status = 422
        if form.is_valid():
            fields = {k: form.cleaned_data[k] for k in ProgressUpdateForm.Meta.fields}
            saved, status = form_write(form, lambda: services.add_progress_update(request.user, plan, **fields))
            if saved is not None:
                messages.success(request, _("Progress update recorded."))
                return redirect("monitoring:plan", plan.pk)
    else:
        form = ProgressUpdateForm(actions=actions, initial={"date": timezone.localdate(),
                                                            "action_key": request.GET.get("action", "")})
    return render(request, "monitoring/form.html", {"form": form, "plan": plan, "org": plan.organisation,
                                                    "title": _("Progress update")}, status=status)


@login_required
@require_POST
def record_delete(request: HttpRequest, plan_id: int, kind: str, pk: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    _require_edit(request, plan)
    known: dict[str, tuple[Any, Any]] = {"indicator": (Indicator, services.delete_indicator),
                                         "observation": (Observation, services.delete_observation),
                                         "update": (ProgressUpdate, services.delete_progress_update)}
    if kind not in known:
        raise Http404
    model, delete = known[kind]
    where = {"indicator__plan__lineage": plan.lineage} if model is Observation else {"plan__lineage": plan.lineage}
    obj = model.objects.filter(pk=pk, **where).first()
    if obj is None:
        raise Http404
    try:
        delete(request.user, obj, int(request.POST.get("version", 0)))
        messages.success(request, _("Deleted."))
    except (StaleEditError, NotAllowedError) as exc:
        messages.error(request, str(exc))
    return redirect("monitoring:plan", plan.pk)


# ----------------------------------------------------------------------------- reports
def plan_reports(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    can_edit = permissions.can_edit(request.user, plan)
    today = timezone.localdate()
    form = IssueReportForm(initial={"year": today.year - 1 if today.month < 7 else today.year,
                                    "language": labels.language_of(pages.language(request))})
    return render(request, "monitoring/reports.html", {
        "plan": plan, "org": plan.organisation, "reports": list(reporting.reports_of(plan)), "form": form,
        "can_edit": can_edit})


@login_required
@require_POST
def report_issue(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    _require_edit(request, plan)
    form = IssueReportForm(request.POST)
    if form.is_valid():
        report, status = form_write(form, lambda: reporting.issue_report(
            request.user, plan, form.cleaned_data["year"], form.cleaned_data["language"]))
        if report is not None:
            messages.success(request, _("Report issued (digest %(d)s).") % {"d": report.digest[:12]})
            return redirect("monitoring:reports", plan.pk)
    else:
        status = 422
    return render(request, "monitoring/reports.html", {
        "plan": plan, "org": plan.organisation, "reports": list(reporting.reports_of(plan)), "form": form,
        "can_edit": True}, status=status)


def report_download(request: HttpRequest, report_id: int, kind: str) -> HttpResponse:
    report: ReportSnapshot = pages.get_visible(request, ReportSnapshot, report_id, ("plan",))
    name = f"nettonul-report-{report.organisation_id}-{report.year}-{report.language}-{report.digest[:8]}"
    if kind == "pdf":
        response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    elif kind == "xlsx":
        response = HttpResponse(bytes(report.excel), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    elif kind == "json":
        response = HttpResponse(reporting.verify(report).to_json(), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    else:
        raise Http404
    return response
