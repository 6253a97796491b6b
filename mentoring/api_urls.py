"""Mentoring endpoints, included under /api/v1/ in the "api" namespace."""

from mentoring import api_ending, api_hub, api_sessions, api_staff, api_together

urlpatterns = [
    *api_hub.urlpatterns,
    *api_sessions.urlpatterns,
    *api_together.urlpatterns,
    *api_staff.urlpatterns,
    *api_ending.urlpatterns,
]
