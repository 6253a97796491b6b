from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.forms import ChooseOrganisationForm
from accounts.middleware import ACTIVE_MEMBERSHIP_KEY


@login_required
@require_http_methods(["GET", "POST"])
def choose_organisation(request: HttpRequest) -> HttpResponse:
    """People who belong to several organisations pick the one they are working with."""
    memberships = request.memberships  # type: ignore[attr-defined]
    data = request.POST if request.method == "POST" else None
    form = ChooseOrganisationForm(data, memberships=memberships)
    if request.method == "POST" and form.is_valid():
        request.session[ACTIVE_MEMBERSHIP_KEY] = form.cleaned_data["membership"].pk
        return redirect("dashboard")
    if request.membership is not None and request.method == "GET":  # type: ignore[attr-defined]
        form.initial["membership"] = request.membership.pk  # type: ignore[attr-defined]
    return render(request, "accounts/choose_organisation.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def account_overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/overview.html",
        {
            "memberships": request.memberships,  # type: ignore[attr-defined]
            "mfa_enabled": is_mfa_enabled(request.user),
        },
    )
