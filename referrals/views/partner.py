"""Pages for partners (GP practices, clinics, charities) who refer people: they make referrals
and see the status of the ones they made, and nothing more."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import membership_with_role, role_required, signed_in_user
from accounts.models import Organisation, Role
from alongside.forms import add_service_errors
from alongside.ratelimit import answers_429_when_throttled, form_throttled
from referrals import consent
from referrals.forms import ReferralForm
from referrals.models import Status, Urgency
from referrals.selectors import get_referral_for_referrer, referrals_made_by
from referrals.services.creating import referral_create
from safeguarding.selectors import crisis_resources_for

# Where a referral is, as a partner needs to know it: no reasons, notes or details.
REFERRER_STATUS_WORDS = {
    Status.NEW: "Received. A coordinator will contact the person.",
    Status.CONTACTING: "A coordinator is trying to contact the person.",
    Status.INTAKE: "A coordinator is getting to know the person before looking for a mentor.",
    Status.WAITING: "The person is on the waiting list for a mentor.",
    Status.MATCHED: "The person has been matched with a mentor.",
    Status.SIGNPOSTED: "A coordinator suggested another service that may suit the person better.",
    Status.DECLINED: "The programme could not offer the person peer mentoring this time.",
    Status.UNABLE_TO_CONTACT: "A coordinator could not reach the person, so the referral is "
    "closed.",
    Status.WITHDRAWN: "The person decided not to go ahead.",
    Status.MERGED: "This referral was joined with another referral for the same person.",
}

_LIST_FIELDS = ("id", "full_name", "created_at", "source", "status")


def _organisation(request: HttpRequest) -> Organisation:
    return membership_with_role(request, (Role.REFERRER,)).organisation


@role_required(Role.REFERRER)
@require_GET
def partner_list(request: HttpRequest) -> HttpResponse:
    referrals = (
        referrals_made_by(signed_in_user(request), _organisation(request))
        .only(*_LIST_FIELDS)
        .order_by("-created_at", "-pk")
    )
    return render(request, "referrals/partner/list.html", {"referrals": list(referrals)})


@answers_429_when_throttled
@role_required(Role.REFERRER)
@require_http_methods(["GET", "POST"])
def partner_new(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    user = signed_in_user(request)
    form = ReferralForm(
        request.POST if request.method == "POST" else None,
        organisation=organisation,
        partner=True,
        initial=_remembered_answers(request),
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and not form_throttled(request, "partner_referral", form)
    ):
        try:
            referral, created, _token = referral_create(
                organisation=organisation,
                data=form.referral_data(),
                source=form.cleaned_data["source"],
                referrer=user,
                consent_given=form.consent_given,
                idempotency_key=form.idempotency_key_for_service,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            referral = get_referral_for_referrer(user, organisation, referral.pk)
            if created:
                messages.success(
                    request, f"Thank you. Your referral for {referral.full_name} has been sent."
                )
            return redirect("referrals:partner_detail", pk=referral.pk)
    return render(
        request,
        "referrals/partner/new.html",
        {
            "form": form,
            "organisation": organisation,
            "statement": consent.current_statement(),
            "consent_version": consent.CURRENT_VERSION,
        },
    )


def _remembered_answers(request: HttpRequest) -> dict[str, str]:
    """The referrer's own organisation, as they gave it last time, so they need not retype it."""
    last = (
        referrals_made_by(signed_in_user(request), _organisation(request))
        .exclude(referrer_organisation_name="")
        .order_by("-created_at")
        .values("referrer_organisation_name", "source")
        .first()
    )
    if last is None:
        return {}
    return {
        "referrer_organisation_name": last["referrer_organisation_name"],
        "source": last["source"],
    }


@role_required(Role.REFERRER)
@require_GET
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request)
    referral = get_referral_for_referrer(signed_in_user(request), organisation, pk)
    urgent = referral.urgency == Urgency.URGENT and referral.is_open
    return render(
        request,
        "referrals/partner/detail.html",
        {
            "referral": referral,
            "status_words": REFERRER_STATUS_WORDS[Status(referral.status)],
            "urgent": urgent,
            "resources": list(crisis_resources_for(organisation)) if urgent else [],
            "organisation": organisation,
        },
    )
