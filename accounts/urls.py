from allauth.mfa.recovery_codes.views import download_recovery_codes
from django.urls import include, path
from django.views.decorators.http import require_safe

from accounts import views, views_people

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

# The organisation's people, for coordinators and administrators (accounts/views_people.py).
urlpatterns += [
    path("people/", views_people.people, name="people"),
    path("people/<int:pk>/", views_people.person, name="person"),
    path(
        "people/<int:pk>/remove-role/",
        views_people.person_remove_role,
        name="person_remove_role",
    ),
    path(
        "people/<int:pk>/restore-role/",
        views_people.person_restore_role,
        name="person_restore_role",
    ),
    path("people/<int:pk>/switch-off/", views_people.person_switch_off, name="person_switch_off"),
    path("people/<int:pk>/switch-on/", views_people.person_switch_on, name="person_switch_on"),
]
