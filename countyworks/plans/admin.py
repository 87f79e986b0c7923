from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from countyworks.plans.models import Milestone, Plan, PlanNode, WorkItem


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ("title", "year", "region", "status", "published")
    list_filter = ("year", "status", "published")
    raw_id_fields = ("region", "citation")


@admin.register(PlanNode)
class PlanNodeAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "plan", "kind", "parent", "weight")
    list_filter = ("kind",)
    raw_id_fields = ("plan", "parent", "citation")


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(WorkItem)
class WorkItemAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "lead_unit", "due_date", "progress", "status", "published")
    list_filter = ("kind", "status", "published", "illustrative")
    search_fields = ("title", "description")
    raw_id_fields = ("plan", "node", "lead_leader", "lead_unit", "citation")
    filter_horizontal = ("co_units",)
    inlines = [MilestoneInline]

    def get_queryset(self, request):
        return WorkItem.all_objects.select_related("lead_unit")
