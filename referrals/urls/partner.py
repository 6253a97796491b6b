from django.urls import path

from referrals.views import partner

urlpatterns = [
    path("partner/", partner.partner_list, name="partner_list"),
    path("partner/new/", partner.partner_new, name="partner_new"),
    path("partner/<int:pk>/", partner.partner_detail, name="partner_detail"),
]
