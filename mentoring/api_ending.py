"""Stub: filled in by the ending API."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
