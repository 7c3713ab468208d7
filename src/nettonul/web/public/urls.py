from django.contrib.auth import views as auth_views
from django.urls import path

from nettonul.web.public import account, members, views

app_name = "public"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("organisations/<int:org_id>/", views.dashboard, name="dashboard"),
    path("organisations/<int:org_id>/members/", members.members, name="members"),
    path("login/", auth_views.LoginView.as_view(template_name="public/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", account.account, name="account"),
    path("account/tokens/", account.token_create, name="token_create"),
    path("account/tokens/<int:token_id>/revoke/", account.token_revoke, name="token_revoke"),
]
