"""Stub: filled in by the sessions API."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
