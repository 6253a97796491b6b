from django.urls import URLPattern, path

from mentors.views import training

urlpatterns: list[URLPattern] = [
    path("training/", training.training, name="training"),
    path("training/<int:pk>/", training.training_module, name="training_module"),
    path("training/cpd/", training.cpd, name="cpd"),
    path("training/modules/", training.modules, name="modules"),
    path("training/modules/new/", training.module_new, name="module_new"),
    path("training/modules/<int:pk>/edit/", training.module_edit, name="module_edit"),
    path(
        "training/modules/<int:pk>/deactivate/",
        training.module_deactivate_view,
        name="module_deactivate",
    ),
    path(
        "training/modules/<int:pk>/reactivate/",
        training.module_reactivate_view,
        name="module_reactivate",
    ),
    path("training/trainees/", training.trainees, name="trainees"),
    path(
        "training/trainees/<int:application_pk>/",
        training.trainee_progress,
        name="trainee_progress",
    ),
    path(
        "training/trainees/<int:application_pk>/attendance/<int:module_pk>/",
        training.trainee_attendance,
        name="trainee_attendance",
    ),
    path(
        "training/trainees/<int:application_pk>/certify/",
        training.trainee_certify,
        name="trainee_certify",
    ),
    path(
        "training/trainees/<int:application_pk>/renew/",
        training.trainee_renew,
        name="trainee_renew",
    ),
]
