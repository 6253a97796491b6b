"""Searching and exporting the audit trail; emergency (break-glass) access."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from audit import views

app_name = "audit"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.search, name="search"),
    path("export.csv", views.export, name="export"),
    path("data-protection-leads/", views.data_protection_leads, name="data_protection_leads"),
    path("break-glass/", include("audit.urls_break_glass")),
]
