from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from countyworks.supervision.models import (
    AssessmentBonus,
    AssessmentScheme,
    Evidence,
    Instruction,
    LightSnapshot,
    Notice,
    Notification,
    ProgressReport,
    Reminder,
    SupervisionSettings,
)


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


@admin.register(SupervisionSettings)
class SupervisionSettingsAdmin(admin.ModelAdmin):
    """The thresholds of the traffic lights; a blank field falls back to settings.py."""


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by `countyworks supervise`; shown for inspection only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LightSnapshot)
class LightSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("item", "on_date", "light", "progress", "expected")
    list_filter = ("light", "on_date")


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("item", "kind", "created_at")
    list_filter = ("kind",)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("user", "title", "created_at", "read_at")


# issue 19: the assessment scheme (考核细则) the administrator edits, and the office's bonuses
@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(SimpleHistoryAdmin):
    """A version that scored a finished month is read-only and cannot be deleted: a new version
    changes the rules from its day on, and published rankings stay as they were."""

    list_display = ("plan", "valid_from", "note")
    list_filter = ("plan",)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.reaches_a_finished_month():
            return ("plan", "valid_from", "rules", "kind_weights", "floor", "note")
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.reaches_a_finished_month():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(AssessmentBonus)
class AssessmentBonusAdmin(SimpleHistoryAdmin):
    list_display = ("plan", "unit", "rule", "points", "reason", "awarded_on")
    list_filter = ("plan", "rule")
    raw_id_fields = ("unit", "entered_by")
