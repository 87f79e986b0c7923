"""URLs of the ledger, the item page and the plan tree, mounted at /plans/ where they have always been."""

from django.urls import path

from countyworks.supervision import ledger_views, roundtrip_views

app_name = "ledger"
urlpatterns = [
    path("ledger/", ledger_views.ledger, name="list"),
    path("tree/", ledger_views.plan_tree, name="tree"),
    path("items/<int:pk>/", ledger_views.item_detail, name="item"),
    # issue 19: the Excel round trip of the ledger
    path("ledger/round-trip/", roundtrip_views.upload, name="roundtrip"),
    path("ledger/round-trip/confirm/", roundtrip_views.confirm, name="roundtrip_confirm"),
]
