"""URLs of the plans screens, mounted at /plans/ (the Excel import has its own prefix, plans/import/,
and the ledger, item page and plan tree under the same /plans/ are supervision's `ledger:` URLs)."""

from django.urls import path

from countyworks.plans import views

app_name = "plans"
urlpatterns = [
    path("items/new/", views.item_new, name="item_new"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
]
