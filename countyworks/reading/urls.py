"""URLs of the reading screens, under /reading/."""

from django.urls import path

from countyworks.reading import views

app_name = "reading"
urlpatterns = [
    path("", views.documents, name="documents"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/review/", views.review, name="review"),
    path("drafts/<int:pk>/", views.decide, name="decide"),
    path("consistency/<str:region_code>/<int:year>/", views.consistency, name="consistency"),
]
