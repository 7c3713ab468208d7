from django.urls import path

from nettonul.web.imports import views

app_name = "imports"

urlpatterns = [
    path("plan/<int:plan_id>/upload/", views.upload, name="upload"),
    path("<int:document_id>/", views.queue, name="queue"),
    path("<int:document_id>/accept-all/", views.accept_all, name="accept_all"),
    path("<int:document_id>/draft-plan/", views.draft_plan, name="draft_plan"),
    path("<int:document_id>/candidates/<int:candidate_id>/", views.decide, name="decide"),
    path("<int:document_id>/quote/<int:start>-<int:end>/", views.quote, name="quote"),
]
