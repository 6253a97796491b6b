"""Programme reports, under /reports/ (coordinators and admins of the organisation)."""

from django.urls import path

from reports import views, views_compliance

app_name = "reports"
urlpatterns = [
    # The programme dashboard (reports/views.py)
    path("", views.dashboard, name="dashboard"),
    path("print/", views.dashboard_print, name="dashboard_print"),
    path("dashboard.csv", views.dashboard_csv, name="dashboard_csv"),
    path("funder/", views.funder, name="funder"),
    path("funder.csv", views.funder_csv, name="funder_csv"),
    # Practice-standard compliance (reports/views_compliance.py)
    path("compliance/", views_compliance.compliance, name="compliance"),
    path("compliance/print/", views_compliance.compliance_print, name="compliance_print"),
    path("compliance.csv", views_compliance.compliance_csv, name="compliance_csv"),
    path("compliance/<slug:standard>/", views_compliance.standard, name="standard"),
]
