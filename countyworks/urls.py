"""Root URL map: one prefix per domain app."""

from django.contrib import admin
from django.urls import include, path

from countyworks.core import views as core_views
from countyworks.supervision import landing_views

urlpatterns = [
    path("", landing_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("countyworks.accounts.urls")),
    path("admin/", admin.site.urls),
    path("plans/import/", include("countyworks.plans.import_urls")),
    path("plans/", include("countyworks.plans.urls")),
    # The ledger, the item page and the plan tree: supervision's screens, at their old addresses.
    path("plans/", include("countyworks.supervision.ledger_urls")),
    path("supervision/", include("countyworks.supervision.urls")),
    path("indicators/", include("countyworks.indicators.urls")),
    path("reading/", include("countyworks.reading.urls")),
    path("reports/", include("countyworks.reports.urls")),
    path("portal/", include("countyworks.portal.urls")),
    path("notify/", include("countyworks.notify.urls")),
    path("api/v1/", include("countyworks.api.urls")),
]
