"""The organisation's people, for coordinators and administrators: find someone, and when a
volunteer leaves or an account is compromised, remove their role or switch their account off at
once. The services (accounts.services) make the change and write the audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts.access import STAFF_ROLES, membership_with_role, role_required, signed_in_user
from accounts.forms_people import ConfirmForm, PeopleFilterForm
from accounts.models import Membership, Organisation, Role
from accounts.services import membership_revoke, user_deactivate

PER_PAGE = 25
REMOVE_PREFIX = "remove"
SWITCH_OFF_PREFIX = "switch_off"


def members_of(
    organisation: Organisation, *, q: str = "", role: str = "", status: str = ""
) -> QuerySet[Membership]:
    """Everyone who holds or held a role in ``organisation``, by name (or email, for people
    without a name), narrowed by the list's filters."""
    members = Membership.objects.filter(organisation=organisation).select_related("user")
    if q:
        members = members.filter(Q(user__name__icontains=q) | Q(user__email__icontains=q))
    if role:
        members = members.filter(role=role)
    if status == "active":
        members = members.filter(is_active=True, user__is_active=True)
    elif status == "removed":
        members = members.filter(is_active=False, user__is_active=True)
    elif status == "switched_off":
        members = members.filter(user__is_active=False)
    sort_name = Lower(Coalesce(NullIf("user__name", Value("")), "user__email"))
    return members.order_by(sort_name, "user__email")


def _member(request: HttpRequest, pk: int) -> tuple[Membership, Membership]:
    """The acting staff membership and the member ``pk`` of the same organisation; else 404."""
    acting = membership_with_role(request, STAFF_ROLES)
    member = get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=pk,
        organisation=acting.organisation,
    )
    return acting, member


# Who may do what. The services refuse the worst cases themselves (their own account, people of
# another organisation); these add the organisation's rules, phrased for the page.


def remove_role_refusal(acting: Membership, member: Membership) -> str | None:
    if member.user_id == acting.user_id:
        return "You cannot remove your own role. Ask another administrator."
    if not member.is_active:
        return f"They no longer have a role in {member.organisation}."
    if member.role == Role.ADMIN and acting.role != Role.ADMIN:
        return "Only an administrator can remove an administrator's role."
    return None


def switch_off_refusal(acting: Membership, member: Membership) -> str | None:
    person = member.user
    if person.pk == acting.user_id:
        return "You cannot switch off your own account. Ask another administrator."
    if not person.is_active:
        return "Their account is already switched off."
    if person.is_staff or person.is_superuser:
        return "Only a platform operator can switch off a platform operator's account."
    if acting.role != Role.ADMIN and (
        person.memberships.filter(role=Role.ADMIN, is_active=True).exists()
    ):
        return "Only an administrator can switch off an administrator's account."
    return None


def _remove_form(member: Membership, data: QueryDict | None = None) -> ConfirmForm:
    name = member.user.name or member.user.email
    label = f"Yes, remove {name}'s role in {member.organisation}"
    return ConfirmForm(data, label=label, prefix=REMOVE_PREFIX)


def _switch_off_form(member: Membership, data: QueryDict | None = None) -> ConfirmForm:
    name = member.user.name or member.user.email
    label = f"Yes, switch off {name}'s account now"
    return ConfirmForm(data, label=label, prefix=SWITCH_OFF_PREFIX)


def _person_page(
    request: HttpRequest,
    acting: Membership,
    member: Membership,
    *,
    remove_form: ConfirmForm | None = None,
    switch_off_form: ConfirmForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "accounts/person.html",
        {
            "member": member,
            "person": member.user,
            "remove_form": remove_form or _remove_form(member),
            "switch_off_form": switch_off_form or _switch_off_form(member),
            "remove_refusal": remove_role_refusal(acting, member),
            "switch_off_refusal": switch_off_refusal(acting, member),
        },
    )


@role_required(*STAFF_ROLES)
@require_safe
def people(request: HttpRequest) -> HttpResponse:
    organisation = membership_with_role(request, STAFF_ROLES).organisation
    form = PeopleFilterForm(request.GET)
    form.is_valid()
    filters = form.values()
    page = Paginator(members_of(organisation, **filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/people.html",
        {
            "form": form,
            "page": page,
            "members": list(page.object_list),
            "filtered": any(filters.values()),
            "organisation": organisation,
        },
    )


@role_required(*STAFF_ROLES)
@require_safe
def person(request: HttpRequest, pk: int) -> HttpResponse:
    acting, member = _member(request, pk)
    return _person_page(request, acting, member)


@role_required(*STAFF_ROLES)
@require_POST
def person_remove_role(request: HttpRequest, pk: int) -> HttpResponse:
    """End their role in this organisation; their account and other organisations stay."""
    acting, member = _member(request, pk)
    refusal = remove_role_refusal(acting, member)
    if refusal:
        messages.error(request, refusal)
        return redirect("person", pk=member.pk)
    form = _remove_form(member, request.POST)
    if not form.is_valid():
        return _person_page(request, acting, member, remove_form=form)
    membership_revoke(actor=signed_in_user(request), membership=member)
    name = member.user.name or member.user.email
    messages.success(request, f"{name} no longer has a role in {member.organisation}.")
    return redirect("person", pk=member.pk)


@role_required(*STAFF_ROLES)
@require_POST
def person_switch_off(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop the person signing in anywhere: every session ends and their API tokens stop."""
    acting, member = _member(request, pk)
    refusal = switch_off_refusal(acting, member)
    if refusal:
        messages.error(request, refusal)
        return redirect("person", pk=member.pk)
    form = _switch_off_form(member, request.POST)
    if not form.is_valid():
        return _person_page(request, acting, member, switch_off_form=form)
    try:
        user_deactivate(
            actor=signed_in_user(request), user=member.user, organisation=member.organisation
        )
    except PermissionDenied:
        messages.error(request, "You cannot switch off this account.")
        return redirect("person", pk=member.pk)
    name = member.user.name or member.user.email
    messages.success(
        request, f"{name}'s account is switched off. They have been signed out everywhere."
    )
    return redirect("person", pk=member.pk)
