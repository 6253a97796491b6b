"""Intake pages (the coordinator's and the person's own), and who may open every page and action
of intake and the waiting list."""

from __future__ import annotations

import re
import secrets

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Language, Role, User
from alongside.concurrency import STALE
from referrals.models import Intake, Referral, Status
from referrals.services.creating import hash_token
from tests.factories import MembershipFactory
from tests.referrals.factories import IntakeFactory, ReferralFactory

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "mentee",
    "mentor",
    "other_mentor",
    "supervisor",
    "coordinator",
    "admin",
    "referrer",
    "outsider",
    "other_org_coordinator",
]
STAFF_HERE = {"coordinator", "admin"}


@pytest.fixture
def token():
    return secrets.token_urlsafe(32)


@pytest.fixture
def at_intake(organisation, areas, token):
    referral = ReferralFactory(
        organisation=organisation,
        status=Status.INTAKE,
        full_name="Jamie Intake",
        preferred_name="Jay",
        email="jamie@example.net",
        phone="07700 900555",
        hopes="To feel less alone.",
        formats=["video"],
        availability_slots=["tue_evening"],
        availability="Not Mondays",
        area="Leeds",
        mentor_gender="Woman",
        mentor_gender_importance="must",
        shared_experience_importance="nice",
        access_token_hash=hash_token(token),
    )
    referral.support_areas.set(areas[:1])
    referral.languages.set(Language.objects.filter(code="pl"))
    return referral


@pytest.fixture
def staff_client(client_for, coordinator) -> Client:
    return client_for(coordinator)


def form_data(action="complete", **overrides):
    data = {
        "action": action,
        "goals": "Feel ready to go back to college.",
        "languages": [str(Language.objects.get(code="en").pk)],
        "formats": ["phone"],
        "availability_slots": ["wed_evening"],
        "availability": "",
        "area": "Leeds",
        "mentor_gender": "",
        "mentor_gender_importance": "none",
        "mentor_age_importance": "none",
        "shared_experience_importance": "none",
        "accessibility_needs": "",
        "emergency_contact": "",
        "gp_details": "",
        "notes": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# Who may open what ----------------------------------------------------------------------------

# name -> (method, path, data, status for this organisation's staff, for the other
# organisation's coordinator, for the referral's own mentee)
ROUTES = {
    "intake": ("get", lambda o: reverse("referrals:intake", args=[o["intake"].pk]), {}, 200, 404),
    "intake_post": (
        "post",
        lambda o: reverse("referrals:intake", args=[o["intake"].pk]),
        {"action": "save", "mentor_gender_importance": "none"},
        200,
        404,
    ),
    "waiting_list": ("get", lambda o: reverse("referrals:waiting_list"), {}, 200, 200),
    "check_in": (
        "post",
        lambda o: reverse("referrals:check_in", args=[o["waiting"].pk]),
        {},
        200,
        404,
    ),
}
MENTEE_ROUTES = {
    "my_referral": ("get", lambda o: reverse("referrals:my_referral")),
    "my_referral_update": ("post", lambda o: reverse("referrals:my_referral")),
    "my_referral_withdraw": ("post", lambda o: reverse("referrals:my_referral_withdraw")),
}


@pytest.fixture
def objects(at_intake, waiting_referral):
    return {"intake": at_intake, "waiting": waiting_referral}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("route", ROUTES)
def test_only_this_organisations_coordinators_and_admins_reach_intake_and_the_waiting_list(
    route, person, objects, request, client_for
):
    method, make_path, data, staff_status, other_org_status = ROUTES[route]
    path = make_path(objects)
    if person == "anonymous":
        response = getattr(Client(), method)(path, data)
        assert response.status_code == 302, f"anonymous {method} {path}"
        assert response.url.startswith("/accounts/login/")
        return
    response = getattr(client_for(request.getfixturevalue(person)), method)(path, data)
    if person in STAFF_HERE:
        expected = staff_status
    elif person == "other_org_coordinator":
        expected = other_org_status
    else:
        expected = 404
    assert response.status_code == expected, f"{person} {method} {path}"


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("route", MENTEE_ROUTES)
def test_only_mentees_reach_their_own_referral_page(
    route, person, objects, request, client_for, other_mentee
):
    method, make_path = MENTEE_ROUTES[route]
    path = make_path(objects)
    if person == "anonymous":
        response = getattr(Client(), method)(path)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
        return
    response = getattr(client_for(request.getfixturevalue(person)), method)(path)
    expected = 200 if person == "mentee" else 404
    assert response.status_code == expected, f"{person} {method} {path}"


def test_a_mentee_without_a_referral_sees_their_own_empty_page(objects, client_for, other_mentee):
    client = client_for(other_mentee)
    page = client.get(reverse("referrals:my_referral")).content.decode()
    assert "There is nothing to show here yet" in page
    assert objects["waiting"].full_name not in page
    assert client.post(reverse("referrals:my_referral_withdraw")).status_code == 404


@pytest.mark.parametrize("person", PEOPLE)
def test_anyone_with_the_private_link_can_open_the_online_intake(
    person, at_intake, token, request, client_for
):
    client = Client() if person == "anonymous" else client_for(request.getfixturevalue(person))
    assert client.get(reverse("referrals:intake_online", args=[token])).status_code == 200
    assert client.get(reverse("referrals:intake_online", args=["not-a-token"])).status_code == 404
    assert client.post(reverse("referrals:intake_online", args=["not-a-token"])).status_code == 404


@pytest.mark.parametrize("name", ["referrals:check_in", "referrals:my_referral_withdraw"])
def test_actions_do_nothing_on_get(name, waiting_referral, client_for, coordinator, mentee):
    if name == "referrals:check_in":
        response = client_for(coordinator).get(reverse(name, args=[waiting_referral.pk]))
    else:
        response = client_for(mentee).get(reverse(name))
    assert response.status_code == 405


# The coordinator's intake ---------------------------------------------------------------------


def test_intake_form_starts_from_what_the_referral_said(at_intake, areas, staff_client):
    page = staff_client.get(reverse("referrals:intake", args=[at_intake.pk])).content.decode()
    assert '<h1 class="h2 mb-3">Intake with Jamie Intake</h1>' in page
    assert "jamie@example.net" in page and "07700 900555" in page
    assert "To feel less alone." in page

    def checked(name, value):
        (tag,) = re.findall(rf'<input[^>]*name="{name}" value="{value}"[^>]*>', page)
        return " checked" in tag

    assert checked("support_areas", areas[0].pk)
    assert not checked("support_areas", areas[1].pk)
    assert checked("languages", Language.objects.get(code="pl").pk)
    assert checked("formats", "video")
    assert not checked("formats", "phone")
    assert checked("availability_slots", "tue_evening")
    assert not checked("availability_slots", "mon_morning")
    assert checked("mentor_gender_importance", "must")
    assert checked("shared_experience_importance", "nice")
    assert 'value="Not Mondays"' in page
    assert 'value="Leeds"' in page
    assert "Notes for staff" in page
    assert "Complete intake and add to the waiting list" in page
    assert "Save draft" in page


def test_a_saved_draft_is_there_next_time(at_intake, staff_client, coordinator):
    response = staff_client.post(
        reverse("referrals:intake", args=[at_intake.pk]),
        form_data("save", notes="Calls after 5pm"),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("referrals:intake", args=[at_intake.pk])
    page = response.content.decode()
    assert "Intake draft saved" in page
    assert "Feel ready to go back to college." in page
    assert "Calls after 5pm" in page
    intake = Intake.objects.get(referral=at_intake)
    assert intake.completed_at is None
    assert Referral.objects.get(pk=at_intake.pk).status == Status.INTAKE


def test_completing_intake_puts_them_on_the_waiting_list(at_intake, staff_client):
    response = staff_client.post(
        reverse("referrals:intake", args=[at_intake.pk]), form_data(), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("referrals:waiting_list")
    page = response.content.decode()
    assert "Intake complete: Jay is now on the waiting list." in page
    assert "Jamie Intake" in page
    referral = Referral.objects.get(pk=at_intake.pk)
    assert referral.status == Status.WAITING
    assert referral.mentee == User.objects.get(email="jamie@example.net")
    assert referral.formats == ["phone"]


def test_missing_answers_are_marked_next_to_their_fields_and_nothing_typed_is_lost(
    at_intake, staff_client
):
    response = staff_client.post(
        reverse("referrals:intake", args=[at_intake.pk]),
        form_data(languages=None, formats=None, emergency_contact="Sam, 07700 900111"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose at least one language." in page
    assert "Choose at least one way of meeting." in page
    assert 'href="#id_languages"' in page
    assert "Feel ready to go back to college." in page
    assert "Sam, 07700 900111" in page
    assert "The answers are saved" in page
    assert Intake.objects.get(referral=at_intake).emergency_contact == "Sam, 07700 900111"
    assert Referral.objects.get(pk=at_intake.pk).status == Status.INTAKE


def test_bad_input_keeps_what_was_typed(at_intake, staff_client):
    response = staff_client.post(
        reverse("referrals:intake", args=[at_intake.pk]),
        form_data(mentor_age_min="60", mentor_age_max="30", goals="My own words"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "the same as or above" in page
    assert "My own words" in page
    assert not Intake.objects.filter(referral=at_intake).exists()


def test_another_role_with_the_same_email_is_explained(at_intake, organisation, staff_client):
    MembershipFactory(user__email="jamie@example.net", organisation=organisation, role=Role.MENTOR)
    response = staff_client.post(reverse("referrals:intake", args=[at_intake.pk]), form_data())
    assert response.status_code == 200
    assert "belongs to someone with another role here" in response.content.decode()
    assert Referral.objects.get(pk=at_intake.pk).status == Status.INTAKE


def test_someone_with_only_a_phone_completes_without_an_account(
    organisation, staff_client, django_capture_on_commit_callbacks
):
    referral = ReferralFactory(
        organisation=organisation, status=Status.INTAKE, full_name="Phone Only", email=""
    )
    intake_page = staff_client.get(reverse("referrals:intake", args=[referral.pk]))
    assert "will not make them an account" in intake_page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("referrals:intake", args=[referral.pk]), form_data(), follow=True
        )
    page = response.content.decode()
    assert "has no email address, so they have no account yet" in page
    assert Referral.objects.get(pk=referral.pk).status == Status.WAITING
    assert not mail.outbox


@pytest.mark.parametrize("status", [Status.NEW, Status.WAITING, Status.DECLINED])
def test_intake_page_outside_intake_says_where_the_referral_is(organisation, staff_client, status):
    referral = ReferralFactory(organisation=organisation, status=status)
    page = staff_client.get(reverse("referrals:intake", args=[referral.pk])).content.decode()
    assert "There is no intake to do" in page
    assert str(Status(status).label) in page
    assert reverse("referrals:detail", args=[referral.pk]) in page
    assert 'name="goals"' not in page


def test_intake_page_queries_are_pinned(at_intake, staff_client, django_assert_max_num_queries):
    """Session, person, membership, two-factor, the referral, its organisation, the draft, its
    areas and languages, whether the organisation lists any areas, and the choices."""
    IntakeFactory(referral=at_intake)
    # 12, the urgent safeguarding banner, and the audit row for reading the intake
    with django_assert_max_num_queries(14):
        assert staff_client.get(reverse("referrals:intake", args=[at_intake.pk])).status_code == 200


# The person's own intake ----------------------------------------------------------------------


def test_online_intake_speaks_to_the_person_and_has_no_staff_notes(at_intake, token):
    page = Client().get(reverse("referrals:intake_online", args=[token])).content.decode()
    assert "Getting to know you" in page
    assert "Your goals, in your own words" in page
    assert "only use this if we are worried about your safety" in page
    assert 'name="notes"' not in page
    assert "Notes for staff" not in page
    assert 'value="Leeds"' in page


def test_person_completes_intake_online_and_joins_the_waiting_list(
    at_intake, token, django_capture_on_commit_callbacks
):
    client = Client()
    path = reverse("referrals:intake_online", args=[token])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, form_data(notes="sneaky"), follow=True)
    assert response.redirect_chain[-1][0] == path
    page = response.content.decode()
    assert '<h1 class="h2 mb-3">You\'re on the waiting list</h1>' in page
    assert "link to set a password" in page
    referral = Referral.objects.get(pk=at_intake.pk)
    assert referral.status == Status.WAITING
    intake = Intake.objects.get(referral=referral)
    assert intake.completed_by is None and intake.notes == ""
    assert [message.to for message in mail.outbox] == [["jamie@example.net"]]


def test_person_saves_online_intake_and_comes_back(at_intake, token):
    client = Client()
    path = reverse("referrals:intake_online", args=[token])
    response = client.post(path, form_data("save", goals="Half written"), follow=True)
    page = response.content.decode()
    assert "Your answers are saved" in page
    assert "Half written" in page
    assert Referral.objects.get(pk=at_intake.pk).status == Status.INTAKE


def test_person_missing_answers_are_marked_online(at_intake, token):
    response = Client().post(
        reverse("referrals:intake_online", args=[token]),
        form_data(availability_slots=None, goals="Mine"),
    )
    page = response.content.decode()
    assert "Choose at least one time of the week that suits." in page
    assert "Mine" in page
    assert Referral.objects.get(pk=at_intake.pk).status == Status.INTAKE


def test_person_with_another_role_here_is_told_gently(at_intake, token, organisation):
    MembershipFactory(user__email="jamie@example.net", organisation=organisation, role=Role.MENTOR)
    response = Client().post(reverse("referrals:intake_online", args=[token]), form_data())
    page = response.content.decode()
    assert "A coordinator will contact you to complete it." in page
    assert "another role" not in page


def test_online_intake_outside_intake_has_nothing_to_fill_in(organisation, token):
    ReferralFactory(organisation=organisation, access_token_hash=hash_token(token))
    page = Client().get(reverse("referrals:intake_online", args=[token])).content.decode()
    assert "There is nothing to fill in right now" in page
    assert reverse("referrals:status", args=[token]) in page
    assert 'name="goals"' not in page


def test_risk_words_online_show_crisis_help(at_intake, token, organisation):
    from safeguarding.models import CrisisResource

    CrisisResource.objects.create(
        organisation=organisation, name="Samaritans", phone="116 123", hours="Any time"
    )
    response = Client().post(
        reverse("referrals:intake_online", args=[token]),
        form_data(goals="I feel suicidal most nights."),
        follow=True,
    )
    page = response.content.decode()
    assert "If you are not safe right now" in page
    assert "Samaritans" in page


# Two people with intake open at once -----------------------------------------------------------


def test_a_second_save_from_the_same_version_is_refused_and_keeps_the_typed_text(
    at_intake, client_for, coordinator, admin
):
    url = reverse("referrals:intake", args=[at_intake.pk])
    first, second = client_for(coordinator), client_for(admin)
    assert 'name="version" value="0"' in first.get(url).content.decode()
    second.get(url)

    saved = first.post(url, form_data("save", goals="First coordinator's words", version="0"))
    assert saved.status_code == 302
    refused = second.post(url, form_data("save", goals="Second coordinator's words", version="0"))

    assert refused.status_code == 200
    page = refused.content.decode()
    assert STALE in page
    assert "Second coordinator&#x27;s words" in page
    assert 'name="version" value="1"' in page
    intake = Intake.objects.get(referral=at_intake)
    assert intake.goals == "First coordinator's words"
    assert intake.version == 1

    again = second.post(url, form_data("save", goals="Second coordinator's words", version="1"))
    assert again.status_code == 302
    intake.refresh_from_db()
    assert (intake.goals, intake.version) == ("Second coordinator's words", 2)


def test_completing_from_an_older_version_is_refused_and_nothing_is_overwritten(
    at_intake, staff_client
):
    IntakeFactory(referral=at_intake, goals="Saved by someone else", version=3)
    url = reverse("referrals:intake", args=[at_intake.pk])

    response = staff_client.post(url, form_data(goals="Typed on a stale page", version="2"))

    assert response.status_code == 200
    page = response.content.decode()
    assert STALE in page
    assert "Typed on a stale page" in page
    assert "The answers are saved" not in page
    referral = Referral.objects.get(pk=at_intake.pk)
    assert referral.status == Status.INTAKE
    assert Intake.objects.get(referral=at_intake).goals == "Saved by someone else"


def test_the_person_saving_online_over_a_coordinators_save_is_refused_with_text_kept(
    at_intake, token, staff_client
):
    url = reverse("referrals:intake_online", args=[token])
    person = Client()
    person.get(url)
    staff_client.post(
        reverse("referrals:intake", args=[at_intake.pk]),
        form_data("save", goals="Written with the coordinator", version="0"),
    )

    data = form_data("save", goals="Written by me", version="0")
    del data["notes"]
    response = person.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert STALE in page
    assert "Written by me" in page
    assert Intake.objects.get(referral=at_intake).goals == "Written with the coordinator"


def test_after_an_incomplete_completion_keeps_the_draft_the_next_completion_goes_through(
    at_intake, staff_client
):
    """Completing without a language keeps the answers as a draft (a new version): the page it
    shows carries that version, so completing again from it is not taken for a stale save."""
    url = reverse("referrals:intake", args=[at_intake.pk])
    refused = staff_client.post(url, form_data(languages=None, version="0"))
    page = refused.content.decode()
    assert "The answers are saved" in page
    assert STALE not in page
    assert 'name="version" value="1"' in page

    completed = staff_client.post(url, form_data(version="1"))

    assert completed.status_code == 302
    assert Referral.objects.get(pk=at_intake.pk).status == Status.WAITING
