"""The cards of the alert queue, and the links between its pages, written in one pass in Python:
a template loop looks up every part of every card one at a time, and the queue shows 75 cards a
page. The HTML is what ``_level.html``, ``_deadline.html`` and ``_status.html`` write on the
alert pages. Every piece of text is escaped here (``escape``); nothing else is trusted."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, tzinfo
from html import escape

from django import template
from django.core.paginator import Page
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone

from alongside.links import url_for_each
from safeguarding.models import AlertLevel, AlertStatus
from safeguarding.selectors import AlertRow

register = template.Library()

LEVEL_BADGES: dict[str, str] = {
    AlertLevel.URGENT: "text-bg-danger",
    AlertLevel.HIGH: "text-bg-warning",
}
LEVEL_LABELS = dict(AlertLevel.choices)
OVERDUE_BADGE = ' <span class="badge text-bg-dark">Overdue</span>'


def _time(moment: datetime, words: str, zone: tzinfo) -> str:
    return f'<time datetime="{moment.astimezone(zone).isoformat()}">{escape(words)}</time>'


def _status(row: AlertRow, zone: tzinfo) -> str:
    """Who is responding, or how it was closed; nothing while it waits (the deadline says)."""
    alert = row.alert
    if alert.status == AlertStatus.ACKNOWLEDGED:
        who = f": {escape(row.acknowledged_by_name)}" if row.acknowledged_by_name else ""
        since = ""
        if alert.acknowledged_at and row.acknowledged_ago:
            since = f", since {_time(alert.acknowledged_at, row.acknowledged_ago, zone)}"
        return f"<li>{escape(alert.get_status_display())}{who}{since}</li>"
    if alert.status == AlertStatus.CLOSED:
        who = f" by {escape(row.closed_by_name)}" if row.closed_by_name else ""
        when = ""
        if alert.closed_at:
            day = date_format(alert.closed_at.astimezone(zone), "j M Y")
            when = f", {_time(alert.closed_at, day, zone)}"
        outcome = f": {escape(alert.get_outcome_display())}" if alert.outcome else ""
        false_alarm = (
            ' <span class="badge text-bg-secondary">False alarm</span>'
            if alert.false_positive
            else ""
        )
        return f"<li>Closed{who}{when}{outcome}{false_alarm}</li>"
    return ""


def _card(row: AlertRow, zone: tzinfo, alert_url: Callable[[int], str]) -> str:
    alert = row.alert
    deadline = row.deadline
    overdue = deadline is not None and deadline.is_overdue
    if overdue:
        border = " border-danger border-3"
    elif alert.status == AlertStatus.OPEN and alert.level == AlertLevel.URGENT:
        border = " border-danger border-2"
    else:
        border = ""
    due = ""
    if deadline is not None and overdue:
        due = (
            f'<li><strong class="text-danger-emphasis">{escape(deadline.text)}: nobody has said'
            " they are responding</strong></li>"
        )
    elif deadline is not None:
        due = f"<li>{escape(deadline.text)}</li>"
    level = (
        f'<span class="badge {LEVEL_BADGES.get(alert.level, "text-bg-info")}">'
        f"{escape(LEVEL_LABELS.get(alert.level, alert.level))}"
        '<span class="visually-hidden"> alert</span></span>'
    )
    signs = (
        f' <span class="text-body-secondary">({row.sign_count} signs)</span>'
        if row.sign_count > 1
        else ""
    )
    escalation = f"<li>{escape(row.escalation)}</li>" if alert.escalation_level else ""
    url = alert_url(alert.pk)
    return (
        f'<li class="card mb-2{border}">\n<div class="card-body py-2 px-3">\n'
        f'<h3 class="h6 mb-1 d-flex flex-wrap align-items-center gap-2">{level}'
        f"{OVERDUE_BADGE if overdue else ''}"
        f' <a href="{url}">About {escape(row.person_name)}</a></h3>\n'
        f'<p class="mb-1">{escape(row.raised_by)}{signs}</p>\n'
        f'<ul class="list-unstyled small mb-0">\n'
        f"<li>Raised {_time(alert.created_at, row.raised_ago, zone)}</li>"
        f"{due}{escalation}{_status(row, zone)}</ul>\n"
        "</div>\n</li>"
    )


@register.simple_tag
def alert_cards(rows: Iterable[AlertRow]) -> SafeString:
    """The alerts of one part of the queue as a list of cards, in the order given."""
    zone = get_current_timezone()
    alert_url = url_for_each("safeguarding:alert")
    cards = "\n".join(_card(row, zone, alert_url) for row in rows)
    return mark_safe(f'<ol class="list-unstyled mb-0">\n{cards}\n</ol>')  # noqa: S308 - escaped in _card


@register.simple_tag(takes_context=True)
def queue_pages(
    context: template.Context, page: Page, key: str, label: str, heading: str
) -> SafeString:
    """Previous and next links for one part of the queue, paged by the query parameter ``key``
    (the rest of the query kept), landing back on that part's ``heading``; nothing when it all
    fits on one page."""
    if not page.has_other_pages():
        return mark_safe("")
    request = context["request"]

    def link(number: int, words: str) -> str:
        query = request.GET.copy()
        query[key] = str(number)
        href = escape(f"?{query.urlencode()}#{heading}")
        return f'<li class="page-item"><a class="page-link" href="{href}">{words}</a></li>'

    previous = link(page.previous_page_number(), "Previous page") if page.has_previous() else ""
    following = link(page.next_page_number(), "Next page") if page.has_next() else ""
    return mark_safe(  # noqa: S308 - the label and the query are escaped
        f'<nav aria-label="Pages of {escape(label)}" class="mt-3">\n'
        f'<ul class="pagination flex-wrap">{previous}'
        '<li class="page-item active" aria-current="page"><span class="page-link">'
        f"Page {page.number} of {page.paginator.num_pages}</span></li>{following}</ul>\n</nav>"
    )
