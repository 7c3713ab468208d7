"""Strategy pages: commitments by theme and SDG with status counts, the value compass
(values x commitments, with a table view), the plan's themes and values, and a commitment's
theme and value links. Every write goes through :mod:`nettonul.web.strategy.services`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nettonul.web import pages
from nettonul.web.errors import InvalidInputError, NotAllowedError, StaleEditError
from nettonul.web.organisations import permissions
from nettonul.web.plans.models import Action, Plan
from nettonul.web.strategy import services
from nettonul.web.strategy.models import Theme


class ThemeForm(forms.Form):
    taxonomy = forms.ChoiceField(label=gettext_lazy("taxonomy"), choices=Theme.Taxonomy.choices)
    name = forms.CharField(label=gettext_lazy("name"), max_length=200)
    description = forms.CharField(label=gettext_lazy("description"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}))


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = pages.get_visible(request, Plan, plan_id, ("organisation",))
    pages.use_organisation_language(request, plan.organisation)
    return plan


def strategy(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    return render(request, "strategy/detail.html", {
        "plan": plan, "org": plan.organisation, "o": services.overview(plan),
        "can_edit": plan.is_current and permissions.can_edit(request.user, plan),
    })


def compass(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    return render(request, "strategy/compass.html", {"plan": plan, "org": plan.organisation,
                                                     "o": services.overview(plan)})


@login_required
def themes(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    if not permissions.can_edit(request.user, plan):
        raise PermissionDenied(_("You may not change this organisation's data."))
    form = ThemeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.add_theme(request.user, plan, **form.cleaned_data,
                                   position=Theme.objects.filter(plan=plan).count())
            except InvalidInputError as exc:
                for path, message in exc.problems.items():
                    form.add_error(path if path in form.fields else None, message)
            except NotAllowedError as exc:
                raise PermissionDenied(str(exc)) from None
            else:
                messages.success(request, _("Saved."))
                return redirect("strategy:themes", plan.pk)
    return render(request, "strategy/themes.html", {
        "plan": plan, "org": plan.organisation, "form": form, "themes": Theme.objects.filter(plan=plan),
    }, status=status)


@login_required
@require_POST
def theme_delete(request: HttpRequest, plan_id: int, theme_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    theme = Theme.objects.filter(pk=theme_id, plan=plan).first()
    if theme is None:
        raise Http404
    theme.plan = plan
    try:
        services.delete_theme(request.user, theme, int(request.POST.get("version") or 0))
    except NotAllowedError as exc:
        raise PermissionDenied(str(exc)) from None
    except StaleEditError as exc:
        messages.error(request, str(exc))
    return redirect("strategy:themes", plan.pk)


@login_required
def links(request: HttpRequest, plan_id: int, action_id: int) -> HttpResponse:
    """Which themes and values a commitment serves (check boxes)."""
    plan = _plan(request, plan_id)
    action = Action.objects.filter(pk=action_id, plan=plan).first()
    if action is None:
        raise Http404
    action.plan = plan
    if not permissions.can_edit(request.user, plan):
        raise PermissionDenied(_("You may not change this organisation's data."))
    all_themes = list(Theme.objects.filter(plan=plan))
    chosen = set(action.theme_links.values_list("theme_id", flat=True))
    status, error = 200, ""
    if request.method == "POST":
        try:
            ids = [int(i) for i in request.POST.getlist("themes")]
            services.set_links(request.user, action, int(request.POST.get("version") or 0), ids)
        except (ValueError, InvalidInputError) as exc:
            status, error = 422, str(exc)
        except StaleEditError as exc:
            status, error = 409, str(exc)
        except NotAllowedError as exc:
            raise PermissionDenied(str(exc)) from None
        else:
            messages.success(request, _("Saved."))
            return redirect("strategy:detail", plan.pk)
    return render(request, "strategy/links.html", {
        "plan": plan, "org": plan.organisation, "action": action, "themes": all_themes, "chosen": chosen,
        "error": error,
    }, status=status)


@login_required
@require_POST
def suggest(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    try:
        n = services.link_suggestions(request.user, plan)
    except NotAllowedError as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(request, _("%(n)s commitments were filed under suggested themes and values; "
                                "check and confirm them.") % {"n": n})
    return redirect("strategy:detail", plan.pk)
