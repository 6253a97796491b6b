"""Pages for data rights: downloads, consent, erasure and retention."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import include, path

from privacy import views_hub

app_name = "privacy"

urlpatterns = [
    path("", login_required(views_hub.index), name="index"),
    path("", include("privacy.urls_rights")),
    path("", include("privacy.urls_erasure")),
]
