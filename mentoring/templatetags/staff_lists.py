"""The rows of the coordinator's relationships list and check-ins list, written in one pass in
Python: a page is fifty rows, and a template looks up every value of every row one at a time
(the relationships page spent most of its time doing so). The HTML is the same the templates
wrote; tests/mentoring/test_staff_lists.py holds each row to the template it replaced."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django import template
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from alongside.links import url_for_each, url_for_each_pair
from alongside.widgets import escape_text
from mentoring.access import name_to_call
from mentoring.models import CheckInKind, CheckInPerson, RelationshipStatus
from mentoring.selectors_staff import ENDING_SOON_DAYS, Timing, timing

register = template.Library()

_WARNING_BORDER = " border-warning border-2"
_STATUS_LABELS = dict(RelationshipStatus.choices)
_CURRENT = frozenset(RelationshipStatus.current())

# The relationships list ---------------------------------------------------------------------

# What a row of the relationships list reads (``relationships_for_staff`` adds the counts).
RELATIONSHIP_ROW_FIELDS = (
    "pk",
    "status",
    "started_at",
    "activated_at",
    "ended_at",
    "planned_end_on",
    "planned_sessions",
    "missed_alert_at",
    "held_count",
    "open_concerns",
    "next_check_in_on",
    "mentor__display_name",
    "referral__full_name",
    "referral__preferred_name",
)

_RELATIONSHIP_ROW = """<li class="card mb-2{border}">
<div class="card-body py-2">
<h3 class="h5 mb-1"><a href="{check_ins_url}">{mentor} mentoring {mentee}</a></h3>
<p class="mb-1 d-flex flex-wrap gap-2 align-items-center">
<span class="badge text-bg-light border">{status}</span>
{overdue_badge}
{concerns_badge}
{missed_badge}
{ending_badge}
</p>
<dl class="row mb-1 small">
<dt class="col-5 col-md-3 fw-normal">{since_label}</dt>
<dd class="col-7 col-md-3 mb-1">{since}</dd>
<dt class="col-5 col-md-3 fw-normal">{end_label}</dt>
<dd class="col-7 col-md-3 mb-1">{end}</dd>
<dt class="col-5 col-md-3 fw-normal">Sessions held</dt>
<dd class="col-7 col-md-3 mb-1">{held}</dd>
<dt class="col-5 col-md-3 fw-normal">Next check-in</dt>
<dd class="col-7 col-md-3 mb-1">{next_check_in}</dd>
<dt class="col-5 col-md-3 fw-normal">Open concerns</dt>
<dd class="col-7 col-md-3 mb-1">{concerns}</dd>
</dl>
<p class="mb-0 small d-flex flex-wrap gap-3">
<a href="{check_ins_url}">Check-ins and concerns<span class="visually-hidden"> for {mentor} \
and {mentee}</span></a>
<a href="{overview_url}">Overview<span class="visually-hidden"> of {mentor} and {mentee}\
</span></a>
</p>
</div>
</li>"""
_OVERDUE_BADGE = SafeString('<span class="badge text-bg-warning">Check-in overdue</span>')
_MISSED_BADGE = SafeString('<span class="badge text-bg-warning">Missed sessions in a row</span>')
_ENDING_BADGE = SafeString('<span class="badge text-bg-info">Planned end within 14 days</span>')


def _fill(template: str, **values: Any) -> SafeString:
    """``format_html``, escaping each value with the site's quicker ``escape_text`` (the same
    escaping, without Django's wrapper for lazy strings): fifty rows of a dozen values add up."""
    return mark_safe(  # noqa: S308 - every value is escaped
        template.format(**{name: escape_text(value) for name, value in values.items()})
    )


def _day(value: date | datetime) -> str:
    """As ``|date:"j M Y"`` writes it: a date and time in the local time zone."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return _day_in(value, get_language())


@lru_cache(maxsize=1024)
def _day_in(on: date, language: str) -> str:
    """A page's rows share a few days: each is written once (month names are the language's)."""
    return dateformat.format(on, "j M Y")


def _timing_html(when: Timing) -> SafeString:
    if when.is_overdue:
        return _fill("<strong>{text}</strong>", text=when.text)
    return _fill("{text}", text=when.text)


@register.simple_tag
def relationship_rows(rows: Iterable[dict[str, Any]]) -> SafeString:
    """The relationships list's rows, from ``RELATIONSHIP_ROW_FIELDS`` values."""
    today = timezone.localdate()
    soon = today + timedelta(days=ENDING_SOON_DAYS)
    check_ins_url = url_for_each("mentoring:relationship_check_ins")
    overview_url = url_for_each("mentoring:overview")
    return mark_safe(  # noqa: S308 - _fill escaped every row
        "\n".join(
            _relationship_row(row, today, soon, check_ins_url(row["pk"]), overview_url(row["pk"]))
            for row in rows
        )
    )


def _relationship_row(
    row: dict[str, Any], today: date, soon: date, check_ins_url: str, overview_url: str
) -> SafeString:
    due_on: date | None = row["next_check_in_on"]
    next_check_in = timing(due_on, today) if due_on else None
    overdue = next_check_in is not None and next_check_in.is_overdue
    concerns: int = row["open_concerns"]
    is_current = row["status"] in _CURRENT
    is_ended = row["status"] == RelationshipStatus.ENDED
    missed = bool(row["missed_alert_at"]) and is_current
    planned_end_on: date | None = row["planned_end_on"]
    activated_at: datetime | None = row["activated_at"]
    planned_sessions: int | None = row["planned_sessions"]
    return _fill(
        _RELATIONSHIP_ROW,
        border=_WARNING_BORDER if overdue or concerns or missed else "",
        check_ins_url=check_ins_url,
        overview_url=overview_url,
        mentor=row["mentor__display_name"],
        mentee=name_to_call(row["referral__full_name"], row["referral__preferred_name"]),
        status=_STATUS_LABELS.get(row["status"], row["status"]),
        overdue_badge=_OVERDUE_BADGE if overdue else "",
        concerns_badge=_fill(
            '<span class="badge text-bg-warning">{count} open concern{s}</span>',
            count=str(concerns),
            s="" if concerns == 1 else "s",
        )
        if concerns
        else "",
        missed_badge=_MISSED_BADGE if missed else "",
        ending_badge=_ENDING_BADGE
        if is_current and planned_end_on is not None and planned_end_on <= soon
        else "",
        since_label="Active since" if activated_at else "Matched on",
        since=_day(activated_at or row["started_at"]),
        end_label="Ended" if is_ended else "Planned end",
        end=_end(row, is_ended, planned_end_on),
        held=f"{row['held_count']} of {planned_sessions} planned"
        if planned_sessions
        else str(row["held_count"]),
        next_check_in=_timing_html(next_check_in) if next_check_in else "None due",
        concerns=_fill("<strong>{count}</strong>", count=str(concerns)) if concerns else "None",
    )


def _end(row: dict[str, Any], is_ended: bool, planned_end_on: date | None) -> str:
    if is_ended:
        return _day(row["ended_at"]) if row["ended_at"] else ""
    return _day(planned_end_on) if planned_end_on else "Not agreed yet"


# Check-ins due across the organisation ----------------------------------------------------------

# What a row of the check-ins list reads: who, when, and the pair's names.
CHECK_IN_ROW_FIELDS = (
    "pk",
    "person",
    "kind",
    "due_on",
    "relationship_id",
    "relationship__mentor__display_name",
    "relationship__referral__full_name",
    "relationship__referral__preferred_name",
)

_CHECK_IN_ROW = """<li class="card mb-2{border}">
<div class="card-body py-2">
<h3 class="h5 mb-1">{person}: {name}</h3>
<p class="mb-1">
{timing}
{follow_up}
</p>
<p class="mb-2 small"><a href="{pair_url}">{mentor} mentoring {mentee}</a></p>
<a class="btn btn-sm btn-outline-primary" href="{record_url}">Record the check-in\
<span class="visually-hidden"> with {name}, the {person_lower}</span></a>
</div>
</li>"""
_FOLLOW_UP_BADGE = SafeString(
    '<span class="badge text-bg-info ms-1">Follow-up after the ending</span>'
)
_PERSON_LABELS = dict(CheckInPerson.choices)


@register.simple_tag
def check_in_rows(rows: Iterable[tuple[dict[str, Any], Timing]]) -> SafeString:
    """One group's rows of the check-ins list: ``CHECK_IN_ROW_FIELDS`` values and when each is
    due."""
    pair_url = url_for_each("mentoring:relationship_check_ins")
    record_url = url_for_each_pair("mentoring:check_in")
    return mark_safe(  # noqa: S308 - _fill escaped every row
        "\n".join(
            _check_in_row(
                row,
                when,
                pair_url(row["relationship_id"]),
                record_url(row["relationship_id"], row["pk"]),
            )
            for row, when in rows
        )
    )


def _check_in_row(row: dict[str, Any], when: Timing, pair_url: str, record_url: str) -> SafeString:
    mentor = row["relationship__mentor__display_name"]
    mentee = name_to_call(
        row["relationship__referral__full_name"], row["relationship__referral__preferred_name"]
    )
    person = str(_PERSON_LABELS.get(row["person"], row["person"]))
    return _fill(
        _CHECK_IN_ROW,
        border=_WARNING_BORDER if when.is_overdue else "",
        person=person,
        person_lower=person.lower(),
        name=mentor if row["person"] == CheckInPerson.MENTOR else mentee,
        timing=_timing_html(when),
        follow_up=_FOLLOW_UP_BADGE if row["kind"] == CheckInKind.FOLLOW_UP else "",
        pair_url=pair_url,
        record_url=record_url,
        mentor=mentor,
        mentee=mentee,
    )
