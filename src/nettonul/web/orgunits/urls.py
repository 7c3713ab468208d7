from django.urls import path

from nettonul.web.orgunits import views

app_name = "orgunits"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:org_id>/", views.tree_page, name="tree"),
    path("<int:org_id>/footprint/upload/", views.upload, name="upload"),
    path("<int:org_id>/peers/", views.peers, name="peers"),
    path("<int:org_id>/edit/", views.edit, name="edit"),
]
