"""When measures fall due (reminders and closing overdue ones: ``outcomes.services.reminders``).

Requests are made when things happen elsewhere in the programme (intake completed, a session
held, the planned ending started, the relationship ended: see ``outcomes/receivers.py``), by the
daily upkeep (every N weeks of mentoring) and when staff ask for an extra one. A person is never
asked the same questionnaire twice at once: a newer request supersedes an older open one.

Reminder emails are content-free: "a short questionnaire is waiting", never which one or why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organisation, Role, User
from alongside.email import send_templated_email
from audit.services import audit_record
from mentoring.models import Relationship, RelationshipStatus
from mentoring.selectors import current_relationship_of, held_sessions, mentoring_settings
from outcomes.models import (
    Instrument,
    MeasureRequest,
    MeasureSchedule,
    MeasureSettings,
    Occasion,
    RequestStatus,
)
from outcomes.services.instruments import builtin_instrument, instruments_for
from privacy.consent import processing_allowed
from privacy.models import Purpose
from referrals.models import Referral

# The programme a new organisation starts from: each shipped instrument at the start, every six
# sessions, at the ending and at follow-up.
DEFAULT_KEYS = ("phq9", "gad7", "who5")
DEFAULT_EVERY_SESSIONS = 6
DEFAULT_SCHEDULE = {
    "is_active": True,
    "at_baseline": True,
    "every_sessions": DEFAULT_EVERY_SESSIONS,
    "every_weeks": None,
    "at_closure": True,
    "at_follow_up": True,
}

# field: (lowest, highest, message). Blank (None) means "never" for the two "every" fields.
SCHEDULE_LIMITS: dict[str, tuple[int, int, str]] = {
    "every_sessions": (1, 52, "Choose a number of sessions between 1 and 52, or leave it blank."),
    "every_weeks": (1, 52, "Choose a number of weeks between 1 and 52, or leave it blank."),
}
SETTINGS_LIMITS: dict[str, tuple[int, int, str]] = {
    "open_days": (1, 90, "Choose a number of days between 1 and 90."),
    "reminder_days": (1, 30, "Choose a number of days between 1 and 30."),
    "max_reminders": (0, 10, "Choose a number between 0 (no emails) and 10."),
}
NO_OCCASION = "Choose at least one time to ask it, or stop using it."
NOT_AVAILABLE = "Choose one of the questionnaires this programme can use."


def schedule_field(instrument: Instrument, name: str) -> str:
    """The name of one instrument's setting in forms and in the errors this module raises."""
    return f"{instrument.key}-{name}"


# Reads -------------------------------------------------------------------------------------------


def measure_schedules(organisation: Organisation) -> QuerySet[MeasureSchedule]:
    """The organisation's active schedules. An organisation that never chose gets the defaults
    (created here, inside the caller's transaction)."""
    rows = MeasureSchedule.objects.filter(organisation=organisation)
    if not rows.exists():
        for key in DEFAULT_KEYS:
            MeasureSchedule.objects.get_or_create(
                organisation=organisation,
                instrument=builtin_instrument(key),
                defaults=DEFAULT_SCHEDULE,
            )
    return rows.filter(is_active=True, instrument__is_active=True).select_related("instrument")


def measure_settings(organisation: Organisation) -> MeasureSettings:
    found, _ = MeasureSettings.objects.get_or_create(organisation=organisation)
    return found


@dataclass(frozen=True)
class ScheduleChoice:
    """What an organisation chose for one instrument (the settings page's fields)."""

    uses: bool = False
    at_baseline: bool = False
    every_sessions: int | None = None
    every_weeks: int | None = None
    at_closure: bool = False
    at_follow_up: bool = False

    @property
    def when(self) -> str:
        """When the programme asks for it, in words ("" if it does not use it)."""
        if not self.uses:
            return ""
        parts = []
        if self.at_baseline:
            parts.append("at the start")
        if self.every_sessions:
            parts.append(f"every {self.every_sessions} sessions")
        if self.every_weeks:
            parts.append(f"every {self.every_weeks} weeks")
        if self.at_closure:
            parts.append("at the ending")
        if self.at_follow_up:
            parts.append("at follow-up")
        return ", ".join(parts)

    @property
    def asks_at_all(self) -> bool:
        return bool(
            self.at_baseline
            or self.every_sessions
            or self.every_weeks
            or self.at_closure
            or self.at_follow_up
        )


def instruments_in_order(organisation: Organisation) -> QuerySet[Instrument]:
    """The instruments the organisation may use: the shipped ones first, then its own."""
    return instruments_for(organisation).order_by(
        F("organisation_id").asc(nulls_first=True), "short_name"
    )


def schedule_choices(organisation: Organisation) -> list[tuple[Instrument, ScheduleChoice]]:
    """Each instrument the organisation may use with what it chose (the defaults if it never
    chose), without writing anything."""
    rows = {
        row.instrument_id: row for row in MeasureSchedule.objects.filter(organisation=organisation)
    }
    chosen = []
    for instrument in instruments_in_order(organisation):
        row = rows.get(instrument.pk)
        if row is not None:
            choice = ScheduleChoice(
                uses=row.is_active,
                at_baseline=row.at_baseline,
                every_sessions=row.every_sessions,
                every_weeks=row.every_weeks,
                at_closure=row.at_closure,
                at_follow_up=row.at_follow_up,
            )
        elif not rows and instrument.organisation_id is None and instrument.key in DEFAULT_KEYS:
            choice = ScheduleChoice(
                uses=True,
                at_baseline=True,
                every_sessions=DEFAULT_EVERY_SESSIONS,
                at_closure=True,
                at_follow_up=True,
            )
        else:
            choice = ScheduleChoice()
        chosen.append((instrument, choice))
    return chosen


# Settings ----------------------------------------------------------------------------------------


def _check_number(value: int | None, limits: tuple[int, int, str], *, blank_ok: bool) -> str | None:
    lowest, highest, message = limits
    if value is None:
        return None if blank_ok else message
    if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= highest:
        return message
    return None


@transaction.atomic
def measure_settings_save(
    *,
    actor: User,
    organisation: Organisation,
    schedules: Mapping[int, ScheduleChoice],
    open_days: int,
    reminder_days: int,
    max_reminders: int,
) -> MeasureSettings:
    """Save which instruments the programme uses and when (``schedules`` maps instrument ids to
    choices; instruments left out keep what they had), and how long measures stay open and how
    people are reminded. Requests already made are not changed."""
    available = {instrument.pk: instrument for instrument in instruments_for(organisation)}
    errors: dict[str, str] = {}
    unknown = set(schedules) - set(available)
    if unknown:
        raise ValidationError(NOT_AVAILABLE)
    for pk, choice in schedules.items():
        instrument = available[pk]
        for name, limits in SCHEDULE_LIMITS.items():
            problem = _check_number(getattr(choice, name), limits, blank_ok=True)
            if problem:
                errors[schedule_field(instrument, name)] = problem
        if choice.uses and not choice.asks_at_all:
            errors[schedule_field(instrument, "uses")] = NO_OCCASION
    numbers = {
        "open_days": open_days,
        "reminder_days": reminder_days,
        "max_reminders": max_reminders,
    }
    for name, limits in SETTINGS_LIMITS.items():
        problem = _check_number(numbers[name], limits, blank_ok=False)
        if problem:
            errors[name] = problem
    if errors:
        raise ValidationError(errors)

    MeasureSettings.objects.get_or_create(organisation=organisation)
    settings = MeasureSettings.objects.select_for_update().get(organisation=organisation)
    changed = [name for name, value in numbers.items() if getattr(settings, name) != value]
    for name in changed:
        setattr(settings, name, numbers[name])
    if changed:
        settings.save(update_fields=[*changed, "updated_at"])
    used = []
    for pk, choice in schedules.items():
        MeasureSchedule.objects.update_or_create(
            organisation=organisation,
            instrument_id=pk,
            defaults={
                "is_active": choice.uses,
                "at_baseline": choice.at_baseline,
                "every_sessions": choice.every_sessions,
                "every_weeks": choice.every_weeks,
                "at_closure": choice.at_closure,
                "at_follow_up": choice.at_follow_up,
            },
        )
        if choice.uses:
            used.append(available[pk].key)
    audit_record(
        actor=actor,
        action="measure_settings.updated",
        organisation=organisation,
        target=settings,
        metadata={
            "instruments": ",".join(sorted(used))[:80],
            "fields": ",".join(sorted(changed))[:80],
        },
    )
    return settings


# Making requests ---------------------------------------------------------------------------------


def _request_create(
    *,
    actor: User | None,
    organisation: Organisation,
    person: User,
    instrument: Instrument,
    occasion: str,
    occasion_number: int = 0,
    relationship: Relationship | None = None,
    referral: Referral | None = None,
    due_on: date | None = None,
    open_days: int | None = None,
) -> MeasureRequest | None:
    """Ask ``person`` to complete ``instrument`` from ``due_on``, unless this occasion was
    already asked (whatever became of it; a baseline belongs to its referral). Older open
    requests for the same instrument are superseded: cancelled if the new one is due now,
    otherwise closed the day before it is due, so the person never sees the same questionnaire
    twice at once (and a new one closes before a later one already planned falls due)."""
    today = timezone.localdate()
    due_on = due_on or today
    if occasion != Occasion.EXTRA:
        asked = MeasureRequest.objects.filter(
            person=person,
            instrument=instrument,
            occasion=occasion,
            occasion_number=occasion_number,
            relationship=relationship,
        )
        if occasion == Occasion.BASELINE:
            asked = asked.filter(referral=referral)
        if asked.exists():
            return None
    if open_days is None:
        open_days = measure_settings(organisation).open_days
    closes_on = due_on + timedelta(days=open_days)
    open_ones = MeasureRequest.objects.filter(
        person=person, instrument=instrument, status__in=RequestStatus.open()
    )
    later = open_ones.filter(due_on__gt=due_on).order_by("due_on").first()
    if later is not None:
        closes_on = min(closes_on, later.due_on - timedelta(days=1))
    earlier = open_ones.filter(due_on__lte=due_on)
    if due_on <= today:
        superseded = earlier.update(status=RequestStatus.CANCELLED)
    else:
        superseded = earlier.filter(closes_on__gte=due_on).update(
            closes_on=due_on - timedelta(days=1)
        )
    made = MeasureRequest.objects.create(
        organisation=organisation,
        person=person,
        instrument=instrument,
        occasion=occasion,
        occasion_number=occasion_number,
        relationship=relationship,
        referral=referral,
        due_on=due_on,
        closes_on=closes_on,
    )
    audit_record(
        actor=actor,
        action="measure.requested",
        organisation=organisation,
        target=made,
        metadata={
            "instrument": instrument.key,
            "occasion": occasion,
            "number": occasion_number,
            "superseded": superseded,
        },
    )
    return made


def _for_relationship(
    relationship: Relationship,
    schedules: Iterable[MeasureSchedule],
    *,
    actor: User | None,
    occasion: str,
    occasion_number: int = 0,
    due_on: date | None = None,
) -> list[MeasureRequest]:
    open_days = measure_settings(relationship.organisation).open_days
    made = []
    for schedule in schedules:
        request = _request_create(
            actor=actor,
            organisation=relationship.organisation,
            person=relationship.mentee,
            instrument=schedule.instrument,
            occasion=occasion,
            occasion_number=occasion_number,
            relationship=relationship,
            referral=relationship.referral,
            due_on=due_on,
            open_days=open_days,
        )
        if request is not None:
            made.append(request)
    return made


@transaction.atomic
def requests_at_intake(*, referral: Referral, actor: User | None) -> list[MeasureRequest]:
    """Intake is complete: the baseline measures are due, before mentoring starts. Someone who
    already has a baseline (a second referral) is not asked again."""
    person = referral.mentee
    if person is None:
        return []
    organisation = referral.organisation
    open_days = measure_settings(organisation).open_days
    made = []
    for schedule in measure_schedules(organisation).filter(at_baseline=True):
        had_one = MeasureRequest.objects.filter(
            person=person,
            instrument=schedule.instrument,
            occasion=Occasion.BASELINE,
            status__in=[*RequestStatus.open(), RequestStatus.COMPLETED],
        ).exists()
        if had_one:
            continue
        request = _request_create(
            actor=actor,
            organisation=organisation,
            person=person,
            instrument=schedule.instrument,
            occasion=Occasion.BASELINE,
            referral=referral,
            open_days=open_days,
        )
        if request is not None:
            made.append(request)
    return made


@transaction.atomic
def requests_after_session(
    *, relationship: Relationship, actor: User | None
) -> list[MeasureRequest]:
    """A session was held: measures asked every N sessions are due when the count reaches a
    multiple of N."""
    held = held_sessions(relationship)
    if held == 0:
        return []
    schedules = [
        schedule
        for schedule in measure_schedules(relationship.organisation).filter(
            every_sessions__isnull=False
        )
        if schedule.every_sessions and held % schedule.every_sessions == 0
    ]
    return _for_relationship(
        relationship, schedules, actor=actor, occasion=Occasion.SESSIONS, occasion_number=held
    )


def _weeks_number(activated_at: datetime, every: int, today: date) -> int:
    """The latest week (a multiple of ``every``) reached since mentoring started; 0 if none."""
    weeks = (today - timezone.localdate(activated_at)).days // 7
    return (weeks // every) * every


def requests_by_weeks(*, today: date | None = None) -> int:
    """Measures asked every N weeks: for each current relationship, the latest N-week point
    reached (earlier points missed are not made up). Returns how many requests were made."""
    today = today or timezone.localdate()
    relationships = list(
        Relationship.objects.filter(
            status__in=[RelationshipStatus.ACTIVE, RelationshipStatus.CLOSING],
            activated_at__isnull=False,
        ).select_related("organisation", "mentee", "referral")
    )
    by_organisation: dict[int, list[Relationship]] = defaultdict(list)
    for relationship in relationships:
        by_organisation[relationship.organisation_id].append(relationship)
    made = 0
    for group in by_organisation.values():
        organisation = group[0].organisation
        schedules = [
            schedule
            for schedule in measure_schedules(organisation).filter(every_weeks__isnull=False)
            if schedule.every_weeks
        ]
        if not schedules:
            continue
        asked = set(
            MeasureRequest.objects.filter(
                relationship__in=group, occasion=Occasion.WEEKS
            ).values_list("relationship_id", "instrument_id", "occasion_number")
        )
        due: list[tuple[Relationship, MeasureSchedule, int]] = []
        for relationship in group:
            assert relationship.activated_at is not None
            for schedule in schedules:
                assert schedule.every_weeks is not None
                number = _weeks_number(relationship.activated_at, schedule.every_weeks, today)
                if number >= 1 and (relationship.pk, schedule.instrument_id, number) not in asked:
                    due.append((relationship, schedule, number))
        if due:
            made += _make_weekly(due, organisation, today)
    return made


@transaction.atomic
def _make_weekly(
    due: list[tuple[Relationship, MeasureSchedule, int]], organisation: Organisation, today: date
) -> int:
    open_days = measure_settings(organisation).open_days
    made = 0
    for relationship, schedule, number in due:
        request = _request_create(
            actor=None,
            organisation=organisation,
            person=relationship.mentee,
            instrument=schedule.instrument,
            occasion=Occasion.WEEKS,
            occasion_number=number,
            relationship=relationship,
            referral=relationship.referral,
            due_on=today,
            open_days=open_days,
        )
        made += request is not None
    return made


@transaction.atomic
def requests_at_closure(*, relationship: Relationship, actor: User | None) -> list[MeasureRequest]:
    """The planned ending started: the closing measures are due."""
    schedules = measure_schedules(relationship.organisation).filter(at_closure=True)
    return _for_relationship(relationship, schedules, actor=actor, occasion=Occasion.CLOSURE)


@transaction.atomic
def requests_at_end(*, relationship: Relationship, actor: User | None) -> list[MeasureRequest]:
    """The relationship ended. Measures during mentoring still open are no longer needed; an
    unplanned ending gets its closing measures now, and the follow-up ones fall due the
    organisation's follow-up weeks after the ending."""
    MeasureRequest.objects.filter(
        relationship=relationship,
        occasion__in=[Occasion.SESSIONS, Occasion.WEEKS],
        status__in=RequestStatus.open(),
    ).update(status=RequestStatus.CANCELLED)
    if relationship.activated_at is None:
        return []
    schedules = list(measure_schedules(relationship.organisation))
    made = _for_relationship(
        relationship,
        [schedule for schedule in schedules if schedule.at_closure],
        actor=actor,
        occasion=Occasion.CLOSURE,
    )
    if not processing_allowed(relationship.mentee, Purpose.FOLLOW_UP):
        return made
    ended = timezone.localdate(relationship.ended_at or timezone.now())
    weeks = mentoring_settings(relationship.organisation).follow_up_weeks
    made += _for_relationship(
        relationship,
        [schedule for schedule in schedules if schedule.at_follow_up],
        actor=actor,
        occasion=Occasion.FOLLOW_UP,
        due_on=ended + timedelta(weeks=weeks),
    )
    return made


@transaction.atomic
def request_extra(
    *, actor: User, person: User, instrument: Instrument, organisation: Organisation
) -> MeasureRequest:
    """Staff ask a mentee to complete a measure now, outside the schedule. The person is emailed
    that a short questionnaire is waiting. Asking again the same day gives back the same one."""
    if not instruments_for(organisation).filter(pk=instrument.pk).exists():
        raise ValidationError({"instrument": NOT_AVAILABLE})
    is_mentee = Membership.objects.filter(
        organisation=organisation, user=person, role=Role.MENTEE
    ).exists()
    if not is_mentee:
        raise ValidationError("Measures can only be asked of the programme's mentees.")
    today = timezone.localdate()
    already = MeasureRequest.objects.filter(
        person=person,
        instrument=instrument,
        occasion=Occasion.EXTRA,
        status__in=RequestStatus.open(),
        due_on=today,
    ).first()
    if already is not None:
        return already
    relationship = current_relationship_of(person, organisation.pk)
    request = _request_create(
        actor=actor,
        organisation=organisation,
        person=person,
        instrument=instrument,
        occasion=Occasion.EXTRA,
        relationship=relationship,
        referral=relationship.referral if relationship is not None else None,
        due_on=today,
    )
    assert request is not None
    if person.is_active and person.email:
        request.reminded_at = timezone.now()
        request.reminders_sent = 1
        request.save(update_fields=["reminded_at", "reminders_sent"])
        email_measure_due(person)
    return request


def email_measure_due(person: User) -> None:
    """The content-free "a short questionnaire is waiting" email."""
    send_templated_email(
        "outcomes/email/measure_due",
        to=[person.email],
        context={"path": reverse("outcomes:mine")},
    )
