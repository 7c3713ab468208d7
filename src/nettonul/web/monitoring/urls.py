from django.urls import path

from nettonul.web.monitoring import public_views, views

app_name = "monitoring"

urlpatterns = [
    path("p/<str:code>/", public_views.dashboard, name="public"),
    path("monitoring/plans/<int:plan_id>/check/", views.plan_check, name="check"),
    path("monitoring/plans/<int:plan_id>/sections/", views.sections_edit, name="sections"),
    path("monitoring/plans/<int:plan_id>/", views.plan_monitoring, name="plan"),
    path("monitoring/plans/<int:plan_id>/emissions.csv", views.emissions_csv, name="emissions_csv"),
    path("monitoring/plans/<int:plan_id>/emissions.xlsx", views.emissions_csv, {"kind": "xlsx"},
         name="emissions_xlsx"),
    path("monitoring/plans/<int:plan_id>/indicators/new/", views.indicator_edit, name="indicator_create"),
    path("monitoring/plans/<int:plan_id>/indicators/<int:indicator_id>/", views.indicator_edit,
         name="indicator_edit"),
    path("monitoring/plans/<int:plan_id>/indicators/<int:indicator_id>/observations/new/", views.observation_add,
         name="observation_create"),
    path("monitoring/plans/<int:plan_id>/updates/new/", views.update_add, name="update_create"),
    path("monitoring/plans/<int:plan_id>/<str:kind>/<int:pk>/delete/", views.record_delete, name="delete"),
    path("monitoring/plans/<int:plan_id>/reports/", views.plan_reports, name="reports"),
    path("monitoring/plans/<int:plan_id>/reports/issue/", views.report_issue, name="report_issue"),
    path("monitoring/reports/<int:report_id>/<str:kind>/", views.report_download, name="report_download"),
    path("monitoring/organisations/<int:org_id>/settings/", views.settings_edit, name="settings"),
]
