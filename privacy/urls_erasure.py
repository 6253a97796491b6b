"""Erasure requests and the retention policy (included by privacy/urls.py)."""

from __future__ import annotations

from django.urls import path

from privacy import views_erasure

urlpatterns = [
    path("erasure/", views_erasure.erasure_list, name="erasure_list"),
    path("erasure/new/", views_erasure.erasure_new, name="erasure_new"),
    path("erasure/<int:pk>/", views_erasure.erasure_detail, name="erasure_detail"),
    path("erasure/<int:pk>/decide/", views_erasure.erasure_decide, name="erasure_decide"),
    path("retention/", views_erasure.retention_policy, name="retention"),
]
