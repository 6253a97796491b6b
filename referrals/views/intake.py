"""Intake (by a coordinator, or by the person through their private link), the waiting list with
its check-ins, and the mentee's own page while they wait."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import STAFF_ROLES, membership_with_role, role_required, signed_in_user
from accounts.models import Organisation, Role, User
from alongside.concurrency import is_stale
from alongside.forms import add_refusal, add_service_errors, refresh_version
from alongside.pagination import counted_page
from audit.services import audit_read
from referrals.availability import slot_labels
from referrals.forms_intake import AvailabilityForm, CheckInForm, IntakeForm, intake_version
from referrals.models import Intake, Referral, ReferralProgrammeSettings, Status, Urgency
from referrals.selectors import (
    get_referral_for_staff,
    mentee_referral,
    referral_settings,
    waiting_list,
)
from referrals.services.creating import referral_for_access_token
from referrals.services.intake import intake_complete, intake_save
from referrals.services.waiting import (
    AVAILABILITY_STATUSES,
    check_in_due,
    waiting_check_in_record,
    waiting_update_availability,
)
from referrals.services.withdrawing import referral_withdraw
from safeguarding.selectors import crisis_resources_for

_COMPLETE = "complete"
# A national waiting list can hold thousands of people: a page shows the first of them.
WAITING_PER_PAGE = 50
_WAITING_FIELDS = (
    "pk",
    "organisation_id",
    "full_name",
    "preferred_name",
    "status",
    "urgency",
    "waiting_since",
    "last_contacted_at",
)
Outcome = Literal["saved", "completed", "refused"]


# Intake ---------------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_staff(_staff_organisation(request), pk)
    if referral.status != Status.INTAKE:
        return render(request, "referrals/intake/not_at_intake.html", {"referral": referral})
    if request.method == "GET":
        audit_read(request, "referrals.intake_viewed", referral)
    form = _intake_form(request, referral, for_person=False)
    if request.method == "POST" and form.is_valid():
        outcome = _save_or_complete(request, form, referral, actor=signed_in_user(request))
        if outcome == "completed":
            referral.refresh_from_db(fields=["mentee"])
            name = referral.preferred_name or referral.full_name
            messages.success(request, f"Intake complete: {name} is now on the waiting list.")
            if referral.mentee_id is None:
                messages.info(
                    request,
                    f"{name} has no email address, so they have no account yet and cannot sign "
                    "in to see their place. Keep in touch with them by phone.",
                )
            return redirect("referrals:waiting_list")
        if outcome == "saved":
            messages.success(request, "Intake draft saved. Nothing has been sent to the person.")
            return redirect("referrals:intake", pk=referral.pk)
    return render(request, "referrals/intake/form.html", {"form": form, "referral": referral})


@require_http_methods(["GET", "POST"])
def intake_online(request: HttpRequest, token: str) -> HttpResponse:
    """The person's own intake, through the private link they got when they referred."""
    referral = referral_for_access_token(token)
    if referral is None:
        raise Http404
    if referral.status == Status.WAITING:
        return render(
            request,
            "referrals/intake/on_waiting_list.html",
            {
                "referral": referral,
                "token": token,
                "resources": (
                    list(crisis_resources_for(referral.organisation))
                    if referral.urgency == Urgency.URGENT
                    else []
                ),
            },
        )
    if referral.status != Status.INTAKE:
        return render(
            request, "referrals/intake/online_closed.html", {"referral": referral, "token": token}
        )
    form = _intake_form(request, referral, for_person=True)
    if request.method == "POST" and form.is_valid():
        outcome = _save_or_complete(request, form, referral, actor=None)
        if outcome == "saved":
            messages.success(
                request,
                "Your answers are saved. You can come back to this page with your private link.",
            )
        if outcome in ("saved", "completed"):
            return redirect("referrals:intake_online", token=token)
    return render(
        request,
        "referrals/intake/online_form.html",
        {"form": form, "referral": referral, "organisation": referral.organisation},
    )


def _intake_form(request: HttpRequest, referral: Referral, *, for_person: bool) -> IntakeForm:
    return IntakeForm(
        request.POST if request.method == "POST" else None,
        organisation=referral.organisation,
        for_person=for_person,
        referral=referral,
        intake=Intake.objects.filter(referral=referral).first(),
    )


def _save_or_complete(
    request: HttpRequest, form: IntakeForm, referral: Referral, *, actor: User | None
) -> Outcome:
    """Saved either way; when they chose to complete, check it is complete and complete it.
    A refusal leaves the answers saved and marks what is missing next to each field."""
    data = form.cleaned_data
    version = data.get("version")
    if request.POST.get("action") != _COMPLETE:
        try:
            intake_save(actor=actor, referral=referral, data=data, version=version)
        except ValidationError as error:
            _refuse(form, referral, error)
            return "refused"
        return "saved"
    try:
        intake_complete(actor=actor, referral=referral, data=data, version=version)
    except ValidationError as error:
        saved = not is_stale(error) and _keep_draft(
            actor=actor, referral=referral, data=data, version=version
        )
        if actor is None and not hasattr(error, "error_dict"):
            error = ValidationError(
                "We could not finish this online. A coordinator will contact you to complete it."
            )
        _refuse(form, referral, error)
        if saved:
            # The draft just kept is the latest version: the next save is made against it.
            refresh_version(form, intake_version(Intake.objects.filter(referral=referral).first()))
            messages.warning(
                request,
                "The answers are saved, but intake is not complete yet. What is still needed "
                "is marked below.",
            )
        return "refused"
    return "completed"


def _refuse(form: IntakeForm, referral: Referral, error: ValidationError) -> None:
    """The refusal next to its field; after a stale save, the typed text stays and the next
    save counts as made against the latest version."""
    if add_refusal(form, error):
        refresh_version(form, intake_version(Intake.objects.filter(referral=referral).first()))


def _keep_draft(
    *, actor: User | None, referral: Referral, data: dict[str, object], version: int | None
) -> bool:
    """After completing was refused (and rolled back), the answers are still kept as a draft;
    the refused attempt did not count, so the same version applies."""
    try:
        intake_save(actor=actor, referral=referral, data=data, version=version)
    except ValidationError:
        return False
    return True


# The waiting list -----------------------------------------------------------------------------


@dataclass(frozen=True)
class WaitingRow:
    position: int
    referral: Referral
    days_waiting: int
    waited: str
    last_contact: str
    needs_check_in: bool
    over_threshold: bool
    # The row's check-in, refused, with what was typed; None shows the blank form.
    refused_check_in: CheckInForm | None


@dataclass(frozen=True)
class WaitingCounts:
    waiting: int
    urgent: int
    over_threshold: int
    longest_wait: str
    alert_days: int

    def as_list(self) -> list[tuple[str, str]]:
        return [
            ("Waiting", str(self.waiting)),
            ("Urgent", str(self.urgent)),
            (f"Over {self.alert_days} days", str(self.over_threshold)),
            ("Longest wait", self.longest_wait),
        ]


def days_ago_words(moment: datetime | None, now: datetime) -> str:
    """When something last happened, as a person would say it."""
    if moment is None:
        return "Never"
    days = (now - moment).days
    if days < 1:
        return "Today"
    return "Yesterday" if days == 1 else f"{days} days ago"


def waited_words(days: int) -> str:
    if days < 1:
        return "Less than a day"
    return "1 day" if days == 1 else f"{days} days"


@role_required(*STAFF_ROLES)
@require_http_methods(["GET"])
def waiting_list_page(request: HttpRequest) -> HttpResponse:
    return _render_waiting_list(request, _staff_organisation(request))


@role_required(*STAFF_ROLES)
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _staff_organisation(request)
    referral = get_referral_for_staff(organisation, pk)
    form = check_in_form(referral, request.POST)
    if not form.is_valid():
        return _render_waiting_list(request, organisation, bound=form, bound_pk=referral.pk)
    try:
        waiting_check_in_record(
            actor=signed_in_user(request),
            referral=referral,
            method=form.cleaned_data["method"],
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("referrals:waiting_list")
    name = referral.preferred_name or referral.full_name
    messages.success(request, f"Check-in with {name} logged.")
    return redirect("referrals:waiting_list")


def check_in_form(referral: Referral, data: QueryDict | None = None) -> CheckInForm:
    """Each row's form has its own prefix, so every label and id on the page is unique (the
    list writes the same names: ``referrals.templatetags.referral_lists``)."""
    return CheckInForm(data, prefix=f"check-in-{referral.pk}")


def _render_waiting_list(
    request: HttpRequest,
    organisation: Organisation,
    *,
    bound: CheckInForm | None = None,
    bound_pk: int | None = None,
) -> HttpResponse:
    settings = referral_settings(organisation)
    now = timezone.now()
    waiting = waiting_list(organisation)
    counts = _waiting_counts(waiting, settings, now)
    # The page's ids come from the waiting list's index in its order; only those rows are read.
    page = counted_page(
        waiting.values("pk"), WAITING_PER_PAGE, counts.waiting, request.GET.get("page")
    )
    referrals = waiting.filter(pk__in=page.object_list).only(*_WAITING_FIELDS)
    rows = [
        _waiting_row(position, referral, settings, now, bound if referral.pk == bound_pk else None)
        for position, referral in enumerate(referrals, start=page.start_index())
    ]
    return render(
        request,
        "referrals/waiting/list.html",
        {
            "rows": rows,
            "page": page,
            "counts": counts,
            "settings": settings,
        },
    )


def _waiting_counts(
    waiting: QuerySet[Referral], settings: ReferralProgrammeSettings, now: datetime
) -> WaitingCounts:
    """The summary covers the whole list, not the page shown, so it is counted in SQL. Someone
    is over the threshold once they have waited more than ``waiting_alert_days`` whole days."""
    over_since = now - timedelta(days=settings.waiting_alert_days + 1)
    totals = waiting.order_by().aggregate(
        waiting=Count("pk"),
        urgent=Count("pk", filter=Q(urgency=Urgency.URGENT)),
        over_threshold=Count("pk", filter=Q(waiting_since__lte=over_since)),
        earliest=Min("waiting_since"),
    )
    longest_days = (now - totals["earliest"]).days if totals["earliest"] else 0
    return WaitingCounts(
        waiting=totals["waiting"],
        urgent=totals["urgent"],
        over_threshold=totals["over_threshold"],
        longest_wait=waited_words(longest_days) if totals["waiting"] else "Nobody waiting",
        alert_days=settings.waiting_alert_days,
    )


def _waiting_row(
    position: int,
    referral: Referral,
    settings: ReferralProgrammeSettings,
    now: datetime,
    refused_check_in: CheckInForm | None,
) -> WaitingRow:
    waited = now - referral.waiting_since if referral.waiting_since else timedelta()
    return WaitingRow(
        position=position,
        referral=referral,
        days_waiting=waited.days,
        waited=waited_words(waited.days),
        last_contact=days_ago_words(referral.last_contacted_at, now),
        needs_check_in=check_in_due(referral, settings, now),
        over_threshold=waited.days > settings.waiting_alert_days,
        refused_check_in=refused_check_in,
    )


# The mentee's own page ------------------------------------------------------------------------


def gentle_wait_words(since: datetime, now: datetime) -> str:
    """How long someone has waited, softly: "about three weeks ago", never a countdown."""
    days = (now - since).days
    if days < 2:
        return "just now"
    if days < 7:
        return "a few days ago"
    if days < 11:
        return "about a week ago"
    if days < 60:
        return f"about {_number_word(round(days / 7))} weeks ago"
    return f"about {_number_word(round(days / 30))} months ago"


def _number_word(number: int) -> str:
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    return words[number] if 0 <= number < len(words) else str(number)


@role_required(Role.MENTEE)
@require_http_methods(["GET", "POST"])
def my_referral(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    referral = mentee_referral(user, membership_with_role(request, (Role.MENTEE,)).organisation)
    if referral is None:
        return render(request, "referrals/waiting/nothing.html")
    can_update = referral.status in AVAILABILITY_STATUSES
    form = AvailabilityForm(
        request.POST if request.method == "POST" else None,
        initial={
            "availability_slots": referral.availability_slots,
            "availability": referral.availability,
        },
    )
    if request.method == "POST" and can_update and form.is_valid():
        try:
            waiting_update_availability(
                actor=user,
                referral=referral,
                slots=form.cleaned_data["availability_slots"],
                notes=form.cleaned_data["availability"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Thank you. We have saved when you are free.")
            return redirect("referrals:my_referral")
    now = timezone.now()
    return render(
        request,
        "referrals/waiting/my_referral.html",
        {
            "referral": referral,
            "form": form,
            "can_update": can_update,
            "slots": slot_labels(referral.availability_slots),
            "waited": gentle_wait_words(referral.waiting_since, now)
            if referral.waiting_since
            else "",
        },
    )


@role_required(Role.MENTEE)
@require_POST
def my_referral_withdraw(request: HttpRequest) -> HttpResponse:
    """First press asks "are you sure?"; the confirmed press withdraws."""
    user = signed_in_user(request)
    referral = mentee_referral(user, membership_with_role(request, (Role.MENTEE,)).organisation)
    if referral is None:
        raise Http404
    if not referral.is_open:
        return redirect("referrals:my_referral")
    if request.POST.get("confirm") != "yes":
        return render(request, "referrals/waiting/withdraw_confirm.html", {"referral": referral})
    try:
        referral_withdraw(actor=user, referral=referral, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("referrals:my_referral")
    messages.success(request, "Thank you for letting us know.")
    return redirect("referrals:my_referral")


def _staff_organisation(request: HttpRequest) -> Organisation:
    return membership_with_role(request, STAFF_ROLES).organisation
