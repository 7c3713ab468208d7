from django.contrib.auth import views as auth_views
from django.urls import path

from nettonul.web.public import views

app_name = "public"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("organisations/<int:org_id>/", views.dashboard, name="dashboard"),
    path("login/", auth_views.LoginView.as_view(template_name="public/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
