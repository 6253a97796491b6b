"""Mentor pages. Each area of the journey keeps its routes in its own module."""

from mentors.urls import applying, profiles, screening, settings, supervision, training

app_name = "mentors"
urlpatterns = [
    *applying.urlpatterns,
    *screening.urlpatterns,
    *training.urlpatterns,
    *profiles.urlpatterns,
    *supervision.urlpatterns,
    *settings.urlpatterns,
]
