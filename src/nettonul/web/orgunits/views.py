"""Unit pages: the tree with the footprint rolled up (scope 2 location- and market-based side
by side, intensity per FTE and per m2), one unit's footprint by scope and category, the
footprint upload, the peer comparison, and a unit's facts. Numbers come from the engine
through :mod:`nettonul.web.engine.footprints`; views only choose what to show."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nettonul.engine import EngineError
from nettonul.engine import ValidationError as EngineValidationError
from nettonul.web import pages
from nettonul.web.engine import footprints
from nettonul.web.engine.vocabulary import SUMMARY
from nettonul.web.errors import InvalidInputError, StaleEditError
from nettonul.web.organisations import permissions
from nettonul.web.organisations.models import Membership, Organisation
from nettonul.web.orgunits import services
from nettonul.web.orgunits.models import PeerTable, UnitProfile
from nettonul.web.plans.models import Action
from nettonul.web.uploads import upload_bytes

SUMMARY_LABELS = {
    "scope1": gettext_lazy("Scope 1"), "scope2_location": gettext_lazy("Scope 2, location-based"),
    "scope2_market": gettext_lazy("Scope 2, market-based"), "scope3": gettext_lazy("Scope 3"),
    "total_location": gettext_lazy("Total with location-based scope 2"),
    "total_market": gettext_lazy("Total with market-based scope 2"),
}


class FootprintUploadForm(forms.Form):
    activities = forms.FileField(label=gettext_lazy("Activity data (CSV or Excel)"))
    factors = forms.FileField(label=gettext_lazy("Emission-factor table (CSV or Excel)"), required=False,
                              help_text=gettext_lazy("Optional when the tree's other data already has the factors."))
    publish = forms.BooleanField(label=gettext_lazy("Publish"), required=False)


class PeerUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Peer footprints (CSV or Excel)"))
    publish = forms.BooleanField(label=gettext_lazy("Publish"), required=False)


class ProfileForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = UnitProfile
        fields = ["city", "employees", "floor_area_m2", "note"]


def _unit(request: HttpRequest, org_id: int) -> Organisation:
    org = pages.get_visible(request, Organisation, org_id, ("unit_profile",))
    pages.use_organisation_language(request, org)
    return org


def _footprint(request: HttpRequest, org: Organisation) -> dict[str, Any]:
    """The tree's footprint from the data the user may read (a unit's unpublished upload is
    replaced by its last published one for readers who may not see it), else why not."""
    try:
        tree, result, data = services.tree_footprint(org, request.user)
    except EngineValidationError as exc:
        return {"problems": [str(p) for p in exc.problems]}
    except EngineError as exc:
        return {"problems": [str(exc)]}
    if result is None and footprints.current_data(tree):
        return {"tree": tree, "hidden": True}
    return {"tree": tree, "result": result, "data": data}


def index(request: HttpRequest) -> HttpResponse:
    """Organisations kept as unit trees (ministries, agencies) and the strategies the user may read."""
    from nettonul.web.plans.services import visible_plans

    roots = Organisation.objects.filter(parent__isnull=True, unit_profile__isnull=False).order_by("name")
    strategies = visible_plans(request.user).filter(kind="strategy", is_current=True).order_by("title")
    return render(request, "orgunits/index.html", {"roots": roots, "strategies": strategies})


def tree_page(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _unit(request, org_id)
    fp = _footprint(request, org)
    ctx: dict[str, Any] = {"org": org, "fp": fp, "labels": SUMMARY_LABELS, "summary_keys": SUMMARY,
                           "can_edit": permissions.can_edit(request.user, org)}
    result = fp.get("result")
    if result is not None:
        years = [int(y) for y in result.years]
        try:
            year = int(request.GET.get("year") or years[-1])
            index = result.year_index(year)
        except (ValueError, EngineError):
            year, index = years[-1], len(years) - 1
        year = years[index]
        uid = fp["tree"].uid_of(org)
        ctx.update(
            year=year, years=years, rows=footprints.unit_rows(result, fp["tree"], year, org),
            scopes=[(SUMMARY_LABELS[k], v) for k, v in result.by_scope(year, uid).items()],
            categories=sorted(result.by_category(year, uid).items(), key=lambda kv: -kv[1]),
            warnings=result.warnings(), sources=result.sources(), rf=result.radiative_forcing(),
            illustrative=result.illustrative,
        )
    if fp.get("tree") is not None:
        statuses, progress = footprints.commitment_progress(fp["tree"], request.user, org)
        ctx.update(progress=progress, progress_statuses=[Action.Status(s).label for s in statuses])
    if fp.get("tree") is not None and permissions.can_administer(request.user, org):
        ctx["holders"] = footprints.role_holders(fp["tree"], org)
    role = permissions.roles(request.user).get(org.pk)
    ctx["my_role"] = Membership.Role(role).label if role else None
    return render(request, "orgunits/tree.html", ctx)


@login_required
def upload(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _unit(request, org_id)
    if not permissions.can_edit(request.user, org):
        raise PermissionDenied(_("You may not change this organisation's data."))
    form = FootprintUploadForm(request.POST or None, request.FILES or None)
    report: dict[str, Any] | None = None
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            acts = form.cleaned_data["activities"]
            facs = form.cleaned_data["factors"]
            try:
                acts_data, acts_name = upload_bytes(acts, "activities.csv")
                facs_data, facs_name = upload_bytes(facs, "factors.csv") if facs else (b"", "")
                services.upload_footprint(request.user, org, (acts_name, acts_data),
                                          (facs_name, facs_data) if facs else None,
                                          publish=form.cleaned_data["publish"])
            except EngineValidationError as exc:
                report = {"summary": str(exc).splitlines()[0], "problems": exc.problems}
            except (InvalidInputError, EngineError) as exc:
                report = {"summary": _("The file was rejected; nothing was imported."), "messages": [str(exc)]}
            else:
                messages.success(request, _("Footprint data imported."))
                return redirect("orgunits:tree", org.pk)
    return render(request, "orgunits/upload.html", {"org": org, "form": form, "report": report}, status=status)


def peers(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _unit(request, org_id)
    basis = "location" if request.GET.get("basis") == "location" else "market"
    tables = [t for t in PeerTable.objects.filter(organisation=org, is_current=True)
              if permissions.can_view(request.user, t)]
    fp = _footprint(request, org)
    comparison, problem = None, ""
    if tables or fp.get("result") is not None:
        try:
            comparison = footprints.peers(fp.get("result"), fp.get("tree"), org, tables, basis=basis)
        except EngineError as exc:
            problem = str(exc)
    form = PeerUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        # A refusal is answered 403 by the error middleware (nettonul.web.errors).
        permissions.require_edit(request.user, org)
        status = 422
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                data, name = upload_bytes(upload, "peers.csv")
                services.upload_peers(request.user, org, name, data,
                                      publish=form.cleaned_data["publish"])
            except EngineValidationError as exc:
                problem = "; ".join(str(p) for p in exc.problems)
            except InvalidInputError as exc:
                problem = str(exc)
            else:
                messages.success(request, _("Peer footprints imported."))
                return redirect("orgunits:peers", org.pk)
    return render(request, "orgunits/peers.html", {
        "org": org, "comparison": comparison, "rows": comparison.rows() if comparison else [],
        "basis": basis, "problem": problem, "form": form, "can_edit": permissions.can_edit(request.user, org),
    }, status=status)


@login_required
def edit(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _unit(request, org_id)
    profile = UnitProfile.objects.filter(organisation=org).first()
    if profile is None:
        raise PermissionDenied(_("You may not change this organisation's data."))
    # A refusal is answered 403 by the error middleware (nettonul.web.errors).
    permissions.require_edit(request.user, org)
    profile.organisation = org
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST)
        status = 422
        if form.is_valid():
            changes = {k: form.cleaned_data[k] for k in ProfileForm.Meta.fields}
            try:
                services.update_profile(request.user, profile, form.cleaned_data["version"], **changes)
            except StaleEditError as exc:
                form.add_error(None, str(exc))
                status = 409
            except InvalidInputError as exc:
                for path, message in exc.problems.items():
                    form.add_error(path if path in form.fields else None, message)
            else:
                messages.success(request, _("Saved."))
                return redirect("orgunits:tree", org.pk)
    else:
        form = ProfileForm(instance=profile, initial={"version": profile.version})
    return render(request, "orgunits/edit.html", {"org": org, "form": form}, status=status)
