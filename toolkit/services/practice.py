"""The mentee's own toolkit: saving a skill from the library, logging a practice and how helpful
it was, removing a skill, and the weekly nudge. Only the mentee changes their toolkit.

Practice notes are the mentee's private words (their mentor sees dates and ratings, not notes).
They still go through the safeguarding check, as everything people write in Alongside does: the
writer is shown where to get help now, and a safeguarding alert tells the people who respond
(the mentor's supervisor and the duty safeguarding lead; never the mentor), also when the mentee
has no current mentoring.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role, User
from alongside.email import send_templated_email
from audit.services import audit_record
from mentoring.safety import SOURCE_LABELS, check_text, reassess
from mentoring.selectors import current_relationship_of
from safeguarding.detector import NO_RISK
from safeguarding.services.alerts import Screened, screen_text
from toolkit.models import Practice, Skill, SkillStatus, ToolkitEntry, ToolkitPreferences
from toolkit.selectors import NUDGE_SPACING, helps, nudge_pick, nudge_recipients, times_tried

NOTE_MAX = 1000
NOT_YOURS = "Only the person whose toolkit this is can change it."
HELPFULNESS_REQUIRED = "Choose how helpful it was, from 1 to 5."
FUTURE_DATE = "The date cannot be in the future."


@dataclass(frozen=True)
class Logged:
    """A practice the mentee logged (or the one an earlier send of the same form logged), and
    whether their note suggests they may be at risk (then the page shows where to get help)."""

    practice: Practice
    created: bool
    at_risk: bool = False
    # Flagged high or urgent: the mentee is told someone from the team will be in touch.
    serious: bool = False


def _locked_own_entry(actor: User, entry: ToolkitEntry) -> ToolkitEntry:
    """The entry, locked for this transaction, if ``actor`` owns it and it is still in their
    toolkit."""
    if actor.pk != entry.person_id:
        raise ValidationError(NOT_YOURS)
    entry = ToolkitEntry.objects.select_for_update().select_related("skill").get(pk=entry.pk)
    if entry.removed_at is not None:
        raise ValidationError("This skill is no longer in your toolkit.")
    return entry


def _earliest_date(entry: ToolkitEntry) -> date:
    """A practice may be dated from the day before the skill was added (time zones, late
    evenings), never earlier."""
    return timezone.localdate(entry.added_at) - timedelta(days=1)


def _screen_note(actor: User, practice: Practice, entry: ToolkitEntry) -> Screened:
    relationship = current_relationship_of(actor, entry.organisation_id)
    if relationship is not None:
        return check_text(
            relationship, practice.note, source="practice note", actor=actor, target=practice
        )
    # No current mentoring: the organisation's safeguarding leads are still told.
    return screen_text(
        practice.note,
        actor=actor,
        organisation=entry.organisation,
        person=actor,
        source="practice note",
        source_label=f"{SOURCE_LABELS['practice note']}, written by the person themselves",
        target=practice,
    )


@transaction.atomic
def practice_log(
    *,
    actor: User,
    entry: ToolkitEntry,
    helpfulness: int | str | None,
    practised_on: date | None = None,
    note: str = "",
    client_key: str = "",
) -> Logged:
    """The mentee records that they tried a skill and how helpful it was (1-5), on a day (today
    unless given) with an optional note. Sending the same form twice (same ``client_key``)
    gives back the first practice."""
    entry = _locked_own_entry(actor, entry)
    if client_key:
        earlier = Practice.objects.filter(entry=entry, client_key=client_key).first()
        if earlier is not None:
            again = reassess(earlier.note)
            return Logged(earlier, created=False, at_risk=again.is_risk, serious=again.is_serious)
    errors: dict[str, str] = {}
    try:
        rating = int(helpfulness) if helpfulness is not None and helpfulness != "" else None
    except (TypeError, ValueError):
        rating = None
    if rating is None or not 1 <= rating <= 5:
        errors["helpfulness"] = HELPFULNESS_REQUIRED
    today = timezone.localdate()
    day = practised_on or today
    earliest = _earliest_date(entry)
    if day > today:
        errors["practised_on"] = FUTURE_DATE
    elif day < earliest:
        errors["practised_on"] = (
            f"Choose a date from {earliest.day} {earliest:%B %Y} on: this skill was added to "
            "your toolkit then."
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = f"Keep this to {NOTE_MAX:,} characters or fewer (it has {len(note):,})."
    if errors:
        raise ValidationError(errors)
    assert rating is not None
    practice = Practice.objects.create(
        entry=entry,
        practised_on=day,
        helpfulness=rating,
        note=note,
        client_key=client_key[:64],
    )
    risk = _screen_note(actor, practice, entry) if note else Screened(NO_RISK)
    audit_record(
        actor=actor,
        action="toolkit.practice_logged",
        organisation=entry.organisation,
        target=practice,
    )
    return Logged(practice, created=True, at_risk=risk.is_risk, serious=risk.is_serious)


@transaction.atomic
def entry_save(*, actor: User, skill: Skill) -> ToolkitEntry:
    """A mentee saves a library skill to their own toolkit. Saving it again changes nothing;
    saving a skill they removed brings it back, with its practice log."""
    is_mentee = Membership.objects.filter(
        user=actor, organisation_id=skill.organisation_id, role=Role.MENTEE, is_active=True
    ).exists()
    if not is_mentee:
        raise ValidationError("Only mentees keep a toolkit.")
    if skill.status != SkillStatus.LIBRARY:
        raise ValidationError("Only skills in the library can be saved to your toolkit.")
    entry, created = ToolkitEntry.objects.select_for_update().get_or_create(
        person=actor, skill=skill, defaults={"organisation_id": skill.organisation_id}
    )
    if not created and entry.removed_at is None:
        return entry
    if not created:
        entry.removed_at = None
        entry.save(update_fields=["removed_at"])
    audit_record(
        actor=actor,
        action="toolkit.entry_saved" if created else "toolkit.entry_restored",
        organisation=skill.organisation,
        target=entry,
    )
    return entry


@transaction.atomic
def entry_remove(*, actor: User, entry: ToolkitEntry, now: datetime | None = None) -> ToolkitEntry:
    """The mentee takes a skill out of their toolkit. What they logged is kept (saving the
    skill again brings it back)."""
    entry = _locked_own_entry(actor, entry)
    entry.removed_at = now or timezone.now()
    entry.save(update_fields=["removed_at"])
    audit_record(
        actor=actor, action="toolkit.entry_removed", organisation=entry.organisation, target=entry
    )
    return entry


@transaction.atomic
def preferences_save(*, actor: User, weekly_nudge: bool) -> ToolkitPreferences:
    """The mentee turns the weekly nudge on or off."""
    preferences, _ = ToolkitPreferences.objects.select_for_update().get_or_create(person=actor)
    if preferences.weekly_nudge != weekly_nudge:
        preferences.weekly_nudge = weekly_nudge
        preferences.save(update_fields=["weekly_nudge"])
        audit_record(
            actor=actor,
            action="toolkit.weekly_nudge_changed",
            target=preferences,
            metadata={"weekly_nudge": weekly_nudge},
        )
    return preferences


# The weekly nudge -------------------------------------------------------------------------------


def weekly_nudges_send(now: datetime | None = None) -> int:
    """Email each mentee who wants it one idea from their toolkit, at most once in 6 days.
    Returns how many were sent; running it again sends nothing twice."""
    now = now or timezone.now()
    sent = 0
    for person_pk in list(nudge_recipients(now).values_list("pk", flat=True)):
        if _nudge(person_pk, now):
            sent += 1
    return sent


@transaction.atomic
def _nudge(person_pk: int, now: datetime) -> bool:
    person = User.objects.get(pk=person_pk)
    preferences, _ = ToolkitPreferences.objects.select_for_update().get_or_create(person=person)
    recent = preferences.last_nudged_at is not None and (
        preferences.last_nudged_at > now - NUDGE_SPACING
    )
    if not preferences.weekly_nudge or recent or not person.is_active or not person.email:
        return False
    entry = nudge_pick(person)
    if entry is None:
        return False
    preferences.last_nudged_at = now
    preferences.save(update_fields=["last_nudged_at"])
    skill = entry.skill
    send_templated_email(
        "toolkit/email/weekly_nudge",
        to=[person.email],
        context={
            # A library skill is generic self-help, so its title can be named; a mentor's own
            # strategy might say more about someone, so it is not.
            "skill_title": skill.title if skill.status == SkillStatus.LIBRARY else "",
            "minutes": skill.minutes,
            "helped": helps(entry),
            "tried": times_tried(entry) > 0,
            "entry_path": reverse("toolkit:entry", args=[entry.pk]),
            "toolkit_path": reverse("toolkit:mine"),
            "preferences_path": reverse("toolkit:preferences"),
        },
    )
    return True
