"""Stub: filled in by the hub pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
