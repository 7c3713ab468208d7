"""The plan editor: typed effect forms with the scenario chart, its htmx live recompute
(preview without saving, and save through the plan services with the version check) and
the chart's CSV download. Served under ``/ui/plans/...`` with the URL names ``ui:editor``,
``ui:scenario_csv``, ``ui:action_preview`` and ``ui:action_save``."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nettonul.web import charts, pages
from nettonul.web.engine import plans, scenarios
from nettonul.web.errors import InvalidInputError, StaleEditError
from nettonul.web.organisations import permissions
from nettonul.web.plans import services as plan_services
from nettonul.web.plans.effect_forms import EffectForm
from nettonul.web.plans.models import Action, Plan


# ----------------------------------------------------------------------------- plan editor
def scenario_csv(request: HttpRequest, plan_id: int, kind: str = "csv") -> HttpResponse:
    """The plan editor's chart (this plan, saved state) as CSV or Excel, in the page's language."""
    plan = pages.get_visible(request, Plan, plan_id, ("organisation",))
    pages.use_organisation_language(request, plan.organisation)
    chart, _error = _editor_chart(request, plan, None)
    if chart is None:
        raise Http404
    return charts.chart_download(chart, f"{plan.organisation.code}-{plan.title}-scenario", kind,
                                 pages.language(request))


def _editor_chart(request: HttpRequest, plan: Plan, actions: list[Action] | None) -> tuple[charts.Chart | None, Any]:
    data = scenarios.dashboard(request, plan.organisation, plan)
    if data.pathway is None:
        return None, data.error or _("This organisation has no inventory you can see.")
    figures = scenarios.plan_figures(plan, actions)
    chart = charts.pathway_chart(data.pathway, figures.scenario, figures.band,
                                 csv_url=reverse("ui:scenario_csv", args=[plan.pk]), chart_id="scenario")
    return chart, figures.error


def _forms(plan: Plan, actions: list[Action], language: str, editable: bool) -> list[dict[str, Any]]:
    out = []
    for a in actions:
        form = EffectForm(initial=EffectForm.initial_for(a), framework=plan.framework, language=language,
                          prefix=f"a{a.pk}")
        out.append({"action": a, "form": form, "editable": editable})
    return out


def editor(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan editor: the scenario chart and one typed effect form per action."""
    plan = pages.get_visible(request, Plan, plan_id, ("organisation",))
    pages.use_organisation_language(request, plan.organisation)
    editable = plan.is_current and permissions.can_edit(request.user, plan)
    actions = list(plan.actions.all())
    chart, error = _editor_chart(request, plan, actions)
    return render(request, "plans/editor.html", {
        "plan": plan, "org": plan.organisation, "chart": chart, "chart_error": error, "editable": editable,
        "items": _forms(plan, actions, pages.language(request), editable),
    })


def _editing(request: HttpRequest, plan_id: int, action_id: int) -> tuple[Plan, Action, EffectForm]:
    plan = pages.get_visible(request, Plan, plan_id, ("organisation",))
    pages.use_organisation_language(request, plan.organisation)
    if not permissions.can_edit(request.user, plan):
        raise PermissionDenied(_("You may not change this organisation's data."))
    action = Action.objects.filter(pk=action_id, plan=plan).first()
    if action is None:
        raise Http404
    action.plan = plan
    form = EffectForm(request.POST, framework=plan.framework, language=pages.language(request), prefix=f"a{action.pk}")
    return plan, action, form


def _fragment(request: HttpRequest, plan: Plan, action: Action, form: EffectForm, chart: Any, error: Any,
              note: str, status_text: str = "") -> HttpResponse:
    """The chart region, and the action's form swapped out of band (errors, new version)."""
    html = render_to_string("plans/editor_chart.html", {"chart": chart, "chart_error": error, "note": note},
                            request=request)
    html += render_to_string("plans/effect_form.html", {"item": {"action": action, "form": form, "editable": True},
                                                     "plan": plan, "oob": True, "status_text": status_text},
                             request=request)
    return HttpResponse(html)


@login_required
@require_POST
def action_preview(request: HttpRequest, plan_id: int, action_id: int) -> HttpResponse:
    """Recompute the chart with the edited effect, without saving anything."""
    plan, action, form = _editing(request, plan_id, action_id)
    actions = list(plan.actions.all())
    if form.is_valid():
        edited = copy.copy(action)
        for name, value in form.changes().items():
            setattr(edited, name, value)
        problems = plans.action_problems(edited)
        if problems:
            form.add_problems(problems)
        else:
            actions = [edited if a.pk == action.pk else a for a in actions]
            chart, error = _editor_chart(request, plan, actions)
            return _fragment(request, plan, action, form, chart, error,
                             _("Preview with your change to “%(title)s”; not saved yet.") % {"title": action.title})
    chart, error = _editor_chart(request, plan, actions)
    return _fragment(request, plan, action, form, chart, error, _("Your change has problems; the chart shows the "
                                                                   "saved plan."))


@login_required
@require_POST
def action_save(request: HttpRequest, plan_id: int, action_id: int) -> HttpResponse:
    """Save the effect through the plan services (role and version checked, change recorded)."""
    plan, action, form = _editing(request, plan_id, action_id)
    status_text = ""
    if form.is_valid():
        try:
            action = plan_services.update_action(request.user, action, form.cleaned_data["version"], **form.changes())
        except StaleEditError as exc:
            form.add_error(None, str(exc))
        except InvalidInputError as exc:
            form.add_problems(exc.problems)
        else:
            status_text = _("Saved.")
            if not request.headers.get("HX-Request"):
                messages.success(request, _("%(what)s saved.") % {"what": action.title})
                return redirect("ui:editor", plan.pk)
            form = EffectForm(initial=EffectForm.initial_for(action), framework=plan.framework,
                              language=pages.language(request), prefix=f"a{action.pk}")
    if not request.headers.get("HX-Request"):
        actions = list(plan.actions.all())
        chart, error = _editor_chart(request, plan, actions)
        items = [{"action": a, "form": form if a.pk == action.pk else
                  EffectForm(initial=EffectForm.initial_for(a), framework=plan.framework,
                             language=pages.language(request), prefix=f"a{a.pk}"), "editable": True}
                 for a in actions]
        return render(request, "plans/editor.html", {"plan": plan, "org": plan.organisation, "chart": chart,
                                                  "chart_error": error, "editable": True, "items": items},
                      status=422)
    chart, error = _editor_chart(request, plan, None)
    return _fragment(request, plan, action, form, chart, error, "", status_text)

