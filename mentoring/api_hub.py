"""Stub: filled in by the hub API."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
