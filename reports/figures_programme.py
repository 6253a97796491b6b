"""The programme's own figures: referrals and the waiting list, matching, relationships,
sessions, endings and mentors, for one slice of the programme (``ReportFilter``).

Each section counts in one ``aggregate`` per table of rows (a filtered ``Count`` per bucket),
and works out medians and 90th percentiles with ``reports.stats.percentiles``, so the number of
queries stays the same however big the programme grows. Groups of 1 to 4 people are withheld
by ``Value``; so are counts of 1 to 4 sessions, which are about one or two relationships.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Membership, Role
from mentoring.models import (
    EndKind,
    EndReason,
    MentoringSession,
    Relationship,
    RelationshipStatus,
    SessionStatus,
)
from mentors.models import MentorProfile
from referrals.models import Referral, Source, Status
from reports.filters import NOT_SPLIT_BY_TEAM, Period, ReportFilter
from reports.stats import as_days, percentiles
from reports.tables import Chart, Headline, Section, Table, Value, withheld_keys

MEDIAN = 0.5
P90 = 0.9
NOT_RECORDED = "Not recorded"

# Where referrals made in the period stand today: the open statuses count as one outcome.
REFERRAL_OUTCOMES: tuple[tuple[str, str, Q], ...] = (
    ("open", "Still open", Q(status__in=Status.open_statuses())),
    ("matched", Status.MATCHED.label, Q(status=Status.MATCHED)),
    ("signposted", Status.SIGNPOSTED.label, Q(status=Status.SIGNPOSTED)),
    ("declined", Status.DECLINED.label, Q(status=Status.DECLINED)),
    ("unable", Status.UNABLE_TO_CONTACT.label, Q(status=Status.UNABLE_TO_CONTACT)),
    ("withdrawn", Status.WITHDRAWN.label, Q(status=Status.WITHDRAWN)),
)

# From the referral to the start of its first relationship (the introduction being planned).
DAYS_TO_MATCH = ExpressionWrapper(
    F("started_at") - F("referral__created_at"), output_field=DurationField()
)
# From the first agreement (or, without one, the start) to the ending.
RELATIONSHIP_LENGTH = ExpressionWrapper(
    F("ended_at") - Coalesce("activated_at", "started_at"), output_field=DurationField()
)
# A held session's length as the mentor logged it, or as it was planned when they did not.
SESSION_MINUTES = Coalesce("length_minutes", "planned_minutes")


# Shared pieces -----------------------------------------------------------------------------------


def _counts(queryset: QuerySet[Any], buckets: Mapping[str, Q]) -> dict[str, int]:
    """How many rows fall in each bucket, in one query."""
    return queryset.aggregate(
        **{key: Count("pk", filter=condition) for key, condition in buckets.items()}
    )


def _within(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.since, f"{field}__lt": period.until})


def _count_rows(
    labels: tuple[tuple[str, str], ...], counts: Mapping[str, int], total: int
) -> tuple[tuple[str, Value, Value], ...]:
    """One row a bucket: its label, its count and its share of ``total`` (small counts, and
    whatever would give one away, withheld)."""
    hidden = withheld_keys({key: counts[key] for key, _ in labels})
    return tuple(
        (label, Value.withheld_value(), Value.withheld_value("%"))
        if key in hidden
        else (label, Value.count(counts[key]), Value.share(counts[key], total))
        for key, label in labels
    )


def _weeks(duration: timedelta | None, group: int) -> Value:
    days = as_days(duration)
    return Value.measure(None if days is None else days / 7, group, unit="weeks")


def _days(duration: timedelta | None, group: int) -> Value:
    return Value.measure(as_days(duration), group, unit="days")


def _relationships(report_filter: ReportFilter) -> QuerySet[Relationship]:
    return Relationship.objects.filter(report_filter.relationships())


# Referrals ---------------------------------------------------------------------------------------


def referrals_section(report_filter: ReportFilter) -> Section:
    """Referrals made in the period by source and by where they stand now, and the waiting list
    as it is today."""
    period = report_filter.period
    now = timezone.now()
    referrals = Referral.objects.filter(report_filter.referrals()).exclude(status=Status.MERGED)
    made = _within("created_at", period)
    waiting = Q(status=Status.WAITING)
    buckets = {"made": made, "waiting": waiting}
    buckets |= {f"source_{source.value}": made & Q(source=source) for source in Source}
    buckets |= {f"outcome_{key}": made & status for key, _label, status in REFERRAL_OUTCOMES}
    figures = referrals.aggregate(
        **{key: Count("pk", filter=condition) for key, condition in buckets.items()},
        longest_since=Min("waiting_since", filter=waiting),
    )
    # The median wait is the wait of the median ``waiting_since``: the later someone joined
    # the list, the shorter their wait, so the order only turns round.
    waited, middle = percentiles(referrals.filter(waiting), "waiting_since", [MEDIAN])
    longest_since: datetime | None = figures["longest_since"]
    median_since: datetime | None = middle[MEDIAN]
    made_count = figures["made"]

    by_source = Table(
        key="referrals_by_source",
        caption="Referrals made in the period, by who referred",
        columns=("Source", "Referrals", "Share"),
        rows=_count_rows(
            tuple((f"source_{source.value}", source.label) for source in Source),
            figures,
            made_count,
        ),
        chart=Chart(kind="bars", column=1),
    )
    by_outcome = Table(
        key="referrals_by_outcome",
        caption="Referrals made in the period, by where they stand now",
        columns=("Outcome", "Referrals", "Share"),
        rows=_count_rows(
            tuple((f"outcome_{key}", label) for key, label, _status in REFERRAL_OUTCOMES),
            figures,
            made_count,
        ),
        chart=Chart(kind="bars", column=1),
        note="Still open: new, being contacted, at intake or waiting for a mentor.",
    )
    return Section(
        key="referrals",
        title="Referrals and the waiting list",
        headlines=(
            Headline("referrals_made", "Referrals made", Value.count(made_count)),
            Headline("waiting_now", "Waiting for a mentor now", Value.count(figures["waiting"])),
            Headline(
                "longest_wait_days",
                "Longest wait now",
                _days(now - longest_since if longest_since else None, figures["waiting"]),
                note="Since joining the waiting list.",
            ),
            Headline(
                "median_wait_days",
                "Median wait now",
                _days(now - median_since if median_since else None, waited),
                note="Since joining the waiting list.",
            ),
        ),
        tables=(by_source, by_outcome),
        note=(
            f"Referrals made from {period}, not counting referrals merged into another; the "
            "outcome is where each one stands today. The waiting list is as it stands now "
            "(people waiting for a mentor), whatever the period. Counts of 1 to 4 people are "
            "not shown."
        ),
        filter_note=NOT_SPLIT_BY_TEAM if report_filter.team is not None else "",
    )


# Matching ----------------------------------------------------------------------------------------


def matching_section(report_filter: ReportFilter) -> Section:
    """How long people waited from referral to their first match, and how often relationships
    ended so that the mentee could be matched again."""
    period = report_filter.period
    relationships = _relationships(report_filter)
    earlier = Relationship.objects.filter(
        referral=OuterRef("referral"), started_at__lt=OuterRef("started_at")
    )
    first_matches = relationships.filter(_within("started_at", period)).filter(~Exists(earlier))
    matched, points = percentiles(first_matches, DAYS_TO_MATCH, [MEDIAN, P90])
    ended = _counts(
        relationships.filter(_within("ended_at", period)),
        {"ended": Q(), "rematch": Q(end_reason=EndReason.REMATCH)},
    )
    return Section(
        key="matching",
        title="Matching",
        headlines=(
            Headline("first_matches", "People matched for the first time", Value.count(matched)),
            Headline(
                "median_days_to_match",
                "Median time from referral to match",
                _days(points[MEDIAN], matched),
            ),
            Headline(
                "p90_days_to_match",
                "Time from referral to match, 90th percentile",
                _days(points[P90], matched),
                note="Nine in ten people were matched within this time.",
            ),
            Headline(
                "rematch_rate",
                "Rematch rate",
                Value.share(ended["rematch"], ended["ended"]),
                note="Of relationships that ended in the period.",
            ),
        ),
        note=(
            f"Time to match: for relationships that started from {period} and were the "
            "referral's first, the days from the referral to the relationship's start. Rematch "
            "rate: of relationships that ended in the period, the share that ended so the mentee "
            "could be matched with another mentor. Figures about 1 to 4 people are not shown."
        ),
    )


# Relationships -----------------------------------------------------------------------------------


def relationships_section(report_filter: ReportFilter) -> Section:
    """How many relationships there are now and were in the period, and how long those that
    ended lasted."""
    period = report_filter.period
    relationships = _relationships(report_filter)
    ended_in_period = relationships.filter(_within("ended_at", period))
    buckets = {
        "current": Q(status__in=RelationshipStatus.current()),
        "in_period": Q(started_at__lt=period.until)
        & (Q(ended_at__isnull=True) | Q(ended_at__gte=period.since)),
        "started": _within("started_at", period),
        "ended": _within("ended_at", period),
    }
    buckets |= {status.value: Q(status=status) for status in RelationshipStatus.current()}
    counts = _counts(relationships, buckets)
    lasted, points = percentiles(ended_in_period, RELATIONSHIP_LENGTH, [MEDIAN, P90])
    held = MentoringSession.objects.filter(
        relationship__in=ended_in_period, status=SessionStatus.HELD
    ).count()
    ended = counts["ended"]

    by_status = Table(
        key="relationships_by_status",
        caption="Relationships now, by stage",
        columns=("Stage", "Relationships", "Share"),
        rows=_count_rows(
            tuple((status.value, status.label) for status in RelationshipStatus.current()),
            counts,
            counts["current"],
        ),
    )
    return Section(
        key="relationships",
        title="Relationships",
        headlines=(
            Headline("active_relationships", "Relationships now", Value.count(counts["current"])),
            Headline(
                "relationships_in_period",
                "Relationships during the period",
                Value.count(counts["in_period"]),
                note="Under way at any time in the period.",
            ),
            Headline("relationships_started", "Started", Value.count(counts["started"])),
            Headline("relationships_ended", "Ended", Value.count(ended)),
            Headline(
                "median_length_weeks",
                "Median length of relationships that ended",
                _weeks(points[MEDIAN], lasted),
            ),
            Headline(
                "p90_length_weeks",
                "Length of relationships that ended, 90th percentile",
                _weeks(points[P90], lasted),
            ),
            Headline(
                "mean_sessions_held",
                "Sessions held, on average, in relationships that ended",
                Value.measure(held / ended if ended else None, ended),
            ),
        ),
        tables=(by_status,),
        note=(
            "Relationships now: an introduction planned, active, or a planned ending under way, "
            f"today. The rest are about {period}: relationships under way at any time in it, "
            "started in it, and ended in it. Length runs from the first agreement (or, without "
            "one, the start) to the ending; sessions held are all those the relationships that "
            "ended held, whenever they were held. Figures about 1 to 4 relationships are not "
            "shown."
        ),
    )


# Sessions ----------------------------------------------------------------------------------------


# What can be recorded of a session once its time has come.
RECORDED = (SessionStatus.HELD, *SessionStatus.missed())
SESSION_OUTCOMES: tuple[tuple[str, str], ...] = (
    *((status.value, status.label) for status in RECORDED),
    ("not_recorded", "Not recorded yet"),
)


def sessions_section(report_filter: ReportFilter) -> Section:
    """What happened to the sessions planned for the period, with those still to come apart."""
    period = report_filter.period
    now = timezone.now()
    sessions = MentoringSession.objects.filter(
        report_filter.relationships("relationship__"), _within("scheduled_for", period)
    )
    planned = Q(status=SessionStatus.PLANNED)
    due = ~planned | Q(scheduled_for__lt=now)
    buckets = {"due": due, "to_come": planned & Q(scheduled_for__gte=now)}
    buckets |= {status.value: Q(status=status) for status in RECORDED}
    buckets["not_recorded"] = planned & Q(scheduled_for__lt=now)
    counts = _counts(sessions, buckets)

    by_status = Table(
        key="sessions_by_status",
        caption="Sessions whose time has come, by what happened",
        columns=("What happened", "Sessions", "Share"),
        rows=_count_rows(SESSION_OUTCOMES, counts, counts["due"]),
        chart=Chart(kind="bars", column=1),
        note="Not recorded yet: the time has passed but the mentor has not logged the session.",
    )
    return Section(
        key="sessions",
        title="Sessions",
        headlines=(
            Headline(
                "sessions_held", "Sessions held", Value.count(counts[SessionStatus.HELD.value])
            ),
            Headline(
                "held_share",
                "Sessions held, of those whose time has come",
                Value.share(counts[SessionStatus.HELD.value], counts["due"]),
            ),
            Headline(
                "sessions_missed",
                "Sessions cancelled or missed",
                Value.count(sum(counts[status.value] for status in SessionStatus.missed())),
            ),
            Headline(
                "sessions_to_come",
                "Sessions planned, still to come",
                Value.count(counts["to_come"]),
            ),
        ),
        tables=(by_status,),
        note=(
            f"Sessions planned for {period}. Those whose time has come are counted by what "
            "happened; sessions planned for later in the period are counted apart, as still to "
            "come. Each session is about the two people of one relationship, so counts of 1 "
            "to 4 sessions are not shown."
        ),
    )


# Endings -----------------------------------------------------------------------------------------


def endings_section(report_filter: ReportFilter) -> Section:
    """How relationships that ended in the period ended: as planned or not, and why."""
    period = report_filter.period
    ended = _relationships(report_filter).filter(_within("ended_at", period))
    buckets = {"ended": Q(), "kind_missing": Q(end_kind=""), "reason_missing": Q(end_reason="")}
    buckets |= {f"kind_{kind.value}": Q(end_kind=kind) for kind in EndKind}
    buckets |= {f"reason_{reason.value}": Q(end_reason=reason) for reason in EndReason}
    counts = _counts(ended, buckets)
    total = counts["ended"]

    kinds = tuple((f"kind_{kind.value}", kind.label) for kind in EndKind)
    reasons = tuple((f"reason_{reason.value}", reason.label) for reason in EndReason)
    # Every ending service records both; the row shows only if older records lack them.
    if counts["kind_missing"]:
        kinds += (("kind_missing", NOT_RECORDED),)
    if counts["reason_missing"]:
        reasons += (("reason_missing", NOT_RECORDED),)
    return Section(
        key="endings",
        title="Endings",
        headlines=(
            Headline("endings", "Relationships ended", Value.count(total)),
            Headline(
                "planned_ending_share",
                "Planned endings",
                Value.share(counts[f"kind_{EndKind.PLANNED.value}"], total),
            ),
            Headline(
                "unplanned_endings",
                "Unplanned endings",
                Value.count(counts[f"kind_{EndKind.UNPLANNED.value}"]),
            ),
        ),
        tables=(
            Table(
                key="endings_by_kind",
                caption="Relationships ended in the period: planned or not",
                columns=("Ending", "Relationships", "Share"),
                rows=_count_rows(kinds, counts, total),
                chart=Chart(kind="bars", column=1),
            ),
            Table(
                key="endings_by_reason",
                caption="Relationships ended in the period, by reason",
                columns=("Reason", "Relationships", "Share"),
                rows=_count_rows(reasons, counts, total),
                chart=Chart(kind="bars", column=1),
                note="The first two reasons are planned endings; the rest are not.",
            ),
        ),
        note=(
            f"Relationships that ended from {period}, by the kind of ending and the reason "
            "recorded when they ended. Counts of 1 to 4 relationships are not shown."
        ),
    )


# Mentors -----------------------------------------------------------------------------------------


def mentors_section(report_filter: ReportFilter) -> Section:
    """What mentors gave in the period, how many are active, and how many stayed."""
    period = report_filter.period
    now = timezone.now()
    held = MentoringSession.objects.filter(
        report_filter.relationships("relationship__"),
        _within("scheduled_for", period),
        status=SessionStatus.HELD,
    ).aggregate(minutes=Sum(SESSION_MINUTES), mentors=Count("relationship__mentor", distinct=True))
    membership = Membership.objects.filter(
        user=OuterRef("user"),
        organisation=OuterRef("organisation"),
        role=Role.MENTOR,
        is_active=True,
    )
    profiles = MentorProfile.objects.filter(report_filter.mentors()).annotate(
        is_member=Exists(membership)
    )
    # The end of the period, or now if it has not come yet: whether someone stays cannot be
    # known ahead of time.
    period_end = min(period.until, now)
    active_at_start = Q(certified_at__lt=period.since, certification_expires_at__gt=period.since)
    counts = _counts(
        profiles,
        {
            "active": _active_mentor(now),
            "certified": _within("certified_at", period),
            "at_start": active_at_start,
            "stayed": active_at_start & _active_mentor(period_end),
        },
    )
    minutes = held["minutes"] or 0
    return Section(
        key="mentors",
        title="Mentors",
        headlines=(
            Headline(
                "mentor_hours",
                "Hours of mentoring given",
                Value.measure(minutes / 60, held["mentors"], unit="hours"),
                note="In sessions held.",
            ),
            Headline(
                "mentors_with_sessions",
                "Mentors who held sessions",
                Value.count(held["mentors"]),
            ),
            Headline("active_mentors", "Active mentors now", Value.count(counts["active"])),
            Headline("mentors_certified", "Mentors certified", Value.count(counts["certified"])),
            Headline(
                "mentor_retention",
                "Mentor retention",
                Value.share(counts["stayed"], counts["at_start"]),
                note="Of mentors active when the period began, the share still active at its end.",
            ),
        ),
        note=(
            f"Hours: the length of sessions held from {period} (as the mentor logged it, or as "
            "planned), shown when at least 5 mentors gave them. An active mentor is certified, "
            "with the certification not yet run out, and has an open mentor's account here. "
            "Retention: of the mentors certified before the period began (and not run out by "
            "then), the share still active at its end (or today, if it has not ended). Counts "
            "of 1 to 4 mentors are not shown."
        ),
    )


def _active_mentor(moment: datetime) -> Q:
    """Certified and not run out at ``moment``, with a mentor's membership and account still
    open. Memberships keep no history, so they are judged as they are today."""
    return Q(
        certified_at__lte=moment,
        certification_expires_at__gt=moment,
        is_member=True,
        user__is_active=True,
    )
