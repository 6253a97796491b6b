"""Who responds to alerts, and how fast: the duty rota page (who is on duty now, the gaps in the
next week, the shifts ahead, the safeguarding leads), adding and removing leads and shifts, and
the response times. Coordinators and admins keep them; a supervisor who is a safeguarding lead
may look at the rota (to see their shifts) but not change it. Anyone else gets a 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import STAFF_ROLES, membership_with_role, role_required, signed_in_user
from accounts.models import Membership, Organisation, Role
from alongside.forms import add_service_errors
from safeguarding.access import RESPONDER_ROLES, is_safeguarding_lead
from safeguarding.forms_rota import LeadAddForm, ResponseTimesForm, ShiftForm
from safeguarding.models import DutyShift, SafeguardingLead
from safeguarding.selectors import name_of
from safeguarding.services import rota as services

SHIFTS_PER_PAGE = 20


@dataclass(frozen=True)
class GapRow:
    """A gap as the rota says it: from now, or running on past the week shown."""

    starts_at: datetime
    ends_at: datetime
    starts_now: bool
    open_ended: bool


def _gap_rows(organisation: Organisation, now: datetime) -> list[GapRow]:
    window_end = now + timedelta(days=services.GAP_DAYS)
    return [
        GapRow(gap.starts_at, gap.ends_at, gap.starts_at <= now, gap.ends_at >= window_end)
        for gap in services.rota_gaps(organisation, now, window_end)
    ]


def _rota_membership(request: HttpRequest) -> tuple[Membership, bool]:
    """The membership the rota is seen through, and whether it may change the rota."""
    membership = membership_with_role(request, RESPONDER_ROLES)
    if membership.role in STAFF_ROLES:
        return membership, True
    if membership.role == Role.SUPERVISOR and is_safeguarding_lead(
        signed_in_user(request), membership
    ):
        return membership, False
    raise Http404


def _staff_organisation(request: HttpRequest) -> Organisation:
    return membership_with_role(request, STAFF_ROLES).organisation


def _lead_for(organisation: Organisation, pk: int) -> SafeguardingLead:
    """Active safeguarding lead ``pk`` of the organisation; anything else is a 404."""
    try:
        return services.active_leads(organisation).get(pk=pk)
    except SafeguardingLead.DoesNotExist as error:
        raise Http404 from error


def _shift_for(organisation: Organisation, pk: int) -> DutyShift:
    """Duty shift ``pk`` of the organisation; anything else is a 404."""
    try:
        return DutyShift.objects.select_related("lead__user", "organisation").get(
            organisation=organisation, pk=pk
        )
    except DutyShift.DoesNotExist as error:
        raise Http404 from error


def _rota_page(
    request: HttpRequest,
    organisation: Organisation,
    *,
    can_change: bool,
    lead_form: LeadAddForm | None = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    leads = services.leads_with_roles(organisation)
    candidates = services.lead_candidates(organisation) if can_change else []
    if can_change and lead_form is None:
        lead_form = LeadAddForm(candidates=candidates)
    shifts = Paginator(services.upcoming_shifts(organisation, now), SHIFTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context: dict[str, Any] = {
        "now": now,
        "on_duty": services.duty_shift_at(organisation, now),
        "gaps": _gap_rows(organisation, now),
        "gap_days": services.GAP_DAYS,
        "upcoming_days": services.UPCOMING_DAYS,
        "shifts": shifts,
        "leads": leads,
        "lead_form": lead_form,
        "has_candidates": bool(candidates),
        "response_times": services.settings_for(organisation),
        "can_change": can_change,
    }
    return render(request, "safeguarding/rota/rota.html", context, status=status)


@role_required(*RESPONDER_ROLES)
@require_GET
def rota(request: HttpRequest) -> HttpResponse:
    membership, can_change = _rota_membership(request)
    return _rota_page(request, membership.organisation, can_change=can_change)


@role_required(*STAFF_ROLES)
@require_POST
def lead_add(request: HttpRequest) -> HttpResponse:
    organisation = _staff_organisation(request)
    form = LeadAddForm(request.POST, candidates=services.lead_candidates(organisation))
    if form.is_valid():
        user = form.cleaned_data["user"]
        try:
            services.lead_add(actor=signed_in_user(request), organisation=organisation, user=user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{name_of(user)} is now a safeguarding lead: they see every alert and can be "
                "put on the rota.",
            )
            return redirect("safeguarding:rota")
    return _rota_page(request, organisation, can_change=True, lead_form=form, status=400)


@role_required(*STAFF_ROLES)
@require_POST
def lead_remove(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _staff_organisation(request)
    lead = _lead_for(organisation, pk)
    removed = services.lead_remove(actor=signed_in_user(request), lead=lead)
    parts = [f"{name_of(lead.user)} is no longer a safeguarding lead."]
    if removed.shift_ended:
        parts.append("Their shift on duty now has ended.")
    if removed.shifts_removed:
        count = removed.shifts_removed
        parts.append(f"Their {count} coming shift{'s are' if count > 1 else ' is'} removed.")
    messages.success(request, " ".join(parts))
    return redirect("safeguarding:rota")


def _next_start(organisation: Organisation, now: datetime) -> datetime:
    """Where a new shift most likely starts: when the last planned one ends, or the next hour."""
    last = services.upcoming_shifts(organisation, now).order_by("-ends_at").first()
    if last is not None and last.ends_at < now + timedelta(days=services.UPCOMING_DAYS * 2):
        return last.ends_at
    local = timezone.localtime(now)
    return local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def shift_new(request: HttpRequest) -> HttpResponse:
    organisation = _staff_organisation(request)
    leads = services.leads_with_roles(organisation)
    form = ShiftForm(
        request.POST if request.method == "POST" else None,
        leads=leads,
        starts_at=_next_start(organisation, timezone.now()),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            shift = services.shift_add(
                actor=signed_in_user(request),
                organisation=organisation,
                lead=data["lead"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
            )
        except ValidationError as error:
            form.add_shift_errors(error)
        else:
            messages.success(
                request,
                f"Shift added: {name_of(shift.lead.user)} is on duty from "
                f"{services.when_label(shift.starts_at)} to {services.when_label(shift.ends_at)}.",
            )
            return redirect("safeguarding:rota")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "safeguarding/rota/shift_form.html",
        {"form": form, "leads": leads, "time_zone": timezone.get_current_timezone_name()},
        status=status,
    )


@role_required(*STAFF_ROLES)
@require_POST
def shift_remove(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _staff_organisation(request)
    shift = _shift_for(organisation, pk)
    try:
        ended_early = services.shift_remove(actor=signed_in_user(request), shift=shift)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
        return redirect("safeguarding:rota")
    who = name_of(shift.lead.user)
    if ended_early:
        messages.success(request, f"{who}'s shift has ended now.")
    else:
        messages.success(
            request, f"{who}'s shift from {services.when_label(shift.starts_at)} is removed."
        )
    return redirect("safeguarding:rota")


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def response_times(request: HttpRequest) -> HttpResponse:
    organisation = _staff_organisation(request)
    current = services.settings_for(organisation)
    if request.method != "POST":
        form = ResponseTimesForm(
            initial={
                "urgent_minutes": current.urgent_minutes,
                "high_minutes": current.high_minutes,
                "concern_working_days": current.concern_working_days,
            }
        )
    else:
        form = ResponseTimesForm(request.POST)
        if form.is_valid():
            try:
                services.response_times_update(
                    actor=signed_in_user(request), organisation=organisation, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    "The response times are saved. They apply to alerts raised from now on.",
                )
                return redirect("safeguarding:rota")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "safeguarding/rota/response_times.html", {"form": form}, status=status)
