"""Mentor profiles: the mentor's own page, coordinator approval of public changes, the directory
mentees and coordinators browse, and mentees asking for a particular mentor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import STAFF_ROLES, role_required, signed_in_user
from accounts.models import Membership, Role, SupportArea
from alongside.forms import add_refusal, refresh_version
from alongside.pagination import counted_page
from mentors.cards import CARD_FIELDS, public_profile, public_profiles
from mentors.cards import PublicProfile as PublicProfile  # matching imports it from here
from mentors.forms_profiles import (
    AvailabilityFormSet,
    AvailableSwitchForm,
    DirectoryFilterForm,
    NoteForm,
    ProfileForm,
)
from mentors.models import MentorProfile, MentorRequest, MentorRequestStatus
from mentors.selectors import (
    certified_available_profiles,
    current_mentees,
    listed_profiles,
    profile_for,
    profile_with_max_capacity,
    programme_settings,
)
from mentors.services.profiles import (
    AREAS,
    PUBLIC_FIELDS,
    current_public_values,
    mentor_request_create,
    mentor_request_mark_noted,
    profile_changes_approve,
    profile_changes_reject,
    profile_set_availability,
    profile_set_available,
    profile_update,
    proposed_public_values,
)

DIRECTORY_ROLES = (Role.MENTEE, *STAFF_ROLES)
# A national programme lists thousands of mentors: a page of cards at a time.
DIRECTORY_PER_PAGE = 24
PUBLIC_FIELD_LABELS = {
    "display_name": "Name shown to mentees",
    "bio": "About",
    AREAS: "Areas of lived experience",
    "specialisms": "Particularly likes to help with",
    "gender": "Gender",
    "show_gender": "Gender shown in the directory",
}


@dataclass
class ChangeRow:
    label: str
    current: str
    proposed: str


def _shown(name: str, value: Any, area_names: dict[int, str]) -> str:
    if name == AREAS:
        return ", ".join(area_names.get(pk, "an area no longer offered") for pk in value) or "None"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value) if value else "Nothing"


def change_rows(profile: MentorProfile, area_names: dict[int, str]) -> list[ChangeRow]:
    """Each public field the mentor has asked to change: as shown now, and as proposed."""
    current = current_public_values(profile)
    return [
        ChangeRow(
            label=PUBLIC_FIELD_LABELS[name],
            current=_shown(name, current[name], area_names),
            proposed=_shown(name, profile.pending_changes[name], area_names),
        )
        for name in PUBLIC_FIELDS
        if name in profile.pending_changes
    ]


def _membership(request: HttpRequest) -> Membership:
    membership: Membership = request.membership  # type: ignore[attr-defined]
    return membership


def _area_names(membership: Membership) -> dict[int, str]:
    return dict(
        SupportArea.objects.filter(organisation=membership.organisation).values_list("pk", "name")
    )


def _own_profile(request: HttpRequest) -> MentorProfile:
    """The signed-in mentor's profile in the organisation in use; 404 if they have none."""
    profile = profile_for(signed_in_user(request), _membership(request).organisation)
    if profile is None:
        raise Http404
    return profile


# The mentor's own profile ---------------------------------------------------------------------


@require_GET
@role_required(Role.MENTOR)
def my_profile(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    profile = profile_with_max_capacity(signed_in_user(request), membership.organisation)
    if profile is None:
        raise Http404
    max_capacity = profile.max_capacity  # type: ignore[attr-defined]
    if max_capacity is None:  # the programme's settings are made on first use
        max_capacity = programme_settings(membership.organisation).max_capacity
    card = public_profiles([profile])[0]
    return render(
        request,
        "mentors/profiles/my_profile.html",
        {
            "profile": profile,
            "card": card,
            "cards": [card],
            "pending": (
                change_rows(profile, _area_names(membership)) if profile.pending_changes else []
            ),
            "max_capacity": max_capacity,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.MENTOR)
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = _own_profile(request)
    max_capacity = programme_settings(profile.organisation).max_capacity
    initial = {
        **proposed_public_values(profile),
        "languages": list(profile.languages.all()),
        "formats": profile.formats,
        "area": profile.area,
        "travel_km": profile.travel_km,
        "capacity": profile.capacity,
        "year_of_birth": profile.year_of_birth,
        "version": profile.version,
    }
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        organisation=profile.organisation,
        max_capacity=max_capacity,
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile = profile_update(
                actor=signed_in_user(request),
                profile=profile,
                data=form.cleaned_data,
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            if add_refusal(form, error):
                profile.refresh_from_db(fields=["version"])
                refresh_version(form, profile.version)
        else:
            if profile.pending_changes:
                messages.success(
                    request,
                    "Your changes are saved. Changes to what mentees see will show once a "
                    "coordinator has approved them.",
                )
            else:
                messages.success(request, "Your changes are saved.")
            return redirect("mentors:my_profile")
    return render(request, "mentors/profiles/edit.html", {"form": form, "profile": profile})


@require_http_methods(["GET", "POST"])
@role_required(Role.MENTOR)
def profile_availability(request: HttpRequest) -> HttpResponse:
    profile = _own_profile(request)
    initial = [
        {"weekday": slot.weekday, "starts_at": slot.starts_at, "ends_at": slot.ends_at}
        for slot in profile.availability_slots.all()
    ]
    formset = AvailabilityFormSet(
        request.POST if request.method == "POST" else None, initial=initial, prefix="slots"
    )
    if request.method == "POST" and formset.is_valid():
        try:
            profile_set_availability(
                actor=signed_in_user(request), profile=profile, slots=formset.slots()
            )
        except ValidationError as error:  # the form checks the same rules; kept as a guard
            formset.non_form_errors().extend(error.messages)
        else:
            messages.success(request, "Your weekly availability is saved.")
            return redirect("mentors:my_profile")
    return render(
        request, "mentors/profiles/availability.html", {"formset": formset, "profile": profile}
    )


@require_POST
@role_required(Role.MENTOR)
def profile_availability_switch(request: HttpRequest) -> HttpResponse:
    profile = _own_profile(request)
    form = AvailableSwitchForm(request.POST)
    if form.is_valid():
        available = form.cleaned_data["available"]
        profile_set_available(actor=signed_in_user(request), profile=profile, available=available)
        if available:
            messages.success(
                request,
                "You are taking new mentees, and mentees can now find you in the directory.",
            )
        else:
            messages.success(
                request,
                "You are not taking new mentees for now. Your current mentees are not affected.",
            )
    return redirect("mentors:my_profile")


# Coordinators approve changes to public fields -------------------------------------------------


def _staff_profile(request: HttpRequest, pk: int) -> MentorProfile:
    return get_object_or_404(
        MentorProfile.objects.select_related("user"),
        organisation=_membership(request).organisation,
        pk=pk,
    )


def _rejection_form(data: Any = None, *, auto_id: str = "id_%s") -> NoteForm:
    return NoteForm(
        data,
        auto_id=auto_id,
        label="Note for the mentor (optional)",
        help_text="Sent to the mentor by email, so keep it short and leave out anything personal.",
    )


@require_GET
@role_required(*STAFF_ROLES)
def profile_changes(request: HttpRequest) -> HttpResponse:
    return _changes_page(request)


def _changes_page(
    request: HttpRequest, *, bound: tuple[int, NoteForm] | None = None
) -> HttpResponse:
    """Every profile with changes waiting; ``bound`` keeps a note that needs correcting."""
    membership = _membership(request)
    profiles = (
        MentorProfile.objects.filter(
            organisation=membership.organisation, pending_since__isnull=False
        )
        .prefetch_related("lived_experience_areas")
        .order_by("pending_since")
    )
    area_names = _area_names(membership)
    waiting = []
    for profile in profiles:
        if bound is not None and bound[0] == profile.pk:
            form = bound[1]
        else:
            form = _rejection_form(auto_id=f"id_reject_{profile.pk}_%s")
        waiting.append((profile, change_rows(profile, area_names), form))
    return render(
        request,
        "mentors/profiles/changes.html",
        {"waiting": waiting, "error_form": bound[1] if bound else None},
    )


@require_POST
@role_required(*STAFF_ROLES)
def profile_changes_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _staff_profile(request, pk)
    if profile_changes_approve(actor=signed_in_user(request), profile=profile):
        messages.success(request, f"The changes to {profile.display_name}'s profile are live.")
    else:
        messages.info(request, "There were no changes waiting; someone may have handled them.")
    return redirect("mentors:profile_changes")


@require_POST
@role_required(*STAFF_ROLES)
def profile_changes_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _staff_profile(request, pk)
    form = _rejection_form(request.POST, auto_id=f"id_reject_{profile.pk}_%s")
    if not form.is_valid():
        return _changes_page(request, bound=(profile.pk, form))
    note = form.cleaned_data["note"]
    if profile_changes_reject(actor=signed_in_user(request), profile=profile, note=note):
        messages.success(
            request, f"{profile.display_name}'s profile stays as it was. We have let them know."
        )
    else:
        messages.info(request, "There were no changes waiting; someone may have handled them.")
    return redirect("mentors:profile_changes")


# The directory --------------------------------------------------------------------------------


def _listed_profile(request: HttpRequest, pk: int) -> MentorProfile:
    """A mentor shown in the directory of the organisation in use; 404 for anyone else."""
    return get_object_or_404(certified_available_profiles(_membership(request).organisation), pk=pk)


def _listing_summary(listed: QuerySet[MentorProfile]) -> tuple[int, list[str]]:
    """How many mentors are listed, and the genders those who chose to show one gave (once each,
    whatever their case), from one grouped query."""
    total = 0
    shown = []
    groups = listed.order_by().values_list("gender", "show_gender").annotate(mentors=Count("pk"))
    for gender, show_gender, mentors in groups:
        total += mentors
        if show_gender and gender:
            shown.append(gender)
    by_lower = {value.strip().lower(): value.strip() for value in shown}
    return total, sorted(by_lower.values(), key=str.lower)


@require_GET
@role_required(*DIRECTORY_ROLES)
def directory(request: HttpRequest) -> HttpResponse:
    organisation = _membership(request).organisation
    listed = listed_profiles(organisation)
    total, genders = _listing_summary(listed)
    form = DirectoryFilterForm(request.GET or None, organisation=organisation, genders=genders)
    shown = form.filter(listed)
    rows = (
        shown.only(*CARD_FIELDS)
        .annotate(current_mentees=current_mentees())
        .order_by("display_name", "pk")
    )
    count = shown.count() if form.narrows() else total
    page = counted_page(rows, DIRECTORY_PER_PAGE, count, request.GET.get("page"))
    cards = public_profiles(list(page))
    filtered = any(request.GET.get(name) for name in form.fields)
    context = {"form": form, "cards": cards, "page": page, "filtered": filtered}
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        context["partial"] = True  # also refreshes the status line screen readers announce
        response = render(request, "mentors/profiles/_directory_results.html", context)
    else:
        response = render(request, "mentors/profiles/directory.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@role_required(*DIRECTORY_ROLES)
def directory_profile(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _listed_profile(request, pk)
    membership = _membership(request)
    open_request = None
    if membership.role == Role.MENTEE:
        open_request = MentorRequest.objects.filter(
            mentee=signed_in_user(request), profile=profile, status=MentorRequestStatus.OPEN
        ).first()
    return render(
        request,
        "mentors/profiles/directory_profile.html",
        {
            "card": public_profile(profile),
            "is_mentee": membership.role == Role.MENTEE,
            "open_request": open_request,
            "request_form": _request_form(),
        },
    )


def _request_form(data: Any = None) -> NoteForm:
    return NoteForm(
        data,
        label="Anything you would like your coordinator to know? (optional)",
        help_text="Only your coordinator sees this. The mentor is not told that you asked.",
    )


@require_POST
@role_required(Role.MENTEE)
def directory_request(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _listed_profile(request, pk)
    form = _request_form(request.POST)
    if not form.is_valid():
        return render(
            request,
            "mentors/profiles/directory_profile.html",
            {
                "card": public_profile(profile),
                "is_mentee": True,
                "open_request": None,
                "request_form": form,
            },
        )
    try:
        _, created = mentor_request_create(
            actor=signed_in_user(request), profile=profile, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("mentors:directory")
    if created:
        messages.success(
            request,
            f"Thank you. We have passed your request for {profile.display_name} to your "
            "coordinator, who will be in touch.",
        )
    else:
        messages.info(
            request,
            f"You have already asked for {profile.display_name}. Your coordinator has your "
            "request; there is no need to ask again.",
        )
    return redirect("mentors:directory_profile", pk=profile.pk)


# Coordinators see who asked for whom ----------------------------------------------------------


@require_GET
@role_required(*STAFF_ROLES)
def requests_list(request: HttpRequest) -> HttpResponse:
    open_requests = MentorRequest.objects.filter(
        organisation=_membership(request).organisation, status=MentorRequestStatus.OPEN
    ).select_related("mentee", "profile")
    return render(request, "mentors/profiles/requests.html", {"open_requests": open_requests})


@require_POST
@role_required(*STAFF_ROLES)
def request_noted(request: HttpRequest, pk: int) -> HttpResponse:
    mentor_request = get_object_or_404(
        MentorRequest.objects.select_related("profile"),
        organisation=_membership(request).organisation,
        pk=pk,
    )
    mentor_request_mark_noted(actor=signed_in_user(request), mentor_request=mentor_request)
    messages.success(request, "Marked as noted.")
    return redirect("mentors:requests")
