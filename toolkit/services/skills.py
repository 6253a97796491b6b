"""Writing skills: the organisation's library (kept by coordinators and admins), mentors' own
strategies, a mentor's suggestion that their strategy join the library, and the starter library.

Who may do what:
- Coordinators and admins add library skills, edit any skill that is not a mentor's private
  strategy, approve or decline suggestions, and retire or restore library skills.
- A mentor writes their own strategies from their experience and edits them while they are
  theirs (their own, or suggested for the library); they may suggest one for the library.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.access import STAFF_ROLES
from accounts.models import Membership, Organisation, Role, User
from audit.services import audit_record
from mentoring.concurrency import STALE
from toolkit.models import Skill, SkillKind, SkillStatus, SkillTag
from toolkit.starter import load_starter_skills

TITLE_MAX = 120
WHY_MAX = 600
NOTES_MAX = 600
STEP_MAX = 300
STEPS_MAX = 12
MINUTES_MAX = 240

ONLY_STAFF = "Only a coordinator or admin can do this."
NOT_YOURS = "You can only change your own strategies."
EDITABLE_BY_AUTHOR = (SkillStatus.MENTOR_OWN, SkillStatus.PROPOSED)


def role_in(user: User, organisation: Organisation) -> str | None:
    """The active role ``user`` has in ``organisation``, if any."""
    return (
        Membership.objects.filter(user=user, organisation=organisation, is_active=True)
        .values_list("role", flat=True)
        .first()
    )


def is_staff_in(user: User, organisation: Organisation) -> bool:
    return role_in(user, organisation) in STAFF_ROLES


def steps_from_text(text: str | Iterable[str]) -> list[str]:
    """Steps as typed in a textarea (one per line) or as a list; blank lines dropped."""
    lines = text.splitlines() if isinstance(text, str) else list(text)
    return [line.strip() for line in lines if line.strip()]


def _clean(
    *,
    title: str,
    why_it_helps: str,
    steps: str | Iterable[str],
    minutes: int | str | None,
    tags: Iterable[str],
    kind: str,
    accessibility_notes: str,
) -> dict[str, object]:
    """The skill's fields, tidied; raises with a message beside each field that needs another
    look, so the form can show them where the person typed."""
    errors: dict[str, str] = {}
    title = title.strip()
    why_it_helps = why_it_helps.strip()
    accessibility_notes = accessibility_notes.strip()
    step_list = steps_from_text(steps)
    tag_list = list(dict.fromkeys(tags))
    if not title:
        errors["title"] = "Give the skill a short name."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Keep the name to {TITLE_MAX} characters or fewer."
    if not why_it_helps:
        errors["why_it_helps"] = "Say in a sentence or two how it can help."
    elif len(why_it_helps) > WHY_MAX:
        errors["why_it_helps"] = f"Keep this to {WHY_MAX} characters or fewer."
    if not step_list:
        errors["steps"] = "Write at least one step, one step on each line."
    elif len(step_list) > STEPS_MAX:
        errors["steps"] = f"Keep it to {STEPS_MAX} steps or fewer."
    elif any(len(step) > STEP_MAX for step in step_list):
        errors["steps"] = f"Keep each step to {STEP_MAX} characters or fewer."
    try:
        minute_count = int(minutes) if minutes not in (None, "") else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        minute_count = None
        errors["minutes"] = "Write the minutes as a whole number, such as 5."
    if minute_count is None:
        errors.setdefault("minutes", "Say about how many minutes it takes.")
    elif not 1 <= minute_count <= MINUTES_MAX:
        errors["minutes"] = f"Choose a number of minutes from 1 to {MINUTES_MAX}."
    if any(tag not in SkillTag.values for tag in tag_list):
        errors["tags"] = "Choose tags from the list."
    if kind not in SkillKind.values:
        errors["kind"] = "Choose whether this is a coping skill or a life skill."
    if len(accessibility_notes) > NOTES_MAX:
        errors["accessibility_notes"] = f"Keep this to {NOTES_MAX} characters or fewer."
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "why_it_helps": why_it_helps,
        "steps": step_list,
        "minutes": minute_count,
        "tags": tag_list,
        "kind": kind,
        "accessibility_notes": accessibility_notes,
    }


def _audit(actor: User | None, action: str, skill: Skill, **meta: object) -> None:
    audit_record(
        actor=actor,
        action=f"toolkit.{action}",
        organisation=skill.organisation,
        target=skill,
        metadata={"status": skill.status, **meta},
    )


def _locked(skill: Skill) -> Skill:
    return Skill.objects.select_for_update().select_related("organisation").get(pk=skill.pk)


def can_edit(user: User, role: str | None, skill: Skill) -> bool:
    """Staff edit anything but a mentor's private strategy; an author edits their own while it
    is theirs (their own, or suggested for the library)."""
    if role in STAFF_ROLES:
        return skill.status != SkillStatus.MENTOR_OWN
    return role == Role.MENTOR and skill.author_id == user.pk and skill.status in EDITABLE_BY_AUTHOR


@transaction.atomic
def skill_create(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    why_it_helps: str,
    steps: str | Iterable[str],
    minutes: int | str | None,
    tags: Iterable[str] = (),
    kind: str = SkillKind.COPING,
    accessibility_notes: str = "",
) -> Skill:
    """Staff add a skill to the library; a mentor adds a strategy of their own, which only they
    (and the mentees they share it with) see until a coordinator approves it for the library."""
    role = role_in(actor, organisation)
    if role in STAFF_ROLES:
        status, author = SkillStatus.LIBRARY, None
    elif role == Role.MENTOR:
        status, author = SkillStatus.MENTOR_OWN, actor
    else:
        raise ValidationError("Only mentors and coordinators can add skills.")
    fields = _clean(
        title=title,
        why_it_helps=why_it_helps,
        steps=steps,
        minutes=minutes,
        tags=tags,
        kind=kind,
        accessibility_notes=accessibility_notes,
    )
    skill = Skill.objects.create(organisation=organisation, status=status, author=author, **fields)
    _audit(actor, "skill_created", skill)
    return skill


@transaction.atomic
def skill_update(
    *,
    actor: User,
    skill: Skill,
    version: int | None,
    title: str,
    why_it_helps: str,
    steps: str | Iterable[str],
    minutes: int | str | None,
    tags: Iterable[str] = (),
    kind: str = SkillKind.COPING,
    accessibility_notes: str = "",
) -> Skill:
    """Change a skill's words. A save made against an older ``version`` is refused (the form
    keeps what was typed); sending what is already saved changes nothing."""
    skill = _locked(skill)
    role = role_in(actor, skill.organisation)
    if not can_edit(actor, role, skill):
        raise ValidationError(ONLY_STAFF if role != Role.MENTOR else NOT_YOURS)
    fields = _clean(
        title=title,
        why_it_helps=why_it_helps,
        steps=steps,
        minutes=minutes,
        tags=tags,
        kind=kind,
        accessibility_notes=accessibility_notes,
    )
    changed = [name for name, value in fields.items() if getattr(skill, name) != value]
    if not changed:
        return skill
    if version is not None and version != skill.version:
        raise ValidationError({"version": STALE}, code="stale")
    for name in changed:
        setattr(skill, name, fields[name])
    skill.version += 1
    skill.save(update_fields=[*changed, "version", "updated_at"])
    _audit(actor, "skill_updated", skill, fields=",".join(sorted(changed)))
    return skill


def _set_status(
    actor: User, skill: Skill, status: SkillStatus, action: str, *, now: datetime | None = None
) -> Skill:
    skill.status = status
    skill.version += 1
    fields = ["status", "version", "updated_at"]
    if status == SkillStatus.LIBRARY and action == "skill_approved":
        skill.approved_by = actor
        skill.approved_at = now or timezone.now()
        fields += ["approved_by", "approved_at"]
    skill.save(update_fields=fields)
    _audit(actor, action, skill)
    return skill


@transaction.atomic
def skill_propose(*, actor: User, skill: Skill) -> Skill:
    """The author asks for their strategy to join the library; a coordinator decides."""
    skill = _locked(skill)
    if skill.author_id != actor.pk or role_in(actor, skill.organisation) != Role.MENTOR:
        raise ValidationError(NOT_YOURS)
    if skill.status == SkillStatus.PROPOSED:
        return skill
    if skill.status != SkillStatus.MENTOR_OWN:
        raise ValidationError("This strategy is already in the library.")
    return _set_status(actor, skill, SkillStatus.PROPOSED, "skill_proposed")


def _staff_only(actor: User, skill: Skill) -> Skill:
    skill = _locked(skill)
    if not is_staff_in(actor, skill.organisation):
        raise ValidationError(ONLY_STAFF)
    return skill


@transaction.atomic
def skill_approve(*, actor: User, skill: Skill, now: datetime | None = None) -> Skill:
    """A suggested strategy joins the library, for everyone in the programme."""
    skill = _staff_only(actor, skill)
    if skill.status == SkillStatus.LIBRARY:
        return skill
    if skill.status != SkillStatus.PROPOSED:
        raise ValidationError("Only a strategy suggested for the library can be approved.")
    return _set_status(actor, skill, SkillStatus.LIBRARY, "skill_approved", now=now)


@transaction.atomic
def skill_decline(*, actor: User, skill: Skill) -> Skill:
    """The strategy stays the mentor's own, to share with their mentees as before."""
    skill = _staff_only(actor, skill)
    if skill.status == SkillStatus.MENTOR_OWN:
        return skill
    if skill.status != SkillStatus.PROPOSED:
        raise ValidationError("Only a strategy suggested for the library can be declined.")
    return _set_status(actor, skill, SkillStatus.MENTOR_OWN, "skill_declined")


@transaction.atomic
def skill_retire(*, actor: User, skill: Skill) -> Skill:
    """No longer offered. Mentees who have it keep it in their toolkit."""
    skill = _staff_only(actor, skill)
    if skill.status == SkillStatus.RETIRED:
        return skill
    if skill.status != SkillStatus.LIBRARY:
        raise ValidationError("Only a library skill can be retired.")
    return _set_status(actor, skill, SkillStatus.RETIRED, "skill_retired")


@transaction.atomic
def skill_restore(*, actor: User, skill: Skill) -> Skill:
    skill = _staff_only(actor, skill)
    if skill.status == SkillStatus.LIBRARY:
        return skill
    if skill.status != SkillStatus.RETIRED:
        raise ValidationError("Only a retired skill can be brought back.")
    return _set_status(actor, skill, SkillStatus.LIBRARY, "skill_restored")


@transaction.atomic
def skills_load_starter(*, actor: User | None, organisation: Organisation) -> list[Skill]:
    """Add the starter skills the organisation does not have yet (matched by starter key, so
    a skill staff have edited or retired is left as it is). Returns the skills added."""
    have = set(
        Skill.objects.filter(organisation=organisation)
        .exclude(starter_key="")
        .values_list("starter_key", flat=True)
    )
    added = [
        Skill.objects.create(
            organisation=organisation,
            status=SkillStatus.LIBRARY,
            starter_key=starter.key,
            title=starter.title,
            kind=starter.kind,
            why_it_helps=starter.why_it_helps,
            steps=list(starter.steps),
            minutes=starter.minutes,
            tags=list(starter.tags),
            accessibility_notes=starter.accessibility_notes,
        )
        for starter in load_starter_skills()
        if starter.key not in have
    ]
    if added:
        audit_record(
            actor=actor,
            action="toolkit.starter_loaded",
            organisation=organisation,
            metadata={"added": len(added)},
        )
    return added
