from django.urls import path

from referrals.views import self_referral

urlpatterns = [
    path("refer/<slug:organisation_slug>/", self_referral.refer, name="refer"),
    path("status/<str:token>/", self_referral.status, name="status"),
    path("status/<str:token>/withdraw/", self_referral.status_withdraw, name="status_withdraw"),
]
