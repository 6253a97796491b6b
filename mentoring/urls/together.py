"""Stub: filled in by the together pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
