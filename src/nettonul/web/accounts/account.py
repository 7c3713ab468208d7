"""The account page: the user's roles, personal API tokens (with their expiry and last use,
to create, rotate and revoke) and the password change."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from nettonul.web import pages
from nettonul.web.api import services as tokens
from nettonul.web.api.models import ApiToken
from nettonul.web.organisations.models import Membership


class LoginView(auth_views.LoginView):
    """Django's login, whose ``next`` goes through the site's one check (:func:`pages.next_url`).

    Without a ``next`` a member lands on her organisation's dashboard, or with roles in several
    on her account page, which lists them; anyone else on the national overview."""

    template_name = "accounts/login.html"

    def get_success_url(self) -> str:
        return pages.next_url(self.request, self.get_default_redirect_url())

    def get_default_redirect_url(self) -> str:
        orgs = list(Membership.objects.filter(user=self.request.user)
                    .values_list("organisation_id", flat=True).distinct().order_by()[:2])
        if len(orgs) == 1:
            return reverse("public:dashboard", args=[orgs[0]])
        if orgs:
            return reverse("public:account")
        return str(super().get_default_redirect_url())


class PasswordChangeView(auth_views.PasswordChangeView):
    """A new password, checked by every validator in ``AUTH_PASSWORD_VALIDATORS``."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("public:account")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Password changed."))
        return response


@login_required
@require_safe
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html", {
        "memberships": Membership.objects.filter(user=request.user).select_related("organisation"),
        "tokens": ApiToken.objects.filter(user=request.user, revoked=False),
        "token_days": settings.API_TOKEN_DAYS,
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


@login_required
@require_POST
def token_rotate(request: HttpRequest, token_id: int) -> HttpResponse:
    """A new secret for a token (same name, a fresh validity period); the old one stops working."""
    token = ApiToken.objects.filter(pk=token_id, user=request.user, revoked=False).first()
    if token is None:
        raise Http404
    _token, secret = tokens.rotate_token(request.user, token)
    request.session["new_token"] = secret
    messages.success(request, _("Token rotated: the old secret no longer works."))
    return redirect("public:account")
