"""Erasure requests (coordinators and admins) and the retention policy (admins). Anyone else,
and any request of another organisation, gets a 404."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import STAFF_ROLES, membership_with_role, role_required, signed_in_user
from accounts.models import Organisation, Role
from alongside.forms import add_service_errors
from privacy import erasure_requests, retention
from privacy.forms_erasure import (
    ErasureDecisionForm,
    ErasureRequestForm,
    Outcome,
    RetentionPolicyForm,
)
from privacy.models import ErasureRequest, ErasureStatus, RetentionPolicy, RetentionRun

RECENT_RUNS = 10
RUN_LABELS = {
    "relationships": "relationships",
    "mentee_accounts": "mentee accounts",
    "referrals": "closed referrals",
    "mentor_applications": "mentor applications",
    "rows": "rows changed",
}


def _organisation(request: HttpRequest) -> Organisation:
    return membership_with_role(request, STAFF_ROLES).organisation


def _request_for(organisation: Organisation, pk: int) -> ErasureRequest:
    """Erasure request ``pk`` of the organisation; anything else is a 404."""
    try:
        return ErasureRequest.objects.select_related("person", "referral", "requested_by").get(
            organisation=organisation, pk=pk
        )
    except ErasureRequest.DoesNotExist as error:
        raise Http404 from error


@role_required(*STAFF_ROLES)
@require_GET
def erasure_list(request: HttpRequest) -> HttpResponse:
    requests = ErasureRequest.objects.filter(organisation=_organisation(request)).select_related(
        "person", "referral"
    )
    return render(request, "privacy/erasure_list.html", {"requests": requests})


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def erasure_new(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = ErasureRequestForm(
        request.POST if request.method == "POST" else None, organisation=organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = erasure_requests.erasure_request_create(
                actor=signed_in_user(request),
                organisation=organisation,
                person=form.cleaned_data["person"],
                referral=form.cleaned_data["referral"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Request {made.reference} recorded. Nothing is erased yet.")
            return redirect("privacy:erasure_detail", pk=made.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "privacy/erasure_new.html", {"form": form}, status=status)


def _kind_label(label: str) -> str:
    """'mentoring.message' as people say it: 'Messages (mentoring)'."""
    try:
        meta = apps.get_model(label)._meta
    except (LookupError, ValueError):
        return label
    return f"{str(meta.verbose_name_plural).capitalize()} ({meta.app_config.verbose_name.lower()})"


def _detail_page(
    request: HttpRequest, item: ErasureRequest, form: ErasureDecisionForm, status: int = 200
) -> HttpResponse:
    undecided = item.status in (ErasureStatus.REQUESTED, ErasureStatus.ON_HOLD)
    facts = erasure_requests.hold_facts(item) if undecided else []
    context = {
        "item": item,
        "form": form,
        "undecided": undecided,
        "facts": facts,
        "blocked": any(fact.blocks for fact in facts),
        "counts": sorted(
            (_kind_label(label), count) for label, count in item.erased_counts.items()
        ),
    }
    return render(request, "privacy/erasure_detail.html", context, status=status)


@role_required(*STAFF_ROLES)
@require_GET
def erasure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _request_for(_organisation(request), pk)
    return _detail_page(request, item, ErasureDecisionForm())


@role_required(*STAFF_ROLES)
@require_POST
def erasure_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = _request_for(_organisation(request), pk)
    form = ErasureDecisionForm(request.POST)
    if form.is_valid():
        actor = signed_in_user(request)
        outcome = form.cleaned_data["outcome"]
        reason = form.cleaned_data["reason"]
        try:
            if outcome == Outcome.ERASE:
                erasure_requests.erasure_carry_out(
                    actor=actor,
                    request=item,
                    no_hold_confirmed=form.cleaned_data["confirm_no_hold"],
                )
                messages.success(request, f"{item.reference}: the personal data is erased.")
            elif outcome == Outcome.HOLD:
                erasure_requests.erasure_hold(actor=actor, request=item, reason=reason)
                messages.success(request, f"{item.reference} is on hold.")
            else:
                erasure_requests.erasure_refuse(actor=actor, request=item, reason=reason)
                messages.success(request, f"{item.reference} is refused.")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("privacy:erasure_detail", pk=item.pk)
    item.refresh_from_db()
    return _detail_page(request, item, form, status=400)


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def retention_policy(request: HttpRequest) -> HttpResponse:
    organisation = membership_with_role(request, (Role.ADMIN,)).organisation
    policy = RetentionPolicy.objects.filter(organisation=organisation).first()
    if policy is None:
        policy = RetentionPolicy(organisation=organisation)
    form = RetentionPolicyForm(request.POST if request.method == "POST" else None, instance=policy)
    if request.method == "POST" and form.is_valid():
        retention.retention_policy_update(
            actor=signed_in_user(request),
            organisation=organisation,
            values={name: form.cleaned_data[name] for name in retention.POLICY_FIELDS},
        )
        messages.success(request, "Retention policy saved. The next daily run applies it.")
        return redirect("privacy:retention")
    runs = [
        (run, [(RUN_LABELS.get(key, key), value) for key, value in run.removed_counts.items()])
        for run in RetentionRun.objects.filter(organisation=organisation)[:RECENT_RUNS]
    ]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "privacy/retention_policy.html",
        {"form": form, "policy": policy, "runs": runs},
        status=status,
    )
