"""The practice standards judged for each relationship: coordinator check-ins, the agreement
acknowledged by both, planned endings closed well. Each has a description, its rows (annotated
with ``met`` in SQL) and a gap, as in reports/standards_mentors.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse

from mentoring.models import (
    Agreement,
    CheckIn,
    CheckInKind,
    CheckInPerson,
    CheckInStatus,
    EndKind,
    WellbeingPlan,
)
from reports.standards_base import (
    Context,
    Gap,
    active_during,
    count_of,
    day,
    first_of,
    flag,
    joined,
    pair_label,
    relationships_in,
)

# Check-ins: two with each person in the first month, then monthly (mentoring/services/lifecycle.py
# schedules them 14 and 28 days after the start, then every 30 days). A check-in counts as done on
# time up to this many days after it was due.
FIRST_MONTH_CHECK_INS = 2
FIRST_MONTH_DAYS = 30
CHECK_IN_GRACE_DAYS = 7


# 4. Coordinator check-ins -----------------------------------------------------------------------


def check_ins_description(context: Context) -> str:
    within = FIRST_MONTH_DAYS + CHECK_IN_GRACE_DAYS
    return (
        "Relationships active in the period. Coordinators check in with the mentor and the "
        "mentee twice in the first month, then monthly (the first two are scheduled 14 and 28 "
        f"days after the start). Met when both people had {FIRST_MONTH_CHECK_INS} check-ins "
        f"done within {within} days of the start ({FIRST_MONTH_DAYS} days and "
        f"{CHECK_IN_GRACE_DAYS} days' grace; only for pairs active that long), and no regular "
        f"check-in was more than {CHECK_IN_GRACE_DAYS} days overdue {context.moment.when}."
    )


def check_ins_rows(context: Context) -> QuerySet[Any]:
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
        relationships_in(context)
        .filter(active_during(context))
        .annotate(
            mentor_first_month=count_of(first_month.filter(person=CheckInPerson.MENTOR)),
            mentee_first_month=count_of(first_month.filter(person=CheckInPerson.MENTEE)),
            overdue=count_of(overdue),
            oldest_overdue=first_of(overdue.order_by("due_on"), "due_on"),
            first_month_due=flag(first_month_due),
        )
        .annotate(
            met=flag(
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


def check_ins_gap(relationship: Any, context: Context) -> Gap:
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
            f"the oldest due {day(relationship.oldest_overdue)}."
        )
    return Gap(
        label=pair_label(relationship),
        url=reverse("mentoring:relationship_check_ins", kwargs={"pk": relationship.pk}),
        detail=" ".join(parts),
    )


# 5. Agreement signed ----------------------------------------------------------------------------


def agreement_description(context: Context) -> str:
    return (
        "Relationships active in the period: the newest version of their agreement made by "
        f"{context.moment.name} was acknowledged by both the mentor and the mentee by then."
    )


def agreement_rows(context: Context) -> QuerySet[Any]:
    moment = context.moment
    latest = Agreement.objects.filter(
        relationship=OuterRef("pk"), created_at__lt=moment.at
    ).order_by("-version")
    return (
        relationships_in(context)
        .filter(active_during(context))
        .annotate(
            agreement_version=first_of(latest, "version"),
            agreement_made=first_of(latest, "created_at"),
            mentor_acknowledged=first_of(latest, "mentor_acknowledged_at"),
            mentee_acknowledged=first_of(latest, "mentee_acknowledged_at"),
        )
        .annotate(
            met=flag(Q(mentor_acknowledged__lt=moment.at) & Q(mentee_acknowledged__lt=moment.at))
        )
        .order_by("mentor__display_name", "pk")
    )


def agreement_gap(relationship: Any, context: Context) -> Gap:
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
            f"Version {relationship.agreement_version} (made {day(relationship.agreement_made)}) "
            f"not acknowledged by {joined(waiting)} {moment.when}."
        )
    return Gap(
        label=pair_label(relationship),
        url=reverse("mentoring:agreement", kwargs={"pk": relationship.pk}),
        detail=detail,
    )


# 6. Closure -------------------------------------------------------------------------------------


def closure_description(context: Context) -> str:
    return (
        "Relationships that had a planned ending in the period: the exit conversation was held "
        "and the mentee's wellbeing plan was marked ready. Unplanned endings are not counted, "
        "as there may have been no chance to close well."
    )


def closure_rows(context: Context) -> QuerySet[Any]:
    period = context.report_filter.period
    plan_ready = WellbeingPlan.objects.filter(relationship=OuterRef("pk"), ready_at__isnull=False)
    return (
        relationships_in(context)
        .filter(end_kind=EndKind.PLANNED, ended_at__gte=period.since, ended_at__lt=period.until)
        .annotate(plan_ready=Exists(plan_ready))
        .annotate(met=flag(Q(exit_conversation_held=True) & Q(plan_ready=True)))
        .order_by("mentor__display_name", "pk")
    )


def closure_gap(relationship: Any, context: Context) -> Gap:
    missing = []
    if not relationship.exit_conversation_held:
        missing.append("no exit conversation recorded")
    if not relationship.plan_ready:
        missing.append("the wellbeing plan was not marked ready")
    detail = f"Ended {day(relationship.ended_at)}: {joined(missing)}."
    return Gap(
        label=pair_label(relationship),
        url=reverse("mentoring:ending", kwargs={"pk": relationship.pk}),
        detail=detail,
    )
