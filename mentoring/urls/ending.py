"""Stub: filled in by the ending pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
