from django.contrib import admin

from countyworks.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "state", "attempts", "max_attempts", "run_after", "worker", "finished_at")
    list_filter = ("state", "name")
    search_fields = ("unique_key", "last_error")
    readonly_fields = [f.name for f in Job._meta.fields]
