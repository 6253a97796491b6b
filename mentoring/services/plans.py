"""The wellbeing and independence plan: the mentee's own plan for after mentoring. The mentee
writes it and marks it ready; the mentor can help write it while the relationship lasts; staff
only read it. Saves are version-checked so nobody's words are overwritten."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from mentoring.concurrency import check_and_bump
from mentoring.milestones import milestone_reach
from mentoring.models import (
    MentoringSession,
    Milestone,
    MilestoneKind,
    Relationship,
    SessionStatus,
    WellbeingPlan,
)
from mentoring.safety import check_text
from mentoring.services.lifecycle import locked_relationship
from safeguarding.services.alerts import Screened

PLAN_FIELDS = (
    "what_helps",
    "my_toolkit",
    "my_people_and_places",
    "warning_signs",
    "what_i_will_do",
)
PLAN_FIELD_MAX = 4000
ENDED = "This mentoring has ended, so the plan can no longer be changed. It stays yours to read."
NOT_YOURS = "Only the mentee and their mentor can change this plan."


@dataclass(frozen=True)
class PlanSaved:
    plan: WellbeingPlan
    changed: bool
    risk: Screened | None

    @property
    def is_risk(self) -> bool:
        return self.risk is not None and self.risk.is_risk

    @property
    def is_serious(self) -> bool:
        return self.risk is not None and self.risk.is_serious


@dataclass(frozen=True)
class PlanExtra:
    """A part of the plan another app contributes (the toolkit adds the mentee's skills and the
    places that can help), rendered by ``template`` with ``extra`` in its context."""

    title: str
    template: str
    context: dict[str, Any]


# Other apps register contributors here (in their AppConfig.ready), so mentoring needs no
# import of them. Each contributor should cost a fixed number of queries.
PLAN_EXTRAS: list[Callable[[Relationship], PlanExtra | None]] = []


def plan_extras(relationship: Relationship) -> list[PlanExtra]:
    """The contributed parts of the pair's plan, in the order they were registered; a
    contributor with nothing to add returns ``None``."""
    found = (contributor(relationship) for contributor in PLAN_EXTRAS)
    return [extra for extra in found if extra is not None]


def plan_for(relationship: Relationship) -> WellbeingPlan:
    """The pair's plan, or a blank unsaved one (version 1) if nobody has written it yet."""
    found = WellbeingPlan.objects.filter(relationship=relationship).first()
    return found if found is not None else WellbeingPlan(relationship=relationship)


def plan_has_words(plan: WellbeingPlan) -> bool:
    return any(getattr(plan, name).strip() for name in PLAN_FIELDS)


def skills_shared(relationship: Relationship) -> list[str]:
    """Skills the mentor noted as shared in sessions that happened, newest first, each once:
    suggestions for the toolkit section."""
    skills: list[str] = []
    seen: set[str] = set()
    rows = (
        MentoringSession.objects.filter(relationship=relationship, status=SessionStatus.HELD)
        .order_by("-scheduled_for", "-pk")
        .values_list("skills_shared", flat=True)
    )
    for text in rows:  # encrypted: cannot be filtered in the database
        for line in (text or "").splitlines():
            skill = line.strip(" -•*\t")
            if skill and skill.casefold() not in seen:
                seen.add(skill.casefold())
                skills.append(skill)
    return skills


def _check_writer(actor: User, relationship: Relationship) -> None:
    if actor.pk not in (relationship.mentee_id, relationship.mentor.user_id):
        raise ValidationError(NOT_YOURS)
    if relationship.is_ended:
        raise ValidationError(ENDED, code="ended")


def _cleaned(fields: Mapping[str, object]) -> dict[str, str]:
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"Not parts of the plan: {', '.join(sorted(unknown))}")
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, value in fields.items():
        text = str(value or "").strip()
        if len(text) > PLAN_FIELD_MAX:
            errors[name] = f"Keep this to {PLAN_FIELD_MAX} characters or fewer."
        cleaned[name] = text
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def plan_save(
    *, actor: User, relationship: Relationship, version: int | None, **fields: str
) -> PlanSaved:
    """Save the parts of the plan given in ``fields`` (others stay as they are), against the
    ``version`` the writer saw. Saving the same words again changes nothing, so a double-click
    is harmless; a save against an older version with different words is refused as stale."""
    cleaned = _cleaned(fields)
    relationship = locked_relationship(relationship)
    _check_writer(actor, relationship)
    plan = WellbeingPlan.objects.select_for_update().filter(relationship=relationship).first()
    if plan is None:
        # The blank plan everyone is shown counts as version 1; the first save makes version 2,
        # so two people starting it at once cannot overwrite each other either.
        plan = WellbeingPlan(relationship=relationship)
    changed = {name: text for name, text in cleaned.items() if getattr(plan, name) != text}
    if not changed:
        return PlanSaved(plan=plan, changed=False, risk=None)
    check_and_bump(plan, version)
    for name, text in changed.items():
        setattr(plan, name, text)
    plan.updated_at = timezone.now()
    plan.updated_by = actor
    plan.save()
    written = [text for text in changed.values() if text]
    risk = (
        check_text(relationship, *written, source="plan", actor=actor, target=plan)
        if written
        else None
    )
    audit_record(
        actor=actor,
        action="wellbeing_plan.saved",
        organisation=relationship.organisation,
        target=plan,
        metadata={
            "relationship": relationship.pk,
            "by": "mentee" if actor.pk == relationship.mentee_id else "mentor",
            "sections_changed": len(changed),
            "version": plan.version,
        },
    )
    return PlanSaved(plan=plan, changed=True, risk=risk)


@transaction.atomic
def plan_mark_ready(*, actor: User, relationship: Relationship) -> WellbeingPlan:
    """The mentee says their plan is ready to take with them: a milestone worth celebrating.
    Marking it ready twice changes nothing."""
    relationship = locked_relationship(relationship)
    if actor.pk != relationship.mentee_id:
        raise ValidationError("Only the mentee can say their plan is ready.")
    if relationship.is_ended:
        raise ValidationError(ENDED, code="ended")
    plan = WellbeingPlan.objects.select_for_update().filter(relationship=relationship).first()
    if plan is None or not plan_has_words(plan):
        raise ValidationError("Write at least one part of your plan before marking it ready.")
    if plan.ready_at is not None:
        return plan
    plan.ready_at = timezone.now()
    plan.save(update_fields=["ready_at"])
    milestone_reach(relationship, MilestoneKind.PLAN_READY)
    audit_record(
        actor=actor,
        action="wellbeing_plan.ready",
        organisation=relationship.organisation,
        target=plan,
        metadata={"relationship": relationship.pk},
    )
    return plan


def plan_celebration(relationship: Relationship) -> Milestone | None:
    """The "your plan is ready" milestone if the mentee has not seen it yet; showing it counts
    as seeing it."""
    milestone = relationship.milestones.filter(
        kind=MilestoneKind.PLAN_READY, seen_at__isnull=True
    ).first()
    if milestone is not None:
        milestone.seen_at = timezone.now()
        milestone.save(update_fields=["seen_at"])
    return milestone
