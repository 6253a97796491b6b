"""Partner pages: a referrer refers someone and follows the status of their own referrals only."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from referrals.models import Referral, SafeNow, Source, Status, Urgency
from referrals.views.partner import REFERRER_STATUS_WORDS
from safeguarding.services.crisis import crisis_resource_create
from tests.conftest import make_member
from tests.referrals.factories import ReferralFactory

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


@pytest.fixture
def other_referrer(organisation):
    return make_member(organisation, Role.REFERRER, "other.referrer@example.org")


@pytest.fixture
def referrer_client(client_for, referrer) -> Client:
    return client_for(referrer)


@pytest.fixture
def crisis_line(organisation):
    return crisis_resource_create(
        actor=None,
        organisation=organisation,
        name="Riverside Crisis Line",
        phone="0800 123 4567",
        is_emergency=True,
    )


def answers(key="p" * 24, **overrides):
    data = {
        "idempotency_key": key,
        "source": Source.GP,
        "referrer_organisation_name": "Northgate Surgery",
        "full_name": "Jordan Referred",
        "phone": "07700 900321",
        "voicemail_ok": "on",
        "safe_now": SafeNow.YES,
        "hopes": "Jordan would like company on walks.",
        "mentor_gender_importance": "none",
        "mentor_age_importance": "none",
        "shared_experience_importance": "none",
        "consent": "on",
        "person_agreed": "on",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


# The list -------------------------------------------------------------------------------------


def test_list_shows_only_the_referrers_own_referrals_and_only_their_status(
    referrer_client, partner_referral, other_referrer, organisation, other_org_referral
):
    Referral.objects.filter(pk=partner_referral.pk).update(
        urgency=Urgency.URGENT, urgency_reasons="risk words in what they wrote"
    )
    ReferralFactory(organisation=organisation, referrer=other_referrer, full_name="Not Theirs")
    ReferralFactory(organisation=organisation, full_name="Self Referrer")
    page = referrer_client.get(reverse("referrals:partner_list")).content.decode()
    assert "Pat Partner" in page
    assert "GP practice" in page
    assert Status.NEW.label in page
    for absent in (
        "Not Theirs",
        "Self Referrer",
        "Elsewhere Person",
        partner_referral.hopes,
        partner_referral.email,
        partner_referral.phone,
        "risk words",
        "Urgent",
    ):
        assert absent not in page, absent


def test_empty_list_says_so_and_offers_a_referral(referrer_client):
    page = referrer_client.get(reverse("referrals:partner_list")).content.decode()
    assert "You have not made any referrals here yet" in page
    assert f'href="{reverse("referrals:partner_new")}"' in page


def test_list_query_count_is_pinned(
    referrer_client, referrer, organisation, django_assert_max_num_queries
):
    for number in range(8):
        ReferralFactory(organisation=organisation, referrer=referrer, full_name=f"Person {number}")
    with django_assert_max_num_queries(5):
        response = referrer_client.get(reverse("referrals:partner_list"))
    assert response.content.decode().count("Person ") == 8


# Referring someone ----------------------------------------------------------------------------


def test_form_asks_about_the_person_and_for_their_agreement(referrer_client):
    page = referrer_client.get(reverse("referrals:partner_new")).content.decode()
    assert "The person&#x27;s full name" in page or "The person's full name" in page
    assert "Is the person safe right now?" in page
    assert "I confirm the person has agreed to this referral" in page
    assert "Self-referral" not in page  # partners choose among the other sources
    assert "GP practice" in page


def test_form_remembers_the_referrers_organisation_name(referrer_client, partner_referral):
    page = referrer_client.get(reverse("referrals:partner_new")).content.decode()
    assert 'value="Northgate Surgery"' in page
    assert re.search(r'value="gp"[^>]*checked|value="gp"[^>]*selected', page)


def test_referrer_refers_someone_and_sees_its_status(referrer_client, referrer, organisation):
    response = referrer_client.post(reverse("referrals:partner_new"), answers(), follow=True)
    referral = Referral.objects.get()
    assert response.redirect_chain[-1][0] == reverse("referrals:partner_detail", args=[referral.pk])
    assert referral.organisation == organisation
    assert referral.source == Source.GP
    assert referral.referrer == referral.consent_confirmed_by == referrer
    assert referral.referrer_organisation_name == "Northgate Surgery"
    assert referral.access_token_hash == ""
    page = response.content.decode()
    assert "Your referral for Jordan Referred has been sent" in page
    assert REFERRER_STATUS_WORDS[Status.NEW] in page
    assert "Jordan would like company on walks." not in page
    assert "07700 900321" not in page


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("person_agreed", "Please confirm the person has agreed"),
        ("consent", "Please confirm you have shared this statement"),
        ("source", "This field is required"),
    ],
)
def test_referral_without_the_persons_agreement_is_refused(referrer_client, missing, message):
    response = referrer_client.post(reverse("referrals:partner_new"), answers(**{missing: None}))
    assert response.status_code == 200
    assert not Referral.objects.exists()
    page = response.content.decode()
    error_list = re.search(rf'id="id_{missing}_error">(.*?)</ul>', page, re.S)
    assert error_list and message in error_list.group(1)
    assert 'value="Jordan Referred"' in page


def test_the_same_partner_form_sent_twice_makes_one_referral(referrer_client):
    first = referrer_client.post(reverse("referrals:partner_new"), answers())
    second = referrer_client.post(reverse("referrals:partner_new"), answers())
    assert Referral.objects.count() == 1
    assert (
        first.url
        == second.url
        == reverse("referrals:partner_detail", args=[Referral.objects.get().pk])
    )


def test_urgent_partner_referral_shows_crisis_resources_to_pass_on(referrer_client, crisis_line):
    response = referrer_client.post(
        reverse("referrals:partner_new"), answers(safe_now=SafeNow.NO), follow=True
    )
    assert Referral.objects.get().urgency == Urgency.URGENT
    page = response.content.decode()
    assert "may not be safe right now" in page
    assert "alerted our coordinator" in page
    assert "Riverside Crisis Line" in page
    assert 'href="tel:08001234567"' in page
    assert "not safe right now" not in page.replace("may not be safe right now", "")


# One referral ---------------------------------------------------------------------------------


def test_detail_shows_status_only(referrer_client, partner_referral):
    Referral.objects.filter(pk=partner_referral.pk).update(
        status=Status.SIGNPOSTED, signposted_to="Talking Therapies", closed_reason="Private note"
    )
    page = referrer_client.get(
        reverse("referrals:partner_detail", args=[partner_referral.pk])
    ).content.decode()
    assert REFERRER_STATUS_WORDS[Status.SIGNPOSTED] in page
    for absent in (
        partner_referral.hopes,
        partner_referral.email,
        partner_referral.phone,
        "Talking Therapies",
        "Private note",
    ):
        assert absent not in page, absent


def test_status_words_cover_every_status():
    assert set(REFERRER_STATUS_WORDS) == set(Status)


def test_detail_of_someone_elses_referral_is_404(
    referrer_client, organisation, other_referrer, other_org_referral, new_referral
):
    theirs = ReferralFactory(organisation=organisation, referrer=other_referrer)
    for referral in (theirs, other_org_referral, new_referral):
        response = referrer_client.get(reverse("referrals:partner_detail", args=[referral.pk]))
        assert response.status_code == 404


# Who may open what ----------------------------------------------------------------------------

ROUTES = {
    "list": ("get", lambda referral: reverse("referrals:partner_list")),
    "new": ("get", lambda referral: reverse("referrals:partner_new")),
    "new_post": ("post", lambda referral: reverse("referrals:partner_new")),
    "detail": ("get", lambda referral: reverse("referrals:partner_detail", args=[referral.pk])),
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("route", ROUTES)
def test_partner_pages_are_for_referrers_only(request, client_for, person, route, partner_referral):
    method, path = ROUTES[route]
    url = path(partner_referral)
    client = Client() if person == "anonymous" else client_for(request.getfixturevalue(person))
    response = getattr(client, method)(url, {} if method == "post" else None)
    if person == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    elif person == "referrer":
        assert response.status_code == 200
    else:
        assert response.status_code == 404
    assert Referral.objects.count() == 1
