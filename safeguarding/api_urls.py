"""Safeguarding alerts in the REST API (under /api/v1/, namespace "api"), for the people who
respond: the list, one alert, and one endpoint per step of responding."""

from django.urls import path

from safeguarding import api

ALERT = "safeguarding/alerts/<int:pk>/"

urlpatterns = [
    path("safeguarding/alerts/", api.AlertListView.as_view(), name="safeguarding-alert-list"),
    path(ALERT, api.AlertDetailView.as_view(), name="safeguarding-alert-detail"),
    path(
        f"{ALERT}acknowledge/",
        api.AlertAcknowledgeView.as_view(),
        name="safeguarding-alert-acknowledge",
    ),
    path(
        f"{ALERT}contact-attempts/",
        api.AlertContactAttemptView.as_view(),
        name="safeguarding-alert-contact-attempts",
    ),
    path(f"{ALERT}actions/", api.AlertActionView.as_view(), name="safeguarding-alert-actions"),
    path(f"{ALERT}notes/", api.AlertNoteView.as_view(), name="safeguarding-alert-notes"),
    path(f"{ALERT}close/", api.AlertCloseView.as_view(), name="safeguarding-alert-close"),
    path(f"{ALERT}reopen/", api.AlertReopenView.as_view(), name="safeguarding-alert-reopen"),
]
