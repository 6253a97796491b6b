"""Outcome-measure endpoints under /api/v1/ (see outcomes/api.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
