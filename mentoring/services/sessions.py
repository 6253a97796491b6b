"""Mentoring sessions: the pair arrange them, the mentor logs them afterwards, the mentee adds
their own reflection. Reminders go to both before a session; a concern flag reaches the
mentor's supervisor; a run of missed sessions reaches the coordinators.

Every email here is content-free: a date and time at most, never names, places or what was
written, and a link to the session page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.selectors import coordinator_emails
from alongside.email import send_templated_email
from audit.services import audit_record
from mentoring import signals
from mentoring.access import RelationshipAccess, Viewer
from mentoring.concurrency import already_made, check_and_bump, locked
from mentoring.milestones import check_halfway
from mentoring.models import MentoringSession, Relationship, RelationshipStatus, SessionStatus
from mentoring.safety import check_text
from mentoring.selectors import mentoring_settings
from mentoring.services.lifecycle import locked_relationship
from mentors.models import Format
from referrals.selectors import mentee_email

PLANNED_MINUTES_MIN, PLANNED_MINUTES_MAX = 15, 240
LENGTH_MINUTES_MIN, LENGTH_MINUTES_MAX = 5, 480
PLACE_MAX = MentoringSession._meta.get_field("place").max_length or 300
TOPICS_MAX = 1000
SKILLS_MAX = 1000
SUMMARY_MAX = 5000
PRIVATE_NOTES_MAX = 5000
REFLECTION_MAX = 5000
MOOD_MIN, MOOD_MAX = 1, 10

# For these formats the pair cannot meet without knowing where: an address, or the call's link.
PLACE_REQUIRED = {
    Format.IN_PERSON: "Say where you will meet, for example a café or the community centre.",
    Format.VIDEO: "Add the link for the video call.",
}

# How the session felt, in the mentee's words.
RATINGS: dict[int, str] = {
    1: "Hard going",
    2: "Not much help",
    3: "Okay",
    4: "Helpful",
    5: "Really helpful",
}

# What the mentor can record a session as.
LOG_OUTCOMES = (
    SessionStatus.HELD,
    SessionStatus.CANCELLED_BY_MENTOR,
    SessionStatus.CANCELLED_BY_MENTEE,
    SessionStatus.NO_SHOW,
)

SCHEDULABLE = (RelationshipStatus.ACTIVE, RelationshipStatus.CLOSING)
AGREEMENT_FIRST = (
    "Sessions can be arranged once you have both agreed your agreement. That comes first: "
    "talk it through at your introduction meeting."
)
ENDED = "This mentoring has ended, so sessions can no longer be changed."


# What each person sees of a session ------------------------------------------------------------


@dataclass(frozen=True)
class SessionVisibility:
    """Which parts of a session a viewer may see. Everyone who may open the session sees its
    date, length, format, status and the shared summary."""

    place: bool  # where, or the link: the pair only
    shared_detail: bool  # topics and skills shared
    reflection: bool  # the mentee's reflection and rating
    private: bool  # private notes, moods and the concern flag

    @classmethod
    def for_viewer(cls, viewer: Viewer) -> SessionVisibility:
        if viewer == Viewer.MENTOR:
            return cls(place=True, shared_detail=True, reflection=True, private=True)
        if viewer == Viewer.MENTEE:
            return cls(place=True, shared_detail=True, reflection=True, private=False)
        if viewer == Viewer.SUPERVISOR:
            return cls(place=False, shared_detail=True, reflection=False, private=True)
        return cls(place=False, shared_detail=False, reflection=False, private=False)

    @classmethod
    def for_access(cls, access: RelationshipAccess) -> SessionVisibility:
        """As ``for_viewer``; staff under emergency (break-glass) access also read the notes,
        moods, concern flag and the mentee's reflection — never the place."""
        if access.emergency is not None:
            return cls(place=False, shared_detail=True, reflection=True, private=True)
        return cls.for_viewer(access.viewer)


@dataclass(frozen=True)
class SessionSaved:
    """A saved log or reflection, and whether what was written suggests someone may be at risk
    (the writer is then shown where to get help now) and whether it was flagged high or urgent
    (the mentee is told someone will be in touch; the mentor is shown what to do now)."""

    session: MentoringSession
    possible_risk: bool
    serious: bool = False


# Reads -----------------------------------------------------------------------------------------


def sessions_needing_log(
    relationship: Relationship, now: datetime | None = None
) -> QuerySet[MentoringSession]:
    """Planned sessions whose time has come but which the mentor has not logged yet."""
    return relationship.sessions.filter(
        status=SessionStatus.PLANNED, scheduled_for__lte=now or timezone.now()
    ).order_by("scheduled_for", "pk")


def session_needs_log(session: MentoringSession, now: datetime | None = None) -> bool:
    return session.status == SessionStatus.PLANNED and session.scheduled_for <= (
        now or timezone.now()
    )


def session_can_be_logged(session: MentoringSession, now: datetime | None = None) -> bool:
    """The mentor logs a session once its time has come (and can change the log later)."""
    return session.scheduled_for <= (now or timezone.now())


def missed_in_a_row(relationship: Relationship, limit: int) -> int:
    """How many of the latest ``limit`` sessions that are no longer planned were missed, counting
    back from the latest until one was held."""
    recent = (
        relationship.sessions.exclude(status=SessionStatus.PLANNED)
        .order_by("-scheduled_for", "-pk")
        .values_list("status", flat=True)[:limit]
    )
    run = 0
    for status in recent:
        if status not in SessionStatus.missed():
            break
        run += 1
    return run


def rating_label(rating: int | None) -> str:
    return RATINGS.get(rating or 0, "")


# Scheduling ------------------------------------------------------------------------------------


def _pair_role(relationship: Relationship, actor: User) -> Viewer:
    if relationship.mentor.user_id == actor.pk:
        return Viewer.MENTOR
    if relationship.mentee_id == actor.pk:
        return Viewer.MENTEE
    raise ValidationError("Only the mentor and mentee can do this.")


def _check_can_arrange(relationship: Relationship) -> None:
    if relationship.status == RelationshipStatus.INTRODUCTION:
        raise ValidationError(AGREEMENT_FIRST)
    if relationship.status not in SCHEDULABLE:
        raise ValidationError(ENDED)


def _clean_plan(
    relationship: Relationship,
    *,
    scheduled_for: datetime,
    planned_minutes: int,
    format: str,
    place: str,
    is_final: bool,
) -> tuple[datetime, str]:
    errors: dict[str, str] = {}
    if timezone.is_naive(scheduled_for):
        scheduled_for = timezone.make_aware(scheduled_for)
    if scheduled_for <= timezone.now():
        errors["scheduled_for"] = "Choose a date and time in the future."
    if not PLANNED_MINUTES_MIN <= planned_minutes <= PLANNED_MINUTES_MAX:
        errors["planned_minutes"] = (
            f"Choose a length between {PLANNED_MINUTES_MIN} and {PLANNED_MINUTES_MAX} minutes."
        )
    place = place.strip()
    if format not in Format.values:
        errors["format"] = "Choose how you will meet."
    elif format in PLACE_REQUIRED and not place:
        errors["place"] = PLACE_REQUIRED[Format(format)]
    if len(place) > PLACE_MAX:
        errors["place"] = f"Keep this to {PLACE_MAX} characters or fewer."
    if is_final and relationship.status != RelationshipStatus.CLOSING:
        errors["is_final"] = "A final session can be arranged once the planned ending has started."
    if errors:
        raise ValidationError(errors)
    return scheduled_for, place


def session_path(session: MentoringSession) -> str:
    return reverse("mentoring:session", args=[session.relationship_id, session.pk])


def pair_email(relationship: Relationship, role: Viewer) -> str:
    if role == Viewer.MENTOR:
        return relationship.mentor.user.email
    return mentee_email(relationship.referral)


def _other(role: Viewer) -> Viewer:
    return Viewer.MENTEE if role == Viewer.MENTOR else Viewer.MENTOR


def _tell(relationship: Relationship, role: Viewer, what: str, session: MentoringSession) -> None:
    send_templated_email(
        f"mentoring/email/sessions_{what}",
        to=[pair_email(relationship, role)],
        context={"when": timezone.localtime(session.scheduled_for), "path": session_path(session)},
    )


@transaction.atomic
def session_schedule(
    *,
    actor: User,
    relationship: Relationship,
    scheduled_for: datetime,
    planned_minutes: int,
    format: str,
    place: str = "",
    is_final: bool = False,
    client_key: str = "",
) -> MentoringSession:
    """Arrange a session and email the other person. The same ``client_key`` sent twice gives
    back the first session instead of a second one."""
    relationship = locked_relationship(relationship)
    earlier = already_made(MentoringSession, relationship, client_key)
    if earlier is not None:
        return earlier
    role = _pair_role(relationship, actor)
    _check_can_arrange(relationship)
    scheduled_for, place = _clean_plan(
        relationship,
        scheduled_for=scheduled_for,
        planned_minutes=planned_minutes,
        format=format,
        place=place,
        is_final=is_final,
    )
    session = MentoringSession.objects.create(
        relationship=relationship,
        scheduled_for=scheduled_for,
        planned_minutes=planned_minutes,
        format=format,
        place=place,
        is_final=is_final,
        scheduled_by=actor,
        client_key=client_key,
    )
    audit_record(
        actor=actor,
        action="session.scheduled",
        organisation=relationship.organisation,
        target=session,
        metadata={"by": str(role), "format": format, "is_final": is_final},
    )
    _tell(relationship, _other(role), "scheduled", session)
    return session


def _locked_pair(session: MentoringSession) -> tuple[Relationship, MentoringSession]:
    """The relationship, then the session, locked in that order (as every service here does)."""
    relationship = locked_relationship(session.relationship_id)
    session = locked(session)
    session.relationship = relationship
    return relationship, session


@transaction.atomic
def session_reschedule(
    *,
    actor: User,
    session: MentoringSession,
    scheduled_for: datetime,
    planned_minutes: int,
    format: str,
    place: str = "",
    is_final: bool = False,
    version: int | None,
) -> MentoringSession:
    """Move or change a planned session and email the other person. Calendar files made after
    this replace the earlier one (the sequence goes up)."""
    relationship, session = _locked_pair(session)
    role = _pair_role(relationship, actor)
    _check_can_arrange(relationship)
    if session.status != SessionStatus.PLANNED:
        raise ValidationError("Only a planned session can be changed.")
    check_and_bump(session, version)
    scheduled_for, place = _clean_plan(
        relationship,
        scheduled_for=scheduled_for,
        planned_minutes=planned_minutes,
        format=format,
        place=place,
        is_final=is_final,
    )
    moved = scheduled_for != session.scheduled_for
    session.scheduled_for = scheduled_for
    session.planned_minutes = planned_minutes
    session.format = format
    session.place = place
    session.is_final = is_final
    session.ics_sequence += 1
    if moved:
        session.reminder_sent_at = None
    session.save(
        update_fields=[
            "scheduled_for",
            "planned_minutes",
            "format",
            "place",
            "is_final",
            "ics_sequence",
            "reminder_sent_at",
            "version",
        ]
    )
    audit_record(
        actor=actor,
        action="session.rescheduled",
        organisation=relationship.organisation,
        target=session,
        metadata={"by": str(role), "moved": moved, "format": format},
    )
    _tell(relationship, _other(role), "rescheduled", session)
    return session


@transaction.atomic
def session_cancel(*, actor: User, session: MentoringSession) -> MentoringSession:
    """Cancel a planned session, as the mentor or the mentee, and email the other person.
    Cancelling twice changes nothing. A cancelled session counts towards missed sessions."""
    relationship, session = _locked_pair(session)
    role = _pair_role(relationship, actor)
    cancelled = (
        SessionStatus.CANCELLED_BY_MENTOR
        if role == Viewer.MENTOR
        else SessionStatus.CANCELLED_BY_MENTEE
    )
    if session.status in (SessionStatus.CANCELLED_BY_MENTOR, SessionStatus.CANCELLED_BY_MENTEE):
        return session
    if relationship.is_ended:
        raise ValidationError(ENDED)
    if session.status != SessionStatus.PLANNED:
        raise ValidationError("This session has already been logged, so it cannot be cancelled.")
    if session.scheduled_for <= timezone.now():
        raise ValidationError(
            "The time of this session has passed, so it cannot be cancelled. The mentor notes "
            "what happened instead."
        )
    session.status = cancelled
    session.ics_sequence += 1
    session.version += 1
    session.save(update_fields=["status", "ics_sequence", "version"])
    audit_record(
        actor=actor,
        action="session.cancelled",
        organisation=relationship.organisation,
        target=session,
        metadata={"by": str(role)},
    )
    _tell(relationship, _other(role), "cancelled", session)
    _check_missed_run(relationship, actor)
    return session


# The mentor's log ------------------------------------------------------------------------------


def _check_length(field: str, text: str, limit: int, errors: dict[str, str]) -> str:
    text = text.strip()
    if len(text) > limit:
        errors[field] = f"Keep this to {limit} characters or fewer."
    return text


def _check_mood(field: str, mood: int | None, errors: dict[str, str]) -> None:
    if mood is not None and not MOOD_MIN <= mood <= MOOD_MAX:
        errors[field] = f"Choose a number from {MOOD_MIN} to {MOOD_MAX}, or leave it blank."


@transaction.atomic
def session_log(
    *,
    actor: User,
    session: MentoringSession,
    outcome: str,
    length_minutes: int | None = None,
    topics: str = "",
    skills_shared: str = "",
    summary: str = "",
    private_notes: str = "",
    mood_before: int | None = None,
    mood_after: int | None = None,
    concern: bool = False,
    version: int | None,
) -> SessionSaved:
    """Record what happened at a session whose time has come, or change that record later.

    A concern tells the supervisor (once per flag). A session held clears the missed-sessions
    alert and may reach the halfway milestone; the Nth missed session in a row tells the
    coordinators."""
    relationship, session = _locked_pair(session)
    if _pair_role(relationship, actor) != Viewer.MENTOR:
        raise ValidationError("Only the mentor logs a session.")
    if relationship.is_ended:
        raise ValidationError(ENDED)
    if not session_can_be_logged(session):
        raise ValidationError("You can log this session once its time has come.")
    check_and_bump(session, version)
    errors: dict[str, str] = {}
    if outcome not in LOG_OUTCOMES:
        errors["outcome"] = "Choose what happened."
    held = outcome == SessionStatus.HELD
    if held and length_minutes is None:
        errors["length_minutes"] = "Say roughly how long you met, in minutes."
    elif length_minutes is not None and not (
        LENGTH_MINUTES_MIN <= length_minutes <= LENGTH_MINUTES_MAX
    ):
        errors["length_minutes"] = (
            f"Give a length between {LENGTH_MINUTES_MIN} and {LENGTH_MINUTES_MAX} minutes."
        )
    topics = _check_length("topics", topics, TOPICS_MAX, errors)
    skills_shared = _check_length("skills_shared", skills_shared, SKILLS_MAX, errors)
    summary = _check_length("summary", summary, SUMMARY_MAX, errors)
    private_notes = _check_length("private_notes", private_notes, PRIVATE_NOTES_MAX, errors)
    _check_mood("mood_before", mood_before, errors)
    _check_mood("mood_after", mood_after, errors)
    if errors:
        raise ValidationError(errors)

    first_log = session.logged_at is None
    newly_flagged = concern and not session.concern
    previous_status = session.status
    session.status = outcome
    session.length_minutes = length_minutes if held else None
    session.topics = topics
    session.skills_shared = skills_shared
    session.summary = summary
    session.private_notes = private_notes
    session.mood_before = mood_before
    session.mood_after = mood_after
    session.concern = concern
    if newly_flagged:
        session.concern_seen_at = None
        session.concern_seen_by = None
    session.logged_at = timezone.now()
    session.logged_by = actor
    session.save()
    risk = check_text(
        relationship,
        summary,
        topics,
        private_notes,
        source="session log",
        actor=actor,
        target=session,
    )
    audit_record(
        actor=actor,
        action="session.logged" if first_log else "session.log_changed",
        organisation=relationship.organisation,
        target=session,
        metadata={
            "status": outcome,
            "from_status": previous_status,
            "concern": concern,
            "possible_risk": risk.is_risk,
        },
    )
    if newly_flagged:
        _tell_supervisor(relationship, session)
    if held:
        if previous_status != SessionStatus.HELD:
            signals.session_held.send(sender=Relationship, relationship=relationship, actor=actor)
        if relationship.missed_alert_at is not None:
            relationship.missed_alert_at = None
            relationship.save(update_fields=["missed_alert_at"])
        check_halfway(relationship)
    else:
        _check_missed_run(relationship, actor)
    return SessionSaved(session=session, possible_risk=risk.is_risk, serious=risk.is_serious)


def _tell_supervisor(relationship: Relationship, session: MentoringSession) -> None:
    """The mentor flagged a concern: their supervisor (or, without one, the coordinators) should
    look at the session."""
    supervisor = relationship.mentor.supervisor
    if supervisor is not None and supervisor.is_active:
        recipients = [supervisor.email]
    else:
        recipients = coordinator_emails(relationship.organisation)
    send_templated_email(
        "mentoring/email/sessions_concern",
        to=recipients,
        context={"path": session_path(session)},
    )


def _check_missed_run(relationship: Relationship, actor: User | None) -> None:
    """Tell the coordinators once per run when the latest sessions were all missed."""
    limit = mentoring_settings(relationship.organisation).missed_sessions_alert
    if not limit or relationship.missed_alert_at is not None:
        return
    if missed_in_a_row(relationship, limit) < limit:
        return
    relationship.missed_alert_at = timezone.now()
    relationship.save(update_fields=["missed_alert_at"])
    audit_record(
        actor=actor,
        action="relationship.missed_sessions_alert",
        organisation=relationship.organisation,
        target=relationship,
        metadata={"missed_in_a_row": limit},
    )
    send_templated_email(
        "mentoring/email/sessions_missed",
        to=coordinator_emails(relationship.organisation),
        context={
            "missed": limit,
            "path": reverse("mentoring:sessions", args=[relationship.pk]),
        },
    )


# The mentee's reflection -----------------------------------------------------------------------


@transaction.atomic
def session_reflect(
    *,
    actor: User,
    session: MentoringSession,
    reflection: str = "",
    rating: int | None = None,
    version: int | None,
) -> SessionSaved:
    """The mentee's own words about a session that happened, and how it felt (1 to 5). Both are
    optional, but at least one is needed. The mentor sees them."""
    relationship, session = _locked_pair(session)
    if _pair_role(relationship, actor) != Viewer.MENTEE:
        raise ValidationError("Only the mentee adds a reflection.")
    if relationship.is_ended:
        raise ValidationError("This mentoring has ended, so reflections can no longer change.")
    if session.status != SessionStatus.HELD:
        raise ValidationError("You can add a reflection once your mentor has logged the session.")
    check_and_bump(session, version)
    errors: dict[str, str] = {}
    reflection = _check_length("reflection", reflection, REFLECTION_MAX, errors)
    if rating is not None and rating not in RATINGS:
        errors["rating"] = "Choose how the session felt, from 1 to 5."
    if not errors and not reflection and rating is None:
        errors["rating"] = "Choose how the session felt, or write a few words, or both."
    if errors:
        raise ValidationError(errors)
    first = session.reflected_at is None
    session.mentee_reflection = reflection
    session.mentee_rating = rating
    session.reflected_at = timezone.now()
    session.save(update_fields=["mentee_reflection", "mentee_rating", "reflected_at", "version"])
    risk = check_text(
        relationship, reflection, source="session reflection", actor=actor, target=session
    )
    audit_record(
        actor=actor,
        action="session.reflected" if first else "session.reflection_changed",
        organisation=relationship.organisation,
        target=session,
        metadata={"rating": rating, "possible_risk": risk.is_risk},
    )
    return SessionSaved(session=session, possible_risk=risk.is_risk, serious=risk.is_serious)


# The supervisor --------------------------------------------------------------------------------


@transaction.atomic
def session_concern_mark_seen(*, actor: User, session: MentoringSession) -> MentoringSession:
    """The supervisor has looked at a flagged session. Marking it twice changes nothing."""
    relationship, session = _locked_pair(session)
    if relationship.mentor.supervisor_id != actor.pk:
        raise ValidationError("Only the mentor's supervisor can mark this as seen.")
    if not session.concern:
        raise ValidationError("This session has no concern flagged.")
    if session.concern_seen_at is not None:
        return session
    session.concern_seen_at = timezone.now()
    session.concern_seen_by = actor
    session.save(update_fields=["concern_seen_at", "concern_seen_by"])
    audit_record(
        actor=actor,
        action="session.concern_seen",
        organisation=relationship.organisation,
        target=session,
    )
    return session
