"""Data rights pages: download my data, download on someone's behalf, and privacy choices."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import STAFF_ROLES, membership_with_role, role_required, signed_in_user
from accounts.models import Membership, Organisation, Role, User
from privacy.consent import (
    DEFAULT_WORDINGS,
    consent_give,
    consent_states,
    consent_version_for,
    consent_version_publish,
    consent_versions_ensure,
    consent_withdraw,
)
from privacy.export import subject_export, subject_export_downloaded
from privacy.export_referral import referral_export, referral_export_downloaded
from privacy.forms_rights import ConsentAnswerForm, ConsentWordingForm, OnBehalfExportForm
from privacy.models import Purpose
from referrals.models import Status
from referrals.selectors import referrals_for_staff

ALL_ROLES = tuple(Role)
PEOPLE_SHOWN = 50


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private"
    return response


@dataclass(frozen=True)
class _OnBehalf:
    """Whose data staff are downloading for them: a person with an account, or a referral of
    someone who never had one. One form, one page and one data file serve both."""

    name: str
    form_url: str
    export: Callable[[], dict[str, Any]]
    record: Callable[[User, str, str], None]  # (actor, format, reason)
    note: str = ""


def _export_page(
    request: HttpRequest, data: dict[str, Any], on_behalf: _OnBehalf | None = None
) -> HttpResponse:
    return _no_store(
        render(request, "privacy/export_page.html", {"data": data, "on_behalf": on_behalf})
    )


def _export_json(data: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    made_on = data["made_at"][:10]
    response["Content-Disposition"] = f'attachment; filename="alongside-my-data-{made_on}.json"'
    return _no_store(response)


def _download_on_behalf(request: HttpRequest, subject: _OnBehalf) -> HttpResponse:
    """Ask why and in which form, check identity was confirmed, record the download, then give
    the page or the data file."""
    form = OnBehalfExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        export_format = form.cleaned_data["format"]
        subject.record(signed_in_user(request), export_format, form.cleaned_data["reason"])
        data = subject.export()
        if export_format == "json":
            return _export_json(data)
        return _export_page(request, data, subject)
    return render(request, "privacy/export_on_behalf.html", {"form": form, "subject": subject})


# The person's own data ---------------------------------------------------------------------------


@role_required(*ALL_ROLES)
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    membership = membership_with_role(request, ALL_ROLES)
    user = signed_in_user(request)
    subject_export_downloaded(
        actor=user, person=user, organisation=membership.organisation, format="page"
    )
    return _export_page(request, subject_export(user, membership.organisation))


@role_required(*ALL_ROLES)
@require_GET
def my_data_json(request: HttpRequest) -> HttpResponse:
    membership = membership_with_role(request, ALL_ROLES)
    user = signed_in_user(request)
    subject_export_downloaded(
        actor=user, person=user, organisation=membership.organisation, format="json"
    )
    return _export_json(subject_export(user, membership.organisation))


# Staff, on someone's behalf ----------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    """Find the person whose data to download (people of this organisation only): members,
    and people referred who never had an account."""
    membership = membership_with_role(request, STAFF_ROLES)
    organisation = membership.organisation
    query = request.GET.get("q", "").strip()[:100]
    members = Membership.objects.filter(organisation=organisation).select_related("user")
    referrals = referrals_for_staff(organisation).filter(mentee__isnull=True)
    referrals = referrals.exclude(status=Status.MERGED)  # their data comes with the kept one
    if query:
        members = members.filter(Q(user__name__icontains=query) | Q(user__email__icontains=query))
        referrals = referrals.filter(
            Q(full_name__icontains=query)
            | Q(preferred_name__icontains=query)
            | Q(email__icontains=query)
            | Q(phone__icontains=query)
        )
    shown = list(members.order_by("user__name", "user__email")[: PEOPLE_SHOWN + 1])
    referred = list(
        referrals.only(
            "pk", "full_name", "preferred_name", "email", "phone", "created_at"
        ).order_by("full_name", "pk")[: PEOPLE_SHOWN + 1]
    )
    return render(
        request,
        "privacy/export_people.html",
        {
            "members": shown[:PEOPLE_SHOWN],
            "referred": referred[:PEOPLE_SHOWN],
            "more": len(shown) > PEOPLE_SHOWN or len(referred) > PEOPLE_SHOWN,
            "query": query,
        },
    )


def _person_in(organisation: Organisation, user_pk: int) -> User:
    """A person with a membership (past or present) of ``organisation``; anyone else is 404."""
    return get_object_or_404(
        User.objects.filter(memberships__organisation=organisation).distinct(), pk=user_pk
    )


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def person_data(request: HttpRequest, user_pk: int) -> HttpResponse:
    membership = membership_with_role(request, STAFF_ROLES)
    organisation = membership.organisation
    person = _person_in(organisation, user_pk)

    def record(actor: User, export_format: str, reason: str) -> None:
        subject_export_downloaded(
            actor=actor,
            person=person,
            organisation=organisation,
            format=export_format,
            reason=reason,
        )

    return _download_on_behalf(
        request,
        _OnBehalf(
            name=str(person),
            form_url=reverse("privacy:person_data", args=[person.pk]),
            export=lambda: subject_export(person, organisation),
            record=record,
        ),
    )


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def referral_data(request: HttpRequest, referral_pk: int) -> HttpResponse:
    """For someone referred who never had an account: the referral is all there is. A referral
    with an account is downloaded from the person's own page, so here it is 404."""
    membership = membership_with_role(request, STAFF_ROLES)
    organisation = membership.organisation
    referral = get_object_or_404(
        referrals_for_staff(organisation).filter(mentee__isnull=True), pk=referral_pk
    )

    def record(actor: User, export_format: str, reason: str) -> None:
        referral_export_downloaded(
            actor=actor,
            referral=referral,
            organisation=organisation,
            format=export_format,
            reason=reason,
        )

    return _download_on_behalf(
        request,
        _OnBehalf(
            name=referral.full_name,
            form_url=reverse("privacy:referral_data", args=[referral.pk]),
            export=lambda: referral_export(referral, organisation),
            record=record,
            note="They were referred but never had an account, so this is what their referral "
            "holds: what they told us, contact attempts, intake and matches offered to them.",
        ),
    )


# Privacy choices ---------------------------------------------------------------------------------


@role_required(*ALL_ROLES)
@require_GET
def consent(request: HttpRequest) -> HttpResponse:
    membership = membership_with_role(request, ALL_ROLES)
    consent_versions_ensure(membership.organisation)
    states = consent_states(signed_in_user(request), membership.organisation)
    return render(request, "privacy/consent_choices.html", {"states": states})


def _purpose(value: str) -> str:
    if value not in Purpose.values:
        raise Http404
    return value


@role_required(*ALL_ROLES)
@require_POST
def consent_answer(request: HttpRequest, purpose: str) -> HttpResponse:
    membership = membership_with_role(request, ALL_ROLES)
    purpose = _purpose(purpose)
    user = signed_in_user(request)
    form = ConsentAnswerForm(request.POST)
    label = Purpose(purpose).label
    if not form.is_valid():
        messages.error(request, "Choose whether you agree.")
        return redirect("privacy:consent")
    version = consent_version_for(membership.organisation, purpose)
    if form.cleaned_data["answer"] == "agree":
        shown = form.cleaned_data["version"]
        if shown is not None and shown != version.version:
            messages.warning(
                request, "The wording changed while you were reading. Please read it again."
            )
            return redirect("privacy:consent")
        consent_give(actor=user, person=user, consent_version=version)
        messages.success(request, f"Thank you. You agreed to: {label}.")
    else:
        consent_withdraw(
            actor=user, person=user, purpose=purpose, organisation=membership.organisation
        )
        messages.success(request, f"Done. From now on we will not do this: {label}.")
    return redirect("privacy:consent")


@role_required(Role.ADMIN)
@require_GET
def consent_wordings(request: HttpRequest) -> HttpResponse:
    membership = membership_with_role(request, (Role.ADMIN,))
    versions = consent_versions_ensure(membership.organisation)
    rows = [(purpose, versions.get(purpose.value)) for purpose in Purpose]
    return render(request, "privacy/consent_wordings.html", {"rows": rows})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def consent_wording(request: HttpRequest, purpose: str) -> HttpResponse:
    membership = membership_with_role(request, (Role.ADMIN,))
    purpose = _purpose(purpose)
    organisation = membership.organisation
    current = consent_version_for(organisation, purpose)
    initial: dict[str, Any] = {"wording": current.wording}
    form = ConsentWordingForm(request.POST or None, initial=initial, current=current.wording)
    if request.method == "POST" and form.is_valid():
        version = consent_version_publish(
            actor=signed_in_user(request),
            organisation=organisation,
            purpose=purpose,
            wording=form.cleaned_data["wording"],
        )
        messages.success(
            request,
            f"Version {version.version} published. People who agreed before will be asked again.",
        )
        return redirect("privacy:consent_wordings")
    return render(
        request,
        "privacy/consent_wording.html",
        {
            "form": form,
            "purpose": Purpose(purpose),
            "current": current,
            "is_default": current.wording == DEFAULT_WORDINGS[purpose],
        },
    )
