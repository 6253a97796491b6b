"""The pair's agreement: read it (with what mentors do and do not do, and what stays
confidential), acknowledge it, change it as a new version, and see every earlier version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from alongside.forms import add_service_errors
from mentoring import statement
from mentoring.access import (
    PAIR,
    RelationshipAccess,
    Viewer,
    relationship_for_page,
)
from mentoring.forms_agreement import WEEKDAY_CHOICES, AgreementForm, agreement_initial
from mentoring.models import Agreement, ContactChannel, MeetingFrequency
from mentoring.navigation import layout_context
from mentoring.selectors import current_agreement, default_end_on, mentoring_settings
from mentoring.services.agreements import agreement_acknowledge, agreement_save
from mentors.models import Format
from referrals.availability import SLOT_LABELS
from safeguarding.selectors import crisis_resources_for

READERS = (Viewer.MENTOR, Viewer.MENTEE, Viewer.STAFF)
DAY_LABELS = dict(WEEKDAY_CHOICES)


@dataclass(frozen=True)
class AgreementShown:
    """One version of the agreement, in words a person reads."""

    agreement: Agreement
    frequency: str
    format: str
    usual_slot: str
    channels: list[str]
    days: str
    contact_from: time
    contact_until: time
    written_by: str
    mentor_acknowledged_at: datetime | None
    mentee_acknowledged_at: datetime | None
    planned_sessions: int
    planned_end_on: date


def shown(agreement: Agreement, access: RelationshipAccess) -> AgreementShown:
    relationship = access.relationship
    if agreement.created_by_id == relationship.mentor.user_id:
        written_by = access.mentor_name
    elif agreement.created_by_id == relationship.mentee_id:
        written_by = access.mentee_name
    else:
        written_by = "Someone who has since left"
    return AgreementShown(
        agreement=agreement,
        frequency=dict(MeetingFrequency.choices).get(agreement.meeting_frequency, ""),
        format=dict(Format.choices).get(agreement.meeting_format, agreement.meeting_format),
        usual_slot=SLOT_LABELS.get(agreement.usual_slot, ""),
        channels=[
            dict(ContactChannel.choices).get(channel, channel)
            for channel in agreement.contact_channels
        ],
        days=_days(agreement.contact_days),
        contact_from=agreement.contact_from,
        contact_until=agreement.contact_until,
        written_by=written_by,
        mentor_acknowledged_at=agreement.mentor_acknowledged_at,
        mentee_acknowledged_at=agreement.mentee_acknowledged_at,
        planned_sessions=agreement.planned_sessions,
        planned_end_on=agreement.planned_end_on,
    )


def _days(days: list[int]) -> str:
    days = sorted(days)
    if days == [0, 1, 2, 3, 4]:
        return "Monday to Friday"
    if days == list(range(7)):
        return "Every day"
    labels = [DAY_LABELS[day] for day in days if day in DAY_LABELS]
    return ", ".join(labels[:-1]) + f" and {labels[-1]}" if len(labels) > 1 else "".join(labels)


def _my_acknowledgement(access: RelationshipAccess, agreement: Agreement | None) -> Any:
    if agreement is None or access.viewer not in PAIR:
        return None
    return (
        agreement.mentor_acknowledged_at if access.is_mentor else agreement.mentee_acknowledged_at
    )


# Reading and acknowledging ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    access = relationship_for_page(request, pk, allow=READERS)
    if request.method == "POST":
        if not access.pair_can_write:
            raise Http404
        return _acknowledge(request, access)
    return _render_agreement(request, access)


def _acknowledge(request: HttpRequest, access: RelationshipAccess) -> HttpResponse:
    was_active = access.relationship.activated_at is not None
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0
    try:
        acknowledged = agreement_acknowledge(
            actor=access.user, relationship=access.relationship, version=version
        )
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
        return redirect("mentoring:agreement", pk=access.relationship.pk)
    if acknowledged.is_acknowledged and not was_active:
        messages.success(
            request, "Thank you. You have both agreed, so your mentoring has now started."
        )
    elif acknowledged.is_acknowledged:
        messages.success(request, "Thank you. You have both agreed to this version.")
    else:
        messages.success(request, f"Thank you. {access.other_name} will be asked to read it too.")
    return redirect("mentoring:agreement", pk=access.relationship.pk)


def _render_agreement(
    request: HttpRequest,
    access: RelationshipAccess,
    *,
    crisis: bool = False,
    serious: bool = False,
) -> HttpResponse:
    latest = current_agreement(access.relationship)
    return render(
        request,
        "mentoring/agreement/agreement.html",
        {
            **layout_context(access, "Agreement"),
            "latest": shown(latest, access) if latest is not None else None,
            "my_acknowledgement": _my_acknowledgement(access, latest),
            "can_acknowledge": access.pair_can_write and latest is not None,
            "can_edit": access.pair_can_write,
            "statement": statement,
            "crisis": crisis,
            "serious": serious,
            "resources": list(crisis_resources_for(access.relationship.organisation))
            if crisis
            else [],
            "organisation": access.relationship.organisation,
        },
    )


# Writing a version ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = relationship_for_page(request, pk, allow=PAIR)
    if not access.pair_can_write:
        raise Http404
    relationship = access.relationship
    latest = current_agreement(relationship)
    stale_latest: Agreement | None = None
    if request.method == "POST":
        form = AgreementForm(
            request.POST, first=not request.POST.get("version"), for_mentee=access.is_mentee
        )
        if form.is_valid():
            try:
                saved = agreement_save(
                    actor=access.user,
                    relationship=relationship,
                    terms=form.terms(),
                    based_on_version=form.based_on_version(),
                    change_note=form.change_note_text(),
                )
            except ValidationError as error:
                stale_latest = _show_refusal(form, error, relationship)
            else:
                messages.success(request, _saved_message(access, saved.created))
                if saved.is_risk:
                    return _render_agreement(request, access, crisis=True, serious=saved.is_serious)
                return redirect("mentoring:agreement", pk=relationship.pk)
    else:
        settings = mentoring_settings(relationship.organisation)
        form = AgreementForm(
            initial=agreement_initial(latest, settings, default_end_on(relationship.organisation)),
            first=latest is None,
            based_on_version=latest.version if latest is not None else None,
            for_mentee=access.is_mentee,
        )
    return render(
        request,
        "mentoring/agreement/edit.html",
        {
            **layout_context(access, "Agreement"),
            "form": form,
            "latest": shown(stale_latest, access) if stale_latest is not None else None,
            "first": latest is None and stale_latest is None,
        },
    )


def _show_refusal(form: AgreementForm, error: ValidationError, relationship: Any) -> Any:
    """Put a refusal next to its field; for a stale save, keep the typed text, say so at the top,
    and return the latest version to show beside the form."""
    if hasattr(error, "error_dict") and "version" in error.error_dict:
        latest = current_agreement(relationship)
        form.add_error(None, error.message_dict["version"])
        if latest is not None:
            form.refresh_agreement(latest)
        return latest
    add_service_errors(form, error)
    return None


def _saved_message(access: RelationshipAccess, created: bool) -> str:
    if not created:
        return "The agreement is saved. Nothing has changed since the last version."
    return (
        f"The agreement is saved, and your acknowledgement is recorded. We have asked "
        f"{access.other_name} to read it too."
    )


# Earlier versions -------------------------------------------------------------------------------


@login_required
@require_GET
def agreement_history(request: HttpRequest, pk: int) -> HttpResponse:
    access = relationship_for_page(request, pk, allow=READERS)
    versions = [shown(version, access) for version in access.relationship.agreements.all()]
    return render(
        request,
        "mentoring/agreement/history.html",
        {**layout_context(access, "Agreement"), "versions": versions},
    )
