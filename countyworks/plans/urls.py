"""URLs of the plans screens (the Excel import has its own prefix, plans/import/)."""

from django.urls import path

from countyworks.plans import views

app_name = "plans"
urlpatterns = [
    path("ledger/", views.ledger, name="ledger"),
    path("tree/", views.plan_tree, name="tree"),
    path("items/new/", views.item_new, name="item_new"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
]
