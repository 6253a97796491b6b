"""Matching runs: the coordinator starts one for everyone waiting and follows its progress."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.access import STAFF_ROLES, role_required, signed_in_user
from matching.models import MatchRun, RunStatus
from matching.selectors import get_run_for_staff
from matching.services.runs import UNDER_WAY, match_run_start
from matching.views.staff import staff_organisation
from referrals.models import Referral


@role_required(*STAFF_ROLES)
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    try:
        run = match_run_start(
            actor=signed_in_user(request), organisation=staff_organisation(request)
        )
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("matching:overview")
    run.refresh_from_db()
    if run.status == RunStatus.DONE:
        messages.success(request, _finished_message(run))
    elif run.status == RunStatus.FAILED:
        messages.error(request, "Matching could not finish. The details are below.")
    else:
        messages.success(
            request, "Matching has started. This page shows its progress; you can leave it."
        )
    return redirect("matching:overview")


def _finished_message(run: MatchRun) -> str:
    proposed = run.proposed_count
    unmatched = len(run.unmatched)
    found = f"{proposed} match{'es' if proposed != 1 else ''} to review"
    if unmatched:
        found += f"; {unmatched} {'person' if unmatched == 1 else 'people'} could not be matched"
    return f"Matching finished: {found}."


@role_required(*STAFF_ROLES)
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's progress: the whole page, or (polled by htmx while it runs) just the status."""
    organisation = staff_organisation(request)
    run = get_run_for_staff(organisation, pk)
    context: dict[str, Any] = {"run": run, "run_under_way": run.status in UNDER_WAY}
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        context["refresh_url"] = urlsplit(htmx.current_url or "").path or request.path
        response = render(request, "matching/coordinator/_run_status.html", context)
        if not context["run_under_way"]:
            response["HX-Refresh"] = "true"  # show the proposals it made
        return response
    if run.status == RunStatus.DONE and run.unmatched:
        names = dict(
            Referral.objects.filter(
                organisation=organisation, pk__in=[item["referral"] for item in run.unmatched]
            ).values_list("pk", "full_name")
        )
        context["unmatched"] = [
            (item["referral"], names.get(item["referral"], "Someone no longer listed"), item)
            for item in run.unmatched
        ]
    return render(request, "matching/coordinator/run_detail.html", context)
