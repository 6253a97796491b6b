"""Exit surveys: when a relationship ends, both people are asked how it went. Every question is
optional and each survey is answered once. Only the person it was sent to can open it (a mentor
too, though their access to the relationship has ended)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from mentoring.models import ExitSurvey
from mentoring.safety import check_text
from safeguarding.services.alerts import Screened

ALREADY_ANSWERED = "You have already answered, thank you."
ANSWER_MAX = 2000

OVERALL_CHOICES = (
    (5, "Very good"),
    (4, "Good"),
    (3, "Okay"),
    (2, "Not very good"),
    (1, "Not good at all"),
)


def open_exit_surveys(user: User) -> QuerySet[ExitSurvey]:
    """Surveys sent to ``user`` that they have not answered yet, oldest first (for dashboards)."""
    return ExitSurvey.objects.filter(respondent=user, answered_at__isnull=True).order_by(
        "sent_at", "pk"
    )


def exit_survey_for(user: User, pk: int | str) -> ExitSurvey:
    """Survey ``pk`` if it was sent to ``user``; anyone else gets a 404."""
    try:
        return ExitSurvey.objects.select_related("relationship__organisation").get(
            pk=pk, respondent=user
        )
    except (ExitSurvey.DoesNotExist, ValueError) as error:
        raise Http404 from error


@transaction.atomic
def exit_survey_answer(
    *,
    actor: User,
    survey: ExitSurvey,
    overall: int | None = None,
    what_helped: str = "",
    could_be_better: str = "",
    would_recommend: bool | None = None,
) -> tuple[ExitSurvey, Screened | None]:
    """Record the answers (all optional). A second answer is refused with
    ``code="already_answered"``; the first one stands."""
    survey = ExitSurvey.objects.select_for_update().select_related("relationship").get(pk=survey.pk)
    if actor.pk != survey.respondent_id:
        raise ValidationError("Only the person this survey was sent to can answer it.")
    if survey.answered_at is not None:
        raise ValidationError(ALREADY_ANSWERED, code="already_answered")
    what_helped, could_be_better = what_helped.strip(), could_be_better.strip()
    errors: dict[str, str] = {}
    if overall is not None and overall not in dict(OVERALL_CHOICES):
        errors["overall"] = "Choose one of the answers, or leave it blank."
    for name, text in (("what_helped", what_helped), ("could_be_better", could_be_better)):
        if len(text) > ANSWER_MAX:
            errors[name] = f"Keep this to {ANSWER_MAX} characters or fewer."
    if errors:
        raise ValidationError(errors)
    survey.overall = overall
    survey.what_helped = what_helped
    survey.could_be_better = could_be_better
    survey.would_recommend = would_recommend
    survey.answered_at = timezone.now()
    survey.save(
        update_fields=[
            "overall",
            "what_helped",
            "could_be_better",
            "would_recommend",
            "answered_at",
        ]
    )
    written = [text for text in (what_helped, could_be_better) if text]
    risk = (
        check_text(survey.relationship, *written, source="exit_survey", actor=actor, target=survey)
        if written
        else None
    )
    audit_record(
        actor=actor,
        action="exit_survey.answered",
        organisation=survey.relationship.organisation,
        target=survey,
        metadata={
            "role": survey.role,
            "answered_overall": overall is not None,
            "answered_recommend": would_recommend is not None,
            "wrote_text": len(written),
        },
    )
    return survey, risk


def is_already_answered(error: ValidationError) -> bool:
    return not hasattr(error, "error_dict") and any(
        getattr(item, "code", None) == "already_answered" for item in error.error_list
    )
