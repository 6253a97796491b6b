"""Goals and steps. The mentee owns them: only the mentee adds, changes, ticks off or closes a
goal or a step. The mentor can suggest a step; it becomes a step only if the mentee takes it up.

Moments worth celebrating are recorded as the mentee gets there: their first step done, each
goal reached, and (checked whenever a step is ticked) halfway through the programme. Whatever
the pair write here goes through the safeguarding check, and each service says whether the
writer should be shown where to get help now (``Saved.at_risk``) and whether it was flagged
high or urgent (``Saved.serious``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from mentoring.concurrency import already_made, check_and_bump, locked
from mentoring.milestones import check_halfway, milestone_reach
from mentoring.models import (
    Goal,
    GoalStatus,
    MilestoneKind,
    Relationship,
    Step,
    StepSuggestion,
    SuggestionStatus,
)
from mentoring.safety import check_text, reassess
from mentoring.services.lifecycle import locked_relationship
from safeguarding.detector import NO_RISK
from safeguarding.services.alerts import Screened

TITLE_MAX = 200
STEP_MAX = 300
TEXT_MAX = 2000

T = TypeVar("T")


@dataclass(frozen=True)
class Saved(Generic[T]):
    """What a service saved, and whether what was written suggests the writer may be at risk
    (then the page shows them where to get help now)."""

    record: T
    at_risk: bool = False
    # Flagged high or urgent: the mentee is told someone from the team will be in touch.
    serious: bool = False


@dataclass(frozen=True)
class Answered:
    suggestion: StepSuggestion
    step: Step | None


# Checks shared by every change ---------------------------------------------------------------


def _open_for(relationship: Relationship, actor: User, *, mentee: bool) -> Relationship:
    """The relationship, locked, if ``actor`` is the mentee (or the mentor, for suggestions)
    and it has not ended."""
    relationship = locked_relationship(relationship)
    if mentee and actor.pk != relationship.mentee_id:
        raise ValidationError("Only the mentee can add or change goals and steps.")
    if not mentee and actor.pk != relationship.mentor.user_id:
        raise ValidationError("Only the mentor can suggest a step.")
    if relationship.is_ended:
        raise ValidationError("This mentoring has ended, so goals can no longer be changed.")
    return relationship


def _text(errors: dict[str, str], field: str, value: str, *, limit: int, required: str = "") -> str:
    value = value.strip()
    if required and not value:
        errors[field] = required
    elif len(value) > limit:
        errors[field] = f"Keep this to {limit:,} characters or fewer (it has {len(value):,})."
    return value


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _saved(record: T, risk: Screened) -> Saved[T]:
    return Saved(record, at_risk=risk.is_risk, serious=risk.is_serious)


def _check(
    relationship: Relationship, actor: User, *texts: str, source: str, target: models.Model
) -> Screened:
    written = [text for text in texts if text]
    if not written:
        return Screened(NO_RISK)
    return check_text(relationship, *written, source=source, actor=actor, target=target)


def _audit(
    actor: User, action: str, relationship: Relationship, target: models.Model, **meta: object
) -> None:
    audit_record(
        actor=actor,
        action=f"mentoring.{action}",
        organisation=relationship.organisation,
        target=target,
        metadata=meta,
    )


# Goals ----------------------------------------------------------------------------------------


@transaction.atomic
def goal_add(
    *,
    actor: User,
    relationship: Relationship,
    title: str,
    why_it_matters: str = "",
    client_key: str = "",
) -> Saved[Goal]:
    """The mentee adds a goal in their own words."""
    relationship = _open_for(relationship, actor, mentee=True)
    earlier = already_made(Goal, relationship, client_key)
    if earlier is not None:
        return _saved(earlier, reassess(earlier.title, earlier.why_it_matters))
    errors: dict[str, str] = {}
    title = _text(
        errors, "title", title, limit=TITLE_MAX, required="Write your goal in a few words."
    )
    why_it_matters = _text(errors, "why_it_matters", why_it_matters, limit=TEXT_MAX)
    _raise(errors)
    goal = Goal.objects.create(
        relationship=relationship,
        title=title,
        why_it_matters=why_it_matters,
        client_key=client_key,
    )
    risk = _check(relationship, actor, title, why_it_matters, source="goal", target=goal)
    _audit(actor, "goal_added", relationship, goal)
    return _saved(goal, risk)


@transaction.atomic
def goal_update(
    *,
    actor: User,
    goal: Goal,
    version: int | None,
    title: str | None = None,
    why_it_matters: str | None = None,
    status: str | None = None,
    how_it_went: str | None = None,
    now: datetime | None = None,
) -> Saved[Goal]:
    """The mentee changes their goal's words, marks it reached (with how it went), sets it
    aside, or brings it back. ``None`` leaves a field as it is. Sending what is already saved
    changes nothing (a double-click is harmless); any real change made against an older
    ``version`` is refused, so nothing typed elsewhere is overwritten."""
    relationship = _open_for(goal.relationship, actor, mentee=True)
    goal = locked(goal)
    errors: dict[str, str] = {}
    new_title = goal.title
    if title is not None:
        new_title = _text(
            errors, "title", title, limit=TITLE_MAX, required="Write your goal in a few words."
        )
    new_why = goal.why_it_matters
    if why_it_matters is not None:
        new_why = _text(errors, "why_it_matters", why_it_matters, limit=TEXT_MAX)
    new_how = goal.how_it_went
    if how_it_went is not None:
        new_how = _text(errors, "how_it_went", how_it_went, limit=TEXT_MAX)
    new_status = goal.status if status is None else status
    if new_status not in GoalStatus.values:
        errors["status"] = "Choose what to do with this goal."
    _raise(errors)

    changed = {
        name
        for name, old, new in (
            ("title", goal.title, new_title),
            ("why_it_matters", goal.why_it_matters, new_why),
            ("how_it_went", goal.how_it_went, new_how),
            ("status", goal.status, new_status),
        )
        if old != new
    }
    if not changed:
        return Saved(goal)
    check_and_bump(goal, version)
    old_status = goal.status
    goal.title, goal.why_it_matters, goal.how_it_went = new_title, new_why, new_how
    if "status" in changed:
        goal.status = new_status
        goal.reached_at = (now or timezone.now()) if new_status == GoalStatus.REACHED else None
    goal.save(
        update_fields=[
            "title",
            "why_it_matters",
            "how_it_went",
            "status",
            "reached_at",
            "version",
        ]
    )
    written = {"title": new_title, "why_it_matters": new_why, "how_it_went": new_how}
    risk = _check(
        relationship,
        actor,
        *(text for name, text in written.items() if name in changed),
        source="goal",
        target=goal,
    )
    if "status" in changed:
        _audit(
            actor,
            {
                GoalStatus.REACHED: "goal_reached",
                GoalStatus.SET_ASIDE: "goal_set_aside",
                GoalStatus.ACTIVE: "goal_resumed",
            }[GoalStatus(new_status)],
            relationship,
            goal,
            was=old_status,
        )
        if new_status == GoalStatus.REACHED:
            milestone_reach(relationship, MilestoneKind.GOAL_REACHED, goal=goal)
    if changed - {"status"}:
        _audit(actor, "goal_changed", relationship, goal, fields=",".join(sorted(changed)))
    return _saved(goal, risk)


# Steps ----------------------------------------------------------------------------------------


def _refuse_if_set_aside(goal: Goal) -> None:
    if goal.status == GoalStatus.SET_ASIDE:
        raise ValidationError(
            "This goal is set aside for now. Bring it back first to add steps to it."
        )


def _next_position(goal: Goal) -> int:
    highest = goal.steps.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


@transaction.atomic
def step_add(*, actor: User, goal: Goal, text: str, client_key: str = "") -> Saved[Step]:
    """The mentee adds a step they chose towards their goal."""
    relationship = _open_for(goal.relationship, actor, mentee=True)
    earlier = already_made(Step, relationship, client_key)
    if earlier is not None:
        return _saved(earlier, reassess(earlier.text))
    goal = locked(goal)
    _refuse_if_set_aside(goal)
    errors: dict[str, str] = {}
    text = _text(errors, "text", text, limit=STEP_MAX, required="Write the step in a few words.")
    _raise(errors)
    step = Step.objects.create(
        relationship=relationship,
        goal=goal,
        text=text,
        position=_next_position(goal),
        client_key=client_key,
    )
    risk = _check(relationship, actor, text, source="step", target=step)
    _audit(actor, "step_added", relationship, step, goal=goal.pk)
    return _saved(step, risk)


@transaction.atomic
def step_update(
    *,
    actor: User,
    step: Step,
    version: int | None,
    text: str | None = None,
    how_it_went: str | None = None,
    done: bool | None = None,
    now: datetime | None = None,
) -> Saved[Step]:
    """The mentee ticks a step off (or un-ticks it), says how it went, or changes its words.
    ``None`` leaves a field as it is; sending what is already saved changes nothing, and a real
    change against an older ``version`` is refused."""
    relationship = _open_for(step.relationship, actor, mentee=True)
    step = locked(step)
    errors: dict[str, str] = {}
    new_text = step.text
    if text is not None:
        new_text = _text(
            errors, "text", text, limit=STEP_MAX, required="Write the step in a few words."
        )
    new_how = step.how_it_went
    if how_it_went is not None:
        new_how = _text(errors, "how_it_went", how_it_went, limit=TEXT_MAX)
    _raise(errors)
    was_done = step.done_at is not None
    now_done = was_done if done is None else done
    changed = {
        name
        for name, differs in (
            ("text", new_text != step.text),
            ("how_it_went", new_how != step.how_it_went),
            ("done", now_done != was_done),
        )
        if differs
    }
    if not changed:
        return Saved(step)
    check_and_bump(step, version)
    step.text, step.how_it_went = new_text, new_how
    if "done" in changed:
        step.done_at = (now or timezone.now()) if now_done else None
    step.save(update_fields=["text", "how_it_went", "done_at", "version"])
    risk = _check(
        relationship,
        actor,
        *(new_text if "text" in changed else "", new_how if "how_it_went" in changed else ""),
        source="step",
        target=step,
    )
    if "done" in changed:
        _audit(actor, "step_done" if now_done else "step_undone", relationship, step)
        if now_done:
            milestone_reach(relationship, MilestoneKind.FIRST_STEP)
            check_halfway(relationship)
    if changed - {"done"}:
        _audit(actor, "step_changed", relationship, step, fields=",".join(sorted(changed)))
    return _saved(step, risk)


# Suggestions ----------------------------------------------------------------------------------


@transaction.atomic
def step_suggest(
    *, actor: User, goal: Goal, text: str, client_key: str = ""
) -> Saved[StepSuggestion]:
    """The mentor suggests a step. The mentee decides whether to take it up."""
    relationship = _open_for(goal.relationship, actor, mentee=False)
    earlier = already_made(StepSuggestion, relationship, client_key)
    if earlier is not None:
        return _saved(earlier, reassess(earlier.text))
    goal = locked(goal)
    _refuse_if_set_aside(goal)
    errors: dict[str, str] = {}
    text = _text(errors, "text", text, limit=STEP_MAX, required="Write the step in a few words.")
    _raise(errors)
    suggestion = StepSuggestion.objects.create(
        relationship=relationship,
        goal=goal,
        text=text,
        suggested_by=actor,
        client_key=client_key,
    )
    risk = _check(relationship, actor, text, source="step_suggestion", target=suggestion)
    _audit(actor, "step_suggested", relationship, suggestion, goal=goal.pk)
    return _saved(suggestion, risk)


@transaction.atomic
def suggestion_answer(
    *, actor: User, suggestion: StepSuggestion, take: bool, now: datetime | None = None
) -> Answered:
    """The mentee takes a suggestion up (it becomes one of their steps) or says not for now.
    A suggestion left for now can still be taken up later; answering the same way twice
    changes nothing."""
    relationship = _open_for(suggestion.relationship, actor, mentee=True)
    suggestion = StepSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status == SuggestionStatus.TAKEN:
        step = Step.objects.filter(from_suggestion=suggestion).first()
        if take:
            return Answered(suggestion, step)
        raise ValidationError("You have already taken this suggestion up as a step.")
    if not take:
        if suggestion.status == SuggestionStatus.OPEN:
            suggestion.status = SuggestionStatus.NOT_NOW
            suggestion.answered_at = now or timezone.now()
            suggestion.save(update_fields=["status", "answered_at"])
            _audit(actor, "suggestion_not_now", relationship, suggestion)
        return Answered(suggestion, None)
    goal = locked(suggestion.goal)
    _refuse_if_set_aside(goal)
    step = Step.objects.create(
        relationship=relationship,
        goal=goal,
        text=suggestion.text,
        position=_next_position(goal),
        from_suggestion=suggestion,
    )
    suggestion.status = SuggestionStatus.TAKEN
    suggestion.answered_at = now or timezone.now()
    suggestion.save(update_fields=["status", "answered_at"])
    _audit(actor, "suggestion_taken", relationship, suggestion, step=step.pk)
    return Answered(suggestion, step)
