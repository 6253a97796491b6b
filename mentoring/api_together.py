"""Stub: filled in by the together API."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
