"""The organisation's people, for coordinators and administrators: find someone, and when a
volunteer leaves or an account is compromised, remove their role or switch their account off at
once; undo a mistake by giving the role back or (administrators) switching the account back on.
The services (accounts.services) make the change and write the audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts.access import STAFF_ROLES, membership_with_role, role_required, signed_in_user
from accounts.forms_people import ConfirmForm, PeopleFilterForm
from accounts.models import Membership, Organisation, Role
from accounts.services import (
    ERASED_EMAIL_END,
    membership_grant,
    membership_revoke,
    user_deactivate,
    user_reactivate,
)

PER_PAGE = 25
REMOVE_PREFIX = "remove"
SWITCH_OFF_PREFIX = "switch_off"
RESTORE_PREFIX = "restore"
SWITCH_ON_PREFIX = "switch_on"


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


def switch_on_refusal(acting: Membership, member: Membership) -> str | None:
    person = member.user
    if person.is_active:
        return "Their account is switched on."
    if person.email.endswith(ERASED_EMAIL_END):
        return "Their account was erased on request, so it cannot be switched back on."
    if person.is_staff or person.is_superuser:
        return "Only a platform operator can switch a platform operator's account back on."
    if acting.role != Role.ADMIN:
        return "Only an administrator can switch an account back on."
    return None


def restore_role_refusal(acting: Membership, member: Membership) -> str | None:
    if member.is_active:
        return f"They have a role in {member.organisation}."
    if member.user.email.endswith(ERASED_EMAIL_END):
        return "Their account was erased on request, so their role cannot be given back."
    if member.role == Role.ADMIN and acting.role != Role.ADMIN:
        return "Only an administrator can give back an administrator's role."
    return None


# The tick box of each action, by form prefix; ``{name}``, ``{organisation}`` and ``{role}`` are
# filled in for the person shown.
CONFIRM_LABELS = {
    REMOVE_PREFIX: "Yes, remove {name}'s role in {organisation}",
    SWITCH_OFF_PREFIX: "Yes, switch off {name}'s account now",
    RESTORE_PREFIX: "Yes, make {name} a {role} in {organisation} again",
    SWITCH_ON_PREFIX: "Yes, switch {name}'s account back on",
}


def _name(member: Membership) -> str:
    return member.user.name or member.user.email


def _confirm_form(member: Membership, prefix: str, data: QueryDict | None = None) -> ConfirmForm:
    label = CONFIRM_LABELS[prefix].format(
        name=_name(member),
        organisation=member.organisation,
        role=member.get_role_display().lower(),
    )
    return ConfirmForm(data, label=label, prefix=prefix)


def _person_page(
    request: HttpRequest,
    acting: Membership,
    member: Membership,
    *,
    bound: ConfirmForm | None = None,
) -> HttpResponse:
    """The person's page; ``bound``: the form just sent, shown with its errors."""
    forms = {prefix: _confirm_form(member, prefix) for prefix in CONFIRM_LABELS}
    if bound is not None and bound.prefix:
        forms[bound.prefix] = bound
    return render(
        request,
        "accounts/person.html",
        {
            "member": member,
            "person": member.user,
            "remove_form": forms[REMOVE_PREFIX],
            "switch_off_form": forms[SWITCH_OFF_PREFIX],
            "restore_form": forms[RESTORE_PREFIX],
            "switch_on_form": forms[SWITCH_ON_PREFIX],
            "remove_refusal": remove_role_refusal(acting, member),
            "switch_off_refusal": switch_off_refusal(acting, member),
            "restore_refusal": restore_role_refusal(acting, member),
            "switch_on_refusal": switch_on_refusal(acting, member),
        },
    )


def _refused_or_unconfirmed(
    request: HttpRequest, acting: Membership, member: Membership, refusal: str | None, prefix: str
) -> HttpResponse | None:
    """The answer when an action may not go ahead: a refusal comes back as a message on the
    person's page, an unticked box as the page with the error by the box. ``None``: go ahead."""
    if refusal:
        messages.error(request, refusal)
        return redirect("person", pk=member.pk)
    form = _confirm_form(member, prefix, request.POST)
    if not form.is_valid():
        return _person_page(request, acting, member, bound=form)
    return None


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
    if stop := _refused_or_unconfirmed(request, acting, member, refusal, REMOVE_PREFIX):
        return stop
    membership_revoke(actor=signed_in_user(request), membership=member)
    messages.success(request, f"{_name(member)} no longer has a role in {member.organisation}.")
    return redirect("person", pk=member.pk)


@role_required(*STAFF_ROLES)
@require_POST
def person_restore_role(request: HttpRequest, pk: int) -> HttpResponse:
    """Give back the role that was removed, as it was; they use it from their next click."""
    acting, member = _member(request, pk)
    refusal = restore_role_refusal(acting, member)
    if stop := _refused_or_unconfirmed(request, acting, member, refusal, RESTORE_PREFIX):
        return stop
    membership_grant(
        actor=signed_in_user(request),
        organisation=member.organisation,
        user=member.user,
        role=member.role,
    )
    role = member.get_role_display().lower()
    messages.success(request, f"{_name(member)} is a {role} in {member.organisation} again.")
    return redirect("person", pk=member.pk)


@role_required(*STAFF_ROLES)
@require_POST
def person_switch_off(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop the person signing in anywhere: every session ends and their API tokens stop."""
    acting, member = _member(request, pk)
    refusal = switch_off_refusal(acting, member)
    if stop := _refused_or_unconfirmed(request, acting, member, refusal, SWITCH_OFF_PREFIX):
        return stop
    try:
        user_deactivate(
            actor=signed_in_user(request), user=member.user, organisation=member.organisation
        )
    except PermissionDenied:
        messages.error(request, "You cannot switch off this account.")
        return redirect("person", pk=member.pk)
    messages.success(
        request, f"{_name(member)}'s account is switched off. They have been signed out everywhere."
    )
    return redirect("person", pk=member.pk)


@role_required(*STAFF_ROLES)
@require_POST
def person_switch_on(request: HttpRequest, pk: int) -> HttpResponse:
    """Let a switched-off person sign in again with their own password. API keys revoked when
    they were switched off stay revoked."""
    acting, member = _member(request, pk)
    refusal = switch_on_refusal(acting, member)
    if stop := _refused_or_unconfirmed(request, acting, member, refusal, SWITCH_ON_PREFIX):
        return stop
    try:
        user_reactivate(
            actor=signed_in_user(request), user=member.user, organisation=member.organisation
        )
    except PermissionDenied:
        messages.error(request, "You cannot switch this account back on.")
        return redirect("person", pk=member.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("person", pk=member.pk)
    messages.success(
        request,
        f"{_name(member)}'s account is switched back on. They sign in with their own password.",
    )
    return redirect("person", pk=member.pk)
