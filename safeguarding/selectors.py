"""Reads for the safeguarding pages and API: the organisation's crisis resources, the alert
queue (most serious and oldest first, in a fixed number of queries), one alert's signs and
timeline, and the words shown for levels, categories, deadlines and escalation."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from accounts.access import STAFF_ROLES
from accounts.models import Membership, Organisation, Role, User
from alongside.durations import time_between
from outcomes import instruments
from safeguarding.detector import CATEGORY_LABELS
from safeguarding.models import (
    LEVEL_RANK,
    Alert,
    AlertAction,
    AlertActionKind,
    AlertLevel,
    AlertSign,
    AlertStatus,
    CrisisResource,
    DutyShift,
    SafeguardingLead,
)

DETECTION_FAILED = "detection_failed"
DETECTION_FAILED_LABEL = "Risk detection failed"
ESCALATION_LABELS = {
    0: "Not escalated",
    1: "Escalated: every safeguarding lead and coordinator told",
    2: "Escalated twice: admins told as well",
}


def crisis_resources_for(organisation: Organisation | None) -> QuerySet[CrisisResource]:
    if organisation is None:
        return CrisisResource.objects.none()
    return CrisisResource.objects.filter(organisation=organisation, is_active=True)


def name_of(user: User | None) -> str:
    """A person as responders know them: their name, or their email when they gave none."""
    if user is None:
        return "Someone whose account was removed"
    return user.name or user.email


# The queue -------------------------------------------------------------------------------------


def with_latest_sign(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    """Each alert with what raised its latest sign (``latest_source_label``) and how many signs
    it has gathered (``sign_count``), in the same query."""
    signs = AlertSign.objects.filter(alert=OuterRef("pk"))
    return alerts.annotate(
        latest_source_label=Subquery(
            signs.order_by("-created_at", "-pk").values("source_label")[:1]
        ),
        sign_count=Subquery(
            signs.order_by().values("alert").annotate(count=Count("pk")).values("count")
        ),
    )


def most_serious_first(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    return alerts.annotate(level_rank=LEVEL_RANK).order_by("level_rank", "created_at", "pk")


def queue_alerts(visible: QuerySet[Alert]) -> QuerySet[Alert]:
    """Alerts with everything a row of the queue shows, for one query per list."""
    return with_latest_sign(visible).select_related(
        "person", "acknowledged_by", "closed_by", "supervisor", "duty_lead"
    )


# The columns a row of the queue page shows: never notes, nor anyone the row does not name.
QUEUE_ROW_FIELDS = (
    "level",
    "status",
    "source_label",
    "created_at",
    "due_at",
    "escalation_level",
    "acknowledged_at",
    "closed_at",
    "outcome",
    "false_positive",
)


def _queue_rows(alerts: QuerySet[Alert], *people: str) -> QuerySet[Alert]:
    """``alerts`` with only what their rows show, and the names of ``people`` (the person the
    alert is about, and who responded or closed it) joined in: one query, however many rows."""
    named = ("person", *people)
    return (
        with_latest_sign(alerts)
        .select_related(*named)
        .only(
            *QUEUE_ROW_FIELDS,
            *named,
            *(f"{who}__{field}" for who in named for field in ("name", "email")),
        )
    )


def waiting_alerts(visible: QuerySet[Alert]) -> QuerySet[Alert]:
    """Alerts nobody has said they are responding to, most serious and oldest first."""
    return most_serious_first(_queue_rows(visible.filter(status=AlertStatus.OPEN)))


def responding_alerts(visible: QuerySet[Alert]) -> QuerySet[Alert]:
    """Alerts someone is responding to, the most recently picked up first."""
    return _queue_rows(visible.filter(status=AlertStatus.ACKNOWLEDGED), "acknowledged_by").order_by(
        "-acknowledged_at", "-pk"
    )


def closed_alerts(visible: QuerySet[Alert]) -> QuerySet[Alert]:
    """Closed alerts, the most recently closed first."""
    return _queue_rows(visible.filter(status=AlertStatus.CLOSED), "closed_by").order_by(
        "-closed_at", "-pk"
    )


def queue_counts(visible: QuerySet[Alert], now: datetime | None = None) -> dict[str, int]:
    """How many alerts are waiting (and of those, overdue, and how many at each level), being
    responded to and closed, in one query."""
    now = now or timezone.now()
    waiting = Q(status=AlertStatus.OPEN)
    counts = visible.aggregate(
        waiting=Count("pk", filter=waiting),
        overdue=Count("pk", filter=waiting & Q(due_at__lte=now)),
        **{
            f"waiting_{level}": Count("pk", filter=waiting & Q(level=level))
            for level in AlertLevel.values
        },
        responding=Count("pk", filter=Q(status=AlertStatus.ACKNOWLEDGED)),
        closed=Count("pk", filter=Q(status=AlertStatus.CLOSED)),
    )
    return {key: value or 0 for key, value in counts.items()}


@dataclass(frozen=True)
class Deadline:
    """When someone must respond by, in words: "Due in 9 minutes" or "Overdue by 1 hour"."""

    text: str
    is_overdue: bool


def deadline_of(alert: Alert, now: datetime | None = None) -> Deadline | None:
    """The response deadline while nobody has said they are responding; none after that."""
    if alert.status != AlertStatus.OPEN or alert.due_at is None:
        return None
    now = now or timezone.now()
    if alert.due_at <= now:
        return Deadline(f"Overdue by {time_between(alert.due_at, now)}", True)
    if (alert.due_at - now).total_seconds() < 60:
        return Deadline("Due in less than a minute", False)
    return Deadline(f"Due in {time_between(now, alert.due_at)}", False)


def ago(moment: datetime | None, now: datetime | None = None) -> str:
    """How long ago, in words: "just now" under a minute, else "5 minutes ago"."""
    if moment is None:
        return ""
    now = now or timezone.now()
    if (now - moment).total_seconds() < 60:
        return "just now"
    return f"{time_between(moment, now)} ago"


def escalation_label(tier: int) -> str:
    return ESCALATION_LABELS.get(tier, ESCALATION_LABELS[2])


@dataclass(frozen=True)
class AlertRow:
    """One alert in the queue, with the words its row shows."""

    alert: Alert
    person_name: str
    acknowledged_by_name: str
    closed_by_name: str
    raised_ago: str
    acknowledged_ago: str
    raised_by: str
    sign_count: int
    deadline: Deadline | None
    escalation: str


def alert_row(alert: Alert, now: datetime | None = None) -> AlertRow:
    now = now or timezone.now()
    return AlertRow(
        alert=alert,
        person_name=name_of(alert.person),
        acknowledged_by_name=name_of(alert.acknowledged_by) if alert.acknowledged_by_id else "",
        closed_by_name=name_of(alert.closed_by) if alert.closed_by_id else "",
        raised_ago=ago(alert.created_at, now),
        acknowledged_ago=ago(alert.acknowledged_at, now),
        raised_by=getattr(alert, "latest_source_label", None) or alert.source_label,
        sign_count=getattr(alert, "sign_count", None) or 1,
        deadline=deadline_of(alert, now),
        escalation=escalation_label(alert.escalation_level),
    )


def queue_row(alert: Alert, now: datetime) -> AlertRow:
    """A row of the queue page from an alert of ``waiting_alerts``, ``responding_alerts`` or
    ``closed_alerts``: it names only who its status shows, so it reads no other column."""
    responding = alert.status == AlertStatus.ACKNOWLEDGED
    closed = alert.status == AlertStatus.CLOSED
    return AlertRow(
        alert=alert,
        person_name=name_of(alert.person),
        acknowledged_by_name=(
            name_of(alert.acknowledged_by) if responding and alert.acknowledged_by_id else ""
        ),
        closed_by_name=name_of(alert.closed_by) if closed and alert.closed_by_id else "",
        raised_ago=ago(alert.created_at, now),
        acknowledged_ago=ago(alert.acknowledged_at, now) if responding else "",
        raised_by=getattr(alert, "latest_source_label", None) or alert.source_label,
        sign_count=getattr(alert, "sign_count", None) or 1,
        deadline=deadline_of(alert, now),
        escalation=escalation_label(alert.escalation_level),
    )


def queue_rows(alerts: Iterable[Alert], now: datetime) -> list[AlertRow]:
    return [queue_row(alert, now) for alert in alerts]


# One alert -------------------------------------------------------------------------------------


@cache
def _measure_flag_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for key in instruments.BUILTIN_KEYS:
        for flag in instruments.builtin(key).flags:
            labels.setdefault(flag.key, flag.label)
    return labels


def category_label(key: str) -> str:
    """A detector category or a questionnaire flag, in words."""
    if key == DETECTION_FAILED:
        return DETECTION_FAILED_LABEL
    if key in CATEGORY_LABELS:  # Category is a StrEnum: its members look up as plain strings
        return CATEGORY_LABELS[key]  # type: ignore[index]
    return _measure_flag_labels().get(key) or key.replace("_", " ").capitalize()


def category_labels(keys: Iterable[str]) -> list[str]:
    return [category_label(key) for key in keys]


@dataclass(frozen=True)
class Part:
    """A piece of flagged text; ``is_match`` when it is one of the phrases that raised it."""

    text: str
    is_match: bool


_APOSTROPHES = "'\u2019\u2018`"


def _phrase_pattern(phrase: str) -> str:
    pieces = []
    for character in " ".join(phrase.split()):
        if character.isspace():
            pieces.append(r"\s+")
        elif character in _APOSTROPHES:
            pieces.append(f"[{re.escape(_APOSTROPHES)}]")
        else:
            pieces.append(re.escape(character))
    return "".join(pieces)


def highlighted(text: str, matches: Sequence[str]) -> list[list[list[Part]]]:
    """``text`` split into paragraphs (blank lines), each into lines, each into parts, with the
    matched phrases marked (ignoring case, spacing and the kind of apostrophe). Built here so
    the template escapes every piece and marks matches with ``<mark>``: nothing written by a
    person is ever trusted as HTML."""
    spans: list[tuple[int, int]] = []
    for phrase in matches:
        if not phrase.strip():
            continue
        for found in re.finditer(_phrase_pattern(phrase), text, flags=re.IGNORECASE):
            if found.end() > found.start():
                spans.append((found.start(), found.end()))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    parts: list[Part] = []
    position = 0
    for start, end in merged:
        if start > position:
            parts.append(Part(text[position:start], False))
        parts.append(Part(text[start:end], True))
        position = end
    if position < len(text):
        parts.append(Part(text[position:], False))
    return _paragraphs(parts)


def _paragraphs(parts: list[Part]) -> list[list[list[Part]]]:
    lines: list[list[Part]] = [[]]
    for part in parts:
        for index, piece in enumerate(part.text.replace("\r\n", "\n").split("\n")):
            if index:
                lines.append([])
            if piece:
                lines[-1].append(Part(piece, part.is_match))
    paragraphs: list[list[list[Part]]] = [[]]
    for line in lines:
        if all(not part.text.strip() for part in line):
            if paragraphs[-1]:
                paragraphs.append([])
        else:
            paragraphs[-1].append(line)
    return [paragraph for paragraph in paragraphs if paragraph]


@dataclass(frozen=True)
class SignView:
    sign: AlertSign
    ago: str
    categories: list[str]
    paragraphs: list[list[list[Part]]]
    matches: list[str]


def sign_views(alert: Alert) -> list[SignView]:
    """Every sign that raised or joined the alert, oldest first, ready to show."""
    views = []
    now = timezone.now()
    for sign in alert.signs.order_by("created_at", "pk"):
        matches = sign.match_list
        views.append(
            SignView(
                sign=sign,
                ago=ago(sign.created_at, now),
                categories=category_labels(sign.categories),
                paragraphs=highlighted(sign.excerpt or "", matches),
                matches=matches,
            )
        )
    return views


def alert_timeline(alert: Alert) -> list[AlertAction]:
    """The steps taken on the alert, oldest first, with who took them."""
    return list(alert.actions.select_related("actor").order_by("created_at", "pk"))


@dataclass(frozen=True)
class TimelineEntry:
    """One line of an alert's timeline: what happened, the details, who and when."""

    kind: str
    when: datetime
    title: str
    details: list[str]
    note: str
    who: str


AUTOMATIC = "Alongside, automatically"


def timeline_entries(alert: Alert, actions: Sequence[AlertAction]) -> list[TimelineEntry]:
    """The alert being raised, then every step taken on it, oldest first."""
    entries = [
        TimelineEntry(
            kind="raised",
            when=alert.created_at,
            title="Alert raised",
            details=[alert.source_label],
            note="",
            who=AUTOMATIC,
        )
    ]
    last_close = max(
        (index for index, action in enumerate(actions) if action.kind == AlertActionKind.CLOSED),
        default=None,
    )
    for index, action in enumerate(actions):
        details: list[str] = []
        if action.kind == AlertActionKind.CONTACT_ATTEMPT:
            if action.reached is None:
                reached = "not said whether they were reached"
            else:
                reached = "reached them" if action.reached else "did not reach them"
            details.append(f"{action.get_contact_method_display()}: {reached}")
        elif action.kind == AlertActionKind.ACTION_TAKEN:
            details.append(action.get_action_display())
        elif action.kind == AlertActionKind.CLOSED and index == last_close and alert.is_closed:
            details.append(f"Outcome: {alert.get_outcome_display()}")
            if alert.false_positive:
                details.append("Marked as a false alarm")
        entries.append(
            TimelineEntry(
                kind=action.kind,
                when=action.created_at,
                title=action.get_kind_display(),
                details=details,
                note=action.note or "",
                who=name_of(action.actor) if action.actor_id else AUTOMATIC,
            )
        )
    return entries


def has_response_recorded(alert: Alert) -> bool:
    """Someone has recorded a contact attempt or an action (closing without one is unusual)."""
    kinds = [AlertActionKind.CONTACT_ATTEMPT, AlertActionKind.ACTION_TAKEN]
    return alert.actions.filter(kind__in=kinds).exists()


def first_record_path(signs: Sequence[SignView], alert: Alert) -> str:
    """Where to follow the person up: their mentoring page when a sign came from one."""
    for view in reversed(signs):
        if view.sign.path.startswith("/mentoring/"):
            return view.sign.path
    return alert.path


# The urgent banner -----------------------------------------------------------------------------


@dataclass(frozen=True)
class UrgentAlert:
    """The oldest urgent alert nobody has responded to, as the banner needs it: whether the
    viewer may open it and, for those who may not, who is on duty to tell."""

    pk: int
    viewer_may_see: bool
    duty_lead_name: str = ""
    duty_lead_email: str = ""


def _on_duty(now: datetime) -> QuerySet[DutyShift]:
    """The shift of the alert's organisation covering ``now``, as
    ``safeguarding.services.rota.duty_shift_at`` chooses it, for use as a subquery."""
    return DutyShift.objects.filter(
        organisation_id=OuterRef("organisation_id"),
        lead__is_active=True,
        lead__user__is_active=True,
        starts_at__lte=now,
        ends_at__gt=now,
    ).order_by("starts_at", "pk")


def oldest_urgent_alert(
    user: User, membership: Membership, now: datetime | None = None
) -> UrgentAlert | None:
    """The oldest urgent alert of the membership's organisation nobody has responded to, with
    whether the viewer may open it as ``safeguarding.access.alerts_visible_to`` decides and,
    for anyone who may not, the duty lead at ``now``: one query on the index of waiting urgent
    alerts, never cached, so the banner goes the moment someone responds."""
    waiting = Alert.objects.filter(
        organisation_id=membership.organisation_id,
        status=AlertStatus.OPEN,
        level=AlertLevel.URGENT,
    ).order_by("created_at", "pk")
    if membership.role in STAFF_ROLES:
        pk = waiting.values_list("pk", flat=True).first()
        return None if pk is None else UrgentAlert(pk=pk, viewer_may_see=True)
    rule = Q(
        Exists(
            SafeguardingLead.objects.filter(
                organisation_id=membership.organisation_id, user=user, is_active=True
            )
        )
    )
    if membership.role == Role.SUPERVISOR:
        rule |= Q(supervisor=user) | Q(duty_lead=user)
    on_duty = _on_duty(now or timezone.now())
    found = (
        waiting.annotate(
            viewer_may_see=ExpressionWrapper(rule, output_field=BooleanField()),
            duty_lead_name=Subquery(on_duty.values("lead__user__name")[:1]),
            duty_lead_email=Subquery(on_duty.values("lead__user__email")[:1]),
        )
        .values_list("pk", "viewer_may_see", "duty_lead_name", "duty_lead_email")
        .first()
    )
    if found is None:
        return None
    pk, may_see, lead_name, lead_email = found
    if may_see or lead_email is None:
        return UrgentAlert(pk=pk, viewer_may_see=bool(may_see))
    return UrgentAlert(
        pk=pk,
        viewer_may_see=False,
        duty_lead_name=lead_name or lead_email,
        duty_lead_email=lead_email,
    )
