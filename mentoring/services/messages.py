"""Messages between the pair, inside Alongside only.

A message sent outside the agreed contact hours still arrives; it records when a reply can be
expected so the sender can be told plainly. Every message goes through the safeguarding check.
The other person gets an email that says only that there is something new, and at most one
for each run of unread messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from alongside.email import send_templated_email
from audit.services import audit_record
from mentoring import hours
from mentoring.concurrency import already_made
from mentoring.models import Message, Relationship
from mentoring.safety import check_text
from mentoring.selectors import current_agreement, mentoring_settings
from mentoring.services.lifecycle import locked_relationship
from referrals.selectors import mentee_email

MESSAGE_MAX = 4000
THREAD_LENGTH = 50
WEEKDAYS = (0, 1, 2, 3, 4)


@dataclass(frozen=True)
class ContactHours:
    """When the pair agreed to be in touch, and how soon replies come."""

    days: tuple[int, ...]
    start: time
    end: time
    reply_within_hours: int
    agreed: bool  # False: no agreement yet, so the organisation's usual hours apply

    @property
    def text(self) -> str:
        return hours.describe_hours(self.days, self.start, self.end)

    def is_open(self, moment: datetime) -> bool:
        return hours.within_hours(timezone.localtime(moment), self.days, self.start, self.end)

    def reply_expected_by(self, sent: datetime) -> datetime:
        return hours.reply_expected_by(
            timezone.localtime(sent), self.days, self.start, self.end, self.reply_within_hours
        )


def contact_hours(relationship: Relationship) -> ContactHours:
    """The hours in the pair's current agreement; before they have one, the organisation's
    usual hours on weekdays."""
    agreement = current_agreement(relationship)
    if agreement is not None:
        return ContactHours(
            days=tuple(int(day) for day in agreement.contact_days),
            start=agreement.contact_from,
            end=agreement.contact_until,
            reply_within_hours=agreement.reply_within_hours,
            agreed=True,
        )
    defaults = mentoring_settings(relationship.organisation)
    return ContactHours(
        days=WEEKDAYS,
        start=defaults.contact_from,
        end=defaults.contact_until,
        reply_within_hours=defaults.reply_within_hours,
        agreed=False,
    )


def _is_pair(relationship: Relationship, user: User) -> bool:
    return user.pk in (relationship.mentee_id, relationship.mentor.user_id)


@transaction.atomic
def message_send(
    *,
    actor: User,
    relationship: Relationship,
    body: str,
    client_key: str = "",
    now: datetime | None = None,
) -> Message:
    """Send ``body`` from ``actor`` to the other person in the pair. Sending the same form twice
    (same ``client_key``) gives back the first message."""
    relationship = locked_relationship(relationship)
    if not _is_pair(relationship, actor):
        raise ValidationError("Only the mentor and mentee can send messages here.")
    if relationship.is_ended:
        raise ValidationError("This mentoring has ended, so messages can no longer be sent.")
    existing = already_made(Message, relationship, client_key)
    if existing is not None:
        if existing.sender_id != actor.pk:
            raise ValidationError({"client_key": "This key was used for another message."})
        return existing
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write your message before sending it."})
    if len(body) > MESSAGE_MAX:
        raise ValidationError(
            {
                "body": f"Keep your message to {MESSAGE_MAX:,} characters or fewer "
                f"(it has {len(body):,}). You could send it in two parts."
            }
        )
    now = now or timezone.now()
    agreed = contact_hours(relationship)
    outside = not agreed.is_open(now)
    message = Message.objects.create(
        relationship=relationship,
        sender=actor,
        body=body,
        sent_at=now,
        client_key=client_key,
        outside_hours=outside,
        reply_expected_by=agreed.reply_expected_by(now) if outside else None,
    )
    # Screened once saved, so the alert points at the message; both commit or neither does.
    risk = check_text(relationship, body, source="message", actor=actor, target=message)
    message.risk_level = str(risk.level)
    message.save(update_fields=["risk_level"])
    audit_record(
        actor=actor,
        action="mentoring.message_sent",
        organisation=relationship.organisation,
        target=relationship,
        metadata={
            "message": message.pk,
            "outside_hours": outside,
            "possible_risk": risk.is_risk,
        },
    )
    _notify(relationship, message, now)
    return message


def _recipient_email(relationship: Relationship, sender: User) -> str:
    if sender.pk == relationship.mentee_id:
        user = relationship.mentor.user
        return user.email if user.is_active else ""
    return mentee_email(relationship.referral)


def _notify(relationship: Relationship, message: Message, now: datetime) -> None:
    """Email the other person, unless an earlier email about a message they have still not read
    is waiting for them: one email per run of unread messages."""
    waiting = (
        relationship.messages.filter(
            sender=message.sender, read_at__isnull=True, notified_at__isnull=False
        )
        .exclude(pk=message.pk)
        .exists()
    )
    address = _recipient_email(relationship, message.sender)
    if waiting or not address:
        return
    send_templated_email(
        "mentoring/email/together_new_message",
        to=[address],
        context={"path": reverse("mentoring:messages", args=[relationship.pk])},
    )
    message.notified_at = now
    message.save(update_fields=["notified_at"])


@transaction.atomic
def messages_mark_read(
    *, actor: User, relationship: Relationship, now: datetime | None = None
) -> int:
    """Mark the other person's messages to ``actor`` as read; returns how many were new."""
    if not _is_pair(relationship, actor):
        return 0
    count = (
        relationship.messages.filter(read_at__isnull=True)
        .exclude(sender=actor)
        .update(read_at=now or timezone.now())
    )
    if count:
        audit_record(
            actor=actor,
            action="mentoring.messages_read",
            organisation=relationship.organisation,
            target=relationship,
            metadata={"count": count},
        )
    return count


@dataclass(frozen=True)
class Thread:
    """A page of the conversation, oldest first, and whether there are older messages."""

    messages: list[Message]
    has_older: bool

    @property
    def oldest_id(self) -> int | None:
        return self.messages[0].pk if self.messages else None


def thread(
    relationship: Relationship, *, before: int | None = None, limit: int = THREAD_LENGTH
) -> Thread:
    """The latest ``limit`` messages (or those just before message ``before``), oldest first.
    Messages are numbered in the order they were sent, so the number pages the thread."""
    found = relationship.messages.order_by("-pk")
    if before is not None:
        found = found.filter(pk__lt=before)
    latest = list(found[: limit + 1])
    return Thread(messages=list(reversed(latest[:limit])), has_older=len(latest) > limit)
