"""Screening a mentor application: the interview, two references, a background check, and the
coordinator's decision. Every change is audited in its own transaction; emails leave after commit.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organisation, Role, User
from accounts.services import membership_grant, user_create
from alongside.email import send_templated_email
from audit.services import audit_record
from mentors.models import (
    BackgroundCheck,
    CheckOutcome,
    CheckType,
    Interview,
    InterviewAnswer,
    InterviewOutcome,
    InterviewQuestion,
    MentorApplication,
    Recommendation,
    Reference,
    ReferenceStatus,
    Stage,
)
from mentors.selectors import programme_settings
from mentors.services.applications import (
    REFERENCES_NEEDED,
    hash_token,
    refresh_screening_stage,
    screening_complete,
    set_stage,
)

SCREENING_STAGES = frozenset(
    {Stage.NEW, Stage.INTERVIEW, Stage.REFERENCES, Stage.BACKGROUND_CHECK, Stage.DECISION}
)
CLOSED_STAGES = frozenset({Stage.DECLINED, Stage.WITHDRAWN})
LONG_WAIT_DAYS = 14

LINK_NOT_USABLE = "This link has already been used or has expired."
_APPROVED_ALREADY = (
    "This applicant has already been approved to train, so their screening can no longer be "
    "changed."
)
_CLOSED = "This application is closed and can no longer be changed."


# Questions the organisation asks at every interview -------------------------------------------


@transaction.atomic
def interview_question_create(
    *, actor: User, organisation: Organisation, text: str, position: int | None = None
) -> InterviewQuestion:
    """Add a standard question; without a position it goes to the end of the list."""
    text = _question_text(text)
    if position is None:
        last = InterviewQuestion.objects.filter(organisation=organisation).aggregate(
            last=Max("position")
        )["last"]
        position = (last or 0) + 1
    question = InterviewQuestion.objects.create(
        organisation=organisation, text=text, position=position
    )
    audit_record(
        actor=actor,
        action="mentor_interview_question.created",
        organisation=organisation,
        target=question,
    )
    return question


@transaction.atomic
def interview_question_update(
    *, actor: User, question: InterviewQuestion, text: str, position: int
) -> InterviewQuestion:
    question.text = _question_text(text)
    question.position = position
    question.save(update_fields=["text", "position"])
    audit_record(
        actor=actor,
        action="mentor_interview_question.updated",
        organisation=question.organisation,
        target=question,
    )
    return question


@transaction.atomic
def interview_question_deactivate(*, actor: User, question: InterviewQuestion) -> InterviewQuestion:
    """Stop asking a question. Past answers to it stay with their interviews."""
    return _set_question_active(actor=actor, question=question, active=False)


@transaction.atomic
def interview_question_reactivate(*, actor: User, question: InterviewQuestion) -> InterviewQuestion:
    return _set_question_active(actor=actor, question=question, active=True)


def _set_question_active(
    *, actor: User, question: InterviewQuestion, active: bool
) -> InterviewQuestion:
    question = InterviewQuestion.objects.select_for_update().get(pk=question.pk)
    if question.is_active == active:
        return question  # a second click changes nothing
    question.is_active = active
    question.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="mentor_interview_question." + ("reactivated" if active else "deactivated"),
        organisation=question.organisation,
        target=question,
    )
    return question


def _question_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the question."})
    return text


# Interview ------------------------------------------------------------------------------------


@transaction.atomic
def interview_record(
    *,
    actor: User,
    application: MentorApplication,
    held_on: date,
    outcome: InterviewOutcome | str,
    notes: str,
    answers: dict[int, str],
) -> Interview:
    """Create or correct the one interview, with notes against each standard question."""
    application = _locked(application)
    _ensure_screening(application)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "The interview date cannot be in the future."})
    outcome = InterviewOutcome(outcome)
    interview, created = Interview.objects.update_or_create(
        application=application,
        defaults={
            "held_on": held_on,
            "outcome": outcome,
            "notes": notes.strip(),
            "interviewer": actor,
            "recorded_at": timezone.now(),
        },
    )
    questions = InterviewQuestion.objects.filter(
        organisation=application.organisation, pk__in=list(answers)
    )
    existing = {answer.question_id: answer for answer in interview.answers.all()}
    for question in questions:
        text = answers[question.pk].strip()
        answer = existing.get(question.pk)
        if answer is not None:
            if answer.notes != text:
                answer.notes = text
                answer.save(update_fields=["notes"])
        elif text:
            InterviewAnswer.objects.create(interview=interview, question=question, notes=text)
    audit_record(
        actor=actor,
        action="mentor_interview.recorded" if created else "mentor_interview.updated",
        organisation=application.organisation,
        target=interview,
        metadata={"outcome": outcome.value},
    )
    refresh_screening_stage(application)
    return interview


# References -----------------------------------------------------------------------------------


@transaction.atomic
def reference_request(
    *,
    actor: User,
    application: MentorApplication,
    referee_name: str,
    referee_email: str,
    relationship: str,
) -> tuple[Reference, str]:
    """Email a referee a one-time link. Returns the reference and the link's token, which is
    never stored (only its hash is)."""
    application = _locked(application)
    _ensure_screening(application)
    referee_email = referee_email.strip()
    if referee_email.lower() == application.email.lower():
        raise ValidationError(
            {"referee_email": "A referee needs to be someone other than the applicant."}
        )
    asked = application.references.filter(referee_email__iexact=referee_email)
    if asked.filter(status=ReferenceStatus.RECEIVED).exists():
        raise ValidationError({"referee_email": "This person has already given a reference."})
    if asked.filter(status=ReferenceStatus.REQUESTED, expires_at__gt=timezone.now()).exists():
        raise ValidationError(
            {
                "referee_email": "We have already asked this person and their link still works. "
                "To send it again, use “Send the link again” on the application page."
            }
        )
    reference, token = _new_reference(
        application,
        referee_name=referee_name.strip(),
        referee_email=referee_email,
        relationship=relationship.strip(),
    )
    audit_record(
        actor=actor,
        action="mentor_reference.requested",
        organisation=application.organisation,
        target=reference,
        metadata={"resent": False},
    )
    return reference, token


@transaction.atomic
def reference_resend(*, actor: User, reference: Reference) -> tuple[Reference, str]:
    """Cancel a request's link and send the referee a fresh one (lost email, expired link)."""
    application = _locked(reference.application)
    _ensure_screening(application)
    reference = Reference.objects.select_for_update().get(pk=reference.pk)
    if reference.status != ReferenceStatus.REQUESTED:
        raise ValidationError(
            "This request has already been answered or replaced, so there is nothing to send again."
        )
    reference.status = ReferenceStatus.CANCELLED
    reference.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="mentor_reference.cancelled",
        organisation=application.organisation,
        target=reference,
    )
    replacement, token = _new_reference(
        application,
        referee_name=reference.referee_name,
        referee_email=reference.referee_email,
        relationship=reference.relationship,
    )
    audit_record(
        actor=actor,
        action="mentor_reference.requested",
        organisation=application.organisation,
        target=replacement,
        metadata={"resent": True},
    )
    return replacement, token


def _new_reference(
    application: MentorApplication, *, referee_name: str, referee_email: str, relationship: str
) -> tuple[Reference, str]:
    token = secrets.token_urlsafe(32)
    link_days = programme_settings(application.organisation).reference_link_days
    reference = Reference.objects.create(
        application=application,
        referee_name=referee_name,
        referee_email=referee_email,
        relationship=relationship,
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=link_days),
    )
    send_templated_email(
        "mentors/email/reference_request",
        to=[referee_email],
        context={
            "reference": reference,
            "applicant_name": application.full_name,
            "organisation": application.organisation,
            "path": reverse("mentors:reference_respond", args=[token]),
        },
    )
    return reference, token


def reference_for_token(token: str) -> Reference | None:
    """The reference a referee's link points at, whatever state it is in."""
    return (
        Reference.objects.select_related("application__organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )


def reference_is_usable(reference: Reference) -> bool:
    """A link works once, until it expires, and only while the application is in screening."""
    return reference.is_open and reference.application.stage in SCREENING_STAGES


@transaction.atomic
def reference_submit(*, reference: Reference, data: dict[str, Any]) -> Reference:
    """The referee's answers, sent once through their link (no account, so no actor)."""
    application = _locked(reference.application)
    reference = Reference.objects.select_for_update().get(pk=reference.pk)
    reference.application = application
    if not reference_is_usable(reference):
        raise ValidationError(LINK_NOT_USABLE)
    recommendation = Recommendation(data["recommendation"])
    reference.known_for = str(data.get("known_for", "")).strip()
    reference.suitability = str(data.get("suitability", "")).strip()
    reference.concerns = str(data.get("concerns", "")).strip()
    reference.recommendation = recommendation
    reference.status = ReferenceStatus.RECEIVED
    reference.received_at = timezone.now()
    reference.save(
        update_fields=[
            "known_for",
            "suitability",
            "concerns",
            "recommendation",
            "status",
            "received_at",
        ]
    )
    audit_record(
        actor=None,
        action="mentor_reference.received",
        organisation=application.organisation,
        target=reference,
        metadata={"recommendation": recommendation.value},
    )
    refresh_screening_stage(application)
    return reference


# Background check -----------------------------------------------------------------------------


@transaction.atomic
def background_check_record(
    *,
    actor: User,
    application: MentorApplication,
    check_type: CheckType | str,
    reference_number: str,
    checked_on: date,
    expires_on: date | None,
    outcome: CheckOutcome | str,
) -> BackgroundCheck:
    application = _locked(application)
    _ensure_screening(application)
    errors = {}
    if checked_on > timezone.localdate():
        errors["checked_on"] = "The date of the check cannot be in the future."
    if expires_on is not None and expires_on <= checked_on:
        errors["expires_on"] = "The renewal date must be after the date of the check."
    if errors:
        raise ValidationError(errors)
    values = {
        "check_type": CheckType(check_type),
        "reference_number": reference_number.strip(),
        "checked_on": checked_on,
        "expires_on": expires_on,
        "outcome": CheckOutcome(outcome),
    }
    same = application.background_checks.filter(**values).first()
    if same is not None:
        return same  # a second click records nothing new
    check = BackgroundCheck.objects.create(application=application, recorded_by=actor, **values)
    audit_record(
        actor=actor,
        action="mentor_background_check.recorded",
        organisation=application.organisation,
        target=check,
        metadata={"check_type": check.check_type, "outcome": check.outcome},
    )
    refresh_screening_stage(application)
    return check


# Decision -------------------------------------------------------------------------------------


def screening_missing(application: MentorApplication) -> list[str]:
    """What still stands between an application and approval, in words for the coordinator."""
    missing = []
    interview = getattr(application, "interview", None)
    if interview is None:
        missing.append("the interview")
    elif interview.outcome == InterviewOutcome.NOT_SUITABLE:
        missing.append("an interview that found them suitable")
    received = sum(
        1
        for reference in application.references.all()
        if reference.status == ReferenceStatus.RECEIVED
    )
    if received < REFERENCES_NEEDED:
        still = REFERENCES_NEEDED - received
        missing.append(f"{still} more reference{'s' if still > 1 else ''}")
    today = timezone.localdate()
    if not any(
        check.outcome == CheckOutcome.CLEAR
        and (check.expires_on is None or check.expires_on >= today)
        for check in application.background_checks.all()
    ):
        missing.append("a clear background check that has not expired")
    return missing


@transaction.atomic
def application_approve_to_train(
    *, actor: User, application: MentorApplication
) -> MentorApplication:
    """Screening is complete: give the person a mentor account to start training with."""
    application = _locked(application)
    if application.stage == Stage.TRAINING:
        return application  # a second click changes nothing
    _ensure_screening(application)
    if not screening_complete(application):
        raise ValidationError(
            "Screening is not complete yet. Still needed: "
            + ", ".join(screening_missing(application))
            + "."
        )
    user, created = _account_for(actor=actor, application=application)
    membership_grant(
        actor=actor, organisation=application.organisation, user=user, role=Role.MENTOR
    )
    application.user = user
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.save(update_fields=["user", "decided_at", "decided_by"])
    set_stage(application, Stage.TRAINING)
    audit_record(
        actor=actor,
        action="mentor_application.approved_to_train",
        organisation=application.organisation,
        target=application,
        metadata={"account_created": created},
    )
    password_path = ""
    if created or not user.has_usable_password():
        password_path = reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user),
            },
        )
    send_templated_email(
        "mentors/email/approved_to_train",
        to=[user.email],
        context={
            "application": application,
            "organisation": application.organisation,
            "password_path": password_path,
            "sign_in_path": reverse("account_login"),
            "link_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )
    return application


def _account_for(*, actor: User, application: MentorApplication) -> tuple[User, bool]:
    """The applicant's account, made now if they have none. They proved the address through
    their application link, so it counts as verified."""
    user = User.objects.filter(email__iexact=application.email).first()
    if user is None:
        user = user_create(
            actor=actor,
            email=application.email,
            name=application.full_name,
            email_verified=True,
        )
        return user, True
    if not user.is_active:
        raise ValidationError(
            "This email address belongs to an account that has been switched off. Ask an "
            "administrator to look at it before approving."
        )
    membership = Membership.objects.filter(
        user=user, organisation=application.organisation, is_active=True
    ).first()
    if membership is not None and membership.role != Role.MENTOR:
        raise ValidationError(
            "This email address already belongs to someone with the "
            f"{membership.get_role_display().lower()} role here. A person holds one role in each "
            "organisation, so change or end that role first, then approve."
        )
    return user, False


@transaction.atomic
def application_decline(
    *, actor: User, application: MentorApplication, reason: str, include_reason: bool = False
) -> MentorApplication:
    """Close the application with a reason for the record; the applicant gets a kind email,
    with the reason only if the coordinator chose to share it."""
    application = _locked(application)
    if application.stage == Stage.DECLINED:
        return application  # a second click changes nothing
    _ensure_screening(application)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Write a short reason for the record."})
    application.decision_reason = reason
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.save(update_fields=["decision_reason", "decided_at", "decided_by"])
    set_stage(application, Stage.DECLINED)
    audit_record(
        actor=actor,
        action="mentor_application.declined",
        organisation=application.organisation,
        target=application,
        metadata={"reason_shared": include_reason},
    )
    send_templated_email(
        "mentors/email/declined",
        to=[application.email],
        context={
            "application": application,
            "organisation": application.organisation,
            "reason": reason if include_reason else "",
        },
    )
    return application


# Helpers --------------------------------------------------------------------------------------


def _locked(application: MentorApplication) -> MentorApplication:
    """The application, re-read and locked, so two clicks cannot both apply a change."""
    return (
        MentorApplication.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=application.pk)
    )


def _ensure_screening(application: MentorApplication) -> None:
    if application.stage in SCREENING_STAGES:
        return
    if application.stage in {Stage.TRAINING, Stage.CERTIFIED}:
        raise ValidationError(_APPROVED_ALREADY)
    raise ValidationError(_CLOSED)
