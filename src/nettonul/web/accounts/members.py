"""The members page of an organisation: its administrators give and take roles and choose
who may publish an inventory (the organisation's publishing rule)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from nettonul.web.errors import InvalidInputError, StaleEditError
from nettonul.web.organisations import permissions
from nettonul.web.organisations import services as org_services
from nettonul.web.organisations.models import Membership, Organisation


@login_required
def members(request: HttpRequest, org_id: int) -> HttpResponse:
    org = get_object_or_404(Organisation, pk=org_id)
    if not permissions.can_view_history(request.user, org):  # members only
        raise Http404
    can_manage = permissions.can_administer(request.user, org)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if "publishing" in request.POST:
            try:
                org_services.update_organisation(request.user, org, int(request.POST.get("version", 0)),
                                                 publishing=request.POST["publishing"])
            except (InvalidInputError, StaleEditError) as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Publishing rule saved."))
            return redirect("public:members", org.pk)
        user = get_user_model().objects.filter(username=request.POST.get("username", "").strip()).first()
        if user is None:
            messages.error(request, _("No user with that name."))
        else:
            try:
                if request.POST.get("role") == "remove":
                    org_services.remove_member(request.user, org, user)
                else:
                    org_services.set_role(request.user, org, user, request.POST.get("role", ""))
            except (InvalidInputError, StaleEditError) as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Roles saved."))
        return redirect("public:members", org.pk)
    return render(request, "accounts/members.html", {
        "org": org, "can_manage": can_manage, "roles": Membership.Role.choices,
        "publishing_rules": Organisation.Publishing.choices,
        "members": org.memberships.select_related("user").order_by("user__username"),
    })
