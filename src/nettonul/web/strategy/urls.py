from django.urls import path

from nettonul.web.strategy import views

app_name = "strategy"

urlpatterns = [
    path("<int:plan_id>/", views.strategy, name="detail"),
    path("<int:plan_id>/compass/", views.compass, name="compass"),
    path("<int:plan_id>/themes/", views.themes, name="themes"),
    path("<int:plan_id>/themes/<int:theme_id>/delete/", views.theme_delete, name="theme_delete"),
    path("<int:plan_id>/suggest/", views.suggest, name="suggest"),
    path("<int:plan_id>/commitments/<int:action_id>/themes/", views.links, name="links"),
]
