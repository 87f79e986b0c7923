from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from countyworks.sources.models import Citation, Document


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "publisher", "published_on", "region")
    list_filter = ("kind",)
    search_fields = ("title", "publisher", "author")
    raw_id_fields = ("region",)


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ("document", "start", "end", "section", "quote")
    search_fields = ("quote", "section")
    raw_id_fields = ("document",)
