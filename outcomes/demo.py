"""Invented demo outcome measures: the programme's default schedule; six past mentees whose
relationships ended, with questionnaires from the start to follow-up (five improve, one does
not change), so the coordinator's programme figures have enough people to show; Jamie's
baseline five weeks ago; and a PHQ-9 waiting for Jamie now, so the mentee dashboard shows one.

Past relationships go through the same services people use (intake, match, agreement, ending);
the answers are made directly, scored by the engine, and the clock is wound back afterwards.
No demo answer to PHQ-9 question 9 is above 0. Every person here is made up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import F
from django.utils import timezone

from mentoring.models import CheckIn, CheckInKind, CheckInStatus, EndReason, Relationship
from mentoring.selectors import mentoring_settings
from mentoring.services.agreements import AgreementTerms, agreement_acknowledge, agreement_save
from mentoring.services.checkins import check_in_record
from mentoring.services.ending import ending_begin, relationship_close
from outcomes import instruments as engine
from outcomes.models import (
    Answer,
    CompletedWith,
    MeasureRequest,
    MeasureResponse,
    Occasion,
    RequestStatus,
)
from outcomes.services.instruments import builtin_instrument
from outcomes.services.scheduling import measure_schedules, measure_settings, request_extra

if TYPE_CHECKING:
    from accounts.models import User
    from alongside.demo import DemoWorld

KEYS = ("phq9", "gad7", "who5")
RELATIONSHIP_WEEKS = 26


@dataclass(frozen=True)
class PastMentee:
    key: str
    name: str
    mentor: str
    areas: list[str]
    weeks_since_start: int
    reason: str
    # Totals at the start, after 6 and 12 sessions, at the ending and at follow-up, per
    # instrument (WHO-5 as its raw total, 0 to 25, where higher is better).
    totals: dict[str, tuple[int, ...]]


PAST = [
    PastMentee(
        "mentee.drew",
        "Drew Palmer",
        "mentor.jordan",
        ["Anxiety"],
        44,
        EndReason.GOALS_MET,
        {"phq9": (15, 11, 8, 6, 5), "gad7": (13, 10, 7, 5, 5), "who5": (8, 11, 14, 16, 17)},
    ),
    PastMentee(
        "mentee.noor",
        "Noor Haddad",
        "mentor.priya",
        ["Grief"],
        41,
        EndReason.END_DATE_REACHED,
        {"phq9": (12, 10, 7, 5, 6), "gad7": (10, 9, 6, 4, 4), "who5": (10, 12, 15, 16, 15)},
    ),
    PastMentee(
        "mentee.kai",
        "Kai Turner",
        "mentor.jordan",
        ["Depression"],
        38,
        EndReason.GOALS_MET,
        {"phq9": (18, 15, 12, 9), "gad7": (15, 13, 10, 8), "who5": (6, 8, 11, 13)},
    ),
    PastMentee(
        "mentee.quinn",
        "Quinn Foster",
        "mentor.priya",
        ["Depression"],
        35,
        EndReason.MENTEE_CHOSE,
        {"phq9": (11, 12, 10, 11), "gad7": (9, 10, 9, 9), "who5": (11, 10, 12, 11)},
    ),
    PastMentee(
        "mentee.rowan",
        "Rowan Price",
        "mentor.jordan",
        ["Anxiety"],
        32,
        EndReason.GOALS_MET,
        {"phq9": (14, 12, 9, 7), "gad7": (11, 9, 8, 6), "who5": (9, 11, 13, 15)},
    ),
    PastMentee(
        "mentee.elliot",
        "Elliot Shaw",
        "mentor.priya",
        ["Grief"],
        29,
        EndReason.END_DATE_REACHED,
        {"phq9": (16, 13, 10, 8), "gad7": (12, 11, 8, 7), "who5": (7, 10, 12, 14)},
    ),
]
# Jamie, five weeks into mentoring with Jordan (see mentoring/demo.py): the baseline.
JAMIE_BASELINE = {"phq9": 14, "gad7": 13, "who5": 9}


def answers_for(key: str, total: int) -> list[int | None]:
    """Answers adding up to ``total``, spread evenly; PHQ-9 question 9 is always 0."""
    definition = engine.builtin(key)
    keys = [item.key for item in definition.items]
    spread = [k for k in keys if not (key == "phq9" and k == "9")]
    base, extra = divmod(total, len(spread))
    values = {k: base + (1 if n < extra else 0) for n, k in enumerate(spread)}
    answers: list[int | None] = [values.get(k, 0) for k in keys]
    assert engine.score(definition, answers).total == total
    return answers


def _at(day: date, hour: int = 18) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _complete(
    request: MeasureRequest,
    total: int,
    when: datetime,
    *,
    with_mentor: User | None = None,
) -> MeasureResponse:
    """Answer ``request`` as if submitted at ``when`` (scored by the engine)."""
    key = request.instrument.key
    definition = engine.builtin(key)
    answers = answers_for(key, total)
    result = engine.score(definition, answers)
    response = MeasureResponse.objects.create(
        organisation=request.organisation,
        person=request.person,
        instrument=request.instrument,
        instrument_version=request.instrument.version,
        request=request,
        relationship=request.relationship,
        occasion=request.occasion,
        completed_with=CompletedWith.MENTOR if with_mentor else CompletedWith.SELF,
        entered_by=with_mentor or request.person,
        started_at=when - timedelta(minutes=definition.minutes + 1),
        completed_at=when,
        total=result.total,
        percentage=result.percentage,
        band=result.band or "",
        flags=list(result.flags),
        answered=result.answered,
        prorated=result.prorated,
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            item_key=item.key,
            position=position,
            value=str(value),
            answered_at=when,
        )
        for position, (item, value) in enumerate(zip(definition.items, answers, strict=True), 1)
    )
    request.status = RequestStatus.COMPLETED
    request.save(update_fields=["status"])
    return response


def _date(request: MeasureRequest, due_on: date, open_days: int) -> MeasureRequest:
    MeasureRequest.objects.filter(pk=request.pk).update(
        due_on=due_on,
        closes_on=due_on + timedelta(days=open_days),
        created_at=_at(due_on, 7),
    )
    request.refresh_from_db()
    return request


def _requests(person: User, occasion: str) -> dict[str, MeasureRequest]:
    return {
        request.instrument.key: request
        for request in MeasureRequest.objects.filter(person=person, occasion=occasion)
        .select_related("instrument", "organisation")
        .order_by("pk")
    }


def _agree(relationship: Relationship, mentor: User, mentee: User) -> None:
    saved = agreement_save(
        actor=mentor,
        relationship=relationship,
        terms=AgreementTerms(
            goals_in_own_words="Feel steadier day to day and get back to things I used to enjoy.",
            meeting_frequency="weekly",
            meeting_format="video",
            contact_channels=["messages"],
            contact_days=[0, 1, 2, 3, 4],
            contact_from=time(9),
            contact_until=time(20),
            reply_within_hours=48,
            planned_sessions=12,
            planned_end_on=timezone.localdate() + timedelta(weeks=RELATIONSHIP_WEEKS),
        ),
        based_on_version=None,
    )
    agreement_acknowledge(actor=mentee, relationship=relationship, version=saved.agreement.version)


def _past_mentee(world: DemoWorld, past: PastMentee, open_days: int) -> None:
    from mentoring.demo import demo_match, demo_person

    coordinator = world.people["coordinator"]
    mentor = world.people[past.mentor]
    mentee = demo_person(world, past.key, past.name)
    relationship = demo_match(world, mentee, past.mentor, past.areas)
    today = timezone.localdate()
    activated = today - timedelta(weeks=past.weeks_since_start)
    ended = activated + timedelta(weeks=RELATIONSHIP_WEEKS)
    follow_up = ended + timedelta(
        weeks=mentoring_settings(relationship.organisation).follow_up_weeks
    )

    # The start: baseline, answered alone a few days before mentoring began.
    for key, request in _requests(mentee, Occasion.BASELINE).items():
        request = _date(request, activated - timedelta(days=6), open_days)
        _complete(request, past.totals[key][0], _at(activated - timedelta(days=4), 19))
    _agree(relationship, mentor, mentee)
    # After 6 and 12 sessions: answered together with the mentor in a session.
    for number, weeks in ((6, 7), (12, 14)):
        due = activated + timedelta(weeks=weeks)
        for position, key in enumerate(KEYS):
            request = MeasureRequest.objects.create(
                organisation=relationship.organisation,
                person=mentee,
                instrument=builtin_instrument(key),
                occasion=Occasion.SESSIONS,
                occasion_number=number,
                relationship=relationship,
                referral=relationship.referral,
                due_on=due,
                closes_on=due + timedelta(days=open_days),
                created_at=_at(due, 7),
            )
            index = 1 if number == 6 else 2
            _complete(
                request,
                past.totals[key][index],
                _at(due + timedelta(days=1), 18) + timedelta(minutes=5 * position),
                with_mentor=mentor,
            )

    # The ending: planned ones start the ending first; the closing measures follow.
    if past.reason in EndReason.planned():
        ending_begin(actor=coordinator, relationship=relationship)
    relationship_close(actor=coordinator, relationship=relationship, reason=past.reason)
    for key, request in _requests(mentee, Occasion.CLOSURE).items():
        request = _date(request, ended - timedelta(weeks=2), open_days)
        _complete(request, past.totals[key][3], _at(ended - timedelta(days=9), 19))
    for key, request in _requests(mentee, Occasion.FOLLOW_UP).items():
        request = _date(request, follow_up, open_days)
        if len(past.totals[key]) > 4:
            _complete(request, past.totals[key][4], _at(follow_up + timedelta(days=2), 12))

    # Wind the clock back to when it all happened.
    shift = timezone.now() - _at(activated, 12)
    Relationship.objects.filter(pk=relationship.pk).update(
        started_at=_at(activated - timedelta(weeks=2), 12),
        activated_at=_at(activated, 12),
        planned_end_on=ended,
        closing_started_at=_at(ended - timedelta(weeks=2), 10),
        ended_at=_at(ended, 10),
    )
    check_ins = CheckIn.objects.filter(relationship=relationship)
    check_ins.filter(kind=CheckInKind.REGULAR).update(due_on=F("due_on") - shift)
    check_ins.filter(kind=CheckInKind.FOLLOW_UP).update(due_on=follow_up)
    for check_in in CheckIn.objects.filter(
        relationship=relationship, status=CheckInStatus.DUE, due_on__lte=today
    ):
        check_in_record(
            actor=coordinator,
            check_in=check_in,
            method="phone",
            how_it_is_going="Doing well; still using what they practised with their mentor.",
            version=check_in.version,
        )


def build_outcomes(world: DemoWorld) -> None:
    organisation = world.organisations["riverside"]
    measure_schedules(organisation)
    open_days = measure_settings(organisation).open_days
    for past in PAST:
        _past_mentee(world, past, open_days)

    # Jamie: the baseline from just before mentoring began, and a PHQ-9 waiting now.
    jamie = world.people["mentee.jamie"]
    relationship = Relationship.objects.get(mentee=jamie, organisation=organisation)
    assert relationship.activated_at is not None
    started = timezone.localdate(relationship.activated_at)
    for key, request in _requests(jamie, Occasion.BASELINE).items():
        request = _date(request, started - timedelta(days=5), open_days)
        _complete(request, JAMIE_BASELINE[key], _at(started - timedelta(days=3), 20))
    request_extra(
        actor=world.people["coordinator"],
        person=jamie,
        instrument=builtin_instrument("phq9"),
        organisation=organisation,
    )
