from django.urls import path

from mentors.views import settings

urlpatterns = [
    path("settings/", settings.programme_settings_edit, name="programme_settings"),
    path("settings/areas/", settings.support_areas, name="support_areas"),
    path("settings/areas/<int:pk>/", settings.support_area_edit, name="support_area_edit"),
    path(
        "settings/areas/<int:pk>/toggle/",
        settings.support_area_toggle,
        name="support_area_toggle",
    ),
]
