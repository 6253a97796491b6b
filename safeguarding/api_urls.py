"""Safeguarding alerts in the REST API (under /api/v1/), for the people who respond."""

from django.urls import path

from safeguarding import api

urlpatterns = [
    path("safeguarding/alerts/", api.AlertList.as_view(), name="safeguarding-alert-list"),
    path(
        "safeguarding/alerts/<int:pk>/", api.AlertDetail.as_view(), name="safeguarding-alert-detail"
    ),
    path(
        "safeguarding/alerts/<int:pk>/<str:step>/",
        api.AlertStep.as_view(),
        name="safeguarding-alert-step",
    ),
]
