"""Supervision pages for supervisors, coordinators and administrators, and the mentor's own
wellbeing check-in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import role_required, signed_in_user
from accounts.models import Membership, Role
from alongside.forms import add_service_errors
from alongside.links import url_for_each
from mentors.forms_supervision import (
    GroupSupervisionSessionForm,
    SupervisionSessionForm,
    SupervisorAssignmentForm,
    WellbeingCheckInForm,
)
from mentors.models import MentorProfile
from mentors.services.supervision import (
    SupervisionStatus,
    active_mentor_profiles,
    current_supervisor,
    get_own_mentor_profile,
    get_supervised_profile,
    supervised_profiles,
    supervision_group_session_record,
    supervision_session_record,
    supervision_status_for,
    supervisor_assign,
    supervisors_for,
    wellbeing_check_in_submit,
    wellbeing_next_due,
)
from mentors.supervision_overview import supervision_overview_page

SUPERVISING_ROLES = (Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN)
# Coordinators see every mentor in the programme: thousands, a page at a time.
OVERVIEW_PER_PAGE = 50


def _membership(request: HttpRequest) -> Membership:
    return request.membership  # type: ignore[attr-defined]


@role_required(Role.COORDINATOR, Role.ADMIN)
@require_http_methods(["GET", "POST"])
def supervisor_assignments(request: HttpRequest) -> HttpResponse:
    organisation = _membership(request).organisation
    supervisors = list(supervisors_for(organisation))
    profiles = (
        MentorProfile.objects.filter(organisation=organisation)
        .select_related("supervisor")
        .order_by("display_name", "pk")
    )
    posted = request.POST.get("profile", "") if request.method == "POST" else ""
    forms_by_profile = []
    for profile in profiles:
        data = request.POST if posted == str(profile.pk) else None
        form = SupervisorAssignmentForm(data, profile=profile, supervisors=supervisors)
        if data is not None and form.is_valid():
            supervisor = form.cleaned_data["supervisor"]
            try:
                supervisor_assign(
                    actor=signed_in_user(request), profile=profile, supervisor=supervisor
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"{profile.display_name}'s supervisor is now {supervisor}."
                    if supervisor
                    else f"{profile.display_name} has no supervisor for now.",
                )
                return redirect("mentors:supervisor_assignments")
        forms_by_profile.append(form)
    return render(
        request,
        "mentors/supervision/assignments.html",
        {"forms": forms_by_profile, "supervisors": supervisors},
    )


@dataclass(frozen=True)
class OverviewRow:
    """One mentor's line on the overview, worked out here so the list of fifty renders as
    plain text rather than through a filter and a lookup for every field."""

    url: str
    name: str
    is_overdue: bool
    wellbeing_flag: str
    supervisor: str
    last_held: str
    next_due: str
    last_check_in: str


def _day(on: date) -> str:
    return f"{on.day} {on:%B} {on.year}"


def _overview_row(status: SupervisionStatus, is_supervisor: bool, url: str) -> OverviewRow:
    """A supervisor's list leaves out the supervisor: it is them."""
    profile = status.profile
    check_in = status.latest_check_in
    supervisor = "" if is_supervisor else getattr(profile, "supervisor_name", "") or "None yet"
    return OverviewRow(
        url=url,
        name=profile.display_name,
        is_overdue=status.is_overdue,
        wellbeing_flag=status.wellbeing_flag,
        supervisor=supervisor,
        last_held=_day(status.last_held_on) if status.last_held_on else "Not yet",
        next_due=_day(status.next_due_on),
        last_check_in=_day(timezone.localdate(check_in.submitted_at)) if check_in else "None yet",
    )


@role_required(*SUPERVISING_ROLES)
@require_GET
def supervision(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    is_supervisor = membership.role == Role.SUPERVISOR
    overview = supervision_overview_page(membership, request.GET.get("page"), OVERVIEW_PER_PAGE)
    mentor_url = url_for_each("mentors:supervision_mentor")
    return render(
        request,
        "mentors/supervision/overview.html",
        {
            "statuses": overview.statuses,
            "rows": [
                _overview_row(status, is_supervisor, mentor_url(status.profile.pk))
                for status in overview.statuses
            ],
            "page": overview.page,
            "overdue_count": overview.overdue_count,
            "is_supervisor": is_supervisor,
            "interval_days": overview.interval_days,
        },
    )


@role_required(*SUPERVISING_ROLES)
@require_http_methods(["GET", "POST"])
def supervision_mentor(request: HttpRequest, profile_pk: int) -> HttpResponse:
    profile = get_supervised_profile(_membership(request), profile_pk)
    form = SupervisionSessionForm(
        request.POST if request.method == "POST" else None,
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            supervision_session_record(
                actor=signed_in_user(request), profile=profile, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The supervision session is saved.")
            return redirect("mentors:supervision_mentor", profile_pk=profile.pk)
    context: dict[str, Any] = {
        "profile": profile,
        "form": form,
        "status": supervision_status_for(profile),
        "sessions": profile.supervision_sessions.select_related("supervisor").order_by(
            "-held_on", "-recorded_at"
        ),
        "check_ins": profile.wellbeing_check_ins.all(),
    }
    return render(request, "mentors/supervision/mentor.html", context)


@role_required(*SUPERVISING_ROLES)
@require_http_methods(["GET", "POST"])
def supervision_group(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    profiles = (
        supervised_profiles(membership) & active_mentor_profiles(membership.organisation)
    ).order_by("display_name", "pk")
    form = GroupSupervisionSessionForm(
        request.POST if request.method == "POST" else None, profiles=profiles
    )
    if request.method == "POST" and form.is_valid():
        try:
            sessions = supervision_group_session_record(
                actor=signed_in_user(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            count = len(sessions)
            messages.success(
                request,
                f"The group session is saved for {count} mentor{'s' if count != 1 else ''}.",
            )
            return redirect("mentors:supervision")
    return render(
        request,
        "mentors/supervision/group.html",
        {"form": form, "has_mentors": profiles.exists()},
    )


@role_required(Role.MENTOR)
@require_http_methods(["GET", "POST"])
def wellbeing(request: HttpRequest) -> HttpResponse:
    profile = get_own_mentor_profile(_membership(request))
    supervisor = current_supervisor(profile)
    form = WellbeingCheckInForm(
        request.POST if request.method == "POST" else None,
        has_supervisor=supervisor is not None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            wellbeing_check_in_submit(
                actor=signed_in_user(request), profile=profile, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("mentors:wellbeing_thanks")
    last = profile.wellbeing_check_ins.first()
    return render(
        request,
        "mentors/supervision/wellbeing.html",
        {
            "form": form,
            "supervisor": supervisor,
            "last": last,
            "next_due_on": wellbeing_next_due(profile, last),
        },
    )


@role_required(Role.MENTOR)
@require_GET
def wellbeing_thanks(request: HttpRequest) -> HttpResponse:
    profile = get_own_mentor_profile(_membership(request))
    check_in = profile.wellbeing_check_ins.first()
    if check_in is None:
        return redirect("mentors:wellbeing")
    return render(
        request,
        "mentors/supervision/wellbeing_thanks.html",
        {
            "supervisor": current_supervisor(profile),
            "check_in": check_in,
            "next_due_on": wellbeing_next_due(profile, check_in),
        },
    )
