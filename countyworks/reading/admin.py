from django.contrib import admin

from countyworks.reading.models import DraftRecord


@admin.register(DraftRecord)
class DraftRecordAdmin(admin.ModelAdmin):
    list_display = ("document", "text", "kind", "state", "decided_by", "decided_at")
    list_filter = ("kind", "state")
    search_fields = ("text", "document__title")
    raw_id_fields = ("document", "decided_by")
    # Decisions go through the review screen (services.accept_draft), which writes the record and citation.
    readonly_fields = ("state", "decided_by", "decided_at", "created_type", "created_id")
