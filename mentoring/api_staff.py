"""Stub: filled in by the staff API."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
