"""The public portal: regions with published data, a region's page, its livelihood commitments, a
published item's page, public evidence files."""

from django.urls import path, re_path

from countyworks.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("evidence/<uuid:token>/", views.evidence, name="evidence"),
    re_path(r"^(?P<code>\d{6,12})/$", views.region_page, name="region"),
    re_path(r"^(?P<code>\d{6,12})/livelihood/$", views.livelihood_page, name="livelihood"),
    path("items/<int:pk>/", views.item_page, name="item"),
]
