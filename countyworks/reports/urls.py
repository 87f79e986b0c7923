"""URLs of the reports app, included at /reports/."""

from django.urls import path

from countyworks.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("review/", views.review_from_form, name="review_form"),
    path("review/<str:code>/<int:year>/", views.review, name="review"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("ledger/<str:code>/<int:year>.xlsx", views.ledger, name="ledger"),
    path("jobs/<int:job_id>/", views.job, name="job"),
    path("jobs/<int:job_id>/download", views.job_download, name="job_download"),
]
