"""Where mentoring starts for each person: the list of their relationships (or straight to the
one they have), a relationship's overview, the mentee's strength notes, and the organisation's
mentoring settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import STAFF_ROLES, membership_with_role, role_required, signed_in_user
from accounts.models import Membership, Role, User
from alongside.forms import add_service_errors
from mentoring.access import (
    RelationshipAccess,
    Viewer,
    mentee_name,
    relationship_for_page,
    relationships_for,
)
from mentoring.forms_agreement import MentoringSettingsForm, StrengthForm
from mentoring.milestones import unseen_milestones
from mentoring.models import (
    MentoringSession,
    Message,
    Relationship,
    RelationshipStatus,
    SessionStatus,
)
from mentoring.navigation import layout_context
from mentoring.selectors import (
    count_of,
    current_agreement,
    mentoring_settings,
    next_session,
    overview_figures,
)
from mentoring.services.agreements import milestones_seen
from mentoring.services.settings import mentoring_settings_update
from mentoring.services.strengths import strength_add
from safeguarding.selectors import crisis_resources_for

# Reads shared with the API ----------------------------------------------------------------------


def link(name: str, *args: Any) -> str:
    """The address of another part of mentoring, or "" while that part is not installed, so a
    page can hide the link instead of failing."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def with_hub_counts(relationships: QuerySet[Relationship], user: User) -> QuerySet[Relationship]:
    """``next_session_at`` and ``unread`` (messages to ``user`` not yet opened) on every row, in
    the same query, so a list costs the same however long it is."""
    unread = Message.objects.filter(relationship=OuterRef("pk"), read_at__isnull=True).exclude(
        sender=user
    )
    upcoming = (
        MentoringSession.objects.filter(
            relationship=OuterRef("pk"),
            status=SessionStatus.PLANNED,
            scheduled_for__gte=timezone.now(),
        )
        .order_by("scheduled_for")
        .values("scheduled_for")[:1]
    )
    return relationships.annotate(
        next_session_at=Subquery(upcoming),
        unread=count_of(unread),
    )


def current_first(relationships: QuerySet[Relationship]) -> QuerySet[Relationship]:
    return relationships.annotate(
        ended_last=Case(
            When(status=RelationshipStatus.ENDED, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("ended_last", "-started_at", "-pk")


def viewer_for_role(role: str) -> Viewer:
    if role in STAFF_ROLES:
        return Viewer.STAFF
    return Viewer(role)


# The mentoring home ------------------------------------------------------------------------------


def membership_of(request: HttpRequest) -> Membership | None:
    """The membership the middleware chose for this request, if any."""
    membership: Membership | None = getattr(request, "membership", None)
    return membership


def _membership(request: HttpRequest) -> Membership:
    membership = membership_of(request)
    if membership is None:
        raise Http404
    return membership


# What a row of the list reads: where the pair are, and their names.
INDEX_ROW_FIELDS = (
    "status",
    "started_at",
    "mentor__display_name",
    "referral__full_name",
    "referral__preferred_name",
)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Each person's way in: a mentee goes straight to their mentoring; a mentor or supervisor
    sees their list; staff go to the programme's list of relationships."""
    membership, user = _membership(request), signed_in_user(request)
    role = membership.role
    if role in STAFF_ROLES:
        staff_list = link("mentoring:relationships")
        if staff_list:
            return redirect(staff_list)
    elif role == Role.MENTEE:
        mine = current_first(relationships_for(user, membership)).values_list("pk", flat=True)
        first = mine.first()
        if first is not None:
            return redirect("mentoring:overview", pk=first)
        return render(request, "mentoring/hub/no_mentoring.html")
    elif role not in (Role.MENTOR, Role.SUPERVISOR):
        raise Http404
    listed = (
        relationships_for(user, membership)
        .select_related(None)
        .select_related("mentor", "referral")
    )
    rows = list(current_first(with_hub_counts(listed.only(*INDEX_ROW_FIELDS), user)))
    return render(
        request,
        "mentoring/hub/index.html",
        {
            "rows": [_row(relationship, role) for relationship in rows],
            "is_mentor": role == Role.MENTOR,
        },
    )


def _row(relationship: Relationship, role: str) -> dict[str, Any]:
    is_mentor = role == Role.MENTOR
    return {
        "relationship": relationship,
        "mentee_name": mentee_name(relationship),
        "mentor_name": relationship.mentor.display_name,
        "url": link("mentoring:sessions", relationship.pk)
        if role == Role.SUPERVISOR
        else reverse("mentoring:overview", args=[relationship.pk]),
        "next_session_at": getattr(relationship, "next_session_at", None),
        "unread": getattr(relationship, "unread", 0) if is_mentor else None,
    }


# One relationship's overview --------------------------------------------------------------------


OVERVIEW_VIEWERS = (Viewer.MENTOR, Viewer.MENTEE, Viewer.STAFF)


@login_required
@require_GET
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    access = relationship_for_page(request, pk, allow=OVERVIEW_VIEWERS)
    relationship = access.relationship
    celebrations = unseen_milestones(relationship) if access.is_mentee else []
    if celebrations:
        milestones_seen(actor=access.user, relationship=relationship)
    agreement = current_agreement(relationship)
    in_pair = access.viewer in (Viewer.MENTOR, Viewer.MENTEE)
    figures = overview_figures(
        relationship, access.user.pk, in_pair=in_pair, is_mentor=access.is_mentor
    )
    return render(
        request,
        "mentoring/hub/overview.html",
        {
            **layout_context(access, "Overview"),
            "agreement": agreement,
            "agreement_state": _agreement_state(access, agreement),
            "next_session": next_session(relationship),
            "progress": figures.progress,
            "unread": figures.unread,
            "celebrations": celebrations,
            "strength_count": figures.strength_count,
            "links": _overview_links(access),
            "in_pair": in_pair,
            # A mentor whose mentee wrote something serious lately: what to do now.
            "mentor_prompt": figures.mentee_wrote_something_serious,
        },
    )


def _agreement_state(access: RelationshipAccess, agreement: Any) -> dict[str, Any]:
    """Where the agreement is, in words for the viewer."""
    if agreement is None:
        return {"key": "none"}
    mentor_done = agreement.mentor_acknowledged_at is not None
    mentee_done = agreement.mentee_acknowledged_at is not None
    if mentor_done and mentee_done:
        return {"key": "agreed"}
    waiting_for_me = (access.is_mentor and not mentor_done) or (
        access.is_mentee and not mentee_done
    )
    if waiting_for_me:
        return {"key": "waiting_for_you"}
    if access.viewer in (Viewer.MENTOR, Viewer.MENTEE):
        return {"key": "waiting_for_other", "name": access.other_name}
    return {
        "key": "waiting_for_other",
        "name": access.mentee_name if mentor_done else access.mentor_name,
    }


def _overview_links(access: RelationshipAccess) -> dict[str, str]:
    pk = access.relationship.pk
    in_pair = access.viewer in (Viewer.MENTOR, Viewer.MENTEE)
    relationship = access.relationship
    return {
        "agreement": reverse("mentoring:agreement", args=[pk]),
        "agreement_edit": reverse("mentoring:agreement_edit", args=[pk])
        if access.pair_can_write
        else "",
        "sessions": link("mentoring:sessions", pk),
        "goals": link("mentoring:goals", pk),
        "messages": link("mentoring:messages", pk) if in_pair else "",
        "strengths": reverse("mentoring:strengths", args=[pk]) if in_pair else "",
        "ending": link("mentoring:ending", pk)
        if relationship.status in (RelationshipStatus.CLOSING, RelationshipStatus.ENDED)
        else "",
        "concern_new": link("mentoring:concern_new", pk) if access.pair_can_write else "",
        "plan": link("mentoring:plan", pk) if access.viewer != Viewer.SUPERVISOR else "",
        "record": link("mentoring:record_print", pk) if access.is_mentee else "",
        "exit_survey": _open_survey_link(access),
    }


def _open_survey_link(access: RelationshipAccess) -> str:
    """The viewer's own unanswered exit survey for this relationship, once it has ended."""
    if not access.relationship.is_ended or access.viewer not in (Viewer.MENTOR, Viewer.MENTEE):
        return ""
    survey = access.relationship.exit_surveys.filter(
        respondent=access.user, answered_at__isnull=True
    ).first()
    return link("mentoring:exit_survey", survey.pk) if survey is not None else ""


# Strengths ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def strengths(request: HttpRequest, pk: int) -> HttpResponse:
    """Notes the mentor writes about the mentee's strengths. Personal: only the pair see them,
    and the mentee keeps them after the mentoring has ended."""
    access = relationship_for_page(request, pk, allow=(Viewer.MENTOR, Viewer.MENTEE))
    can_write = access.is_mentor and access.pair_can_write
    form = StrengthForm()
    crisis = serious = False
    if request.method == "POST":
        if not can_write:
            raise Http404
        form = StrengthForm(request.POST)
        if form.is_valid():
            try:
                added = strength_add(
                    actor=access.user,
                    relationship=access.relationship,
                    text=form.cleaned_data["text"],
                    client_key=form.cleaned_data["client_key"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Your note is saved. {access.mentee_name} can read it.")
                if not added.is_risk:
                    return redirect("mentoring:strengths", pk=pk)
                crisis, serious, form = True, added.is_serious, StrengthForm()
    notes = list(access.relationship.strengths.order_by("-written_at", "-pk"))
    return render(
        request,
        "mentoring/hub/strengths.html",
        {
            **layout_context(access, "Strengths"),
            "notes": notes,
            "form": form if can_write else None,
            "crisis": crisis,
            "serious": serious,
            "resources": list(crisis_resources_for(access.relationship.organisation))
            if crisis
            else [],
            "organisation": access.relationship.organisation,
        },
    )


# Settings ----------------------------------------------------------------------------------------


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest) -> HttpResponse:
    organisation = membership_with_role(request, (Role.ADMIN,)).organisation
    current = mentoring_settings(organisation)
    form = MentoringSettingsForm(
        request.POST if request.method == "POST" else None, instance=current
    )
    if request.method == "POST" and form.is_valid():
        try:
            mentoring_settings_update(
                actor=signed_in_user(request), organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The mentoring settings are saved.")
            return redirect("mentoring:settings")
    return render(request, "mentoring/hub/settings.html", {"form": form})
