"""Searching and exporting the audit trail; emergency (break-glass) access."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "audit"

urlpatterns: list[URLPattern] = []
