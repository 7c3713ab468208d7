from django.urls import path

from nettonul.web.plans import editor, views

app_name = "plans"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("new/<int:org_id>/", views.plan_create, name="create"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:plan_id>/edit/", views.plan_edit, name="edit"),
    path("<int:plan_id>/costs/<str:which>.<str:fmt>", views.costs_download, name="costs_download"),
    path("<int:plan_id>/revise/", views.plan_revise, name="revise"),
    path("<int:plan_id>/retire/", views.plan_retire, name="retire"),
    path("<int:plan_id>/targets/new/", views.target_edit, name="target_create"),
    path("<int:plan_id>/targets/<int:target_id>/", views.target_edit, name="target_edit"),
    path("<int:plan_id>/targets/<int:target_id>/delete/", views.target_delete, name="target_delete"),
    path("<int:plan_id>/actions/new/", views.action_edit, name="action_create"),
    path("<int:plan_id>/actions/<int:action_id>/", views.action_edit, name="action_edit"),
    path("<int:plan_id>/actions/<int:action_id>/delete/", views.action_delete, name="action_delete"),
    path("<int:plan_id>/actions/<int:action_id>/confirm/", views.action_confirm, name="action_confirm"),
]

#: The plan editor, under ``/ui/`` in the ``ui`` namespace (``ui:editor``, ...), which is older
#: than the move of the editor into this app; :mod:`nettonul.web.config.urls` mounts it.
editor_urlpatterns = [
    path("plans/<int:plan_id>/editor/", editor.editor, name="editor"),
    path("plans/<int:plan_id>/scenario.csv", editor.scenario_csv, name="scenario_csv"),
    path("plans/<int:plan_id>/scenario.xlsx", editor.scenario_csv, {"kind": "xlsx"}, name="scenario_xlsx"),
    path("plans/<int:plan_id>/actions/<int:action_id>/preview/", editor.action_preview, name="action_preview"),
    path("plans/<int:plan_id>/actions/<int:action_id>/save/", editor.action_save, name="action_save"),
]
