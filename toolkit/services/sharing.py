"""A mentor shares a skill with their mentee, in or after a session; it lands in the mentee's
personal toolkit. The email that tells the mentee says nothing about what was shared."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from alongside.email import send_templated_email
from audit.services import audit_record
from mentoring.models import MentoringSession, Relationship, RelationshipStatus
from referrals.selectors import mentee_email
from toolkit.models import Skill, SkillStatus, ToolkitEntry
from toolkit.services.notes import check_note

NOTE_MAX = 300
SHAREABLE_OWN = (SkillStatus.MENTOR_OWN, SkillStatus.PROPOSED)


@dataclass(frozen=True)
class Shared:
    entry: ToolkitEntry
    added: bool
    # The same form sent again (a double-click, a resend): nothing was changed this time.
    repeated: bool = False


def can_share(actor: User, skill: Skill) -> bool:
    """A mentor may share a library skill, or a strategy of their own."""
    if skill.status == SkillStatus.LIBRARY:
        return True
    return skill.status in SHAREABLE_OWN and skill.author_id == actor.pk


def _check(
    actor: User, skill: Skill, relationship: Relationship, session: MentoringSession | None
) -> None:
    if relationship.mentor.user_id != actor.pk:
        raise ValidationError("You can only share skills with your own mentees.")
    if relationship.status not in RelationshipStatus.current():
        raise ValidationError("This mentoring has ended, so skills can no longer be shared.")
    if skill.organisation_id != relationship.organisation_id or not can_share(actor, skill):
        raise ValidationError("This skill cannot be shared.")
    if session is not None and session.relationship_id != relationship.pk:
        raise ValidationError({"session": "Choose a session with this mentee."})


def _write_note(entry: ToolkitEntry, note: str, actor: User) -> None:
    if note != entry.note:
        entry.note = note
        entry.note_by = actor if note else None
        entry.version += 1


@transaction.atomic
def skill_share(
    *,
    actor: User,
    skill: Skill,
    relationship: Relationship,
    session: MentoringSession | None = None,
    note: str = "",
    version: int | None = None,
    client_key: str = "",
) -> Shared:
    """Put ``skill`` into the mentee's toolkit (or back into it, if they had removed it).
    Sharing a skill already in the toolkit adds nothing and sends no second email; a new note
    replaces the old one, once the writer has seen it: ``version`` is the version of the note
    the form showed (0: none; see ``toolkit.services.notes``). The same ``client_key`` sent
    again gives back the entry as the first send left it."""
    relationship = (
        Relationship.objects.select_for_update(of=("self",))
        .select_related("mentor", "referral", "organisation")
        .get(pk=relationship.pk)
    )
    skill = Skill.objects.get(pk=skill.pk)
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": f"Keep the note to {NOTE_MAX} characters or fewer."})
    _check(actor, skill, relationship, session)
    entry, created = ToolkitEntry.objects.select_for_update().get_or_create(
        person_id=relationship.mentee_id,
        skill=skill,
        defaults={
            "organisation": relationship.organisation,
            "shared_by": actor,
            "relationship": relationship,
            "session": session,
            "note": note,
            "note_by": actor if note else None,
            "client_key": client_key,
        },
    )
    if not created and client_key and entry.client_key == client_key:
        return Shared(entry=entry, added=False, repeated=True)
    added = created or entry.removed_at is not None
    if not created:
        if entry.removed_at is not None:
            entry.removed_at = None
            entry.added_at = timezone.now()
            entry.shared_by = actor
            entry.relationship = relationship
            entry.session = session
            _write_note(entry, note, actor)
        else:
            check_note(actor=actor, record=entry, new_note=note, seen_version=version)
            if note:
                _write_note(entry, note, actor)
            if session is not None:
                entry.session = session
        entry.client_key = client_key
        entry.save()
    audit_record(
        actor=actor,
        action="toolkit.skill_shared",
        organisation=relationship.organisation,
        target=entry,
        metadata={
            "skill": skill.pk,
            "relationship": relationship.pk,
            "with_session": session is not None,
            "added": added,
        },
    )
    if added:
        send_templated_email(
            "toolkit/email/skill_shared",
            to=[mentee_email(relationship.referral)],
            context={"path": reverse("toolkit:mine")},
        )
    return Shared(entry=entry, added=added)
