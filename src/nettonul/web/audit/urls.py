from django.urls import path

from nettonul.web.audit import views

app_name = "audit"

urlpatterns = [
    path("<str:kind>/<int:object_id>/", views.object_history, name="object"),
]
