"""The supervision overview: a page of mentors in the order supervision falls due (overdue
first), with how many there are and how many are overdue, for a supervisor (their own mentors)
or a coordinator (everyone: thousands nationally)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page
from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Membership, User
from alongside.pagination import CountedPaginator
from mentors.models import MentorProfile, SupervisionSession, WellbeingCheckIn
from mentors.services.supervision import (
    SUPERVISION_MANAGERS,
    SupervisionStatus,
    active_mentor_profiles,
    due_from_annotated,
    supervised_profiles,
    supervision_interval,
)


@dataclass(frozen=True)
class SupervisionOverview:
    statuses: list[SupervisionStatus]
    page: Page[MentorProfile]
    overdue_count: int
    interval_days: int


def supervision_overview_page(
    membership: Membership, number: str | None, per_page: int
) -> SupervisionOverview:
    """The page asked for (``?page=``, forgiving as ``Paginator.get_page`` is), read with the
    list's length and overdue count in one query (see ``_overview_rows``); the mentors' latest
    wellbeing check-ins follow in one more."""
    organisation = membership.organisation
    profiles = (supervised_profiles(membership) & active_mentor_profiles(organisation)).filter(
        organisation=organisation
    )
    interval = supervision_interval(organisation)
    today = timezone.localdate()
    overdue_before = today - interval
    name_supervisors = membership.role in SUPERVISION_MANAGERS  # a supervisor's list is theirs

    def rows_of(page_number: int) -> list[Any]:
        offset = (page_number - 1) * per_page
        return _overview_rows(profiles, overdue_before, name_supervisors, per_page, offset)

    wanted = _page_number(number)
    rows = rows_of(wanted) if wanted >= 1 else []
    if rows:
        paginator = CountedPaginator([], per_page, rows[0].total)
        overdue_count = rows[0].overdue
    else:  # no rows to read the counts from: an empty list, or a page out of range
        counts = due_from_annotated(profiles).aggregate(
            total=Count("pk"), overdue=Count("pk", filter=Q(due_from__lt=overdue_before))
        )
        paginator = CountedPaginator([], per_page, counts["total"])
        wanted = paginator.get_page(number).number
        rows = rows_of(wanted) if counts["total"] else []
        overdue_count = counts["overdue"]
    check_ins = _latest_check_ins([profile.pk for profile in rows])
    statuses = [
        SupervisionStatus(
            profile=profile,
            last_held_on=profile.last_held_on,
            next_due_on=profile.due_from + interval,
            is_overdue=profile.due_from < overdue_before,
            latest_check_in=check_ins.get(profile.pk),
        )
        for profile in rows
    ]
    return SupervisionOverview(
        statuses=statuses,
        page=Page(rows, wanted, paginator),
        overdue_count=overdue_count,
        interval_days=interval.days,
    )


def _page_number(number: str | None) -> int:
    try:
        return int(number) if number is not None else 1
    except ValueError:
        return 1


def _overview_rows(
    profiles: QuerySet[MentorProfile],
    overdue_before: date,
    name_supervisors: bool,
    limit: int,
    offset: int,
) -> list[Any]:
    """A page of ``profiles`` (id, display name, supervisor) by the day supervision falls due,
    each with ``last_held_on``, ``due_from``, the list's ``total`` and ``overdue`` count, and
    (for coordinators) ``supervisor_name``.

    Sorting by due day needs every mentor's last session. Written as one query in the ORM, the
    database looked it up twice for each of thousands of mentors (once for the order, again
    for the overdue count); here the mentors and their last sessions are read once, in a
    materialised ``WITH``, and sorted and counted from there."""
    last_held = SupervisionSession.objects.filter(profile=OuterRef("pk")).order_by("-held_on")
    listed = (
        profiles.order_by()
        .values("id", "display_name", "supervisor_id")
        .annotate(
            last_held_on=Subquery(last_held.values("held_on")[:1]),
            certified_on=TruncDate("certified_at", tzinfo=timezone.get_current_timezone()),
        )
    )
    listed_sql, params = listed.query.sql_with_params()
    quote = connection.ops.quote_name
    due_from = "COALESCE(listed.last_held_on, listed.certified_on)"
    # Our own SQL and names; every value is a parameter. The name is as User.__str__ gives it.
    supervisor_name = (
        ", (SELECT COALESCE(NULLIF(person.name, ''), person.email)"  # noqa: S608
        f" FROM {quote(User._meta.db_table)} person"
        " WHERE person.id = listed.supervisor_id) AS supervisor_name"
        if name_supervisors
        else ""
    )
    sql = (
        f"WITH listed AS MATERIALIZED ({listed_sql})"  # noqa: S608
        f" SELECT listed.*, {due_from} AS due_from, COUNT(*) OVER () AS total,"
        f" COUNT(CASE WHEN {due_from} < %s THEN 1 END) OVER () AS overdue{supervisor_name}"
        " FROM listed ORDER BY due_from, listed.display_name, listed.id LIMIT %s OFFSET %s"
    )
    cutoff = connection.ops.adapt_datefield_value(overdue_before)
    rows: list[Any] = list(MentorProfile.objects.raw(sql, [*params, cutoff, limit, offset]))
    for row in rows:  # SQLite gives the computed days as text
        row.last_held_on = _day(row.last_held_on)
        row.due_from = _day(row.due_from)
    return rows


def _day(value: date | str | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _latest_check_ins(profile_ids: list[int]) -> dict[int, WellbeingCheckIn]:
    """Each mentor's latest wellbeing check-in (without its note), by profile."""
    if not profile_ids:
        return {}
    latest = WellbeingCheckIn.objects.filter(profile=OuterRef("pk")).order_by(
        "-submitted_at", "-pk"
    )
    latest_ids = MentorProfile.objects.filter(pk__in=profile_ids).values(
        latest=Subquery(latest.values("pk")[:1])
    )
    check_ins = WellbeingCheckIn.objects.filter(profile_id__in=profile_ids, pk__in=latest_ids)
    return {check_in.profile_id: check_in for check_in in check_ins.defer("note")}
