from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from countyworks.supervision.models import Evidence, Instruction, Notice, ProgressReport


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ("item", "period", "progress", "state", "unit", "submitted_at")
    list_filter = ("state", "illustrative")
    raw_id_fields = ("item", "unit", "submitted_by", "reviewed_by")
    inlines = [EvidenceInline]


@admin.register(Notice)
class NoticeAdmin(SimpleHistoryAdmin):
    list_display = ("number", "item", "unit", "deadline", "state")
    list_filter = ("state", "automatic")
    raw_id_fields = ("item", "unit", "issued_by", "answered_by", "closed_by")


@admin.register(Instruction)
class InstructionAdmin(SimpleHistoryAdmin):
    list_display = ("item", "author", "created_at")
    raw_id_fields = ("item", "author")
