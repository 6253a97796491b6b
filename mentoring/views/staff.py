"""The coordinator's side of mentoring: every relationship of the organisation and what needs
attention, the check-ins that are due, one relationship's check-ins, recording a check-in, and
rematching a pair who should not carry on together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import STAFF_ROLES, membership_with_role, role_required, signed_in_user
from alongside.forms import add_service_errors
from alongside.pagination import counted_page
from mentoring.access import (
    RelationshipAccess,
    Viewer,
    relationship_for_page,
    relationships_for,
)
from mentoring.forms_staff import CheckInForm, ExtraCheckInForm, RelationshipFilterForm, RematchForm
from mentoring.models import (
    CheckIn,
    CheckInPerson,
    CheckInStatus,
    ConcernRequest,
)
from mentoring.navigation import layout_context
from mentoring.selectors_staff import (
    Timing,
    due_check_ins,
    due_check_ins_count,
    relationships_for_staff,
    timing,
)
from mentoring.services.checkins import CheckInMethod, check_in_add, check_in_record
from mentoring.services.concerns import relationship_rematch
from mentoring.templatetags.staff_lists import CHECK_IN_ROW_FIELDS, RELATIONSHIP_ROW_FIELDS

PER_PAGE = 50
SECTION = "Check-ins"


def staff_access(request: HttpRequest, pk: int) -> RelationshipAccess:
    """Open relationship ``pk`` for a coordinator or admin of its organisation; else 404."""
    return relationship_for_page(request, pk, allow=(Viewer.STAFF,))


def add_form_errors(form: BaseForm, error: ValidationError) -> None:
    """A service's refusal beside its field; "someone saved first" goes at the top."""
    if hasattr(error, "error_dict") and "version" in error.error_dict:
        form.add_error(None, error.error_dict.pop("version"))
        if not error.error_dict:
            return
    add_service_errors(form, error)


def is_stale(error: ValidationError) -> bool:
    return hasattr(error, "error_dict") and "version" in error.error_dict


# The relationships list --------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_GET
def relationships(request: HttpRequest) -> HttpResponse:
    membership = membership_with_role(request, STAFF_ROLES)
    filters = RelationshipFilterForm(request.GET or None)
    status, attention = filters.choices() if filters.is_bound else ("current", "")
    queryset = relationships_for_staff(
        relationships_for(signed_in_user(request), membership), status=status, attention=attention
    )
    # Counted without the row's columns: counting the values would work out every row's counts.
    page = counted_page(
        queryset.values(*RELATIONSHIP_ROW_FIELDS),
        PER_PAGE,
        queryset.count(),
        request.GET.get("page"),
    )
    return render(
        request,
        "mentoring/staff/relationships.html",
        {
            "filters": filters,
            "filtered": (status, attention) != ("current", ""),
            "page": page,
        },
    )


# Check-ins across the organisation -----------------------------------------------------------

GROUP_HEADINGS = {
    "overdue": "Overdue",
    "soon": "Due in the next 7 days",
    "later": "Coming up",
}


def _grouped(
    page: Page[dict[str, Any]], today: date
) -> list[tuple[str, str, list[tuple[dict[str, Any], Timing]]]]:
    """The page's check-ins (``CHECK_IN_ROW_FIELDS`` values) by when they are due, each with
    that said in words."""
    groups: dict[str, list[tuple[dict[str, Any], Timing]]] = {key: [] for key in GROUP_HEADINGS}
    for row in page:
        when = timing(row["due_on"], today)
        groups[when.group].append((row, when))
    return [(key, GROUP_HEADINGS[key], rows) for key, rows in groups.items() if rows]


@role_required(*STAFF_ROLES)
@require_GET
def check_ins(request: HttpRequest) -> HttpResponse:
    organisation = membership_with_role(request, STAFF_ROLES).organisation
    listed = due_check_ins(organisation).values(*CHECK_IN_ROW_FIELDS)
    page = counted_page(
        listed, PER_PAGE, due_check_ins_count(organisation), request.GET.get("page")
    )
    return render(
        request,
        "mentoring/staff/check_ins.html",
        {"page": page, "groups": _grouped(page, timezone.localdate())},
    )


# One relationship's check-ins ----------------------------------------------------------------


@dataclass(frozen=True)
class ScheduledCheckIn:
    check_in: CheckIn
    timing: Timing | None  # only for check-ins still due
    method_label: str


def _schedule(check_ins: QuerySet[CheckIn], today: date) -> list[ScheduledCheckIn]:
    return [
        ScheduledCheckIn(
            check_in=check_in,
            timing=timing(check_in.due_on, today) if check_in.status == CheckInStatus.DUE else None,
            method_label=_method_label(check_in.method),
        )
        for check_in in check_ins
    ]


def _method_label(method: str) -> str:
    return str(CheckInMethod(method).label) if method in CheckInMethod.values else method


@login_required
@require_GET
def relationship_check_ins(request: HttpRequest, pk: int) -> HttpResponse:
    access = staff_access(request, pk)
    relationship = access.relationship
    today = timezone.localdate()
    check_ins = relationship.check_ins.select_related("done_by").order_by("due_on", "pk")
    concerns = list(relationship.concerns.select_related("raised_by").order_by("-raised_at"))
    return render(
        request,
        "mentoring/staff/relationship_check_ins.html",
        {
            **layout_context(access, SECTION),
            "people": [
                (
                    CheckInPerson.MENTOR.value,
                    f"{access.mentor_name}, the mentor",
                    _schedule(check_ins.filter(person=CheckInPerson.MENTOR), today),
                ),
                (
                    CheckInPerson.MENTEE.value,
                    f"{access.mentee_name}, the mentee",
                    _schedule(check_ins.filter(person=CheckInPerson.MENTEE), today),
                ),
            ],
            "open_concerns": [concern for concern in concerns if concern.is_open],
            "resolved_concerns": [concern for concern in concerns if not concern.is_open],
        },
    )


# Recording a check-in ------------------------------------------------------------------------


def _recorded_initial(check_in: CheckIn) -> dict[str, Any]:
    if check_in.status != CheckInStatus.DONE:
        return {}
    return {
        "method": check_in.method,
        "how_it_is_going": check_in.how_it_is_going,
        "concerns": check_in.concerns,
        "actions": check_in.actions,
    }


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, pk: int, check_in_pk: int) -> HttpResponse:
    access = staff_access(request, pk)
    found = get_object_or_404(CheckIn, pk=check_in_pk, relationship=access.relationship)
    latest: CheckIn | None = None
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            first_time = found.status == CheckInStatus.DUE
            try:
                check_in_record(
                    actor=signed_in_user(request),
                    check_in=found,
                    version=form.cleaned_data["version"],
                    **form.service_arguments(),
                )
            except ValidationError as error:
                if is_stale(error):
                    latest = CheckIn.objects.select_related("done_by").get(pk=found.pk)
                    form.refresh_version(latest)
                add_form_errors(form, error)
                found.refresh_from_db()
            else:
                messages.success(
                    request,
                    "Check-in recorded." if first_time else "Your changes are saved.",
                )
                return redirect("mentoring:relationship_check_ins", pk=pk)
    else:
        form = CheckInForm(instance=found, initial=_recorded_initial(found))
    return render(
        request,
        "mentoring/staff/check_in.html",
        {
            **layout_context(access, SECTION),
            "check_in": found,
            "person_name": access.mentor_name
            if found.person == CheckInPerson.MENTOR
            else access.mentee_name,
            "timing": timing(found.due_on) if found.status == CheckInStatus.DUE else None,
            "method_label": _method_label(found.method),
            "form": form,
            "latest": latest,
            "latest_method_label": _method_label(latest.method) if latest else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def check_in_new(request: HttpRequest, pk: int) -> HttpResponse:
    access = staff_access(request, pk)
    if request.method == "POST":
        form = ExtraCheckInForm(request.POST, access=access)
        if form.is_valid():
            try:
                check_in_add(
                    actor=signed_in_user(request),
                    relationship=access.relationship,
                    person=form.cleaned_data["person"],
                    client_key=form.cleaned_data["client_key"],
                    **form.service_arguments(),
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Extra check-in recorded.")
                return redirect("mentoring:relationship_check_ins", pk=pk)
    else:
        person = request.GET.get("person")
        initial = {"person": person} if person in CheckInPerson.values else {}
        form = ExtraCheckInForm(access=access, initial=initial)
    return render(
        request,
        "mentoring/staff/check_in_new.html",
        {**layout_context(access, SECTION), "form": form},
    )


# Rematch -------------------------------------------------------------------------------------


def waiting_list_url() -> str:
    try:
        return reverse("referrals:waiting_list")
    except NoReverseMatch:
        return reverse("mentoring:relationships")


@login_required
@require_http_methods(["GET", "POST"])
def rematch(request: HttpRequest, pk: int) -> HttpResponse:
    access = staff_access(request, pk)
    relationship = access.relationship
    form = RematchForm(request.POST or None)
    if request.method == "POST" and relationship.is_current and form.is_valid():
        try:
            relationship_rematch(
                actor=signed_in_user(request),
                relationship=relationship,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"The relationship has ended. {access.mentee_name} is back at the top of the "
                "waiting list, ready for a new mentor.",
            )
            return redirect(waiting_list_url())
    return render(
        request,
        "mentoring/staff/rematch.html",
        {
            **layout_context(access, SECTION),
            "form": form,
            "open_requests": relationship.concerns.filter(
                request=ConcernRequest.REMATCH, resolved_at__isnull=True
            ).count(),
        },
    )
