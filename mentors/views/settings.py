"""Administrators set the programme's standards and its list of support areas."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import membership_with_role, role_required, signed_in_user
from accounts.models import Organisation, Role, SupportArea
from alongside.forms import add_service_errors
from mentors.forms_settings import ProgrammeSettingsForm, SupportAreaForm
from mentors.selectors import programme_settings
from mentors.services.settings import (
    programme_settings_update,
    support_area_create,
    support_area_rename,
    support_area_set_active,
)


def _organisation(request: HttpRequest) -> Organisation:
    return membership_with_role(request, (Role.ADMIN,)).organisation


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def programme_settings_edit(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    current = programme_settings(organisation)
    form = ProgrammeSettingsForm(
        request.POST if request.method == "POST" else None, instance=current
    )
    if request.method == "POST" and form.is_valid():
        try:
            programme_settings_update(
                actor=signed_in_user(request), organisation=organisation, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The mentor programme settings are saved.")
            return redirect("mentors:programme_settings")
    return render(request, "mentors/settings/programme.html", {"form": form})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def support_areas(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = SupportAreaForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            support_area_create(
                actor=signed_in_user(request),
                organisation=organisation,
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The area is added.")
            return redirect("mentors:support_areas")
    areas = SupportArea.objects.filter(organisation=organisation)
    return render(request, "mentors/settings/areas.html", {"form": form, "areas": areas})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def support_area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    area = _area_or_404(request, pk)
    form = SupportAreaForm(
        request.POST if request.method == "POST" else None, initial={"name": area.name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            support_area_rename(
                actor=signed_in_user(request), area=area, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The area is renamed.")
            return redirect("mentors:support_areas")
    return render(request, "mentors/settings/area_edit.html", {"form": form, "area": area})


@role_required(Role.ADMIN)
@require_POST
def support_area_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    area = _area_or_404(request, pk)
    support_area_set_active(actor=signed_in_user(request), area=area, active=not area.is_active)
    return redirect("mentors:support_areas")


def _area_or_404(request: HttpRequest, pk: int) -> SupportArea:
    try:
        return SupportArea.objects.get(pk=pk, organisation=_organisation(request))
    except SupportArea.DoesNotExist:
        raise Http404 from None
