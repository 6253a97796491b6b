"""Places the programme works in, with coordinates, so the engine can check distances for
in-person meetings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.access import STAFF_ROLES, membership_with_role, role_required, signed_in_user
from accounts.models import Organisation
from alongside.forms import add_service_errors
from matching.forms import PlaceForm
from matching.models import Place
from matching.services.places import place_create, place_delete
from mentors.models import MentorProfile
from referrals.models import Referral, Status


def _organisation(request: HttpRequest) -> Organisation:
    return membership_with_role(request, STAFF_ROLES).organisation


def _places(organisation: Organisation) -> QuerySet[Place]:
    return Place.objects.filter(organisation=organisation).order_by("name")


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def places(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = PlaceForm(request.POST if request.method == "POST" else None, auto_id="place_%s")
    if request.method == "POST" and form.is_valid():
        try:
            place = place_create(
                actor=signed_in_user(request), organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{place.name} is added.")
            return redirect("matching:places")
    listed = list(_places(organisation))
    context = {"form": form, "places": listed, "missing": _areas_without_place(organisation)}
    return render(request, "matching/coordinator/places.html", context)


def _areas_without_place(organisation: Organisation) -> list[str]:
    """Areas mentors and waiting people gave that no place is named after, so distances for
    in-person meetings cannot be checked for them."""
    known = {name.lower() for name in _places(organisation).values_list("name", flat=True)}
    areas = set(
        MentorProfile.objects.filter(organisation=organisation)
        .exclude(area="")
        .values_list("area", flat=True)
    ) | set(
        Referral.objects.filter(organisation=organisation, status=Status.WAITING)
        .exclude(area="")
        .values_list("area", flat=True)
    )
    missing = {" ".join(area.split()) for area in areas if area.strip().lower() not in known}
    return sorted(missing, key=str.lower)


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def delete_place(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(_places(_organisation(request)), pk=pk)
    if request.method == "POST":
        place_delete(actor=signed_in_user(request), place=place)
        messages.success(request, f"{place.name} is deleted.")
        return redirect("matching:places")
    return render(request, "matching/coordinator/place_delete.html", {"place": place})
