"""What every practice standard is judged with: the moment and settings it is judged against,
a gap's shape, and small SQL helpers the standards share (reports/standards_mentors.py,
reports/standards_relationships.py; reports/compliance.py puts them together)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import dateformat, timezone

from mentoring.access import mentee_name
from mentoring.models import Relationship
from mentors.models import MentorProgrammeSettings, TrainingModule
from reports.filters import ReportFilter

MENTORS = "mentors"
RELATIONSHIPS = "relationships"


@dataclass(frozen=True)
class Gap:
    """One mentor or relationship that did not meet a standard, and what is missing."""

    label: str
    url: str
    detail: str


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


def context_for(report_filter: ReportFilter) -> Context:
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


def count_of(queryset: QuerySet[Any]) -> Coalesce:
    """How many rows ``queryset`` (correlated with OuterRef) has, as a scalar subquery."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def sum_of(queryset: QuerySet[Any], field: str) -> Coalesce:
    summed = queryset.order_by().annotate(total=Func(F(field), function="SUM")).values("total")
    return Coalesce(Subquery(summed, output_field=IntegerField()), 0)


def first_of(queryset: QuerySet[Any], field: str) -> Subquery:
    return Subquery(queryset.values(field)[:1])


def flag(condition: Q) -> Case:
    yes, no = Value(True), Value(False)
    return Case(When(condition, then=yes), default=no, output_field=BooleanField())


def day(moment: datetime | date) -> str:
    if isinstance(moment, datetime):
        moment = timezone.localdate(moment)
    return dateformat.format(moment, "j F Y")


def active_during(context: Context) -> Q:
    """Relationships active (agreement acknowledged) at some time in the period."""
    period = context.report_filter.period
    return Q(activated_at__isnull=False, activated_at__lt=min(period.until, context.moment.at)) & (
        Q(ended_at__isnull=True) | Q(ended_at__gte=period.since)
    )


def mentor_url(name: str, **kwargs: int) -> str:
    return reverse(f"mentors:{name}", kwargs=kwargs)


def pair_label(relationship: Relationship) -> str:
    """As the relationships list names a pair."""
    return f"{relationship.mentor.display_name} mentoring {mentee_name(relationship)}"


def relationships_in(context: Context) -> QuerySet[Relationship]:
    return Relationship.objects.filter(context.report_filter.relationships()).select_related(
        "mentor", "referral"
    )


def joined(items: list[str]) -> str:
    """ "a, b and c"."""
    return " and ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)
