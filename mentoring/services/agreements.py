"""The pair's agreement: drafted at the first meeting, changed as a new version, and
acknowledged in the app by both people. When both have acknowledged, the relationship becomes
active (the first time) or takes on the new planned length (later versions).

Nobody's words are overwritten: a save made against an older version is refused with ``STALE``
and the person's text kept; the same save sent twice (a double-click) makes one version.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from alongside.email import send_templated_email
from audit.services import audit_record
from mentoring.concurrency import STALE
from mentoring.milestones import milestones_mark_seen
from mentoring.models import (
    Agreement,
    ContactChannel,
    MeetingFrequency,
    Relationship,
    RelationshipStatus,
)
from mentoring.safety import check_text
from mentoring.selectors import current_agreement
from mentoring.services.lifecycle import locked_relationship, relationship_activate
from mentoring.statement import STATEMENT_VERSION
from mentors.models import Format
from referrals.availability import SLOT_LABELS
from referrals.selectors import mentee_email
from safeguarding.services.alerts import Screened

TEXT_MAX = 2000
NOTE_MAX = Agreement._meta.get_field("usual_slot_note").max_length or 200
CHANGE_NOTE_MAX = Agreement._meta.get_field("change_note").max_length or 200
REPLY_HOURS = (1, 168)
PLANNED_SESSIONS = (1, 52)
LONGEST_PLAN = timedelta(days=730)
# A second identical save by the same person this soon after the first is a double-click.
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=1)
CHANGED_SINCE_READ = (
    "The agreement was changed after you opened it. Please read the latest version below, then "
    "acknowledge it if you agree."
)


@dataclass(frozen=True)
class AgreementTerms:
    """What the pair agree, as a form or an API call sends it."""

    goals_in_own_words: str
    meeting_frequency: str
    meeting_format: str
    contact_from: time
    contact_until: time
    reply_within_hours: int
    planned_sessions: int
    planned_end_on: date
    contact_channels: list[str] = field(default_factory=list)
    contact_days: list[int] = field(default_factory=list)
    usual_slot: str = ""
    usual_slot_note: str = ""
    anything_else: str = ""

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> AgreementTerms:
        names = cls.__dataclass_fields__
        return cls(**{name: value for name, value in data.items() if name in names})

    @classmethod
    def of(cls, agreement: Agreement) -> AgreementTerms:
        return cls(**{name: getattr(agreement, name) for name in cls.__dataclass_fields__})

    def normalised(self) -> AgreementTerms:
        return AgreementTerms(
            goals_in_own_words=(self.goals_in_own_words or "").strip(),
            meeting_frequency=self.meeting_frequency or "",
            meeting_format=self.meeting_format or "",
            contact_from=self.contact_from,
            contact_until=self.contact_until,
            reply_within_hours=self.reply_within_hours,
            planned_sessions=self.planned_sessions,
            planned_end_on=self.planned_end_on,
            contact_channels=sorted({str(channel) for channel in self.contact_channels or []}),
            contact_days=sorted({_as_int(day) for day in self.contact_days or []}),
            usual_slot=self.usual_slot or "",
            usual_slot_note=(self.usual_slot_note or "").strip(),
            anything_else=(self.anything_else or "").strip(),
        )


@dataclass(frozen=True)
class AgreementSaved:
    agreement: Agreement
    created: bool
    risk: Screened | None = None

    @property
    def is_risk(self) -> bool:
        return self.risk is not None and self.risk.is_risk

    @property
    def is_serious(self) -> bool:
        return self.risk is not None and self.risk.is_serious


def _as_int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return -1


def _validate(terms: AgreementTerms, *, change_note: str, needs_change_note: bool) -> None:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if not terms.goals_in_own_words:
        errors["goals_in_own_words"] = "Write what the mentee hopes to work on, in their words."
    elif len(terms.goals_in_own_words) > TEXT_MAX:
        errors["goals_in_own_words"] = f"Keep this to {TEXT_MAX} characters or fewer."
    if terms.meeting_frequency not in MeetingFrequency.values:
        errors["meeting_frequency"] = "Choose how often you will meet."
    if terms.meeting_format not in Format.values:
        errors["meeting_format"] = "Choose how you will usually meet."
    if terms.usual_slot and terms.usual_slot not in SLOT_LABELS:
        errors["usual_slot"] = "Choose a part of the week from the list, or leave it empty."
    if len(terms.usual_slot_note) > NOTE_MAX:
        errors["usual_slot_note"] = f"Keep this to {NOTE_MAX} characters or fewer."
    if not terms.contact_channels:
        errors["contact_channels"] = "Choose at least one way to keep in touch."
    elif not set(terms.contact_channels) <= set(ContactChannel.values):
        errors["contact_channels"] = "Choose ways to keep in touch from the list."
    if not terms.contact_days:
        errors["contact_days"] = "Choose at least one day when contact is all right."
    elif not all(0 <= day <= 6 for day in terms.contact_days):
        errors["contact_days"] = "Choose days from the list."
    if not isinstance(terms.contact_from, time):
        errors["contact_from"] = "Enter the earliest time for contact, for example 09:00."
    if not isinstance(terms.contact_until, time):
        errors["contact_until"] = "Enter the latest time for contact, for example 20:00."
    elif isinstance(terms.contact_from, time) and terms.contact_from >= terms.contact_until:
        errors["contact_until"] = "The latest time must be after the earliest time."
    if not _in_range(terms.reply_within_hours, REPLY_HOURS):
        errors["reply_within_hours"] = "Choose a number of hours between 1 and 168 (a week)."
    if not _in_range(terms.planned_sessions, PLANNED_SESSIONS):
        errors["planned_sessions"] = "Choose a number of sessions between 1 and 52."
    if not isinstance(terms.planned_end_on, date):
        errors["planned_end_on"] = "Enter the date you plan to finish."
    elif terms.planned_end_on <= today:
        errors["planned_end_on"] = "Choose a date in the future."
    elif terms.planned_end_on > today + LONGEST_PLAN:
        errors["planned_end_on"] = "Choose a date within the next two years."
    if len(terms.anything_else) > TEXT_MAX:
        errors["anything_else"] = f"Keep this to {TEXT_MAX} characters or fewer."
    if needs_change_note and not change_note:
        errors["change_note"] = "Say in a few words what changed, so the other person can see."
    elif len(change_note) > CHANGE_NOTE_MAX:
        errors["change_note"] = f"Keep this to {CHANGE_NOTE_MAX} characters or fewer."
    if errors:
        raise ValidationError(errors)


def _in_range(value: object, bounds: tuple[int, int]) -> bool:
    return isinstance(value, int) and bounds[0] <= value <= bounds[1]


def _check_in_pair(actor: User, relationship: Relationship) -> bool:
    """True for the mentor, False for the mentee; anyone else is refused."""
    if relationship.status == RelationshipStatus.ENDED:
        raise ValidationError("This mentoring has ended, so the agreement can no longer change.")
    if relationship.mentor.user_id == actor.pk:
        return True
    if relationship.mentee_id == actor.pk:
        return False
    raise ValidationError("Only the mentor and the mentee can change their agreement.")


def _is_double_submit(
    current: Agreement,
    *,
    actor: User,
    terms: AgreementTerms,
    change_note: str,
    based_on_version: int | None,
) -> bool:
    return (
        current.created_by_id == actor.pk
        and current.created_at >= timezone.now() - DOUBLE_SUBMIT_WINDOW
        and (based_on_version or 0) == current.version - 1
        and current.change_note == change_note
        and AgreementTerms.of(current).normalised() == terms
    )


@transaction.atomic
def agreement_save(
    *,
    actor: User,
    relationship: Relationship,
    terms: AgreementTerms,
    based_on_version: int | None,
    change_note: str = "",
) -> AgreementSaved:
    """Save the pair's agreement as a new version, made against ``based_on_version`` (the
    version the writer was looking at; ``None`` or 0 when there was none yet).

    The writer's acknowledgement is recorded on the new version (they wrote it); the other
    person is emailed, without any content, to read and acknowledge it. Earlier versions are
    kept. A save against an older version is refused with ``STALE`` on ``version``."""
    relationship = locked_relationship(relationship)
    is_mentor = _check_in_pair(actor, relationship)
    terms = terms.normalised()
    change_note = (change_note or "").strip()
    current = current_agreement(relationship)
    if current is not None and _is_double_submit(
        current,
        actor=actor,
        terms=terms,
        change_note=change_note,
        based_on_version=based_on_version,
    ):
        return AgreementSaved(agreement=current, created=False)
    if (based_on_version or 0) != (current.version if current is not None else 0):
        raise ValidationError({"version": STALE}, code="stale")
    if current is not None and AgreementTerms.of(current).normalised() == terms:
        # Nothing changed: no new version for the other person to read again.
        return AgreementSaved(agreement=current, created=False)
    _validate(terms, change_note=change_note, needs_change_note=current is not None)

    now = timezone.now()
    agreement = Agreement.objects.create(
        relationship=relationship,
        version=(current.version + 1) if current is not None else 1,
        statement_version=STATEMENT_VERSION,
        change_note=change_note,
        created_by=actor,
        created_at=now,
        mentor_acknowledged_at=now if is_mentor else None,
        mentee_acknowledged_at=None if is_mentor else now,
        **asdict(terms),
    )
    risk = check_text(
        relationship,
        terms.goals_in_own_words,
        terms.anything_else,
        source="agreement",
        actor=actor,
        target=agreement,
    )
    audit_record(
        actor=actor,
        action="agreement.saved",
        organisation=relationship.organisation,
        target=agreement,
        metadata={
            "relationship": relationship.pk,
            "version": agreement.version,
            "by": "mentor" if is_mentor else "mentee",
        },
    )
    other = mentee_email(relationship.referral) if is_mentor else relationship.mentor.user.email
    send_templated_email(
        "mentoring/email/agreement_updated",
        to=[other],
        context={
            "first": agreement.version == 1,
            "path": reverse("mentoring:agreement", args=[relationship.pk]),
        },
    )
    return AgreementSaved(agreement=agreement, created=True, risk=risk)


@transaction.atomic
def agreement_acknowledge(
    *, actor: User, relationship: Relationship, version: int | None
) -> Agreement:
    """Record that ``actor`` has read version ``version`` of the agreement and agrees.
    Acknowledging twice changes nothing. When both people have acknowledged, the relationship
    becomes active (first time), or takes on the new version's planned length."""
    relationship = locked_relationship(relationship)
    is_mentor = _check_in_pair(actor, relationship)
    current = current_agreement(relationship)
    if current is None:
        raise ValidationError("There is no agreement to acknowledge yet.")
    if version is None or version != current.version:
        raise ValidationError({"version": CHANGED_SINCE_READ}, code="stale")
    mine = "mentor_acknowledged_at" if is_mentor else "mentee_acknowledged_at"
    if getattr(current, mine) is not None:
        return current
    setattr(current, mine, timezone.now())
    current.save(update_fields=[mine])
    audit_record(
        actor=actor,
        action="agreement.acknowledged",
        organisation=relationship.organisation,
        target=current,
        metadata={
            "relationship": relationship.pk,
            "version": current.version,
            "by": "mentor" if is_mentor else "mentee",
        },
    )
    if current.is_acknowledged:
        _both_agreed(relationship, current, actor=actor)
    return current


def _both_agreed(relationship: Relationship, agreement: Agreement, *, actor: User) -> None:
    if relationship.status == RelationshipStatus.INTRODUCTION:
        relationship_activate(relationship, agreement, actor=actor)
        return
    changed = [
        name
        for name in ("planned_sessions", "planned_end_on")
        if getattr(relationship, name) != getattr(agreement, name)
    ]
    for name in changed:
        setattr(relationship, name, getattr(agreement, name))
    if changed:
        relationship.save(update_fields=changed)


def milestones_seen(*, actor: User, relationship: Relationship) -> int:
    """The mentee has seen their celebrations; only the mentee's own view marks them."""
    if relationship.mentee_id != actor.pk:
        return 0
    return milestones_mark_seen(relationship)
