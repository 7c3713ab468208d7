"""The account page: the user's roles and personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nettonul.web.api import services as tokens
from nettonul.web.api.models import ApiToken
from nettonul.web.organisations.models import Membership


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html", {
        "memberships": Membership.objects.filter(user=request.user).select_related("organisation"),
        "tokens": ApiToken.objects.filter(user=request.user, revoked=False),
        "new_token": request.session.pop("new_token", None),
    })


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    _token, secret = tokens.create_token(request.user, request.POST.get("name", "").strip()[:100] or "token")
    # Shown once on the next page, then forgotten: only its hash is stored.
    request.session["new_token"] = secret
    return redirect("public:account")


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:
        raise Http404
    tokens.revoke_token(request.user, token)
    messages.success(request, _("Token revoked."))
    return redirect("public:account")
