from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from countyworks.regions.models import Organisation, Person, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "region", "reports_need_head_approval")
    list_filter = ("kind", "reports_need_head_approval")
    search_fields = ("name", "short_name")
    raw_id_fields = ("region", "parent", "citation")


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("name", "title", "organisation", "is_county_leader")
    list_filter = ("is_county_leader",)
    search_fields = ("name", "title")
    raw_id_fields = ("region", "organisation")
