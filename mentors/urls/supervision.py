from django.urls import path

from mentors.views import supervision

urlpatterns = [
    path("supervision/", supervision.supervision, name="supervision"),
    path(
        "supervision/assignments/",
        supervision.supervisor_assignments,
        name="supervisor_assignments",
    ),
    path("supervision/group/", supervision.supervision_group, name="supervision_group"),
    path(
        "supervision/mentors/<int:profile_pk>/",
        supervision.supervision_mentor,
        name="supervision_mentor",
    ),
    path("wellbeing/", supervision.wellbeing, name="wellbeing"),
    path("wellbeing/thanks/", supervision.wellbeing_thanks, name="wellbeing_thanks"),
]
