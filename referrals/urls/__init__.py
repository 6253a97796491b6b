"""Referral pages. Each part of the journey keeps its routes in its own module."""

from referrals.urls import intake, partner, self_referral, settings, triage

app_name = "referrals"
urlpatterns = [
    *self_referral.urlpatterns,
    *partner.urlpatterns,
    *triage.urlpatterns,
    *intake.urlpatterns,
    *settings.urlpatterns,
]
