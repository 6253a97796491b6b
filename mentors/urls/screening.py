from django.urls import path

from mentors.views import screening

urlpatterns = [
    path("applicants/", screening.board, name="board"),
    path("applicants/<int:pk>/", screening.application_detail, name="application_detail"),
    path("applicants/<int:pk>/interview/", screening.interview, name="interview_record"),
    path(
        "applicants/<int:pk>/references/new/",
        screening.reference_new,
        name="reference_request",
    ),
    path(
        "applicants/<int:pk>/references/<int:reference_pk>/resend/",
        screening.reference_send_again,
        name="reference_resend",
    ),
    path(
        "applicants/<int:pk>/background-check/",
        screening.background_check,
        name="background_check_record",
    ),
    path("applicants/<int:pk>/approve/", screening.approve, name="application_approve"),
    path("applicants/<int:pk>/decline/", screening.decline, name="application_decline"),
    path("applicants/<int:pk>/withdraw/", screening.withdraw, name="application_withdraw"),
    path("interview-questions/", screening.interview_questions, name="interview_questions"),
    path(
        "interview-questions/new/",
        screening.interview_question_new,
        name="interview_question_create",
    ),
    path(
        "interview-questions/<int:pk>/edit/",
        screening.interview_question_edit,
        name="interview_question_edit",
    ),
    path(
        "interview-questions/<int:pk>/deactivate/",
        screening.interview_question_stop,
        name="interview_question_deactivate",
    ),
    path(
        "interview-questions/<int:pk>/reactivate/",
        screening.interview_question_restart,
        name="interview_question_reactivate",
    ),
    path("reference/received/", screening.reference_thanks, name="reference_thanks"),
    path("reference/<str:token>/", screening.reference_respond, name="reference_respond"),
]
