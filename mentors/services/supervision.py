"""Supervision and mentor wellbeing: who supervises whom, supervision sessions, mentors' own
check-ins, and which mentors are due for supervision.

Mentors give a lot of themselves; regular supervision and a quick way to say "I could do with
some support" protect them from burning out. Writes are audited services; the reads at the end
are scoped to the person asking, so pages can 404 on anything that is not theirs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import (
    Count,
    Exists,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organisation, Role, User
from accounts.selectors import coordinator_emails
from alongside.concurrency import already_made
from alongside.email import send_templated_email
from audit.models import AuditEvent
from audit.services import audit_record
from mentors.models import (
    MentorProfile,
    SupervisionKind,
    SupervisionSession,
    WellbeingCheckIn,
)
from mentors.selectors import programme_settings

# A second identical submission within this window is a double click, not a new record.
REPEAT_WINDOW = timedelta(minutes=10)
REMINDED_ACTION = "mentor_wellbeing.reminded"
SUPERVISION_MANAGERS = (Role.COORDINATOR, Role.ADMIN)


# --- Who may supervise -------------------------------------------------------------------------


def supervisors_for(organisation: Organisation) -> QuerySet[User]:
    """People who may supervise mentors here: an active supervisor membership."""
    return User.objects.filter(
        is_active=True,
        memberships__organisation=organisation,
        memberships__role=Role.SUPERVISOR,
        memberships__is_active=True,
    ).order_by("name", "email")


def _role_in(actor: User, organisation_id: int) -> str | None:
    return (
        Membership.objects.filter(user=actor, organisation_id=organisation_id, is_active=True)
        .values_list("role", flat=True)
        .first()
    )


def _check_may_supervise(actor: User, profiles: list[MentorProfile]) -> None:
    """Coordinators and administrators may record for any mentor of their organisation; a
    supervisor only for the mentors they supervise."""
    role = _role_in(actor, profiles[0].organisation_id)
    if role in SUPERVISION_MANAGERS:
        return
    if role == Role.SUPERVISOR and all(p.supervisor_id == actor.pk for p in profiles):
        return
    raise PermissionDenied("You can record supervision only for the mentors you supervise.")


# --- Writes ------------------------------------------------------------------------------------


@transaction.atomic
def supervisor_assign(
    *, actor: User, profile: MentorProfile, supervisor: User | None
) -> MentorProfile:
    """Give a mentor a supervisor (or none). Assigning the same person again changes nothing."""
    if _role_in(actor, profile.organisation_id) not in SUPERVISION_MANAGERS:
        raise PermissionDenied("Only coordinators and administrators assign supervisors.")
    profile = MentorProfile.objects.select_for_update().get(pk=profile.pk)
    if (
        supervisor is not None
        and not supervisors_for(profile.organisation).filter(pk=supervisor.pk).exists()
    ):
        raise ValidationError(
            {"supervisor": "Choose someone who is a supervisor in this organisation."}
        )
    new_id = supervisor.pk if supervisor is not None else None
    if profile.supervisor_id == new_id:
        return profile
    profile.supervisor = supervisor
    profile.save(update_fields=["supervisor"])
    audit_record(
        actor=actor,
        action="mentor_profile.supervisor_assigned"
        if supervisor is not None
        else "mentor_profile.supervisor_removed",
        organisation=profile.organisation,
        target=profile,
        metadata={"supervisor_id": new_id},
    )
    return profile


def check_session_dates(held_on: date, follow_up_on: date | None) -> None:
    """A session has happened (not in the future); any follow-up comes after it."""
    problems = {}
    if held_on > timezone.localdate():
        problems["held_on"] = "Enter the date the session was held. It cannot be in the future."
    if follow_up_on is not None and follow_up_on <= held_on:
        problems["follow_up_on"] = "The follow-up date must be after the session date."
    if problems:
        raise ValidationError(problems)


def _record_one(
    *,
    actor: User,
    profile: MentorProfile,
    held_on: date,
    kind: SupervisionKind,
    topics: str,
    actions: str,
    follow_up_on: date | None,
    client_key: str,
) -> SupervisionSession:
    """Save one session unless the same one was just saved (a double click or a refresh): the
    same ``client_key`` however late, or without one the same session within
    ``REPEAT_WINDOW``."""
    MentorProfile.objects.select_for_update().filter(pk=profile.pk).first()
    if client_key:
        earlier = already_made(SupervisionSession, client_key, profile=profile)
        if earlier is not None:
            return earlier
    recent = (
        SupervisionSession.objects.none()
        if client_key
        else SupervisionSession.objects.filter(
            profile=profile,
            supervisor=actor,
            held_on=held_on,
            kind=kind,
            follow_up_on=follow_up_on,
            recorded_at__gte=timezone.now() - REPEAT_WINDOW,
        )
    )
    for session in recent:  # topics and actions are encrypted, so they are compared here
        if session.topics == topics and session.actions == actions:
            return session
    session = SupervisionSession.objects.create(
        profile=profile,
        supervisor=actor,
        held_on=held_on,
        kind=kind,
        topics=topics,
        actions=actions,
        follow_up_on=follow_up_on,
        client_key=client_key,
    )
    audit_record(
        actor=actor,
        action="supervision_session.recorded",
        organisation=profile.organisation,
        target=session,
        metadata={"kind": kind.value, "profile_id": profile.pk},
    )
    return session


@transaction.atomic
def supervision_session_record(
    *,
    actor: User,
    profile: MentorProfile,
    held_on: date,
    kind: SupervisionKind | str,
    topics: str = "",
    actions: str = "",
    follow_up_on: date | None = None,
    client_key: str = "",
) -> SupervisionSession:
    """Record a supervision session with one mentor, held by ``actor``."""
    _check_may_supervise(actor, [profile])
    check_session_dates(held_on, follow_up_on)
    return _record_one(
        actor=actor,
        profile=profile,
        held_on=held_on,
        kind=SupervisionKind(kind),
        topics=topics,
        actions=actions,
        follow_up_on=follow_up_on,
        client_key=client_key,
    )


@transaction.atomic
def supervision_group_session_record(
    *,
    actor: User,
    profiles: Iterable[MentorProfile],
    held_on: date,
    topics: str = "",
    actions: str = "",
    follow_up_on: date | None = None,
    client_key: str = "",
) -> list[SupervisionSession]:
    """One group session counts for every mentor who came: one record each, all or none."""
    profiles = list(profiles)
    if not profiles:
        raise ValidationError({"profiles": "Choose the mentors who came to the session."})
    if len({profile.organisation_id for profile in profiles}) != 1:
        raise ValidationError({"profiles": "Choose mentors from one organisation."})
    _check_may_supervise(actor, profiles)
    check_session_dates(held_on, follow_up_on)
    return [
        _record_one(
            actor=actor,
            profile=profile,
            held_on=held_on,
            kind=SupervisionKind.GROUP,
            topics=topics,
            actions=actions,
            follow_up_on=follow_up_on,
            client_key=client_key,
        )
        for profile in sorted(profiles, key=lambda profile: profile.pk)
    ]


def current_supervisor(profile: MentorProfile) -> User | None:
    """The mentor's supervisor, if they still hold the supervisor role here."""
    supervisor = profile.supervisor
    if supervisor is None:
        return None
    return supervisors_for(profile.organisation).filter(pk=supervisor.pk).first()


def _support_recipients(profile: MentorProfile) -> tuple[list[str], str]:
    """Who hears that a mentor may need support: their supervisor, else the coordinators."""
    supervisor = current_supervisor(profile)
    if supervisor is not None:
        return [supervisor.email], "supervisor"
    emails = coordinator_emails(profile.organisation)
    return emails, "coordinators" if emails else "nobody"


@transaction.atomic
def wellbeing_check_in_submit(
    *,
    actor: User,
    profile: MentorProfile,
    coping: int,
    load: int,
    wants_support: bool,
    note: str = "",
    client_key: str = "",
) -> WellbeingCheckIn:
    """Save a mentor's own check-in; if it needs attention, tell whoever supports them.

    The email says only that a mentor may need support, never what they wrote.
    """
    if profile.user_id != actor.pk:
        raise PermissionDenied("Mentors check in for themselves only.")
    problems = {}
    if coping not in range(1, 6):
        problems["coping"] = "Choose a number from 1 to 5."
    if load not in range(1, 6):
        problems["load"] = "Choose a number from 1 to 5."
    if problems:
        raise ValidationError(problems)
    profile = (
        MentorProfile.objects.select_for_update(of=("self",))
        .select_related("supervisor")
        .get(pk=profile.pk)
    )
    if client_key:
        earlier = already_made(WellbeingCheckIn, client_key, profile=profile)
        if earlier is not None:
            return earlier  # a resend: already saved, and already passed on
    recent = (
        WellbeingCheckIn.objects.none()
        if client_key
        else WellbeingCheckIn.objects.filter(
            profile=profile,
            coping=coping,
            load=load,
            wants_support=wants_support,
            submitted_at__gte=timezone.now() - REPEAT_WINDOW,
        )
    )
    for check_in in recent:
        if check_in.note == note:
            return check_in  # a double click: already saved, and already passed on
    check_in = WellbeingCheckIn.objects.create(
        profile=profile,
        coping=coping,
        load=load,
        wants_support=wants_support,
        note=note,
        client_key=client_key,
    )
    told = "nobody"
    if check_in.needs_attention:
        recipients, told = _support_recipients(profile)
        if recipients:
            send_templated_email(
                "mentors/email/wellbeing_support",
                to=recipients,
                context={
                    "wants_support": wants_support,
                    "to_coordinators": told == "coordinators",
                    "path": reverse("mentors:supervision_mentor", args=[profile.pk]),
                },
            )
            check_in.supervisor_notified_at = timezone.now()
            check_in.save(update_fields=["supervisor_notified_at"])
    audit_record(
        actor=actor,
        action="mentor_wellbeing.checked_in",
        organisation=profile.organisation,
        target=check_in,
        metadata={"told": told},
    )
    return check_in


@transaction.atomic
def wellbeing_reminder_send(*, profile: MentorProfile) -> None:
    """Invite a mentor to check in. The audit event is also how we know not to ask again soon."""
    send_templated_email(
        "mentors/email/wellbeing_reminder",
        to=[profile.user.email],
        context={"profile": profile, "path": reverse("mentors:wellbeing")},
    )
    audit_record(
        actor=None, action=REMINDED_ACTION, organisation=profile.organisation, target=profile
    )


# --- Reads -------------------------------------------------------------------------------------


def active_mentor_profiles(organisation: Organisation) -> QuerySet[MentorProfile]:
    """Certified (at some point) mentors who are still mentors here: the people to supervise."""
    return MentorProfile.objects.filter(
        organisation=organisation,
        certified_at__isnull=False,
        user__is_active=True,
        user__memberships__organisation=organisation,
        user__memberships__role=Role.MENTOR,
        user__memberships__is_active=True,
    )


def supervised_profiles(membership: Membership) -> QuerySet[MentorProfile]:
    """The mentor profiles this person looks after: a supervisor their own mentors, a
    coordinator or administrator everyone in the organisation. Anyone else: none."""
    profiles = MentorProfile.objects.filter(organisation=membership.organisation)
    if membership.role == Role.SUPERVISOR:
        return profiles.filter(supervisor_id=membership.user_id)
    if membership.role in SUPERVISION_MANAGERS:
        return profiles
    return profiles.none()


def get_supervised_profile(membership: Membership, pk: int) -> MentorProfile:
    try:
        return supervised_profiles(membership).select_related("supervisor", "user").get(pk=pk)
    except MentorProfile.DoesNotExist:
        raise Http404 from None


def get_own_mentor_profile(membership: Membership) -> MentorProfile:
    """The signed-in mentor's own profile in the organisation in use; 404 if they have none."""
    if membership.role != Role.MENTOR:
        raise Http404
    profile = (
        MentorProfile.objects.select_related("supervisor")
        .filter(user_id=membership.user_id, organisation=membership.organisation)
        .first()
    )
    if profile is None:
        raise Http404
    return profile


@dataclass(frozen=True)
class SupervisionStatus:
    """One mentor's line on the supervision overview."""

    profile: MentorProfile
    last_held_on: date | None
    next_due_on: date
    is_overdue: bool
    latest_check_in: WellbeingCheckIn | None

    @property
    def wellbeing_flag(self) -> str:
        check_in = self.latest_check_in
        if check_in is None or not check_in.needs_attention:
            return ""
        return "Asked for support" if check_in.wants_support else "Low score"


def _local_date(moment: datetime | None) -> date:
    return timezone.localdate(moment) if moment is not None else timezone.localdate()


def supervision_statuses(
    organisation: Organisation, profiles: QuerySet[MentorProfile]
) -> list[SupervisionStatus]:
    """When each mentor was last supervised and is next due, overdue ones first. Three queries
    however many mentors there are."""
    interval = supervision_interval(organisation)
    latest_check_in = WellbeingCheckIn.objects.filter(profile=OuterRef("pk")).order_by(
        "-submitted_at", "-pk"
    )
    rows = list(
        profiles.filter(organisation=organisation)
        .select_related("supervisor")
        .annotate(
            last_held_on=Max("supervision_sessions__held_on"),
            latest_check_in_id=Subquery(latest_check_in.values("pk")[:1]),
        )
        .order_by("display_name", "pk")
    )
    check_ins = WellbeingCheckIn.objects.defer("note").in_bulk(
        [row.latest_check_in_id for row in rows if row.latest_check_in_id]
    )
    today = timezone.localdate()
    statuses = []
    for profile in rows:
        last_held_on: date | None = profile.last_held_on
        start = last_held_on if last_held_on is not None else _local_date(profile.certified_at)
        next_due_on = start + interval
        statuses.append(
            SupervisionStatus(
                profile=profile,
                last_held_on=last_held_on,
                next_due_on=next_due_on,
                is_overdue=next_due_on < today,
                latest_check_in=check_ins.get(profile.latest_check_in_id),
            )
        )
    statuses.sort(key=lambda status: (not status.is_overdue, status.next_due_on))
    return statuses


def supervision_overview(membership: Membership) -> list[SupervisionStatus]:
    """A supervisor's own mentors, or everyone for coordinators and admins (see
    ``mentors.supervision_overview`` for the page itself, which may list thousands)."""
    organisation = membership.organisation
    profiles = supervised_profiles(membership) & active_mentor_profiles(organisation)
    return supervision_statuses(organisation, profiles)


def due_from_annotated(profiles: QuerySet[MentorProfile]) -> QuerySet[MentorProfile]:
    """Each mentor's last supervision, and the day their interval runs from: that session, or
    certification if they have had none. Overdue means that day plus the interval is past."""
    last_held = SupervisionSession.objects.filter(profile=OuterRef("pk")).order_by("-held_on")
    return profiles.annotate(
        last_held_on=Subquery(last_held.values("held_on")[:1]),
        due_from=Coalesce(
            Subquery(last_held.values("held_on")[:1]),
            TruncDate("certified_at", tzinfo=timezone.get_current_timezone()),
        ),
    )


def supervision_interval(organisation: Organisation) -> timedelta:
    return timedelta(days=programme_settings(organisation).supervision_interval_days)


def overdue_supervision_count(organisation: Organisation) -> int:
    """How many of the organisation's mentors are overdue for supervision, counted in SQL."""
    overdue_before = timezone.localdate() - supervision_interval(organisation)
    counts = due_from_annotated(active_mentor_profiles(organisation)).aggregate(
        overdue=Count("pk", filter=Q(due_from__lt=overdue_before))
    )
    return int(counts["overdue"])


def mentors_overdue_for_supervision(organisation: Organisation) -> list[SupervisionStatus]:
    """Every mentor in the organisation whose supervision is overdue (for counts and lists)."""
    statuses = supervision_statuses(organisation, active_mentor_profiles(organisation))
    return [status for status in statuses if status.is_overdue]


def supervision_status_for(profile: MentorProfile) -> SupervisionStatus:
    statuses = supervision_statuses(
        profile.organisation, MentorProfile.objects.filter(pk=profile.pk)
    )
    return statuses[0]


def wellbeing_next_due(profile: MentorProfile, last: WellbeingCheckIn | None) -> date:
    """A mentor is asked to check in once per interval; never checked in means due now."""
    if last is None:
        return timezone.localdate()
    interval = timedelta(days=programme_settings(profile.organisation).wellbeing_interval_days)
    return _local_date(last.submitted_at) + interval


def profiles_due_a_wellbeing_reminder(now: datetime | None = None) -> list[MentorProfile]:
    """Certified mentors whose last check-in is older than their organisation's interval (or who
    never checked in), and who have not been reminded within that interval.

    Reminders are remembered through the audit trail (``mentor_wellbeing.reminded`` on the
    profile), so no extra field is needed and the record of reminding is itself audited.
    """
    now = now or timezone.now()
    still_a_mentor = Membership.objects.filter(
        user=OuterRef("user"),
        organisation=OuterRef("organisation"),
        role=Role.MENTOR,
        is_active=True,
    )
    candidates = (
        MentorProfile.objects.filter(
            Exists(still_a_mentor),
            certified_at__isnull=False,
            certification_expires_at__gt=now,
            user__is_active=True,
        )
        .select_related("organisation", "user")
        .annotate(last_check_in_at=Max("wellbeing_check_ins__submitted_at"))
        .order_by("pk")
    )
    intervals: dict[int, timedelta] = {}
    due = []
    for profile in candidates:
        if profile.organisation_id not in intervals:
            days = programme_settings(profile.organisation).wellbeing_interval_days
            intervals[profile.organisation_id] = timedelta(days=days)
        last: datetime | None = profile.last_check_in_at
        if last is None or last <= now - intervals[profile.organisation_id]:
            due.append(profile)
    if not due:
        return []
    longest = max(intervals.values())
    reminded: dict[str, datetime] = {}
    for object_id, occurred_at in AuditEvent.objects.filter(
        action=REMINDED_ACTION,
        object_type=MentorProfile._meta.label_lower,
        occurred_at__gt=now - longest,
    ).values_list("object_id", "occurred_at"):
        reminded[object_id] = max(occurred_at, reminded.get(object_id, occurred_at))
    return [
        profile
        for profile in due
        if str(profile.pk) not in reminded
        or reminded[str(profile.pk)] <= now - intervals[profile.organisation_id]
    ]
