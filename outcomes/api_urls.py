"""Outcome-measure endpoints, included under /api/v1/ in the "api" namespace."""

from outcomes import api

urlpatterns = [*api.urlpatterns]
