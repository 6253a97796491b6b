"""The skills library: finding a skill, reading it in full, writing one (staff for the library,
mentors from their own experience), suggesting and approving strategies for the library, and a
mentor sharing a skill with their mentee. Who may see what lives in ``toolkit.access``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import STAFF_ROLES
from accounts.models import Membership, Role, User
from alongside.forms import add_service_errors
from mentoring.access import mentee_name
from mentoring.concurrency import STALE
from mentoring.models import MentoringSession, Relationship, SessionStatus
from mentors.models import MentorProfile
from toolkit.access import (
    current_mentees_of,
    membership_for,
    mentor_relationship_with,
    page_user,
    skill_for,
    skills_visible_to,
)
from toolkit.forms_library import LibraryFilterForm, ShareForm, SkillForm
from toolkit.models import Skill, SkillStatus, ToolkitEntry
from toolkit.services.notes import NoteTaken
from toolkit.services.practice import entry_save
from toolkit.services.sharing import can_share
from toolkit.services.sharing import skill_share as share_service
from toolkit.services.skills import (
    can_edit,
    skill_approve,
    skill_create,
    skill_decline,
    skill_propose,
    skill_restore,
    skill_retire,
    skill_update,
)

WRITERS = (Role.MENTOR, Role.COORDINATOR, Role.ADMIN)
RECENT_SESSION_DAYS = 14
OWN = (SkillStatus.MENTOR_OWN, SkillStatus.PROPOSED)


@dataclass(frozen=True)
class Viewer:
    user: User
    membership: Membership

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_mentor(self) -> bool:
        return self.role == Role.MENTOR

    @property
    def is_mentee(self) -> bool:
        return self.role == Role.MENTEE


def _viewer(request: HttpRequest, roles: tuple[Role, ...] | None = None) -> Viewer:
    membership = membership_for(request) if roles is None else membership_for(request, roles)
    return Viewer(page_user(request), membership)


def _filtered(skills: QuerySet[Skill], filters: dict[str, str]) -> list[Skill]:
    """The search runs in the database; tags are a JSON list, so the tag filter runs here (a
    library holds tens of skills, not thousands)."""
    if filters["q"]:
        skills = skills.filter(
            Q(title__icontains=filters["q"]) | Q(why_it_helps__icontains=filters["q"])
        )
    if filters["kind"]:
        skills = skills.filter(kind=filters["kind"])
    found = list(skills.order_by("title"))
    if filters["tag"]:
        found = [skill for skill in found if filters["tag"] in skill.tags]
    return found


def _in_toolkit(user: User, skill_ids: list[int] | None = None) -> dict[int, int]:
    """Skill id -> toolkit entry id, for the skills in this person's toolkit."""
    entries = ToolkitEntry.objects.filter(person=user, removed_at__isnull=True)
    if skill_ids is not None:
        entries = entries.filter(skill_id__in=skill_ids)
    return dict(entries.values_list("skill_id", "pk"))


# The library -------------------------------------------------------------------------------------


@login_required
@require_GET
def skills(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    form = LibraryFilterForm(request.GET or None)
    filters = form.values()
    visible = skills_visible_to(viewer.user, viewer.membership)
    library = _filtered(visible.filter(status=SkillStatus.LIBRARY), filters)
    own = (
        _filtered(visible.filter(author=viewer.user, status__in=OWN), filters)
        if viewer.is_mentor
        else []
    )
    retired = (
        _filtered(visible.filter(status=SkillStatus.RETIRED), filters) if viewer.is_staff else []
    )
    waiting = visible.filter(status=SkillStatus.PROPOSED).count() if viewer.is_staff else 0
    in_toolkit = _in_toolkit(viewer.user) if viewer.is_mentee else {}
    return render(
        request,
        "toolkit/library/skills.html",
        {
            "viewer": viewer,
            "form": form,
            "filtering": any(filters.values()),
            "library": [(skill, skill.pk in in_toolkit) for skill in library],
            "own": own,
            "retired": retired,
            "waiting": waiting,
        },
    )


# One skill ---------------------------------------------------------------------------------------


def author_first_name(skill: Skill) -> str:
    """What the author is called in the programme: their mentor name, else their first name."""
    if skill.author is None:
        return ""
    display = (
        MentorProfile.objects.filter(user=skill.author, organisation=skill.organisation_id)
        .values_list("display_name", flat=True)
        .first()
    )
    if display and display.split():
        return display.split()[0]
    return skill.author.get_short_name()


def _share_choices(
    relationships: list[Relationship],
) -> tuple[list[tuple[str, str]], list[tuple[str, Any]]]:
    """The mentees a mentor can share with, and each one's sessions from the last two weeks."""
    mentees = [(str(r.mentee_id), mentee_name(r)) for r in relationships]
    now = timezone.now()
    recent = MentoringSession.objects.filter(
        relationship__in=relationships,
        status__in=(SessionStatus.PLANNED, SessionStatus.HELD),
        scheduled_for__gte=now - timedelta(days=RECENT_SESSION_DAYS),
        scheduled_for__lte=now + timedelta(days=1),
    ).order_by("-scheduled_for")
    by_relationship: dict[int, list[tuple[str, str]]] = {}
    for session in recent:
        when = timezone.localtime(session.scheduled_for)
        label = f"{when:%A} {when.day} {when:%B}, {session.get_status_display().lower()}"
        by_relationship.setdefault(session.relationship_id, []).append((str(session.pk), label))
    names = dict(mentees)
    if len(relationships) == 1:
        return mentees, by_relationship.get(relationships[0].pk, [])
    grouped: list[tuple[str, Any]] = [
        (f"With {names[str(r.mentee_id)]}", by_relationship[r.pk])
        for r in relationships
        if r.pk in by_relationship
    ]
    return mentees, grouped


def _share_form(
    viewer: Viewer, skill: Skill, data: Any = None
) -> tuple[ShareForm | None, list[str]]:
    """The share form, for a mentor with current mentees and a skill they may share; and the
    names of mentees who already have it."""
    if not viewer.is_mentor or not can_share(viewer.user, skill):
        return None, []
    relationships = list(current_mentees_of(viewer.user, viewer.membership).order_by("pk"))
    if not relationships:
        return None, []
    mentees, sessions = _share_choices(relationships)
    having = set(
        ToolkitEntry.objects.filter(
            skill=skill,
            removed_at__isnull=True,
            person_id__in=[r.mentee_id for r in relationships],
        ).values_list("person_id", flat=True)
    )
    already = [mentee_name(r) for r in relationships if r.mentee_id in having]
    return ShareForm(data, mentees=mentees, sessions=sessions), already


def _skill_page(
    request: HttpRequest, viewer: Viewer, skill: Skill, share_form: ShareForm | None = None
) -> HttpResponse:
    form, already_shared = _share_form(viewer, skill)
    is_author = skill.author_id == viewer.user.pk
    entry_id = _in_toolkit(viewer.user, [skill.pk]).get(skill.pk) if viewer.is_mentee else None
    return render(
        request,
        "toolkit/library/skill.html",
        {
            "viewer": viewer,
            "skill": skill,
            "author_name": author_first_name(skill),
            "is_author": is_author,
            "can_edit": can_edit(viewer.user, viewer.role, skill),
            "share_form": share_form or form,
            "already_shared": already_shared,
            "entry_id": entry_id,
            "can_propose": is_author
            and viewer.is_mentor
            and skill.status == SkillStatus.MENTOR_OWN,
        },
        status=400 if share_form is not None else 200,
    )


@login_required
@require_GET
def skill(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    return _skill_page(request, viewer, skill_for(viewer.user, viewer.membership, pk))


# Writing -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def skill_new(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request, WRITERS)
    form = SkillForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = skill_create(
                actor=viewer.user,
                organisation=viewer.membership.organisation,
                **form.skill_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if viewer.is_staff:
                messages.success(request, "The skill is in the library now.")
            else:
                messages.success(
                    request, "Your strategy is saved. You can share it with your mentees."
                )
            return redirect("toolkit:skill", pk=made.pk)
    return render(request, "toolkit/library/skill_form.html", {"viewer": viewer, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def skill_edit(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request, WRITERS)
    current = skill_for(viewer.user, viewer.membership, pk)
    if not can_edit(viewer.user, viewer.role, current):
        raise Http404
    stale = False
    if request.method == "POST":
        form = SkillForm(request.POST)
        if form.is_valid():
            try:
                skill_update(
                    actor=viewer.user,
                    skill=current,
                    version=form.cleaned_data["version"],
                    **form.skill_fields(),
                )
            except ValidationError as error:
                stale = hasattr(error, "error_dict") and "version" in error.error_dict
                if stale:
                    form.add_error(None, STALE)
                    current.refresh_from_db()
                    form.refresh_version(current)
                else:
                    add_service_errors(form, error)
            else:
                messages.success(request, "Your changes are saved.")
                return redirect("toolkit:skill", pk=current.pk)
    else:
        form = SkillForm(instance=current)
    return render(
        request,
        "toolkit/library/skill_form.html",
        {"viewer": viewer, "form": form, "skill": current, "stale": stale},
    )


# Suggesting, approving, retiring ----------------------------------------------------------------

StatusService = Callable[..., Skill]
STATUS_ACTIONS: dict[str, tuple[tuple[Role, ...], StatusService, str]] = {
    # action: (who may, service, what to say afterwards)
    "propose": (
        (Role.MENTOR,),
        skill_propose,
        "Thank you. A coordinator will look at your strategy for the library.",
    ),
    "approve": (STAFF_ROLES, skill_approve, "The strategy is in the library now."),
    "decline": (
        STAFF_ROLES,
        skill_decline,
        "The strategy stays the mentor's own, to share with their mentees.",
    ),
    "retire": (STAFF_ROLES, skill_retire, "The skill is retired. Mentees who have it keep it."),
    "restore": (STAFF_ROLES, skill_restore, "The skill is back in the library."),
}


@login_required
@require_POST
def skill_status(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request, WRITERS)
    found = skill_for(viewer.user, viewer.membership, pk)
    action = STATUS_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        raise Http404
    roles, service, said = action
    if viewer.role not in roles or (viewer.is_mentor and found.author_id != viewer.user.pk):
        raise Http404
    try:
        service(actor=viewer.user, skill=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, said)
    if request.POST.get("next") == "review" and viewer.is_staff:
        return redirect("toolkit:review")
    return redirect("toolkit:skill", pk=found.pk)


@login_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request, STAFF_ROLES)
    proposed = list(
        Skill.objects.filter(
            organisation=viewer.membership.organisation, status=SkillStatus.PROPOSED
        )
        .select_related("author")
        .order_by("updated_at")
    )
    names = dict(
        MentorProfile.objects.filter(
            organisation=viewer.membership.organisation,
            user__in=[s.author_id for s in proposed if s.author_id],
        ).values_list("user_id", "display_name")
    )
    return render(
        request,
        "toolkit/library/review.html",
        {
            "viewer": viewer,
            "proposed": [
                (s, names.get(s.author_id or 0) or (s.author.name if s.author else ""))
                for s in proposed
            ],
        },
    )


# Sharing -----------------------------------------------------------------------------------------


@login_required
@require_POST
def skill_share(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request, (Role.MENTOR,))
    found = skill_for(viewer.user, viewer.membership, pk)
    chosen = request.POST.get("mentee", "")
    relationship = (
        mentor_relationship_with(viewer.user, viewer.membership, chosen) if chosen else None
    )
    form, _ = _share_form(viewer, found, request.POST)
    if form is None:
        messages.error(request, "This skill cannot be shared.")
        return redirect("toolkit:skill", pk=found.pk)
    if form.is_valid() and relationship is not None:
        session_id = form.cleaned_data["session"]
        session = (
            MentoringSession.objects.filter(pk=session_id, relationship=relationship).first()
            if session_id
            else None
        )
        if session_id and session is None:
            form.add_error("session", "Choose a session with this mentee.")
        else:
            name = mentee_name(relationship)
            try:
                shared = share_service(
                    actor=viewer.user,
                    skill=found,
                    relationship=relationship,
                    session=session,
                    note=form.cleaned_data["note"],
                    version=form.version_seen(relationship.mentee_id),
                    client_key=form.cleaned_data["client_key"],
                )
            except NoteTaken as taken:
                form.add_error("note", taken.message_for(name))
                form.show_note(relationship.mentee_id, taken.version)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if shared.added or shared.repeated:
                    messages.success(request, f"Shared. It is in {name}'s toolkit now.")
                else:
                    messages.info(request, f"This was already in {name}'s toolkit.")
                return redirect("toolkit:skill", pk=found.pk)
    return _skill_page(request, viewer, found, share_form=form)


@login_required
@require_POST
def skill_save(request: HttpRequest, pk: int) -> HttpResponse:
    """A mentee keeps a library skill in their own toolkit, to note when they try it."""
    viewer = _viewer(request, (Role.MENTEE,))
    found = skill_for(viewer.user, viewer.membership, pk)
    try:
        entry = entry_save(actor=viewer.user, skill=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("toolkit:skill", pk=found.pk)
    messages.success(request, f"“{found.title}” is in your toolkit.")
    return redirect("toolkit:entry", pk=entry.pk)
