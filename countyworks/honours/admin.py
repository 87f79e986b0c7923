from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from countyworks.honours.models import Honour


@admin.register(Honour)
class HonourAdmin(SimpleHistoryAdmin):
    list_display = ("title", "level", "holder_region", "holder_organisation", "year")
    list_filter = ("level", "year")
    search_fields = ("title",)
    raw_id_fields = ("holder_region", "holder_organisation", "citation")
