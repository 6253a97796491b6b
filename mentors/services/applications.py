"""Applying to be a mentor: start, save and come back, submit, withdraw; and the stage an
application is at as screening steps are completed."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Language, Organisation, SupportArea, User
from accounts.selectors import coordinator_emails
from alongside.email import send_templated_email
from audit.services import audit_record
from mentors.models import (
    CheckOutcome,
    Format,
    InterviewOutcome,
    MentorApplication,
    ReferenceStatus,
    Stage,
)

REFERENCES_NEEDED = 2
_CLOSED_STAGES = {Stage.DECLINED, Stage.WITHDRAWN, Stage.CERTIFIED}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def application_for_resume_token(token: str) -> MentorApplication | None:
    return (
        MentorApplication.objects.select_related("organisation")
        .filter(resume_token_hash=hash_token(token))
        .exclude(stage__in=[Stage.WITHDRAWN])
        .first()
    )


def set_stage(application: MentorApplication, stage: Stage) -> None:
    """Move to ``stage``, restarting the board's waiting clock only when the stage changes."""
    if application.stage != stage:
        application.stage = stage
        application.stage_entered_at = timezone.now()
        application.save(update_fields=["stage", "stage_entered_at"])


_SIMPLE_FIELDS = (
    "full_name",
    "preferred_name",
    "email",
    "phone",
    "motivation",
    "lived_experience_notes",
    "availability",
    "area",
    "consent_to_checks",
)


def _apply(application: MentorApplication, data: dict[str, Any]) -> None:
    for name in _SIMPLE_FIELDS:
        if name in data:
            setattr(application, name, data[name])
    if "formats" in data:
        application.formats = [Format(value).value for value in data["formats"]]
    application.updated_at = timezone.now()
    application.save()
    if "lived_experience_areas" in data:
        areas: Iterable[SupportArea] = data["lived_experience_areas"]
        application.lived_experience_areas.set(
            [a for a in areas if a.organisation_id == application.organisation_id]
        )
    if "languages" in data:
        languages: Iterable[Language] = data["languages"]
        application.languages.set(list(languages))


@transaction.atomic
def application_start(
    *, organisation: Organisation, data: dict[str, Any]
) -> tuple[MentorApplication, str]:
    """Save a first draft and email the applicant a private link to come back to it."""
    token = secrets.token_urlsafe(32)
    application = MentorApplication(
        organisation=organisation, resume_token_hash=hash_token(token), stage=Stage.DRAFT
    )
    _apply(application, data)
    audit_record(
        actor=None,
        action="mentor_application.started",
        organisation=organisation,
        target=application,
    )
    send_templated_email(
        "mentors/email/resume_link",
        to=[application.email],
        context={
            "application": application,
            "path": reverse("mentors:apply_continue", args=[token]),
        },
    )
    return application, token


@transaction.atomic
def application_save(*, application: MentorApplication, data: dict[str, Any]) -> None:
    if application.stage != Stage.DRAFT:
        raise ValidationError("This application has been sent and can no longer be changed.")
    _apply(application, data)


def submission_problems(application: MentorApplication) -> dict[str, str]:
    """What is still missing before an application can be sent, by field."""
    problems = {}
    if not application.full_name.strip():
        problems["full_name"] = "Enter your full name."
    if not application.email:
        problems["email"] = "Enter an email address we can reach you on."
    if not application.motivation.strip():
        problems["motivation"] = "Tell us a little about why you would like to be a mentor."
    if not application.lived_experience_areas.exists():
        problems["lived_experience_areas"] = "Choose at least one area of lived experience."
    if not application.formats:
        problems["formats"] = "Choose at least one way you could meet mentees."
    if not application.consent_to_checks:
        problems["consent_to_checks"] = (
            "We can only consider applications from people who agree to references and a "
            "background check."
        )
    return problems


@transaction.atomic
def application_submit(*, application: MentorApplication) -> MentorApplication:
    application = MentorApplication.objects.select_for_update().get(pk=application.pk)
    if application.stage != Stage.DRAFT:
        return application  # a second click changes nothing
    problems = submission_problems(application)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    application.submitted_at = now
    application.consented_at = now
    application.save(update_fields=["submitted_at", "consented_at"])
    set_stage(application, Stage.NEW)
    audit_record(
        actor=None,
        action="mentor_application.submitted",
        organisation=application.organisation,
        target=application,
    )
    send_templated_email(
        "mentors/email/application_received",
        to=[application.email],
        context={"application": application},
    )
    send_templated_email(
        "mentors/email/new_application",
        to=coordinator_emails(application.organisation),
        context={"application": application},
    )
    return application


@transaction.atomic
def application_withdraw(
    *, actor: User | None, application: MentorApplication
) -> MentorApplication:
    """The applicant (``actor`` None, through their link) or a coordinator withdraws it."""
    if application.stage in _CLOSED_STAGES:
        raise ValidationError("This application is already closed.")
    set_stage(application, Stage.WITHDRAWN)
    audit_record(
        actor=actor,
        action="mentor_application.withdrawn",
        organisation=application.organisation,
        target=application,
    )
    return application


def screening_stage(application: MentorApplication) -> Stage:
    """The first screening step still to do: interview, two references, a clear check."""
    interview = getattr(application, "interview", None)
    if interview is None:
        return Stage.INTERVIEW
    if interview.outcome == InterviewOutcome.NOT_SUITABLE:
        return Stage.DECISION
    received = application.references.filter(status=ReferenceStatus.RECEIVED).count()
    if received < REFERENCES_NEEDED:
        return Stage.REFERENCES
    if not application.background_checks.exists():
        return Stage.BACKGROUND_CHECK
    return Stage.DECISION  # everything is in, including any disclosure: a person decides


def screening_complete(application: MentorApplication) -> bool:
    """Interview passed, two references received and a clear, unexpired background check."""
    interview = getattr(application, "interview", None)
    if interview is None or interview.outcome == InterviewOutcome.NOT_SUITABLE:
        return False
    received = application.references.filter(status=ReferenceStatus.RECEIVED).count()
    clear = application.background_checks.filter(outcome=CheckOutcome.CLEAR).exclude(
        expires_on__lt=timezone.localdate()
    )
    return received >= REFERENCES_NEEDED and clear.exists()


def refresh_screening_stage(application: MentorApplication) -> None:
    """After any screening step: move the application to the step it now waits for."""
    screening = {
        Stage.NEW,
        Stage.INTERVIEW,
        Stage.REFERENCES,
        Stage.BACKGROUND_CHECK,
        Stage.DECISION,
    }
    if application.stage in screening:
        set_stage(application, screening_stage(application))
