"""Matching endpoints, included under /api/v1/ in the "api" namespace."""

from matching import api_people, api_staff

urlpatterns = [*api_staff.urlpatterns, *api_people.urlpatterns]
