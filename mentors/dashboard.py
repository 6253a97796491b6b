"""What each role's home page shows about mentors: a few counts and the next thing to do."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Organisation, User
from mentors.models import (
    MentorApplication,
    MentorProfile,
    MentorRequest,
    MentorRequestStatus,
    Stage,
)
from mentors.selectors import (
    mentor_journey,
    profile_for,
    programme_settings,
    training_application_for,
)
from mentors.services.supervision import wellbeing_next_due
from mentors.services.training import training_progress


def coordinator_summary(organisation: Organisation) -> dict[str, Any]:
    by_stage = dict(
        MentorApplication.objects.filter(organisation=organisation)
        .values_list("stage")
        .annotate(total=Count("id"))
        .values_list("stage", "total")
    )
    warning_days = programme_settings(organisation).expiry_warning_days
    now = timezone.now()
    profiles = MentorProfile.objects.filter(organisation=organisation).aggregate(
        listed=Count(
            "id",
            filter=Q(
                is_available=True, certified_at__isnull=False, certification_expires_at__gt=now
            ),
        ),
        expiring=Count(
            "id",
            filter=Q(
                certification_expires_at__gt=now,
                certification_expires_at__lte=now + timedelta(days=warning_days),
            ),
        ),
        pending_changes=Count("id", filter=Q(pending_since__isnull=False)),
    )
    return {
        "stage_counts": [
            (stage.label, by_stage.get(stage.value, 0)) for stage in Stage.board_stages()
        ],
        "screening_total": sum(
            by_stage.get(stage.value, 0)
            for stage in Stage.board_stages()
            if stage != Stage.TRAINING
        ),
        "trainee_total": by_stage.get(Stage.TRAINING.value, 0),
        "listed_mentors": profiles["listed"],
        "expiring_mentors": profiles["expiring"],
        "pending_profile_changes": profiles["pending_changes"],
        "open_mentor_requests": MentorRequest.objects.filter(
            organisation=organisation, status=MentorRequestStatus.OPEN
        ).count(),
    }


def mentor_summary(user: User, organisation: Organisation) -> dict[str, Any]:
    """A trainee sees their training; a certified mentor their profile and certification."""
    application = training_application_for(user, organisation)
    profile = profile_for(user, organisation)
    summary: dict[str, Any] = {"mentor_application": application, "mentor_profile": profile}
    if application is not None and application.stage == Stage.TRAINING:
        summary["training"] = training_progress(application)
    if profile is not None:
        last_check_in = profile.wellbeing_check_ins.order_by("-submitted_at").first()
        summary["wellbeing_due"] = wellbeing_next_due(profile, last_check_in)
    return summary


def mentor_navigation(user: User, organisation: Organisation) -> list[tuple[str, str]]:
    """A trainee's menu leads to training; a certified mentor's to their profile and wellbeing."""
    links = []
    training, has_profile = mentor_journey(user, organisation)
    if training:
        links.append(("Training", "mentors:training"))
    if has_profile:
        links += [
            ("Your profile", "mentors:my_profile"),
            ("Wellbeing check-in", "mentors:wellbeing"),
        ]
    return links
