"""Goals and steps: the mentee's own goals, the steps they choose, how each went, and the
moments worth celebrating. The mentor sees them and can suggest a step; staff see titles and
progress only. Only the mentee changes anything: anyone else trying gets a 404."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from mentoring.access import (
    PAIR,
    RelationshipAccess,
    Viewer,
    relationship_for_page,
)
from mentoring.forms_goals import (
    TAKE,
    GoalForm,
    GoalStatusForm,
    StepDoneForm,
    StepEditForm,
    StepForm,
    SuggestionAnswerForm,
    SuggestionForm,
    add_errors,
)
from mentoring.milestones import milestones_mark_seen, unseen_milestones
from mentoring.models import (
    Goal,
    GoalStatus,
    Milestone,
    MilestoneKind,
    Relationship,
    Step,
    StepSuggestion,
    SuggestionStatus,
)
from mentoring.navigation import layout_context
from mentoring.safety import HELP_PARAMETER, help_value, help_wanted
from mentoring.services.goals import (
    Saved,
    goal_add,
    goal_update,
    step_add,
    step_suggest,
    step_update,
    suggestion_answer,
)
from safeguarding.selectors import crisis_resources_for

SECTION = "Goals"
READERS = (Viewer.MENTOR, Viewer.MENTEE, Viewer.STAFF)


# Who may do what --------------------------------------------------------------------------------


def _as_writer(request: HttpRequest, pk: int, viewer: Viewer) -> RelationshipAccess:
    """The relationship, for the one person who may make this change (the mentee, or the
    mentor for suggestions) while it has not ended; a 404 for anyone else."""
    access = relationship_for_page(request, pk, allow=(viewer,))
    if not access.pair_can_write:
        raise Http404
    return access


def _goal(access: RelationshipAccess, goal_pk: int) -> Goal:
    return get_object_or_404(Goal, pk=goal_pk, relationship=access.relationship)


def _goal_url(goal: Goal, saved: Saved[Any] | None = None, *, anchor: str = "") -> str:
    """The goal's page; after a save whose words suggest risk, with the help to show."""
    url = reverse("mentoring:goal", args=[goal.relationship_id, goal.pk])
    wanted = help_value(saved.at_risk, saved.serious) if saved is not None else ""
    if wanted:
        url += f"?{HELP_PARAMETER}={wanted}"
    return url + (f"#{anchor}" if anchor else "")


# Celebrations -----------------------------------------------------------------------------------

CELEBRATIONS = {
    MilestoneKind.AGREEMENT: "You made your mentoring agreement together. A good start.",
    MilestoneKind.FIRST_STEP: "You completed your first step. That is how every change begins: "
    "well done.",
    MilestoneKind.HALFWAY: "You are halfway through your mentoring. Take a moment to look back "
    "at how far you have come.",
    MilestoneKind.PLAN_READY: "Your wellbeing plan is ready. It is yours to keep.",
}


def _celebrations(access: RelationshipAccess, titles: dict[int, str]) -> list[str]:
    """New milestones, in warm words, for the mentee; seen once they are shown."""
    if not access.is_mentee:
        return []
    found: list[Milestone] = unseen_milestones(access.relationship)
    if not found:
        return []
    milestones_mark_seen(access.relationship)
    said = []
    for milestone in found:
        if milestone.kind == MilestoneKind.GOAL_REACHED:
            title = titles.get(milestone.goal_id or 0)
            said.append(
                f"You reached your goal “{title}”. Be proud of that."
                if title
                else "You reached a goal. Be proud of that."
            )
        else:
            said.append(
                CELEBRATIONS.get(MilestoneKind(milestone.kind), milestone.get_kind_display())
            )
    return said


def _help_context(request: HttpRequest, relationship: Relationship) -> dict[str, Any]:
    show, serious = help_wanted(request.GET.get(HELP_PARAMETER))
    return {
        "show_help": show,
        "serious": show and serious,
        "resources": list(crisis_resources_for(relationship.organisation)) if show else [],
        "organisation": relationship.organisation,
    }


# The list of goals ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekDone:
    starts: date
    steps: int


def _weeks_done(relationship: Relationship) -> list[WeekDone]:
    """Steps ticked off, counted by the week (Monday first) they were done in, newest first."""
    moments = relationship.steps.filter(done_at__isnull=False).values_list("done_at", flat=True)
    weeks: Counter[date] = Counter()
    for moment in moments:
        day = timezone.localtime(moment).date()
        weeks[day - timedelta(days=day.weekday())] += 1
    return [WeekDone(starts, weeks[starts]) for starts in sorted(weeks, reverse=True)]


def _goals_for(access: RelationshipAccess) -> list[Goal]:
    """Every goal with its step counts; for the pair, with its steps and open suggestions
    too. A fixed number of queries, however many goals."""
    goals = access.relationship.goals.all()
    if access.is_staff:
        return list(
            goals.annotate(
                step_count=Count("steps"),
                done_count=Count("steps", filter=Q(steps__done_at__isnull=False)),
            )
        )
    found: list[Goal] = list(
        goals.annotate(
            open_suggestions=Count(
                "suggestions", filter=Q(suggestions__status=SuggestionStatus.OPEN)
            )
        ).prefetch_related(Prefetch("steps", queryset=Step.objects.order_by("position", "pk")))
    )
    for goal in found:
        steps = list(goal.steps.all())
        goal.step_count = len(steps)  # type: ignore[attr-defined]
        goal.done_count = sum(1 for step in steps if step.done_at)  # type: ignore[attr-defined]
    return found


@login_required
@require_http_methods(["GET", "POST"])
def goals(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        access = _as_writer(request, pk, Viewer.MENTEE)
        form = GoalForm(request.POST)
        if form.is_valid():
            try:
                saved = goal_add(
                    actor=access.user,
                    relationship=access.relationship,
                    title=form.cleaned_data["title"],
                    why_it_matters=form.cleaned_data["why_it_matters"],
                    client_key=form.cleaned_data["client_key"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, "Your goal is added. What small step could you take first?"
                )
                return redirect(_goal_url(saved.record, saved, anchor="add-step"))
    else:
        access = relationship_for_page(request, pk, allow=READERS)
        form = GoalForm()
    all_goals = _goals_for(access)
    weeks = _weeks_done(access.relationship)
    celebrations = _celebrations(access, {goal.pk: goal.title for goal in all_goals})
    return render(
        request,
        "mentoring/goals/list.html",
        {
            **layout_context(access, SECTION),
            "active_goals": [goal for goal in all_goals if goal.status == GoalStatus.ACTIVE],
            "reached_goals": [goal for goal in all_goals if goal.status == GoalStatus.REACHED],
            "set_aside_goals": [goal for goal in all_goals if goal.status == GoalStatus.SET_ASIDE],
            "has_goals": bool(all_goals),
            "weeks": weeks,
            "busiest_week": max((week.steps for week in weeks), default=0),
            "celebrations": celebrations,
            "form": form,
            "can_write": access.is_mentee and access.pair_can_write,
        },
    )


# One goal ---------------------------------------------------------------------------------------


def _done_form(step: Step, bound: dict[int, StepDoneForm]) -> StepDoneForm:
    if step.pk in bound:
        return bound[step.pk]
    return StepDoneForm(
        prefix=f"step{step.pk}",
        instance=step,
        initial={"done": "0" if step.done_at else "1", "how_it_went": step.how_it_went},
    )


def _render_goal(
    request: HttpRequest,
    access: RelationshipAccess,
    goal: Goal,
    *,
    edit_form: GoalForm | None = None,
    stale: bool = False,
    step_form: StepForm | None = None,
    status_form: GoalStatusForm | None = None,
    suggestion_form: SuggestionForm | None = None,
    done_forms: dict[int, StepDoneForm] | None = None,
) -> HttpResponse:
    can_write = access.is_mentee and access.pair_can_write
    steps = list(goal.steps.order_by("position", "pk"))
    suggestions = list(goal.suggestions.all())
    latest = Goal.objects.get(pk=goal.pk) if stale else None
    return render(
        request,
        "mentoring/goals/detail.html",
        {
            **layout_context(access, SECTION),
            **_help_context(request, access.relationship),
            "goal": goal,
            "steps": [(step, _done_form(step, done_forms or {})) for step in steps],
            "steps_done": sum(1 for step in steps if step.done_at),
            "open_suggestions": [s for s in suggestions if s.status == SuggestionStatus.OPEN],
            "not_now_suggestions": [s for s in suggestions if s.status == SuggestionStatus.NOT_NOW],
            "suggestions": suggestions,
            "celebrations": _celebrations(access, {goal.pk: goal.title}),
            "can_write": can_write,
            "can_suggest": access.is_mentor
            and access.pair_can_write
            and goal.status != GoalStatus.SET_ASIDE,
            "can_add_steps": can_write and goal.status != GoalStatus.SET_ASIDE,
            "edit_form": edit_form
            or GoalForm(
                instance=goal,
                initial={"title": goal.title, "why_it_matters": goal.why_it_matters},
            ),
            "stale": stale,
            "latest": latest,
            "step_form": step_form or StepForm(),
            "status_form": status_form
            or GoalStatusForm(
                instance=goal,
                initial={"status": GoalStatus.REACHED, "how_it_went": goal.how_it_went},
            ),
            "suggestion_form": suggestion_form or SuggestionForm(),
        },
        status=200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    """A goal, its steps and suggestions. The mentee changes its words here (POST)."""
    if request.method == "GET":
        access = relationship_for_page(request, pk, allow=PAIR)
        return _render_goal(request, access, _goal(access, goal_pk))
    access = _as_writer(request, pk, Viewer.MENTEE)
    found = _goal(access, goal_pk)
    form = GoalForm(request.POST, instance=found)
    if form.is_valid():
        try:
            saved = goal_update(
                actor=access.user,
                goal=found,
                version=form.cleaned_data["version"],
                title=form.cleaned_data["title"],
                why_it_matters=form.cleaned_data["why_it_matters"],
            )
        except ValidationError as error:
            stale = add_errors(form, error)
            if stale:
                form.refresh_version(Goal.objects.get(pk=found.pk))
            return _render_goal(request, access, found, edit_form=form, stale=stale)
        messages.success(request, "Your goal is saved.")
        return redirect(_goal_url(saved.record, saved))
    return _render_goal(request, access, found, edit_form=form)


@login_required
@require_POST
def goal_status(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    """The mentee marks the goal reached (with how it went), sets it aside, or brings it back."""
    access = _as_writer(request, pk, Viewer.MENTEE)
    found = _goal(access, goal_pk)
    form = GoalStatusForm(request.POST, instance=found)
    if form.is_valid():
        new_status = form.cleaned_data["status"]
        try:
            saved = goal_update(
                actor=access.user,
                goal=found,
                version=form.cleaned_data["version"],
                status=new_status,
                how_it_went=form.cleaned_data["how_it_went"]
                if new_status == GoalStatus.REACHED
                else None,
            )
        except ValidationError as error:
            if add_errors(form, error):
                form.refresh_version(Goal.objects.get(pk=found.pk))
        else:
            messages.success(request, _status_said(GoalStatus(new_status)))
            return redirect(_goal_url(saved.record, saved))
    return _render_goal(request, access, found, status_form=form)


def _status_said(status: GoalStatus) -> str:
    return {
        GoalStatus.REACHED: "You reached your goal. Well done.",
        GoalStatus.SET_ASIDE: "This goal is set aside for now. You can bring it back any time.",
        GoalStatus.ACTIVE: "Welcome back to this goal.",
    }[status]


# Steps ------------------------------------------------------------------------------------------


def _step(goal: Goal, step_pk: int) -> Step:
    return get_object_or_404(Step, pk=step_pk, goal=goal)


@login_required
@require_POST
def step_add_view(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    access = _as_writer(request, pk, Viewer.MENTEE)
    found = _goal(access, goal_pk)
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            saved = step_add(
                actor=access.user,
                goal=found,
                text=form.cleaned_data["text"],
                client_key=form.cleaned_data["client_key"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Your step is added.")
            return redirect(_goal_url(found, saved, anchor="steps"))
    return _render_goal(request, access, found, step_form=form)


@login_required
@require_POST
def step_done(request: HttpRequest, pk: int, goal_pk: int, step_pk: int) -> HttpResponse:
    """Tick a step off (with how it went, if they like), or un-tick it."""
    access = _as_writer(request, pk, Viewer.MENTEE)
    found = _goal(access, goal_pk)
    step = _step(found, step_pk)
    form = StepDoneForm(request.POST, prefix=f"step{step.pk}", instance=step)
    if form.is_valid():
        done = form.cleaned_data["done"]
        try:
            saved = step_update(
                actor=access.user,
                step=step,
                version=form.cleaned_data["version"],
                done=done,
                how_it_went=form.cleaned_data["how_it_went"] if done else None,
            )
        except ValidationError as error:
            if add_errors(form, error):
                form.refresh_version(Step.objects.get(pk=step.pk))
        else:
            messages.success(request, "Step ticked off." if done else "Step marked as not done.")
            return redirect(_goal_url(found, saved, anchor=f"step-{step.pk}"))
    return _render_goal(request, access, found, done_forms={step.pk: form})


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request: HttpRequest, pk: int, goal_pk: int, step_pk: int) -> HttpResponse:
    """Change a step's words, or how it went."""
    access = _as_writer(request, pk, Viewer.MENTEE)
    found = _goal(access, goal_pk)
    step = _step(found, step_pk)
    stale = False
    if request.method == "POST":
        form = StepEditForm(request.POST, instance=step)
        if form.is_valid():
            try:
                saved = step_update(
                    actor=access.user,
                    step=step,
                    version=form.cleaned_data["version"],
                    text=form.cleaned_data["text"],
                    how_it_went=form.cleaned_data["how_it_went"],
                )
            except ValidationError as error:
                stale = add_errors(form, error)
                if stale:
                    form.refresh_version(Step.objects.get(pk=step.pk))
            else:
                messages.success(request, "Your step is saved.")
                return redirect(_goal_url(found, saved, anchor=f"step-{step.pk}"))
    else:
        form = StepEditForm(
            instance=step, initial={"text": step.text, "how_it_went": step.how_it_went}
        )
    return render(
        request,
        "mentoring/goals/step_edit.html",
        {
            **layout_context(access, SECTION),
            "goal": found,
            "step": step,
            "form": form,
            "latest": Step.objects.get(pk=step.pk) if stale else None,
        },
    )


# Suggestions ------------------------------------------------------------------------------------


@login_required
@require_POST
def suggest_step(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    """The mentor suggests a step; it is the mentee's to take up or not."""
    access = _as_writer(request, pk, Viewer.MENTOR)
    found = _goal(access, goal_pk)
    form = SuggestionForm(request.POST)
    if form.is_valid():
        try:
            saved = step_suggest(
                actor=access.user,
                goal=found,
                text=form.cleaned_data["text"],
                client_key=form.cleaned_data["client_key"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"Your suggestion is sent. {access.mentee_name} decides whether to take it up.",
            )
            return redirect(_goal_url(found, saved, anchor="suggestions"))
    return _render_goal(request, access, found, suggestion_form=form)


@login_required
@require_POST
def suggestion_answer_view(
    request: HttpRequest, pk: int, goal_pk: int, suggestion_pk: int
) -> HttpResponse:
    """The mentee takes a suggestion up as a step, or says not for now."""
    access = _as_writer(request, pk, Viewer.MENTEE)
    found = _goal(access, goal_pk)
    suggestion = get_object_or_404(StepSuggestion, pk=suggestion_pk, goal=found)
    form = SuggestionAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether to take the suggestion up or leave it for now.")
        return redirect(_goal_url(found, anchor="suggestions"))
    take = form.cleaned_data["answer"] == TAKE
    try:
        answered = suggestion_answer(actor=access.user, suggestion=suggestion, take=take)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_goal_url(found, anchor="suggestions"))
    if answered.step is not None:
        messages.success(request, "It is one of your steps now.")
        return redirect(_goal_url(found, anchor=f"step-{answered.step.pk}"))
    messages.success(request, "Left for now. You can take it up later if you change your mind.")
    return redirect(_goal_url(found, anchor="suggestions"))
