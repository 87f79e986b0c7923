"""`/api/v1/`: the REST API (schema at openapi.json, interactive docs at docs)."""

from countyworks.api.api import api

app_name = "api"
urlpatterns = list(api.urls[0])
