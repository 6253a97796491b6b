"""Pages for data rights: downloads, consent, erasure and retention."""

from __future__ import annotations

from django.urls import include, path

app_name = "privacy"

urlpatterns = [
    path("", include("privacy.urls_rights")),
    path("", include("privacy.urls_erasure")),
]
