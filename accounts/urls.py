from allauth.mfa.recovery_codes.views import download_recovery_codes
from django.urls import include, path
from django.views.decorators.http import require_safe

from accounts import views

urlpatterns = [
    path("overview/", views.account_overview, name="account_overview"),
    path("organisation/", views.choose_organisation, name="choose_organisation"),
    # allauth's download answers POST like GET (a redirect to re-authenticate); it only reads.
    path(
        "2fa/recovery-codes/download/",
        require_safe(download_recovery_codes),
        name="mfa_download_recovery_codes",
    ),
    path("", include("allauth.urls")),
]
