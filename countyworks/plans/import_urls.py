"""URLs of the task-table import screen, mounted at /plans/import/."""

from django.urls import path

from countyworks.plans import import_views

app_name = "plans_import"
urlpatterns = [
    path("", import_views.upload, name="upload"),
    path("confirm/", import_views.confirm, name="confirm"),
    path("template.xlsx", import_views.template_workbook, name="template"),
]
