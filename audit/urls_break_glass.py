"""Emergency (break-glass) access, under /audit/break-glass/ in the "audit" namespace."""

from __future__ import annotations

from django.urls import URLPattern, path

from audit import views_break_glass as views

urlpatterns: list[URLPattern] = [
    path("", views.break_glass_list, name="break_glass_list"),
    path(
        "relationships/<int:pk>/",
        views.break_glass_open_view,
        name="break_glass_open",
    ),
    path("<int:grant_pk>/end/", views.break_glass_end_view, name="break_glass_end"),
]
