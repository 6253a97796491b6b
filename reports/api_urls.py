"""Programme reports in the API, under /api/v1/reports/ (coordinators and admins)."""

from django.urls import path

from reports import api

urlpatterns = [
    path("reports/dashboard/", api.DashboardView.as_view(), name="reports-dashboard"),
    path("reports/funder/", api.FunderView.as_view(), name="reports-funder"),
    path("reports/compliance/", api.ComplianceView.as_view(), name="reports-compliance"),
    path(
        "reports/compliance/<slug:standard>/",
        api.StandardGapsView.as_view(),
        name="reports-standard",
    ),
]
