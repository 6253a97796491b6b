"""The people list and a person's page: who may open them, the list's filters, and switching an
account off or removing a role from the web (and undoing either), with the refusals shown as
messages on the page."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken, Membership, Role, User
from accounts.services import (
    api_token_create,
    membership_revoke,
    user_deactivate,
    user_reactivate,
)
from audit.models import AuditEvent
from tests.factories import TEST_PASSWORD, MembershipFactory
from tests.mentoring.access import PEOPLE, STAFF, check_page, client_as

pytestmark = pytest.mark.django_db


def membership_of(user: User, organisation) -> Membership:
    return Membership.objects.get(user=user, organisation=organisation)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def person_url(membership: Membership) -> str:
    return reverse("person", kwargs={"pk": membership.pk})


def switch_off_url(membership: Membership) -> str:
    return reverse("person_switch_off", kwargs={"pk": membership.pk})


def remove_role_url(membership: Membership) -> str:
    return reverse("person_remove_role", kwargs={"pk": membership.pk})


SWITCH_OFF = {"switch_off-confirm": "on"}
REMOVE = {"remove-confirm": "on"}


# Who may open them ---------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
def test_people_list_is_for_coordinators_and_admins_of_any_organisation(
    person, request, client_for
):
    response = client_as(person, request, client_for).get(reverse("people"))
    check_page(response, person, [*STAFF, "other_org_coordinator"])


@pytest.mark.parametrize("person", PEOPLE)
def test_a_members_page_is_for_their_organisations_coordinators_and_admins(
    person, request, client_for, mentor, organisation
):
    response = client_as(person, request, client_for).get(
        person_url(membership_of(mentor, organisation))
    )
    check_page(response, person, STAFF)


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("action", ["switch_off", "remove_role"])
def test_only_the_organisations_staff_may_act_on_a_member(
    person, action, request, client_for, mentor, organisation
):
    membership = membership_of(mentor, organisation)
    url = switch_off_url(membership) if action == "switch_off" else remove_role_url(membership)
    client = client_as(person, request, client_for)
    response = client.post(url, {**SWITCH_OFF, **REMOVE})
    check_page(response, person, STAFF, ok=302)
    mentor.refresh_from_db()
    membership.refresh_from_db()
    changed = not mentor.is_active or not membership.is_active
    assert changed == (person in STAFF)


@pytest.mark.parametrize("person", ["coordinator", "mentor", "anonymous"])
def test_actions_do_not_answer_get(person, request, client_for, mentor, organisation):
    response = client_as(person, request, client_for).get(
        switch_off_url(membership_of(mentor, organisation))
    )
    expected = {"coordinator": 405, "mentor": 404, "anonymous": 302}[person]
    assert response.status_code == expected


def test_the_other_organisations_coordinator_sees_only_their_own_people(
    client_for, other_org_coordinator, mentor, mentee
):
    response = client_for(other_org_coordinator).get(reverse("people"))
    page = text_of(response)
    assert "coordinator@elsewhere.example" in page
    assert mentor.email not in page and mentee.email not in page


# The list ------------------------------------------------------------------------------------


@pytest.fixture
def listed(organisation, coordinator, mentor, mentee, supervisor):
    """A few named people, one whose role was removed and one switched off."""
    mentor.name, mentee.name, supervisor.name = "Amara Okafor", "Ben Stone", "Cleo Park"
    coordinator.name = "Fern Lead"
    User.objects.bulk_update([mentor, mentee, supervisor, coordinator], ["name"])
    left = MembershipFactory(
        organisation=organisation, role=Role.MENTOR, user__name="Dara Left", is_active=False
    )
    gone = MembershipFactory(organisation=organisation, role=Role.MENTEE, user__name="Eli Gone")
    User.objects.filter(pk=gone.user_id).update(is_active=False)
    User.objects.filter(pk=mentor.pk).update(last_login=timezone.now())
    return {"left": left, "gone": gone}


def names_listed(response) -> list[str]:
    return re.findall(r'href="/accounts/people/\d+/">([^<]+)</a>', response.content.decode())


def test_list_shows_each_member_with_role_status_and_last_sign_in(client_for, coordinator, listed):
    response = client_for(coordinator).get(reverse("people"))
    page = text_of(response)
    assert names_listed(response) == [
        "Amara Okafor",
        "Ben Stone",
        "Cleo Park",
        "Dara Left",
        "Eli Gone",
        "Fern Lead",
    ]
    assert "Mentor · mentor@example.org · last signed in" in page
    assert "Mentee · mentee@example.org · never signed in" in page
    assert "Role removed" in page and "Account switched off" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"role": "mentor"}, ["Amara Okafor", "Dara Left"]),
        ({"q": "stone"}, ["Ben Stone"]),
        ({"q": "SUPERVISOR@example"}, ["Cleo Park"]),
        (
            {"status": "active"},
            ["Amara Okafor", "Ben Stone", "Cleo Park", "Fern Lead"],
        ),
        ({"status": "removed"}, ["Dara Left"]),
        ({"status": "switched_off"}, ["Eli Gone"]),
        ({"role": "mentee", "status": "active"}, ["Ben Stone"]),
        ({"q": "nobody by this name"}, []),
    ],
)
def test_list_filters_by_role_status_and_name_or_email(
    client_for, coordinator, listed, query, expected
):
    response = client_for(coordinator).get(reverse("people"), query)
    assert response.status_code == 200
    assert names_listed(response) == expected


def test_an_unknown_role_in_the_address_shows_an_error_not_a_failure(client_for, coordinator):
    response = client_for(coordinator).get(reverse("people"), {"role": "overlord"})
    assert response.status_code == 200
    assert "Select a valid choice" in text_of(response)


def test_list_is_paginated_keeping_the_filters(client_for, coordinator, organisation):
    MembershipFactory.create_batch(30, organisation=organisation, role=Role.MENTEE)
    client = client_for(coordinator)
    first = client.get(reverse("people"), {"role": "mentee"})
    assert len(names_listed(first)) == 25
    assert "?role=mentee&amp;page=2" in first.content.decode()
    second = client.get(reverse("people"), {"role": "mentee", "page": 2})
    assert len(names_listed(second)) == 5


def test_list_runs_the_same_number_of_queries_however_many_people(
    client_for, coordinator, organisation, django_assert_max_num_queries
):
    client = client_for(coordinator)
    client.get(reverse("people"))  # session and two-factor checks settle on the first request
    # Session, person, membership, count, the page of members, and the urgent-alert banner.
    with django_assert_max_num_queries(6) as few:
        client.get(reverse("people"))
    MembershipFactory.create_batch(24, organisation=organisation, role=Role.MENTOR)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("people"))
    assert len(names_listed(response)) == 25


# Switching an account off --------------------------------------------------------------------


def test_switching_off_from_the_page_signs_them_out_on_their_next_request(
    client_for, coordinator, mentor, organisation
):
    mentors_phone = client_for(mentor)
    assert mentors_phone.get(reverse("dashboard")).status_code == 200
    api_token_create(actor=None, user=mentor, organisation=organisation, name="Calendar")

    response = client_for(coordinator).post(
        switch_off_url(membership_of(mentor, organisation)), SWITCH_OFF, follow=True
    )

    assert "account is switched off. They have been signed out everywhere." in text_of(response)
    next_request = mentors_phone.get(reverse("dashboard"))
    assert next_request.status_code == 302
    assert next_request.url.startswith(reverse("account_login"))
    mentor.refresh_from_db()
    assert not mentor.is_active
    assert not ApiToken.objects.filter(user=mentor, revoked_at__isnull=True).exists()
    event = AuditEvent.objects.get(action="user.deactivated")
    assert event.actor == coordinator
    assert event.metadata == {"sessions_ended": 1, "api_tokens_revoked": 1}


def test_switching_off_without_ticking_the_box_changes_nothing_and_says_why(
    client_for, coordinator, mentor, organisation
):
    response = client_for(coordinator).post(switch_off_url(membership_of(mentor, organisation)))
    assert response.status_code == 200
    page = text_of(response)
    assert "Tick the box to confirm." in page
    assert 'aria-invalid="true"' in page
    mentor.refresh_from_db()
    assert mentor.is_active
    assert not AuditEvent.objects.filter(action="user.deactivated").exists()


def test_an_admin_can_switch_off_a_coordinator(client_for, admin, coordinator, organisation):
    client_for(admin).post(switch_off_url(membership_of(coordinator, organisation)), SWITCH_OFF)
    coordinator.refresh_from_db()
    assert not coordinator.is_active


# Removing a role -----------------------------------------------------------------------------


def test_removing_a_role_keeps_their_account_and_other_organisations(
    client_for, coordinator, mentor, organisation, other_organisation
):
    MembershipFactory(user=mentor, organisation=other_organisation, role=Role.MENTEE)
    ours = membership_of(mentor, organisation)

    response = client_for(coordinator).post(remove_role_url(ours), REMOVE, follow=True)

    assert "no longer has a role in Riverside Peer Support." in text_of(response)
    ours.refresh_from_db()
    mentor.refresh_from_db()
    assert not ours.is_active
    assert mentor.is_active
    assert membership_of(mentor, other_organisation).is_active
    event = AuditEvent.objects.get(action="membership.revoked")
    assert (event.actor, event.organisation) == (coordinator, organisation)


def test_after_their_role_is_removed_our_pages_close_to_them(
    client_for, coordinator, mentor, organisation
):
    mentors_phone = client_for(mentor)
    assert mentors_phone.get(reverse("mentoring:index")).status_code == 200
    client_for(coordinator).post(remove_role_url(membership_of(mentor, organisation)), REMOVE)
    assert mentors_phone.get(reverse("mentoring:index")).status_code == 404


# Refusals are messages on the page, never errors ---------------------------------------------


@pytest.mark.parametrize(
    ("actor", "target", "action", "message"),
    [
        ("coordinator", "admin", "switch_off", "Only an administrator can switch off"),
        ("coordinator", "admin", "remove_role", "Only an administrator can remove"),
        ("coordinator", "coordinator", "switch_off", "cannot switch off your own account"),
        ("coordinator", "coordinator", "remove_role", "cannot remove your own role"),
        ("admin", "admin", "switch_off", "cannot switch off your own account"),
        ("admin", "admin", "remove_role", "cannot remove your own role"),
    ],
)
def test_refused_actions_come_back_as_a_message(
    request, client_for, organisation, actor, target, action, message
):
    acting, person = request.getfixturevalue(actor), request.getfixturevalue(target)
    membership = membership_of(person, organisation)
    client = client_for(acting)

    page = client.get(person_url(membership))
    assert message in text_of(page)  # said before anyone tries, in place of the button

    url = switch_off_url(membership) if action == "switch_off" else remove_role_url(membership)
    response = client.post(url, {**SWITCH_OFF, **REMOVE}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(person_url(membership), 302)]
    assert message in text_of(response)
    person.refresh_from_db()
    membership.refresh_from_db()
    assert person.is_active and membership.is_active


def test_a_coordinator_cannot_switch_off_someone_who_is_an_admin_elsewhere(
    client_for, coordinator, mentor, organisation, other_organisation
):
    MembershipFactory(user=mentor, organisation=other_organisation, role=Role.ADMIN)
    response = client_for(coordinator).post(
        switch_off_url(membership_of(mentor, organisation)), SWITCH_OFF, follow=True
    )
    assert "Only an administrator can switch off" in text_of(response)
    mentor.refresh_from_db()
    assert mentor.is_active


def test_a_platform_operators_account_is_not_switched_off_from_here(
    client_for, admin, organisation
):
    operator = MembershipFactory(organisation=organisation, role=Role.MENTOR, user__is_staff=True)
    response = client_for(admin).post(switch_off_url(operator), SWITCH_OFF, follow=True)
    assert "Only a platform operator can switch off" in text_of(response)
    operator.user.refresh_from_db()
    assert operator.user.is_active


def test_switching_off_twice_says_it_is_already_off(client_for, coordinator, mentor, organisation):
    user_deactivate(actor=coordinator, user=mentor)
    response = client_for(coordinator).post(
        switch_off_url(membership_of(mentor, organisation)), SWITCH_OFF, follow=True
    )
    assert "already switched off" in text_of(response)
    assert AuditEvent.objects.filter(action="user.deactivated").count() == 1


def test_a_refusal_from_the_service_becomes_a_message(
    client_for, coordinator, mentor, organisation, monkeypatch
):
    def refuse(**kwargs):
        raise PermissionDenied

    monkeypatch.setattr("accounts.views_people.user_deactivate", refuse)
    response = client_for(coordinator).post(
        switch_off_url(membership_of(mentor, organisation)), SWITCH_OFF, follow=True
    )
    assert response.status_code == 200
    assert "You cannot switch off this account." in text_of(response)


def test_another_organisations_coordinator_gets_404_acting_on_our_member(
    client_for, other_org_coordinator, mentor, organisation
):
    membership = membership_of(mentor, organisation)
    client = client_for(other_org_coordinator)
    assert client.post(switch_off_url(membership), SWITCH_OFF).status_code == 404
    assert client.post(remove_role_url(membership), REMOVE).status_code == 404
    mentor.refresh_from_db()
    assert mentor.is_active


def test_the_page_explains_what_each_action_does(client_for, coordinator, mentor, organisation):
    page = text_of(client_for(coordinator).get(person_url(membership_of(mentor, organisation))))
    assert "Remove their role in Riverside Peer Support" in page
    assert "they can still sign in to any other organisation they belong to" in page
    assert "Switch off their account now" in page
    assert "signed out everywhere at once" in page
    assert "API keys they hold stop working" in page


def test_a_person_with_no_name_is_listed_by_email(client_for, coordinator, organisation):
    MembershipFactory(organisation=organisation, role=Role.MENTEE, user__name="")
    response = client_for(coordinator).get(reverse("people"), {"role": "mentee"})
    assert names_listed(response)[0].endswith("@example.org")


# Undoing a mistake: switching an account back on, giving a role back --------------------------


def switch_on_url(membership: Membership) -> str:
    return reverse("person_switch_on", kwargs={"pk": membership.pk})


def restore_role_url(membership: Membership) -> str:
    return reverse("person_restore_role", kwargs={"pk": membership.pk})


SWITCH_ON = {"switch_on-confirm": "on"}
RESTORE = {"restore-confirm": "on"}


def sign_in_with_the_form(client, user: User):
    return client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})


def test_an_admin_switches_an_account_back_on_and_the_person_signs_in_with_their_password(
    client_for, admin, mentor, organisation
):
    api_token_create(actor=None, user=mentor, organisation=organisation, name="Calendar")
    user_deactivate(actor=admin, user=mentor)
    refused = sign_in_with_the_form(Client(), mentor)
    assert refused.status_code == 302 and refused.url == reverse("account_inactive")
    membership = membership_of(mentor, organisation)

    admins_page = text_of(client_for(admin).get(person_url(membership)))
    assert "Switch their account back on" in admins_page
    response = client_for(admin).post(switch_on_url(membership), SWITCH_ON, follow=True)

    assert "account is switched back on. They sign in with their own password." in text_of(response)
    mentor.refresh_from_db()
    assert mentor.is_active
    mentors_phone = Client()
    signed_in = sign_in_with_the_form(mentors_phone, mentor)
    assert signed_in.status_code == 302 and signed_in.url == reverse("dashboard")
    assert mentors_phone.get(reverse("mentoring:index")).status_code == 200
    assert not ApiToken.objects.filter(user=mentor, revoked_at__isnull=True).exists()
    event = AuditEvent.objects.get(action="user.reactivated")
    assert (event.actor, event.organisation, event.object_id) == (
        admin,
        organisation,
        str(mentor.pk),
    )


def test_switching_back_on_without_ticking_the_box_changes_nothing_and_says_why(
    client_for, admin, mentor, organisation
):
    user_deactivate(actor=admin, user=mentor)
    response = client_for(admin).post(switch_on_url(membership_of(mentor, organisation)))
    assert response.status_code == 200
    assert "Tick the box to confirm." in text_of(response)
    mentor.refresh_from_db()
    assert not mentor.is_active
    assert not AuditEvent.objects.filter(action="user.reactivated").exists()


def test_a_coordinator_cannot_switch_an_account_back_on(
    client_for, coordinator, mentor, organisation
):
    user_deactivate(actor=coordinator, user=mentor)
    membership = membership_of(mentor, organisation)
    client = client_for(coordinator)
    message = "Only an administrator can switch an account back on."
    assert message in text_of(client.get(person_url(membership)))

    response = client.post(switch_on_url(membership), SWITCH_ON, follow=True)

    assert response.redirect_chain == [(person_url(membership), 302)]
    assert message in text_of(response)
    mentor.refresh_from_db()
    assert not mentor.is_active
    with pytest.raises(PermissionDenied):
        user_reactivate(actor=coordinator, user=mentor)


def test_an_erased_account_is_not_switched_back_on(client_for, admin, organisation):
    erased = MembershipFactory(
        organisation=organisation,
        role=Role.MENTEE,
        is_active=False,
        user__email="erased-user-1@erased.invalid",
        user__is_active=False,
    )
    client = client_for(admin)
    assert "erased on request, so it cannot be switched back on" in text_of(
        client.get(person_url(erased))
    )
    response = client.post(switch_on_url(erased), SWITCH_ON, follow=True)
    assert "erased on request, so it cannot be switched back on" in text_of(response)
    response = client.post(restore_role_url(erased), RESTORE, follow=True)
    assert "erased on request, so their role cannot be given back" in text_of(response)
    erased.refresh_from_db()
    erased.user.refresh_from_db()
    assert not erased.user.is_active and not erased.is_active
    with pytest.raises(ValidationError):
        user_reactivate(actor=admin, user=erased.user)
    assert not AuditEvent.objects.filter(action="user.reactivated").exists()


def test_an_admin_of_another_organisation_cannot_switch_our_member_back_on(mentor):
    elsewhere_admin = MembershipFactory(role=Role.ADMIN).user
    User.objects.filter(pk=mentor.pk).update(is_active=False)
    mentor.refresh_from_db()
    with pytest.raises(PermissionDenied):
        user_reactivate(actor=elsewhere_admin, user=mentor)
    mentor.refresh_from_db()
    assert not mentor.is_active


@pytest.mark.parametrize("actor", STAFF)
def test_giving_a_role_back_opens_their_pages_again(
    request, client_for, actor, mentor, organisation
):
    membership = membership_of(mentor, organisation)
    client = client_for(request.getfixturevalue(actor))
    client.post(remove_role_url(membership), REMOVE)
    mentors_phone = client_for(mentor)
    assert mentors_phone.get(reverse("mentoring:index")).status_code == 404

    response = client.post(restore_role_url(membership), RESTORE, follow=True)

    assert "is a mentor in Riverside Peer Support again." in text_of(response)
    assert mentors_phone.get(reverse("mentoring:index")).status_code == 200
    membership.refresh_from_db()
    assert membership.is_active and membership.role == Role.MENTOR
    event = AuditEvent.objects.get(action="membership.granted", object_id=str(membership.pk))
    assert event.actor == request.getfixturevalue(actor)
    assert event.metadata == {"role": "mentor"}


def test_a_coordinator_cannot_give_back_an_administrators_role(
    client_for, coordinator, admin, organisation
):
    membership = membership_of(admin, organisation)
    membership_revoke(actor=None, membership=membership)
    client = client_for(coordinator)
    message = "Only an administrator can give back an administrator"
    assert message in text_of(client.get(person_url(membership)))

    response = client.post(restore_role_url(membership), RESTORE, follow=True)

    assert response.redirect_chain == [(person_url(membership), 302)]
    assert message in text_of(response)
    membership.refresh_from_db()
    assert not membership.is_active


def test_giving_back_a_role_they_still_have_says_so(client_for, coordinator, mentor, organisation):
    membership = membership_of(mentor, organisation)
    response = client_for(coordinator).post(restore_role_url(membership), RESTORE, follow=True)
    assert "They have a role in Riverside Peer Support." in text_of(response)
    assert not AuditEvent.objects.filter(action="membership.granted").exists()


def test_the_undo_cards_show_only_when_there_is_something_to_undo(
    client_for, admin, mentor, organisation
):
    membership = membership_of(mentor, organisation)
    client = client_for(admin)
    page = text_of(client.get(person_url(membership)))
    assert "Give their role back" not in page and "Switch their account back on" not in page
    membership_revoke(actor=None, membership=membership)
    user_deactivate(actor=None, user=mentor)
    page = text_of(client.get(person_url(membership)))
    assert "Give their role back" in page and "Switch their account back on" in page
    assert "An administrator can switch it back on." in page


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("action", ["switch_on", "restore_role"])
def test_only_the_organisations_staff_may_undo_and_others_get_404(
    person, action, request, client_for, organisation
):
    """A removed, switched-off member: an admin undoes either; a coordinator gives the role back
    but is refused switching the account on (a message, 302); everyone else gets 404."""
    member = MembershipFactory(organisation=organisation, role=Role.MENTOR, is_active=False)
    User.objects.filter(pk=member.user_id).update(is_active=False)
    url = switch_on_url(member) if action == "switch_on" else restore_role_url(member)

    response = client_as(person, request, client_for).post(url, {**SWITCH_ON, **RESTORE})

    check_page(response, person, STAFF, ok=302)
    member.refresh_from_db()
    member.user.refresh_from_db()
    undone = member.user.is_active if action == "switch_on" else member.is_active
    may_undo = ["admin"] if action == "switch_on" else STAFF
    assert undone == (person in may_undo)
