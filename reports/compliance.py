"""Practice-standard compliance: whether the programme met its own standards, for each mentor
and each relationship in the report's slice.

Each standard picks the mentors or relationships it applies to and annotates each one with
``met``, in SQL; the page counts them and lists the first few that were not met, with what is
missing, so a coordinator can put it right. Standards are judged at the end of the period, or
now if the period has not ended yet (see ``Moment``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse
from django.utils import dateformat, timezone

from mentoring.access import mentee_name
from mentoring.models import (
    Agreement,
    CheckIn,
    CheckInKind,
    CheckInPerson,
    CheckInStatus,
    EndKind,
    Relationship,
    WellbeingPlan,
)
from mentors.models import (
    BackgroundCheck,
    CheckOutcome,
    Interview,
    InterviewOutcome,
    MentorProfile,
    MentorProgrammeSettings,
    Reference,
    ReferenceStatus,
    SupervisionSession,
    TrainingCompletion,
    TrainingModule,
)
from mentors.services.applications import REFERENCES_NEEDED
from mentors.services.training import format_minutes
from reports.filters import ReportFilter

GAPS_SHOWN = 20
MENTORS = "mentors"
RELATIONSHIPS = "relationships"
# Check-ins: two with each person in the first month, then monthly (mentoring/services/lifecycle.py
# schedules them 14 and 28 days after the start, then every 30 days). A check-in counts as done on
# time up to this many days after it was due.
FIRST_MONTH_CHECK_INS = 2
FIRST_MONTH_DAYS = 30
CHECK_IN_GRACE_DAYS = 7


@dataclass(frozen=True)
class Gap:
    """One mentor or relationship that did not meet a standard, and what is missing."""

    label: str
    url: str
    detail: str


@dataclass(frozen=True)
class Standard:
    key: str
    title: str
    # What "met" means, in a sentence, with the setting it uses (e.g. "every 30 days").
    description: str
    # "mentors" or "relationships"
    applies_to: str
    met: int
    of: int
    # The first GAPS_SHOWN gaps; ``gaps_total`` is how many there are.
    gaps: tuple[Gap, ...] = ()

    @property
    def gaps_total(self) -> int:
        return self.of - self.met

    @property
    def percent(self) -> int | None:
        return round(self.met * 100 / self.of) if self.of else None


@dataclass(frozen=True)
class ComplianceReport:
    report_filter: ReportFilter
    standards: tuple[Standard, ...]

    def standard(self, key: str) -> Standard:
        return next(standard for standard in self.standards if standard.key == key)


STANDARD_KEYS: tuple[str, ...] = (
    "screening_before_training",
    "training_before_first_match",
    "supervision_interval",
    "check_ins",
    "agreement_signed",
    "closure",
)


# When and against which settings the standards are judged -------------------------------------


@dataclass(frozen=True)
class Moment:
    """The moment standards are judged at: the end of the period, or now if that is earlier."""

    at: datetime
    day: date
    # "the period end" or "today", and how a sentence says "at" it.
    name: str
    when: str

    @classmethod
    def for_filter(cls, report_filter: ReportFilter, now: datetime | None = None) -> Moment:
        now = now or timezone.now()
        period = report_filter.period
        if period.until <= now:
            return cls(period.until, period.end, "the period end", "at the period end")
        return cls(now, timezone.localdate(now), "today", "today")


@dataclass(frozen=True)
class Context:
    report_filter: ReportFilter
    moment: Moment
    settings: MentorProgrammeSettings
    required_modules: int


def _context(report_filter: ReportFilter) -> Context:
    """The organisation's settings, read without creating them (a report never writes)."""
    organisation = report_filter.organisation
    settings = MentorProgrammeSettings.objects.filter(organisation=organisation).first()
    required = TrainingModule.objects.filter(
        organisation=organisation, is_active=True, required_before_matching=True
    ).count()
    return Context(
        report_filter=report_filter,
        moment=Moment.for_filter(report_filter),
        settings=settings or MentorProgrammeSettings(organisation=organisation),
        required_modules=required,
    )


# Small SQL helpers ------------------------------------------------------------------------------


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """How many rows ``queryset`` (correlated with OuterRef) has, as a scalar subquery."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _sum(queryset: QuerySet[Any], field: str) -> Coalesce:
    summed = queryset.order_by().annotate(total=Func(F(field), function="SUM")).values("total")
    return Coalesce(Subquery(summed, output_field=IntegerField()), 0)


def _first(queryset: QuerySet[Any], field: str) -> Subquery:
    return Subquery(queryset.values(field)[:1])


def _flag(condition: Q) -> Case:
    yes, no = Value(True), Value(False)
    return Case(When(condition, then=yes), default=no, output_field=BooleanField())


def _day(moment: datetime | date) -> str:
    if isinstance(moment, datetime):
        moment = timezone.localdate(moment)
    return dateformat.format(moment, "j F Y")


def _active_during(context: Context) -> Q:
    """Relationships active (agreement acknowledged) at some time in the period."""
    period = context.report_filter.period
    return Q(activated_at__isnull=False, activated_at__lt=min(period.until, context.moment.at)) & (
        Q(ended_at__isnull=True) | Q(ended_at__gte=period.since)
    )


def _mentor_url(name: str, **kwargs: int) -> str:
    return reverse(f"mentors:{name}", kwargs=kwargs)


def _pair_label(relationship: Relationship) -> str:
    """As the relationships list names a pair."""
    return f"{relationship.mentor.display_name} mentoring {mentee_name(relationship)}"


def _relationships(context: Context) -> QuerySet[Relationship]:
    return Relationship.objects.filter(context.report_filter.relationships()).select_related(
        "mentor", "referral"
    )


# 1. Screening complete before training ----------------------------------------------------------


def _screening_description(context: Context) -> str:
    return (
        "Mentors whose first training was recorded in the period: before it, the interview was "
        f"recorded (and did not find them unsuitable), {REFERENCES_NEEDED} references were "
        "received and a clear background check was recorded. These are the steps an "
        "application needs before a coordinator can approve it for training."
    )


def _screening_rows(context: Context) -> QuerySet[Any]:
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
        .annotate(first_training=_first(completions.order_by("completed_at"), "completed_at"))
        .filter(first_training__gte=period.since, first_training__lt=period.until)
        .annotate(
            interview_at=_first(interview, "recorded_at"),
            references_before=_count(references),
            check_at=_first(checks.order_by("recorded_at"), "recorded_at"),
        )
        .annotate(
            met=_flag(
                Q(interview_at__lt=F("first_training"))
                & Q(references_before__gte=REFERENCES_NEEDED)
                & Q(check_at__lt=F("first_training"))
            )
        )
        .order_by("display_name", "pk")
    )


def _screening_gap(profile: Any, context: Context) -> Gap:
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
        url=_mentor_url("application_detail", pk=profile.application_id),
        detail=f"Training began {_day(profile.first_training)} without {_and(missing)}.",
    )


def _and(items: list[str]) -> str:
    """ "a, b and c"."""
    return " and ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


# 2. Required training before the first match ----------------------------------------------------


def _training_description(context: Context) -> str:
    minutes = format_minutes(context.settings.min_training_minutes)
    modules = context.required_modules
    required = (
        f" and every module required before matching ({modules} at present)" if modules else ""
    )
    return (
        "Mentors whose first relationship started in the period: before it started they had "
        f"done {minutes} of training{required}."
    )


def _training_rows(context: Context) -> QuerySet[Any]:
    period = context.report_filter.period
    before_match = TrainingCompletion.objects.filter(
        application=OuterRef("application"), completed_at__lt=OuterRef("first_match")
    )
    required = before_match.filter(module__required_before_matching=True, module__is_active=True)
    first_match = Relationship.objects.filter(mentor=OuterRef("pk")).order_by("started_at")
    return (
        MentorProfile.objects.filter(context.report_filter.mentors())
        .annotate(first_match=_first(first_match, "started_at"))
        .filter(first_match__gte=period.since, first_match__lt=period.until)
        .annotate(minutes_before=_sum(before_match, "minutes"), required_before=_count(required))
        .annotate(
            met=_flag(
                Q(minutes_before__gte=context.settings.min_training_minutes)
                & Q(required_before__gte=context.required_modules)
            )
        )
        .order_by("display_name", "pk")
    )


def _training_gap(profile: Any, context: Context) -> Gap:
    minutes = format_minutes(profile.minutes_before)
    needed = format_minutes(context.settings.min_training_minutes)
    modules = context.required_modules
    required = f" and {profile.required_before} of {modules} required modules" if modules else ""
    return Gap(
        label=profile.display_name,
        url=_mentor_url("trainee_progress", application_pk=profile.application_id),
        detail=f"First matched {_day(profile.first_match)} with {minutes} of {needed} training"
        f"{required} done.",
    )


# 3. Supervision at the set interval -------------------------------------------------------------


def _supervision_description(context: Context) -> str:
    days = context.settings.supervision_interval_days
    return (
        f"Mentors with a current relationship {context.moment.when}: a supervision session "
        f"in the {days} days before it (the organisation's supervision interval). Gaps earlier "
        "in the period are not counted."
    )


def _supervision_rows(context: Context) -> QuerySet[Any]:
    moment = context.moment
    current = Relationship.objects.filter(mentor=OuterRef("pk"), started_at__lt=moment.at).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=moment.at)
    )
    sessions = SupervisionSession.objects.filter(profile=OuterRef("pk"), held_on__lte=moment.day)
    due_since = moment.day - timedelta(days=context.settings.supervision_interval_days)
    return (
        MentorProfile.objects.filter(context.report_filter.mentors())
        .filter(Exists(current))
        .annotate(last_supervision=_first(sessions.order_by("-held_on"), "held_on"))
        .annotate(met=_flag(Q(last_supervision__gte=due_since)))
        .order_by("display_name", "pk")
    )


def _supervision_gap(profile: Any, context: Context) -> Gap:
    last = profile.last_supervision
    if last is None:
        detail = f"No supervision recorded before {context.moment.name}."
    else:
        days = (context.moment.day - last).days
        detail = f"Last supervision {_day(last)} ({days} days before {context.moment.name})."
    return Gap(
        label=profile.display_name,
        url=_mentor_url("supervision_mentor", profile_pk=profile.pk),
        detail=detail,
    )


# 4. Coordinator check-ins -----------------------------------------------------------------------


def _check_ins_description(context: Context) -> str:
    within = FIRST_MONTH_DAYS + CHECK_IN_GRACE_DAYS
    return (
        "Relationships active in the period. Coordinators check in with the mentor and the "
        "mentee twice in the first month, then monthly (the first two are scheduled 14 and 28 "
        f"days after the start). Met when both people had {FIRST_MONTH_CHECK_INS} check-ins "
        f"done within {within} days of the start ({FIRST_MONTH_DAYS} days and "
        f"{CHECK_IN_GRACE_DAYS} days' grace; only for pairs active that long), and no regular "
        f"check-in was more than {CHECK_IN_GRACE_DAYS} days overdue {context.moment.when}."
    )


def _check_ins_rows(context: Context) -> QuerySet[Any]:
    moment = context.moment
    within = timedelta(days=FIRST_MONTH_DAYS + CHECK_IN_GRACE_DAYS)
    regular = CheckIn.objects.filter(relationship=OuterRef("pk"), kind=CheckInKind.REGULAR)
    first_month = regular.filter(
        status=CheckInStatus.DONE, done_at__lt=OuterRef("activated_at") + within
    )
    # Undone at the moment judged: still due, done only later, or dropped when the pair ended
    # after that moment.
    overdue = regular.filter(due_on__lt=moment.day - timedelta(days=CHECK_IN_GRACE_DAYS)).filter(
        Q(status=CheckInStatus.DUE)
        | Q(status=CheckInStatus.DONE, done_at__gte=moment.at)
        # The pair's own end, read from the outer row rather than joined again per check-in.
        | Q(GreaterThanOrEqual(OuterRef("ended_at"), moment.at), status=CheckInStatus.NOT_NEEDED)
    )
    first_month_due = Q(activated_at__lte=moment.at - within)
    return (
        _relationships(context)
        .filter(_active_during(context))
        .annotate(
            mentor_first_month=_count(first_month.filter(person=CheckInPerson.MENTOR)),
            mentee_first_month=_count(first_month.filter(person=CheckInPerson.MENTEE)),
            overdue=_count(overdue),
            oldest_overdue=_first(overdue.order_by("due_on"), "due_on"),
            first_month_due=_flag(first_month_due),
        )
        .annotate(
            met=_flag(
                (
                    ~first_month_due
                    | Q(
                        mentor_first_month__gte=FIRST_MONTH_CHECK_INS,
                        mentee_first_month__gte=FIRST_MONTH_CHECK_INS,
                    )
                )
                & Q(overdue=0)
            )
        )
        .order_by("mentor__display_name", "pk")
    )


def _check_ins_gap(relationship: Any, context: Context) -> Gap:
    parts = []
    if relationship.first_month_due and (
        relationship.mentor_first_month < FIRST_MONTH_CHECK_INS
        or relationship.mentee_first_month < FIRST_MONTH_CHECK_INS
    ):
        parts.append(
            f"First month: {relationship.mentor_first_month} of {FIRST_MONTH_CHECK_INS} "
            f"check-ins with the mentor, {relationship.mentee_first_month} of "
            f"{FIRST_MONTH_CHECK_INS} with the mentee."
        )
    if relationship.overdue:
        count = relationship.overdue
        parts.append(
            f"{count} check-in{'s' if count > 1 else ''} overdue {context.moment.when}, "
            f"the oldest due {_day(relationship.oldest_overdue)}."
        )
    return Gap(
        label=_pair_label(relationship),
        url=reverse("mentoring:relationship_check_ins", kwargs={"pk": relationship.pk}),
        detail=" ".join(parts),
    )


# 5. Agreement signed ----------------------------------------------------------------------------


def _agreement_description(context: Context) -> str:
    return (
        "Relationships active in the period: the newest version of their agreement made by "
        f"{context.moment.name} was acknowledged by both the mentor and the mentee by then."
    )


def _agreement_rows(context: Context) -> QuerySet[Any]:
    moment = context.moment
    latest = Agreement.objects.filter(
        relationship=OuterRef("pk"), created_at__lt=moment.at
    ).order_by("-version")
    return (
        _relationships(context)
        .filter(_active_during(context))
        .annotate(
            agreement_version=_first(latest, "version"),
            agreement_made=_first(latest, "created_at"),
            mentor_acknowledged=_first(latest, "mentor_acknowledged_at"),
            mentee_acknowledged=_first(latest, "mentee_acknowledged_at"),
        )
        .annotate(
            met=_flag(Q(mentor_acknowledged__lt=moment.at) & Q(mentee_acknowledged__lt=moment.at))
        )
        .order_by("mentor__display_name", "pk")
    )


def _agreement_gap(relationship: Any, context: Context) -> Gap:
    moment = context.moment
    if relationship.agreement_version is None:
        detail = "No agreement recorded."
    else:
        waiting = [
            person
            for person, at in (
                ("the mentor", relationship.mentor_acknowledged),
                ("the mentee", relationship.mentee_acknowledged),
            )
            if at is None or at >= moment.at
        ]
        detail = (
            f"Version {relationship.agreement_version} (made {_day(relationship.agreement_made)}) "
            f"not acknowledged by {_and(waiting)} {moment.when}."
        )
    return Gap(
        label=_pair_label(relationship),
        url=reverse("mentoring:agreement", kwargs={"pk": relationship.pk}),
        detail=detail,
    )


# 6. Closure -------------------------------------------------------------------------------------


def _closure_description(context: Context) -> str:
    return (
        "Relationships that had a planned ending in the period: the exit conversation was held "
        "and the mentee's wellbeing plan was marked ready. Unplanned endings are not counted, "
        "as there may have been no chance to close well."
    )


def _closure_rows(context: Context) -> QuerySet[Any]:
    period = context.report_filter.period
    plan_ready = WellbeingPlan.objects.filter(relationship=OuterRef("pk"), ready_at__isnull=False)
    return (
        _relationships(context)
        .filter(end_kind=EndKind.PLANNED, ended_at__gte=period.since, ended_at__lt=period.until)
        .annotate(plan_ready=Exists(plan_ready))
        .annotate(met=_flag(Q(exit_conversation_held=True) & Q(plan_ready=True)))
        .order_by("mentor__display_name", "pk")
    )


def _closure_gap(relationship: Any, context: Context) -> Gap:
    missing = []
    if not relationship.exit_conversation_held:
        missing.append("no exit conversation recorded")
    if not relationship.plan_ready:
        missing.append("the wellbeing plan was not marked ready")
    detail = f"Ended {_day(relationship.ended_at)}: {_and(missing)}."
    return Gap(
        label=_pair_label(relationship),
        url=reverse("mentoring:ending", kwargs={"pk": relationship.pk}),
        detail=detail,
    )


# The standards, in the order the page shows them -------------------------------------------------


@dataclass(frozen=True)
class Rule:
    key: str
    title: str
    applies_to: str
    describe: Callable[[Context], str]
    rows: Callable[[Context], QuerySet[Any]]
    gap: Callable[[Any, Context], Gap]


RULES: dict[str, Rule] = {
    rule.key: rule
    for rule in (
        Rule(
            "screening_before_training",
            "Screening complete before training",
            MENTORS,
            _screening_description,
            _screening_rows,
            _screening_gap,
        ),
        Rule(
            "training_before_first_match",
            "Required training before the first match",
            MENTORS,
            _training_description,
            _training_rows,
            _training_gap,
        ),
        Rule(
            "supervision_interval",
            "Supervision at the set interval",
            MENTORS,
            _supervision_description,
            _supervision_rows,
            _supervision_gap,
        ),
        Rule(
            "check_ins",
            "Coordinator check-ins",
            RELATIONSHIPS,
            _check_ins_description,
            _check_ins_rows,
            _check_ins_gap,
        ),
        Rule(
            "agreement_signed",
            "Agreement acknowledged by both",
            RELATIONSHIPS,
            _agreement_description,
            _agreement_rows,
            _agreement_gap,
        ),
        Rule(
            "closure",
            "Planned endings closed well",
            RELATIONSHIPS,
            _closure_description,
            _closure_rows,
            _closure_gap,
        ),
    )
}
assert tuple(RULES) == STANDARD_KEYS


# What a gap's sentence reads of each row: fetching only these keeps the rows narrow.
GAP_FIELDS = {
    MENTORS: ("pk", "display_name", "application_id"),
    RELATIONSHIPS: (
        "pk",
        "ended_at",
        "exit_conversation_held",
        "mentor__display_name",
        "referral__preferred_name",
        "referral__full_name",
    ),
}


def _gap_rows(rule: Rule, context: Context) -> QuerySet[Any]:
    """The rows that did not meet the standard, each carrying how many there are in all
    (``gaps_total``, counted by a window over the same query before it is cut to a page)."""
    return (
        rule.rows(context)
        .filter(met=False)
        .only(*GAP_FIELDS[rule.applies_to])
        .annotate(gaps_total=Window(Count("pk")))
    )


def _page(rows: QuerySet[Any], offset: int, limit: int | None) -> list[Any]:
    return list(rows[offset:] if limit is None else rows[offset : offset + limit])


def _gaps(rule: Rule, context: Context, offset: int, limit: int | None) -> list[Gap]:
    """One query for the gaps (all of them when ``limit`` is None); the detail of each is
    worked out from its row."""
    return [rule.gap(row, context) for row in _page(_gap_rows(rule, context), offset, limit)]


def _counted(rule: Rule, context: Context) -> Standard:
    """The standard counted, without gaps. Grouped by ``met`` (at most two rows): an
    aggregate's filter cannot refer to ``met``."""
    counts = dict(
        rule.rows(context)
        .order_by()
        .values_list("met")
        .annotate(n=Count("pk"))
        .values_list("met", "n")
    )
    return _made(rule, context, met=counts.get(True, 0), of=sum(counts.values()))


def _made(
    rule: Rule, context: Context, *, met: int, of: int, gaps: tuple[Gap, ...] = ()
) -> Standard:
    return Standard(
        key=rule.key,
        title=rule.title,
        description=rule.describe(context),
        applies_to=rule.applies_to,
        met=met,
        of=of,
        gaps=gaps,
    )


def _standard(
    rule: Rule, context: Context, gaps: int | None, offset: int = 0
) -> tuple[Standard, list[Gap]]:
    """The standard counted, and its gaps from ``offset`` (at most ``gaps``; all when None).

    Two queries: how many mentors or relationships the standard applies to (a plain count,
    without judging each one), and the gaps, which carry how many gaps there are in all, so
    each one is judged only once. A page past the last gap has no row to carry that count;
    then the standard is counted on its own."""
    rows = _page(_gap_rows(rule, context), offset, gaps)
    if not rows and offset:
        return _counted(rule, context), []
    of = rule.rows(context).order_by().count()
    gaps_total = rows[0].gaps_total if rows else 0
    found = [rule.gap(row, context) for row in rows]
    standard = _made(rule, context, met=of - gaps_total, of=of, gaps=tuple(found))
    return standard, found


def compliance_report(
    report_filter: ReportFilter, *, gaps: int | None = GAPS_SHOWN
) -> ComplianceReport:
    """Every standard with its first ``gaps`` gaps (every gap when None, for the CSV file), in
    a fixed number of queries."""
    context = _context(report_filter)
    if gaps == 0:
        return ComplianceReport(
            report_filter, tuple(_counted(rule, context) for rule in RULES.values())
        )
    return ComplianceReport(
        report_filter, tuple(_standard(rule, context, gaps)[0] for rule in RULES.values())
    )


def standard_gaps(
    report_filter: ReportFilter, key: str, *, offset: int = 0, limit: int = 50
) -> tuple[Standard, list[Gap]]:
    """One standard, and its gaps from ``offset`` (at most ``limit``), for the page listing
    them all. ``key`` must be one of STANDARD_KEYS (the view answers 404 otherwise)."""
    rule = RULES[key]
    context = _context(report_filter)
    if not limit:
        return _counted(rule, context), []
    standard, gaps = _standard(rule, context, limit, offset)
    return replace(standard, gaps=()), gaps


def gaps_of(report_filter: ReportFilter, key: str, *, offset: int, limit: int) -> list[Gap]:
    """Only the gaps, for a page whose standard is already counted."""
    return _gaps(RULES[key], _context(report_filter), offset, limit)
