"""The practice standards judged for each mentor: screening before training, required training
before the first match, supervision at the set interval. Each has a description (what "met"
means, with the settings it uses), its rows (the mentors it applies to, each annotated with
``met`` in SQL) and a gap (what is missing, for one row that was not met)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from mentoring.models import Relationship
from mentors.models import (
    BackgroundCheck,
    CheckOutcome,
    Interview,
    InterviewOutcome,
    MentorProfile,
    Reference,
    ReferenceStatus,
    SupervisionSession,
    TrainingCompletion,
)
from mentors.services.applications import REFERENCES_NEEDED
from mentors.services.training import format_minutes
from reports.standards_base import (
    Context,
    Gap,
    count_of,
    day,
    first_of,
    flag,
    joined,
    mentor_url,
    sum_of,
)

# 1. Screening complete before training ----------------------------------------------------------


def screening_description(context: Context) -> str:
    return (
        "Mentors whose first training was recorded in the period: before it, the interview was "
        f"recorded (and did not find them unsuitable), {REFERENCES_NEEDED} references were "
        "received and a clear background check was recorded. These are the steps an "
        "application needs before a coordinator can approve it for training."
    )


def screening_rows(context: Context) -> QuerySet[Any]:
    period = context.report_filter.period
    application = OuterRef("application")
    completions = TrainingCompletion.objects.filter(application=application)
    interview = Interview.objects.filter(application=application).exclude(
        outcome=InterviewOutcome.NOT_SUITABLE
    )
    references = Reference.objects.filter(
        application=application,
        status=ReferenceStatus.RECEIVED,
        received_at__lt=OuterRef("first_training"),
    )
    checks = BackgroundCheck.objects.filter(application=application, outcome=CheckOutcome.CLEAR)
    return (
        MentorProfile.objects.filter(context.report_filter.mentors())
        .annotate(first_training=first_of(completions.order_by("completed_at"), "completed_at"))
        .filter(first_training__gte=period.since, first_training__lt=period.until)
        .annotate(
            interview_at=first_of(interview, "recorded_at"),
            references_before=count_of(references),
            check_at=first_of(checks.order_by("recorded_at"), "recorded_at"),
        )
        .annotate(
            met=flag(
                Q(interview_at__lt=F("first_training"))
                & Q(references_before__gte=REFERENCES_NEEDED)
                & Q(check_at__lt=F("first_training"))
            )
        )
        .order_by("display_name", "pk")
    )


def screening_gap(profile: Any, context: Context) -> Gap:
    missing = []
    if profile.interview_at is None or profile.interview_at >= profile.first_training:
        missing.append("the interview")
    still = REFERENCES_NEEDED - profile.references_before
    if still > 0:
        missing.append(f"{still} more reference{'s' if still > 1 else ''}")
    if profile.check_at is None or profile.check_at >= profile.first_training:
        missing.append("a clear background check")
    return Gap(
        label=profile.display_name,
        url=mentor_url("application_detail", pk=profile.application_id),
        detail=f"Training began {day(profile.first_training)} without {joined(missing)}.",
    )


# 2. Required training before the first match ----------------------------------------------------


def training_description(context: Context) -> str:
    minutes = format_minutes(context.settings.min_training_minutes)
    modules = context.required_modules
    required = (
        f" and every module required before matching ({modules} at present)" if modules else ""
    )
    return (
        "Mentors whose first relationship started in the period: before it started they had "
        f"done {minutes} of training{required}."
    )


def training_rows(context: Context) -> QuerySet[Any]:
    period = context.report_filter.period
    before_match = TrainingCompletion.objects.filter(
        application=OuterRef("application"), completed_at__lt=OuterRef("first_match")
    )
    required = before_match.filter(module__required_before_matching=True, module__is_active=True)
    first_match = Relationship.objects.filter(mentor=OuterRef("pk")).order_by("started_at")
    return (
        MentorProfile.objects.filter(context.report_filter.mentors())
        .annotate(first_match=first_of(first_match, "started_at"))
        .filter(first_match__gte=period.since, first_match__lt=period.until)
        .annotate(
            minutes_before=sum_of(before_match, "minutes"), required_before=count_of(required)
        )
        .annotate(
            met=flag(
                Q(minutes_before__gte=context.settings.min_training_minutes)
                & Q(required_before__gte=context.required_modules)
            )
        )
        .order_by("display_name", "pk")
    )


def training_gap(profile: Any, context: Context) -> Gap:
    minutes = format_minutes(profile.minutes_before)
    needed = format_minutes(context.settings.min_training_minutes)
    modules = context.required_modules
    required = f" and {profile.required_before} of {modules} required modules" if modules else ""
    return Gap(
        label=profile.display_name,
        url=mentor_url("trainee_progress", application_pk=profile.application_id),
        detail=f"First matched {day(profile.first_match)} with {minutes} of {needed} training"
        f"{required} done.",
    )


# 3. Supervision at the set interval -------------------------------------------------------------


def supervision_description(context: Context) -> str:
    days = context.settings.supervision_interval_days
    return (
        f"Mentors with a current relationship {context.moment.when}: a supervision session "
        f"in the {days} days before it (the organisation's supervision interval). Gaps earlier "
        "in the period are not counted."
    )


def supervision_rows(context: Context) -> QuerySet[Any]:
    moment = context.moment
    current = Relationship.objects.filter(mentor=OuterRef("pk"), started_at__lt=moment.at).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=moment.at)
    )
    sessions = SupervisionSession.objects.filter(profile=OuterRef("pk"), held_on__lte=moment.day)
    due_since = moment.day - timedelta(days=context.settings.supervision_interval_days)
    return (
        MentorProfile.objects.filter(context.report_filter.mentors())
        .filter(Exists(current))
        .annotate(last_supervision=first_of(sessions.order_by("-held_on"), "held_on"))
        .annotate(met=flag(Q(last_supervision__gte=due_since)))
        .order_by("display_name", "pk")
    )


def supervision_gap(profile: Any, context: Context) -> Gap:
    last = profile.last_supervision
    if last is None:
        detail = f"No supervision recorded before {context.moment.name}."
    else:
        days = (context.moment.day - last).days
        detail = f"Last supervision {day(last)} ({days} days before {context.moment.name})."
    return Gap(
        label=profile.display_name,
        url=mentor_url("supervision_mentor", profile_pk=profile.pk),
        detail=detail,
    )
