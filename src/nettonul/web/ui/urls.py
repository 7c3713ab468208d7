from django.urls import path

from nettonul.web.ui import views

app_name = "ui"

urlpatterns = [
    path("ping/", views.ping, name="ping"),
    path("organisations/<int:org_id>/inventory.csv", views.inventory_csv, name="inventory_csv"),
    path("organisations/<int:org_id>/pathway.csv", views.pathway_csv, name="pathway_csv"),
    path("plans/<int:plan_id>/editor/", views.editor, name="editor"),
    path("plans/<int:plan_id>/scenario.csv", views.scenario_csv, name="scenario_csv"),
    path("plans/<int:plan_id>/actions/<int:action_id>/preview/", views.action_preview, name="action_preview"),
    path("plans/<int:plan_id>/actions/<int:action_id>/save/", views.action_save, name="action_save"),
]
