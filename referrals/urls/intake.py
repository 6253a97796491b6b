from django.urls import path

from referrals.views import intake

urlpatterns = [
    path("<int:pk>/intake/", intake.intake, name="intake"),
    path("status/<str:token>/intake/", intake.intake_online, name="intake_online"),
    path("waiting/", intake.waiting_list_page, name="waiting_list"),
    path("<int:pk>/checked-in/", intake.check_in, name="check_in"),
    path("my-referral/", intake.my_referral, name="my_referral"),
    path("my-referral/withdraw/", intake.my_referral_withdraw, name="my_referral_withdraw"),
]
