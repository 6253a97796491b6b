from django.urls import path

from mentors.views import profiles

urlpatterns = [
    path("profile/", profiles.my_profile, name="my_profile"),
    path("profile/edit/", profiles.profile_edit, name="profile_edit"),
    path("profile/availability/", profiles.profile_availability, name="profile_availability"),
    path(
        "profile/availability-switch/",
        profiles.profile_availability_switch,
        name="profile_availability_switch",
    ),
    path("profile-changes/", profiles.profile_changes, name="profile_changes"),
    path(
        "profile-changes/<int:pk>/approve/",
        profiles.profile_changes_approve_view,
        name="profile_changes_approve",
    ),
    path(
        "profile-changes/<int:pk>/reject/",
        profiles.profile_changes_reject_view,
        name="profile_changes_reject",
    ),
    path("directory/", profiles.directory, name="directory"),
    path("directory/<int:pk>/", profiles.directory_profile, name="directory_profile"),
    path("directory/<int:pk>/request/", profiles.directory_request, name="directory_request"),
    path("requests/", profiles.requests_list, name="requests"),
    path("requests/<int:pk>/noted/", profiles.request_noted, name="request_noted"),
]
