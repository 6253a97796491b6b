"""Matching pages: the coordinator's side, and the mentor's and mentee's answers."""

from matching.urls import coordinator, people

app_name = "matching"
urlpatterns = [
    *coordinator.urlpatterns,
    *people.urlpatterns,
]
