"""URLs of the indicator screens, under /indicators/."""

from django.urls import path

from countyworks.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("<int:pk>/", views.indicator_detail, name="detail"),
    path("figures/new/", views.observation_new, name="observation_new"),
    path("figures/<int:pk>/edit/", views.observation_edit, name="observation_edit"),
    path("figures/<int:pk>/delete/", views.observation_delete, name="observation_delete"),
    path("targets/new/", views.target_new, name="target_new"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/template.xlsx", views.import_template, name="import_template"),
]
