"""Session pages: arranging, the calendar file, the mentor's log, the mentee's reflection, and
the supervisor's flagged sessions."""

from django.urls import URLPattern, path

from mentoring.views import sessions as views

urlpatterns: list[URLPattern] = [
    path("<int:pk>/sessions/", views.sessions, name="sessions"),
    path("<int:pk>/sessions/<int:session_pk>/", views.session_detail, name="session"),
    path("<int:pk>/sessions/<int:session_pk>/edit/", views.session_edit, name="session_edit"),
    path(
        "<int:pk>/sessions/<int:session_pk>/cancel/",
        views.session_cancel_view,
        name="session_cancel",
    ),
    path("<int:pk>/sessions/<int:session_pk>/log/", views.session_log_view, name="session_log"),
    path(
        "<int:pk>/sessions/<int:session_pk>/reflect/",
        views.session_reflect_view,
        name="session_reflect",
    ),
    path(
        "<int:pk>/sessions/<int:session_pk>/calendar.ics",
        views.session_ics,
        name="session_ics",
    ),
    path(
        "<int:pk>/sessions/<int:session_pk>/concern-seen/",
        views.session_concern_seen,
        name="session_concern_seen",
    ),
    path("supervision/flagged/", views.flagged, name="flagged"),
]
