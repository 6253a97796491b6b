"""The community resources directory: everyone signed in to the organisation (referrers too)
searches it and reads entries; coordinators and admins add, edit, check and archive entries;
mentors recommend an entry to a current mentee, and the mentee keeps a list of what was
recommended to them, also after mentoring ends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import STAFF_ROLES
from accounts.models import Membership, Role, SupportArea, User
from alongside.forms import add_service_errors
from mentoring.access import mentee_name
from mentoring.models import Relationship
from toolkit.access import (
    MEMBER_ROLES,
    current_mentees_of,
    membership_for,
    page_user,
    resource_for,
    resources_visible_to,
)
from toolkit.forms_resources import (
    RecommendForm,
    ResourceFilterForm,
    ResourceForm,
    set_choices,
)
from toolkit.models import CommunityResource, Recommendation
from toolkit.services.notes import NoteTaken
from toolkit.services.resources import (
    areas_in_use,
    recommendations_for,
    recommender_name,
    resource_archive,
    resource_create,
    resource_mark_checked,
    resource_recommend,
    resource_restore,
    resource_update,
    resources_matching,
    stale_before,
    stale_count,
    stale_resources,
)

DIRECTORY_ROLES = (*MEMBER_ROLES, Role.REFERRER)
RECOMMENDERS = (Role.MENTOR, *STAFF_ROLES)
PER_PAGE = 25
FROM_STALE_LIST = "to-check"


def _needs_of(membership: Membership) -> list[SupportArea]:
    return list(SupportArea.objects.filter(organisation=membership.organisation, is_active=True))


def _with_needs(resources: Any) -> Any:
    return resources.prefetch_related(
        Prefetch("needs", queryset=SupportArea.objects.order_by("position", "name"))
    )


# The directory -----------------------------------------------------------------------------------


@login_required
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    membership = membership_for(request, DIRECTORY_ROLES)
    is_staff = membership.role in STAFF_ROLES
    filters = ResourceFilterForm(
        request.GET or None,
        needs=_needs_of(membership),
        places=areas_in_use(membership.organisation),
        is_staff=is_staff,
    )
    chosen = filters.chosen()
    matching = resources_matching(resources_visible_to(membership), **chosen)
    page = Paginator(_with_needs(matching), PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "toolkit/resources/directory.html",
        {
            "filters": filters,
            "filtered": any(chosen.values()),
            "archived": chosen["archived"],
            "page": page,
            "is_staff": is_staff,
            "stale_before": stale_before(today),
            "stale_count": stale_count(membership.organisation, today) if is_staff else 0,
        },
    )


# One resource ------------------------------------------------------------------------------------


def _recommend_people(user: User, membership: Membership) -> list[tuple[int, str]]:
    """Whom this person may recommend to: a mentor's current mentees; for staff, every mentee
    of the organisation."""
    if membership.role == Role.MENTOR:
        return [
            (relationship.mentee_id, mentee_name(relationship))
            for relationship in current_mentees_of(user, membership).order_by("pk")
        ]
    if membership.role in STAFF_ROLES:
        mentees = (
            Membership.objects.filter(
                organisation=membership.organisation, role=Role.MENTEE, is_active=True
            )
            .select_related("user")
            .order_by("user__name", "user__email")
        )
        return [(m.user_id, m.user.name or m.user.email) for m in mentees]
    return []


@dataclass(frozen=True)
class RecommendedTo:
    name: str
    note: str


def _detail_context(
    request: HttpRequest,
    membership: Membership,
    resource: CommunityResource,
    form: RecommendForm | None = None,
) -> dict[str, Any]:
    """The resource page. A mentor sees which of their mentees already have it, and is offered
    only the others."""
    user = page_user(request)
    people = _recommend_people(user, membership) if resource.is_active else []
    names = dict(people)
    already = list(
        Recommendation.objects.filter(resource=resource, person_id__in=names).order_by("pk")
        if membership.role == Role.MENTOR and names
        else []
    )
    had = {recommendation.person_id for recommendation in already}
    remaining = [(pk, name) for pk, name in people if pk not in had]
    if form is None and remaining:
        form = RecommendForm(people=remaining)
    return {
        "resource": resource,
        "needs": list(resource.needs.order_by("position", "name")),
        "is_staff": membership.role in STAFF_ROLES,
        "is_stale": resource.last_checked_on < stale_before(timezone.localdate()),
        "can_recommend": bool(people),
        "recommend_form": form,
        "already": [RecommendedTo(names[r.person_id], r.note) for r in already],
        "mine": Recommendation.objects.filter(resource=resource, person=user).first()
        if membership.role == Role.MENTEE
        else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def resource(request: HttpRequest, pk: int) -> HttpResponse:
    """One entry in full. Staff also archive or restore it here (POST ``action``)."""
    membership = membership_for(request, DIRECTORY_ROLES)
    found = resource_for(membership, pk)
    if request.method == "POST":
        if membership.role not in STAFF_ROLES:
            raise Http404
        return _archive_or_restore(request, found)
    return render(
        request, "toolkit/resources/resource.html", _detail_context(request, membership, found)
    )


def _archive_or_restore(request: HttpRequest, found: CommunityResource) -> HttpResponse:
    action = request.POST.get("action")
    if action == "archive":
        resource_archive(actor=page_user(request), resource=found)
        messages.success(
            request,
            f"{found.name} is archived: only coordinators and admins see it now. You can "
            "restore it at any time.",
        )
    elif action == "restore":
        resource_restore(actor=page_user(request), resource=found)
        messages.success(request, f"{found.name} is back in the directory.")
    return redirect("toolkit:resource", pk=found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def resource_new(request: HttpRequest) -> HttpResponse:
    membership = membership_for(request, STAFF_ROLES)
    needs = _needs_of(membership)
    form = ResourceForm(request.POST or None, needs=needs)
    if request.method == "POST" and form.is_valid():
        try:
            made = resource_create(
                actor=page_user(request),
                organisation=membership.organisation,
                needs=form.chosen_needs(),
                **form.resource_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{made.name} is in the directory.")
            return redirect("toolkit:resource", pk=made.pk)
    return render(request, "toolkit/resources/form.html", {"form": form, "resource": None})


def _initial(resource: CommunityResource) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(resource, name) for name in ResourceForm.base_fields if name != "needs"
    }
    initial["needs"] = [str(pk) for pk in resource.needs.values_list("pk", flat=True)]
    initial["version"] = resource.version
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_for(request, STAFF_ROLES)
    found = resource_for(membership, pk)
    needs = _needs_of(membership)
    stale = False
    if request.method != "POST":
        form = ResourceForm(initial=_initial(found), needs=needs)
    else:
        form = ResourceForm(request.POST, needs=needs)
        if form.is_valid():
            try:
                saved = resource_update(
                    actor=page_user(request),
                    resource=found,
                    version=form.cleaned_data["version"],
                    needs=form.chosen_needs(),
                    **form.resource_fields(),
                )
            except ValidationError as error:
                stale = hasattr(error, "error_dict") and "version" in error.error_dict
                if stale:
                    form.add_error(None, error.error_dict["version"])
                    found.refresh_from_db()
                    form.refresh_version(found.version)
                else:
                    add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    "Your changes are saved." if saved.changed else "Nothing had changed.",
                )
                return redirect("toolkit:resource", pk=found.pk)
    return render(
        request,
        "toolkit/resources/form.html",
        {"form": form, "resource": found, "stale": stale},
    )


@login_required
@require_POST
def resource_checked(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_for(request, STAFF_ROLES)
    found = resource_for(membership, pk)
    resource_mark_checked(actor=page_user(request), resource=found)
    messages.success(request, f"{found.name} is marked as checked today.")
    if request.POST.get("back") == FROM_STALE_LIST:
        return redirect("toolkit:stale")
    return redirect("toolkit:resource", pk=found.pk)


@login_required
@require_GET
def stale(request: HttpRequest) -> HttpResponse:
    membership = membership_for(request, STAFF_ROLES)
    page = Paginator(stale_resources(membership.organisation), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "toolkit/resources/stale.html",
        {"page": page, "back": FROM_STALE_LIST},
    )


# Recommending ------------------------------------------------------------------------------------


def _person_to_recommend_to(request: HttpRequest, membership: Membership) -> int | None:
    """The mentee chosen (``None`` if nobody was): someone the mentor mentors or has mentored
    here, or (for staff) a mentee of the organisation. Anyone else is a 404, so nobody learns
    who else is here."""
    chosen = request.POST.get("person", "").strip()
    if not chosen:
        return None
    try:
        person_pk = int(chosen)
    except ValueError as error:
        raise Http404 from error
    user = page_user(request)
    if membership.role == Role.MENTOR:
        known = Relationship.objects.filter(
            organisation=membership.organisation, mentor__user=user, mentee_id=person_pk
        ).exists()
    else:
        known = Membership.objects.filter(
            organisation=membership.organisation, role=Role.MENTEE, user_id=person_pk
        ).exists()
    if not known:
        raise Http404
    return person_pk


@login_required
@require_POST
def recommend(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_for(request, RECOMMENDERS)
    found = resource_for(membership, pk)
    person_pk = _person_to_recommend_to(request, membership)
    user = page_user(request)
    people = _recommend_people(user, membership)
    names = dict(people)
    if person_pk is not None and person_pk not in names:
        # Someone they mentored before: the service explains why it cannot be done.
        people = [*people, (person_pk, "")]
    form = RecommendForm(request.POST, people=people)
    if not form.is_valid() or person_pk is None:
        return _show_again(request, membership, found, form)
    try:
        done = resource_recommend(
            actor=user,
            resource=found,
            person=User.objects.get(pk=person_pk),
            note=form.cleaned_data["note"],
            version=form.version_seen(person_pk),
            client_key=form.cleaned_data["client_key"],
        )
    except NoteTaken as taken:
        form.add_error("note", taken.message_for(names.get(person_pk) or "This mentee"))
        form.show_note(person_pk, taken.version)
        return _show_again(request, membership, found, form)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            add_service_errors(form, error)
            return _show_again(request, membership, found, form)
        messages.error(request, " ".join(error.messages))
        return redirect("toolkit:resource", pk=found.pk)
    name = names[person_pk]
    if done.created or done.repeated:
        messages.success(
            request,
            f"Recommended to {name}. It is in their list of places and people that can help, "
            "and in their wellbeing plan.",
        )
    else:
        messages.info(request, f"{name} already has this one. Any new note you wrote is saved.")
    return redirect("toolkit:resource", pk=found.pk)


def _show_again(
    request: HttpRequest, membership: Membership, found: CommunityResource, form: RecommendForm
) -> HttpResponse:
    """The resource page with the recommend form as sent, its problems next to the fields."""
    people = _recommend_people(page_user(request), membership)
    set_choices(form, "person", RecommendForm.choices_for(people))
    context = _detail_context(request, membership, found, form)
    return render(request, "toolkit/resources/resource.html", context)


@dataclass(frozen=True)
class RecommendationRow:
    recommendation: Recommendation
    by: str


@login_required
@require_GET
def recommended(request: HttpRequest) -> HttpResponse:
    membership = membership_for(request, (Role.MENTEE,))
    found = _with_needs_for_recommendations(
        recommendations_for(page_user(request), membership.organisation)
    )
    rows = [RecommendationRow(recommendation=r, by=recommender_name(r)) for r in found]
    return render(request, "toolkit/resources/recommended.html", {"rows": rows})


def _with_needs_for_recommendations(recommendations: Any) -> Any:
    return recommendations.prefetch_related(
        Prefetch("resource__needs", queryset=SupportArea.objects.order_by("position", "name"))
    )
