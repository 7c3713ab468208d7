from django.urls import path

from nettonul.web.inventory import views

app_name = "inventory"

urlpatterns = [
    path("upload/<int:org_id>/", views.upload, name="upload"),
    path("<int:inventory_id>/", views.detail, name="detail"),
    path("<int:inventory_id>/publish/", views.publish, name="publish"),
    path("<int:inventory_id>/discard/", views.discard, name="discard"),
    path("<int:inventory_id>/restore/", views.restore, name="restore"),
    path("<int:inventory_id>/file/", views.original_file, name="original"),
    path("<int:inventory_id>/records.csv", views.records_download, {"kind": "csv"}, name="records_csv"),
    path("<int:inventory_id>/records.xlsx", views.records_download, {"kind": "xlsx"}, name="records_xlsx"),
    path("template/<int:org_id>.csv", views.template, {"kind": "csv"}, name="template_csv"),
    path("template/<int:org_id>.xlsx", views.template, {"kind": "xlsx"}, name="template_xlsx"),
]
