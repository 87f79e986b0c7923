from django.urls import path

from countyworks.notify import views

app_name = "notify"

urlpatterns = [
    path("channels/", views.channel_list, name="channels"),
    path("channels/<int:pk>/", views.channel_edit, name="channel_edit"),
]
