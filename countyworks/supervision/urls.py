"""URLs of the supervision screens."""

from django.urls import path

from countyworks.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("items/<int:item_pk>/report/", views.report_new, name="report_new"),
    path("items/<int:item_pk>/notices/new/", views.notice_new, name="notice_new"),
    path("items/<int:item_pk>/instructions/", views.instruction_add, name="instruction_add"),
    path("reports/<int:pk>/resubmit/", views.report_resubmit, name="report_resubmit"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
]
