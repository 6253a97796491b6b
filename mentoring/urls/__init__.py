"""Mentoring pages, under /mentoring/."""

from mentoring.urls import ending, hub, sessions, staff, together

app_name = "mentoring"
urlpatterns = [
    *hub.urlpatterns,
    *sessions.urlpatterns,
    *together.urlpatterns,
    *staff.urlpatterns,
    *ending.urlpatterns,
]
