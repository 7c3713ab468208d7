"""The site's pages (names in the ``public`` namespace: ``public:overview``,
``public:dashboard``) and the dashboard downloads under ``/ui/`` (``ui:ping``,
``ui:inventory_csv``, ``ui:pathway_csv``) and the change history pages under
``/history/`` (``audit:object``). The namespaces are older than the apps and stay,
since templates and links name them; :mod:`nettonul.web.config.urls` puts each together."""

from django.urls import path

from nettonul.web.site import history, rollup, views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("organisations/<int:org_id>/", views.dashboard, name="dashboard"),
    path("rollup/", rollup.rollup, name="rollup"),
    path("rollup/optimum/", rollup.national_optimum, name="national_optimum"),
    path("rollup/plans/<int:plan_id>/optimum/", rollup.plan_optimum, name="plan_optimum"),
]

download_urlpatterns = [
    path("ping/", views.ping, name="ping"),
    path("rollup.csv", rollup.rollup_csv, name="rollup_csv"),
    path("rollup.xlsx", rollup.rollup_csv, {"kind": "xlsx"}, name="rollup_xlsx"),
    path("organisations/<int:org_id>/inventory.csv", views.inventory_csv, name="inventory_csv"),
    path("organisations/<int:org_id>/pathway.csv", views.pathway_csv, name="pathway_csv"),
    path("organisations/<int:org_id>/inventory.xlsx", views.inventory_csv, {"kind": "xlsx"}, name="inventory_xlsx"),
    path("organisations/<int:org_id>/pathway.xlsx", views.pathway_csv, {"kind": "xlsx"}, name="pathway_xlsx"),
]

history_urlpatterns = [
    path("<str:kind>/<int:object_id>/", history.object_history, name="object"),
]
