"""The coordinator's triage: the queue of new referrals, one referral with everything the person
sent and the actions on it, and the confirmation before merging a duplicate."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import STAFF_ROLES, membership_with_role, role_required, signed_in_user
from accounts.models import Organisation
from alongside.forms import add_service_errors
from alongside.pagination import counted_page
from audit.services import audit_read
from mentors.models import Format
from referrals.availability import slot_labels
from referrals.forms_triage import (
    ContactAttemptForm,
    DeclineForm,
    QueueFilterForm,
    SignpostForm,
)
from referrals.models import (
    QUEUE_STATUSES,
    ContactAttempt,
    ContactOutcome,
    Referral,
    Status,
    Urgency,
    urgent_first,
)
from referrals.selectors import get_referral_for_staff, referrals_for_staff
from referrals.services.triage import (
    ACCEPTABLE_STATUSES,
    CONTACTABLE_STATUSES,
    contact_attempt_record,
    merge_plan,
    referral_accept_to_intake,
    referral_decline,
    referral_dismiss_duplicate,
    referral_mark_unable_to_contact,
    referral_merge,
    referral_signpost,
    unable_to_contact_shortfall,
)

# A national queue can hold thousands of referrals: a page shows the most pressing ones.
QUEUE_PER_PAGE = 50
_QUEUE_FIELDS = (
    "id",
    "full_name",
    "preferred_name",
    "created_at",
    "source",
    "urgency",
    "status",
    "possible_duplicate_of",
)


def age_in_words(since: datetime, now: datetime) -> str:
    """How old a referral is, as a person would say it."""
    waited: timedelta = now - since
    if waited.days < 1:
        return "Less than a day"
    return "1 day" if waited.days == 1 else f"{waited.days} days"


# The queue ------------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    in_queue = referrals_for_staff(organisation).filter(status__in=QUEUE_STATUSES)
    filters = QueueFilterForm(request.GET or None)
    chosen = Q()
    if filters.is_valid():
        if filters.cleaned_data["status"]:
            chosen &= Q(status=filters.cleaned_data["status"])
        if filters.cleaned_data["source"]:
            chosen &= Q(source=filters.cleaned_data["source"])
    counts = in_queue.aggregate(
        new=Count("pk", filter=Q(status=Status.NEW)),
        urgent=Count("pk", filter=Q(urgency=Urgency.URGENT)),
        contacting=Count("pk", filter=Q(status=Status.CONTACTING)),
        intake=Count("pk", filter=Q(status=Status.INTAKE)),
        total=Count("pk"),
        shown=Count("pk", filter=chosen),
    )
    shown_count = counts.pop("shown")  # the figures above are for the whole queue
    page, referrals = _queue_page(in_queue.filter(chosen), shown_count, request.GET.get("page"))
    now = timezone.now()
    return render(
        request,
        "referrals/triage/queue.html",
        {
            "page": page,
            "rows": [(referral, age_in_words(referral.created_at, now)) for referral in referrals],
            "counts": counts,
            "filters": filters,
            "filtered": any(request.GET.get(name) for name in filters.fields),
        },
    )


def _queue_page(
    shown: QuerySet[Referral], count: int, number: str | None
) -> tuple[Page[Any], QuerySet[Referral]]:
    """A page of the queue, urgent first, then oldest. Its ids come from the queue's index in
    that order, so only the page's rows are read and only their contact attempts counted."""
    in_order = (urgent_first(), "created_at", "pk")
    page = counted_page(shown.order_by(*in_order).values("pk"), QUEUE_PER_PAGE, count, number)
    referrals = (
        shown.filter(pk__in=page.object_list)
        .only(*_QUEUE_FIELDS)
        .annotate(attempts=_attempts_made())
        .order_by(*in_order)
    )
    return page, referrals


def _attempts_made() -> Coalesce:
    """How many contact attempts a referral has had, counted for each row of the page."""
    per_referral = (
        ContactAttempt.objects.filter(referral=OuterRef("pk"))
        .order_by()
        .values("referral")
        .annotate(made=Count("*"))
        .values("made")
    )
    return Coalesce(Subquery(per_referral), 0)


# One referral ---------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral_for_detail(_organisation(request), pk)
    audit_read(request, "referrals.intake_viewed", referral)
    return _render_detail(request, referral)


def _referral_for_detail(organisation: Organisation, pk: int) -> Referral:
    """One referral with everything its page shows, in a handful of queries."""
    queryset: QuerySet[Referral] = (
        referrals_for_staff(organisation)
        .select_related(
            "organisation",
            "possible_duplicate_of",
            "merged_into",
            "referrer",
            "consent_confirmed_by",
        )
        .prefetch_related(
            "support_areas",
            "languages",
            Prefetch(
                "contact_attempts",
                queryset=ContactAttempt.objects.select_related("by").order_by("-attempted_at"),
            ),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def _render_detail(
    request: HttpRequest,
    referral: Referral,
    *,
    contact_form: ContactAttemptForm | None = None,
    signpost_form: SignpostForm | None = None,
    decline_form: DeclineForm | None = None,
) -> HttpResponse:
    is_open = referral.is_open
    duplicate = referral.possible_duplicate_of if is_open else None
    attempts = list(referral.contact_attempts.all())
    context: dict[str, Any] = {
        "referral": referral,
        "age": age_in_words(referral.created_at, timezone.now()),
        "formats": _format_labels(referral.formats),
        "slots": slot_labels(referral.availability_slots),
        "mentor_age_range": _age_range(referral.mentor_age_min, referral.mentor_age_max),
        "attempts": attempts,
        "is_open": is_open,
        "can_contact": referral.status in CONTACTABLE_STATUSES,
        "can_accept": referral.status in ACCEPTABLE_STATUSES,
        "unable_shortfall": (
            unable_to_contact_shortfall(
                referral, made=sum(a.outcome != ContactOutcome.SPOKE for a in attempts)
            )
            if is_open
            else ""
        ),
        "duplicate": duplicate,
        "later_duplicates": _later_duplicates(referral) if is_open else [],
        "contact_form": contact_form or ContactAttemptForm(auto_id="contact_%s"),
        "signpost_form": signpost_form or SignpostForm(auto_id="signpost_%s"),
        "decline_form": decline_form or DeclineForm(auto_id="decline_%s"),
    }
    return render(request, "referrals/triage/detail.html", context)


def _format_labels(formats: list[str]) -> list[str]:
    labels = dict(Format.choices)
    return [labels.get(value, value) for value in formats]


def _age_range(youngest: int | None, oldest: int | None) -> str:
    if youngest and oldest:
        return f"{youngest} to {oldest}"
    if youngest:
        return f"{youngest} or older"
    return f"Up to {oldest}" if oldest else ""


def _later_duplicates(referral: Referral) -> list[Referral]:
    """Open referrals flagged as possibly the same person as this one."""
    return list(
        Referral.objects.filter(
            possible_duplicate_of=referral, status__in=CONTACTABLE_STATUSES
        ).only("id", "full_name", "created_at")
    )


# Actions --------------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_POST
def contact_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request)
    referral = get_referral_for_staff(organisation, pk)
    form = ContactAttemptForm(request.POST, auto_id="contact_%s")
    if form.is_valid():
        try:
            contact_attempt_record(
                actor=signed_in_user(request), referral=referral, **form.cleaned_data
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _back_with_error(request, referral, error)
            add_service_errors(form, error)
        else:
            messages.success(request, "The contact attempt is logged.")
            return redirect("referrals:detail", pk=referral.pk)
    return _render_detail(request, _referral_for_detail(organisation, pk), contact_form=form)


@role_required(*STAFF_ROLES)
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_staff(_organisation(request), pk)
    was_in_intake = referral.status == Status.INTAKE
    try:
        referral = referral_accept_to_intake(actor=signed_in_user(request), referral=referral)
    except ValidationError as error:
        return _back_with_error(request, referral, error)
    if not was_in_intake:
        if referral.email and referral.email_ok:
            messages.success(
                request,
                "Accepted to intake. We have emailed them a private link to tell us more online.",
            )
        else:
            messages.success(
                request,
                "Accepted to intake. They do not want email, so go through intake with them by "
                "phone or in person.",
            )
    return redirect("referrals:detail", pk=referral.pk)


@role_required(*STAFF_ROLES)
@require_POST
def signpost(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request)
    referral = get_referral_for_staff(organisation, pk)
    form = SignpostForm(request.POST, auto_id="signpost_%s")
    if form.is_valid():
        try:
            referral = referral_signpost(
                actor=signed_in_user(request), referral=referral, **form.cleaned_data
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _back_with_error(request, referral, error)
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"The referral is closed as signposted to {referral.signposted_to}."
            )
            return redirect("referrals:detail", pk=referral.pk)
    return _render_detail(request, _referral_for_detail(organisation, pk), signpost_form=form)


@role_required(*STAFF_ROLES)
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request)
    referral = get_referral_for_staff(organisation, pk)
    form = DeclineForm(request.POST, auto_id="decline_%s")
    if form.is_valid():
        try:
            referral_decline(
                actor=signed_in_user(request), referral=referral, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _back_with_error(request, referral, error)
            add_service_errors(form, error)
        else:
            messages.success(request, "The referral is declined and closed.")
            return redirect("referrals:detail", pk=referral.pk)
    return _render_detail(request, _referral_for_detail(organisation, pk), decline_form=form)


@role_required(*STAFF_ROLES)
@require_POST
def unable_to_contact(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_staff(_organisation(request), pk)
    try:
        referral_mark_unable_to_contact(actor=signed_in_user(request), referral=referral)
    except ValidationError as error:
        return _back_with_error(request, referral, error)
    messages.success(request, "The referral is closed as unable to contact.")
    return redirect("referrals:detail", pk=referral.pk)


@role_required(*STAFF_ROLES)
@require_POST
def dismiss_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_staff(_organisation(request), pk)
    referral_dismiss_duplicate(actor=signed_in_user(request), referral=referral)
    messages.success(request, "Noted: these are different people. Both referrals stay open.")
    return redirect("referrals:detail", pk=referral.pk)


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then fold this referral into the earlier one it was flagged as a duplicate of."""
    organisation = _organisation(request)
    referral = get_object_or_404(
        referrals_for_staff(organisation).select_related("possible_duplicate_of"), pk=pk
    )
    if referral.status == Status.MERGED and referral.merged_into_id is not None:
        messages.info(request, "This referral has already been merged.")
        return redirect("referrals:detail", pk=referral.merged_into_id)
    into = referral.possible_duplicate_of
    if into is None:
        messages.info(request, "This referral is not marked as a possible duplicate.")
        return redirect("referrals:detail", pk=referral.pk)
    if request.method == "POST":
        if request.POST.get("into") != str(into.pk):
            messages.error(request, "The referrals changed while you were looking. Check again.")
            return redirect("referrals:merge", pk=referral.pk)
        try:
            kept = referral_merge(actor=signed_in_user(request), duplicate=referral, into=into)
        except ValidationError as error:
            return _back_with_error(request, referral, error)
        messages.success(
            request, f"The referrals are merged. This is the one we kept for {kept.full_name}."
        )
        return redirect("referrals:detail", pk=kept.pk)
    return render(
        request,
        "referrals/triage/merge.html",
        {
            "duplicate": referral,
            "into": into,
            "plan": merge_plan(duplicate=referral, into=into),
            "can_merge": referral.is_open and into.is_open,
        },
    )


# Helpers --------------------------------------------------------------------------------------


def _organisation(request: HttpRequest) -> Organisation:
    return membership_with_role(request, STAFF_ROLES).organisation


def _back_with_error(
    request: HttpRequest, referral: Referral, error: ValidationError
) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect("referrals:detail", pk=referral.pk)
