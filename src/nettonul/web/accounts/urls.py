"""Login, logout, the account page with API tokens, and an organisation's members, in the
``public`` namespace (``public:login``, ``public:account``, ...) that is older than this
app; :mod:`nettonul.web.config.urls` puts it together with the site's pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from nettonul.web.accounts import account, members

urlpatterns = [
    path("organisations/<int:org_id>/members/", members.members, name="members"),
    path("login/", account.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", account.account, name="account"),
    path("account/password/", account.PasswordChangeView.as_view(), name="password_change"),
    path("account/tokens/", account.token_create, name="token_create"),
    path("account/tokens/<int:token_id>/rotate/", account.token_rotate, name="token_rotate"),
    path("account/tokens/<int:token_id>/revoke/", account.token_revoke, name="token_revoke"),
]
