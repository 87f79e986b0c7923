from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from countyworks.indicators.models import Indicator, Observation, Target


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ("name", "unit", "direction", "area", "headline")
    search_fields = ("name", "code")


@admin.register(Observation)
class ObservationAdmin(SimpleHistoryAdmin):
    list_display = ("indicator", "region", "organisation", "year", "value_kind", "value", "unit", "qualifier")
    list_filter = ("value_kind", "qualifier", "year", "doubtful")
    raw_id_fields = ("indicator", "region", "organisation", "citation")


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ("indicator", "region", "year", "value", "unit", "qualifier")
    raw_id_fields = ("indicator", "region", "organisation", "citation")
