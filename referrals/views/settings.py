"""Administrators set the referral and waiting-list thresholds."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.access import membership_with_role, role_required, signed_in_user
from accounts.models import Role
from alongside.forms import add_service_errors
from referrals.forms_settings import ReferralSettingsForm
from referrals.selectors import referral_settings
from referrals.services.settings import referral_settings_update


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def referral_settings_edit(request: HttpRequest) -> HttpResponse:
    organisation = membership_with_role(request, (Role.ADMIN,)).organisation
    form = ReferralSettingsForm(
        request.POST if request.method == "POST" else None,
        instance=referral_settings(organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral_settings_update(
                actor=signed_in_user(request), organisation=organisation, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The referral settings are saved.")
            return redirect("referrals:settings")
    return render(request, "referrals/settings/edit.html", {"form": form})
