"""URLs of the indicator screens, under /indicators/."""

from django.urls import path

from countyworks.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("<int:pk>/", views.indicator_detail, name="detail"),
]
