"""The public side: a person refers themselves without an account, then follows their referral
(or withdraws it) through a private link."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Organisation
from alongside.email import send_templated_email
from alongside.forms import add_service_errors
from alongside.ratelimit import answers_429_when_throttled, form_throttled
from mentors.models import Format
from referrals import consent
from referrals.availability import slot_labels
from referrals.forms import ReferralForm, WithdrawForm
from referrals.models import Referral, Source, Status, Urgency
from referrals.services.creating import hash_token, referral_create
from referrals.services.withdrawing import referral_withdraw
from safeguarding.selectors import crisis_resources_for

# What we promise on the status page; a coordinator's first contact within this many days.
CONTACT_WITHIN_WORKING_DAYS = 5

_SESSION_LINKS = "referral_links"
_LINKS_KEPT = 5


@dataclass(frozen=True)
class StatusWords:
    headline: str
    explanation: str


# Where a referral is, as we would say it to the person it is about.
PERSON_STATUS_WORDS = {
    Status.NEW: StatusWords(
        "Thank you, we have your referral",
        f"A coordinator will read it and contact you within {CONTACT_WITHIN_WORKING_DAYS} "
        "working days.",
    ),
    Status.CONTACTING: StatusWords(
        "We are trying to get in touch",
        "A coordinator is trying to reach you in the way you asked. If you missed us, do not "
        "worry: we will try again.",
    ),
    Status.INTAKE: StatusWords(
        "Getting to know you",
        "Before we look for a mentor, we would like to know a little more about you and what "
        "you would like to work on. A coordinator can go through this with you, or you can "
        "answer the questions online.",
    ),
    Status.WAITING: StatusWords(
        "You are on the waiting list for a mentor",
        "We are looking for a mentor who suits you. We will check in with you while you wait, "
        "and tell you as soon as we have found someone.",
    ),
    Status.MATCHED: StatusWords(
        "We have found you a mentor",
        "A coordinator will be in touch to arrange your first meeting, if they have not already.",
    ),
    Status.SIGNPOSTED: StatusWords(
        "We have suggested another service",
        "We think another service can help you better right now, and a coordinator has told "
        "you about it. You are welcome to come back to us in the future.",
    ),
    Status.DECLINED: StatusWords(
        "We cannot offer you peer mentoring at the moment",
        "A coordinator will have explained why. You are welcome to get in touch again in the "
        "future.",
    ),
    Status.UNABLE_TO_CONTACT: StatusWords(
        "We could not reach you",
        "We tried to contact you a few times but could not get through, so we have closed "
        "this referral. You are welcome to refer yourself again at any time.",
    ),
    Status.WITHDRAWN: StatusWords(
        "You have withdrawn this referral",
        "We will not contact you about it. You are welcome to refer yourself again at any time.",
    ),
    Status.MERGED: StatusWords(
        "We have put your referrals together",
        "We had more than one referral for you, so we have joined them into one. Nothing you "
        "sent is lost.",
    ),
}

View = Callable[..., HttpResponse]


def private_page(view: View) -> View:
    """A page behind a private link: never cached, and the link is never sent on in a Referer.

    Signed-in visitors keep the site's same-origin policy instead: their page carries the Sign
    out form, and under no-referrer the browser would send "Origin: null" and fail the CSRF check.
    Same-origin still keeps the link from ever reaching another site.
    """

    @wraps(view)
    @never_cache
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if not request.user.is_authenticated:
            response.headers["Referrer-Policy"] = "no-referrer"
        return response

    return wrapped


# The form -------------------------------------------------------------------------------------


@answers_429_when_throttled
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, organisation_slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=organisation_slug, is_active=True)
    form = ReferralForm(
        request.POST if request.method == "POST" else None, organisation=organisation
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and not form_throttled(request, "self_referral", form)
    ):
        key = form.idempotency_key_for_service
        try:
            referral, created, token = referral_create(
                organisation=organisation,
                data=form.referral_data(),
                source=Source.SELF,
                consent_given=form.consent_given,
                idempotency_key=key,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if created:
                _remember_link(request, key, token)
                _send_private_link(referral, token)
            else:  # the same form sent twice: show the first result again
                token = _remembered_link(request, key)
            if token:
                return redirect("referrals:status", token=token)
            return render(
                request, "referrals/self_referral/already_sent.html", {"organisation": organisation}
            )
    return render(
        request,
        "referrals/self_referral/form.html",
        {
            "form": form,
            "organisation": organisation,
            "statement": consent.current_statement(),
            "consent_version": consent.CURRENT_VERSION,
        },
    )


def _remember_link(request: HttpRequest, key: str, token: str) -> None:
    """This browser keeps the private link of the last few forms it sent, so a repeated send
    (a double click, a refresh) can show the same page again."""
    links: dict[str, str] = request.session.get(_SESSION_LINKS, {})
    links[key] = token
    request.session[_SESSION_LINKS] = dict(list(links.items())[-_LINKS_KEPT:])


def _remembered_link(request: HttpRequest, key: str) -> str:
    links: dict[str, str] = request.session.get(_SESSION_LINKS, {})
    return links.get(key, "")


def _send_private_link(referral: Referral, token: str) -> None:
    """Only when the person gave an email address and said email is fine; the message holds the
    link and nothing about why they got in touch."""
    if not (referral.email and referral.email_ok):
        return
    send_templated_email(
        "referrals/email/self_referral_received",
        to=[referral.email],
        context={
            "organisation": referral.organisation,
            "link": settings.SITE_URL + reverse("referrals:status", args=[token]),
        },
    )


# The private link -----------------------------------------------------------------------------


def _referral_behind_link(token: str) -> tuple[Referral, Referral]:
    """The referral the link was made for, and the one it lives on in (itself, or the referral
    a coordinator merged it into). 404 for a link that is not ours."""
    found = (
        Referral.objects.select_related("organisation")
        .filter(access_token_hash=hash_token(token))
        .first()
    )
    if found is None:
        raise Http404
    current = found
    for _ in range(5):  # a merged referral may itself have been merged since
        if current.status != Status.MERGED or current.merged_into_id is None:
            break
        current = Referral.objects.select_related("organisation").get(pk=current.merged_into_id)
    return found, current


@private_page
@require_GET
def status(request: HttpRequest, token: str) -> HttpResponse:
    referral, current = _referral_behind_link(token)
    organisation = referral.organisation
    urgent = referral.urgency == Urgency.URGENT or current.urgency == Urgency.URGENT
    context: dict[str, Any] = {
        "referral": referral,
        "current": current,
        "token": token,
        "organisation": organisation,
        "words": PERSON_STATUS_WORDS[Status(current.status)],
        "urgent": urgent,
        "resources": list(crisis_resources_for(organisation)) if urgent else [],
        "intake_link": _intake_link(token) if current.status == Status.INTAKE else "",
        "can_withdraw": current.is_open,
        "refer_again": reverse("referrals:refer", args=[organisation.slug]),
    }
    if referral.pk != current.pk:
        return render(request, "referrals/self_referral/merged.html", context)
    context.update(
        {
            "contact_words": contact_words(referral),
            "emailed": bool(referral.email and referral.email_ok),
            "support_areas": [area.name for area in referral.support_areas.all()],
            "languages": [language.name for language in referral.languages.all()],
            "formats": [Format(value).label for value in referral.formats if value in Format],
            "slots": slot_labels(referral.availability_slots),
        }
    )
    return render(request, "referrals/self_referral/status.html", context)


def _intake_link(token: str) -> str:
    """The online intake lives in another part of the app and may not be there yet."""
    try:
        return reverse("referrals:intake_online", args=[token])
    except NoReverseMatch:
        return ""


def contact_words(referral: Referral) -> str:
    """How we will get in touch, in the words the person would use: "by phone or by email"."""
    ways = []
    if referral.phone:
        ways.append("by phone")
        if referral.text_ok:
            ways.append("by text message")
    if referral.email and referral.email_ok:
        ways.append("by email")
    if not ways:
        return "in the way you chose"
    said = ways[0] if len(ways) == 1 else ", ".join(ways[:-1]) + " or " + ways[-1]
    if referral.phone and not referral.voicemail_ok:
        said += ", without leaving a voicemail"
    return said


@never_cache
@require_http_methods(["GET", "POST"])
def status_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """Asks first, then withdraws; a second request changes nothing."""
    _referral, current = _referral_behind_link(token)
    if current.status == Status.WITHDRAWN:
        messages.info(request, "Your referral is already withdrawn.")
        return redirect("referrals:status", token=token)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            referral_withdraw(actor=None, referral=current, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, "Your referral is withdrawn. We will not contact you about it."
            )
        return redirect("referrals:status", token=token)
    if not current.is_open:
        messages.info(request, "This referral is already closed, so there is nothing to withdraw.")
        return redirect("referrals:status", token=token)
    return render(
        request,
        "referrals/self_referral/withdraw.html",
        {"form": form, "token": token, "organisation": current.organisation},
    )
