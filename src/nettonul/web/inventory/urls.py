from django.urls import path

from nettonul.web.inventory import views

app_name = "inventory"

urlpatterns = [
    path("upload/<int:org_id>/", views.upload, name="upload"),
    path("<int:inventory_id>/", views.detail, name="detail"),
    path("<int:inventory_id>/publish/", views.publish, name="publish"),
    path("<int:inventory_id>/discard/", views.discard, name="discard"),
    path("<int:inventory_id>/restore/", views.restore, name="restore"),
]
