from django.urls import path

from referrals.views import settings

urlpatterns = [
    path("settings/", settings.referral_settings_edit, name="settings"),
]
