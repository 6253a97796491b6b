"""The match-offers API: a mentor's and a mentee's offers, and their answers. The same rules as the
pages, by session or token; the other person's contact details never appear."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from accounts.services import api_token_create
from matching.models import MatchProposal, ProposalStatus
from mentoring.models import Relationship
from referrals.models import Referral, Status
from tests.matching.factories import MatchProposalFactory
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/match-offers/"
PEOPLE = [
    "anonymous",
    "mentee",
    "other_mentee",
    "mentor",
    "other_mentor",
    "supervisor",
    "coordinator",
    "admin",
    "referrer",
    "outsider",
    "other_org_coordinator",
]
OFFER_FIELDS = {
    "id",
    "status",
    "status_label",
    "can_answer",
    "respond_by",
    "reasons",
    "introduction",
    "answering_as",
}
MENTOR_VIEW = OFFER_FIELDS | {"mentee", "current_mentees", "capacity"}
MENTEE_VIEW = OFFER_FIELDS | {"mentor", "asked_for_this_mentor"}
MENTEE_SUMMARY = {"first_name", "support_areas", "languages", "formats", "availability", "area"}
MENTOR_PUBLIC = {
    "display_name",
    "bio",
    "specialisms",
    "gender",
    "lived_experience",
    "languages",
    "formats",
}


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


def client_as(person, request, client_for):
    if person == "anonymous":
        return Client()
    return client_for(request.getfixturevalue(person))


def token_client(user, organisation):
    _, key = api_token_create(actor=None, user=user, organisation=organisation, name="App")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


# Access ----------------------------------------------------------------------------------------

READS = {
    # path: who gets 200 (everyone else signed in: 404; anonymous: 401)
    LIST: ["mentee", "other_mentee", "mentor", "other_mentor"],
    LIST + "{offer}/": ["mentee", "mentor"],
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", list(READS))
def test_read_access(path, person, request, client_for, mentee_offer):
    url = path.format(offer=mentee_offer.pk)
    response = client_as(person, request, client_for).get(url)
    if person == "anonymous":
        assert response.status_code == 401
        return
    expected = 200 if person in READS[path] else 404
    assert response.status_code == expected, f"{person} GET {url}"


ANSWERS = {
    # path: ({person: status}, fixture in the right state, body). Everyone else signed in gets
    # 404. Once the mentor has said yes the offer is still theirs to see: saying yes again is a
    # no-op, and saying no is refused.
    LIST + "{offer}/accept/": ({"mentor": 200}, "offered_proposal", {}),
    LIST + "{offer}/decline/": ({"mentor": 200}, "offered_proposal", {"reason": "Too busy"}),
    LIST + "{offer}/accept/#mentee": ({"mentee": 200, "mentor": 200}, "mentee_offer", {}),
    LIST + "{offer}/decline/#mentee": ({"mentee": 200, "mentor": 400}, "mentee_offer", {}),
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", list(ANSWERS))
def test_answer_access(path, person, request, client_for):
    allowed, fixture, body = ANSWERS[path]
    offer = request.getfixturevalue(fixture)
    url = path.split("#")[0].format(offer=offer.pk)
    response = post(client_as(person, request, client_for), url, body)
    if person == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code == allowed.get(person, 404), f"{person} POST {url}"
    if response.status_code != 200 or (person == "mentor" and fixture == "mentee_offer"):
        assert MatchProposal.objects.get(pk=offer.pk).status == offer.status


@pytest.mark.parametrize("person", ["mentor", "mentee"])
def test_access_by_token(person, request, organisation, mentee_offer):
    client = token_client(request.getfixturevalue(person), organisation)
    assert client.get(LIST).status_code == 200
    assert client.get(f"{LIST}{mentee_offer.pk}/").status_code == 200


def test_a_token_for_another_organisation_sees_nothing_here(
    mentor, other_organisation, mentee_offer
):
    from tests.factories import MembershipFactory

    MembershipFactory(organisation=other_organisation, user=mentor, role="mentor")
    client = token_client(mentor, other_organisation)
    assert client.get(LIST).json()["results"] == []
    assert client.get(f"{LIST}{mentee_offer.pk}/").status_code == 404


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_offers_cannot_be_changed_directly(method, client_for, mentor, offered_proposal):
    response = getattr(client_for(mentor), method)(
        f"{LIST}{offered_proposal.pk}/", {}, content_type="application/json"
    )
    assert response.status_code == 405


# What each side sees ---------------------------------------------------------------------------


def test_the_mentor_sees_what_they_need_and_no_contact_details(
    client_for, mentor, offered_proposal, django_assert_max_num_queries
):
    Referral.objects.filter(pk=offered_proposal.referral_id).update(
        preferred_name="Sam", area="Northgate", phone="07700 900123"
    )
    offered_proposal.reasons = ["Both free on Monday evenings", "Waiting 35 days — prioritised"]
    offered_proposal.save(update_fields=["reasons"])
    client = client_for(mentor)
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    [offer] = response.json()["results"]
    assert set(offer) == MENTOR_VIEW
    assert set(offer["mentee"]) == MENTEE_SUMMARY
    assert offer["id"] == offered_proposal.pk
    assert offer["answering_as"] == "mentor"
    assert (offer["status"], offer["status_label"]) == ("with_mentor", "Waiting for your answer")
    assert offer["can_answer"] is True
    assert offer["mentee"] == {
        "first_name": "Sam",
        "support_areas": ["Anxiety"],
        "languages": ["English"],
        "formats": ["Video call"],
        "availability": ["Monday evening"],
        "area": "Northgate",
    }
    assert offer["reasons"] == ["Both free on Monday evenings"]
    assert (offer["current_mentees"], offer["capacity"]) == (0, 2)
    assert offer["introduction"] is None
    raw = response.content.decode()
    for hidden in ("07700", offered_proposal.referral.email, "Waiting 35", "hopes"):
        assert hidden not in raw


def test_the_list_stays_at_a_fixed_number_of_queries(
    client_for, mentor, matchable_profile, organisation, django_assert_max_num_queries
):
    now = timezone.now()
    for _ in range(6):
        MatchProposalFactory(
            referral=ReferralFactory(organisation=organisation),
            mentor=matchable_profile,
            status=ProposalStatus.MENTOR_DECLINED,
            approved_at=now,
        )
    client = client_for(mentor)
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    assert response.json()["count"] == 6


def test_the_mentee_sees_the_mentors_public_profile_only(client_for, mentee, mentee_offer, mentor):
    response = client_for(mentee).get(LIST)
    [offer] = response.json()["results"]
    assert set(offer) == MENTEE_VIEW
    assert set(offer["mentor"]) == MENTOR_PUBLIC
    assert offer["answering_as"] == "mentee"
    assert offer["mentor"]["display_name"] == mentee_offer.mentor.display_name
    assert offer["mentor"]["gender"] == ""
    assert offer["mentor"]["lived_experience"] == ["Anxiety"]
    assert offer["can_answer"] is True
    raw = response.content.decode()
    assert mentor.email not in raw and mentor.name not in raw


def test_the_mentee_sees_no_offer_before_the_mentor_says_yes(client_for, mentee, offered_proposal):
    assert client_for(mentee).get(LIST).json()["results"] == []
    response = post(client_for(mentee), f"{LIST}{offered_proposal.pk}/accept/")
    assert response.status_code == 404


# Answers ----------------------------------------------------------------------------------------


def test_mentor_then_mentee_say_yes(client_for, mentor, mentee, offered_proposal):
    response = post(client_for(mentor), f"{LIST}{offered_proposal.pk}/accept/")
    assert response.status_code == 200
    assert response.json()["status"] == "with_mentee"
    response = post(client_for(mentee), f"{LIST}{offered_proposal.pk}/accept/")
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert response.json()["can_answer"] is False
    assert Relationship.objects.count() == 1
    assert Referral.objects.get(pk=offered_proposal.referral_id).status == Status.MATCHED
    again = post(client_for(mentee), f"{LIST}{offered_proposal.pk}/accept/")
    assert again.status_code == 200
    assert Relationship.objects.count() == 1


def test_a_mentor_declines_with_a_reason(client_for, mentor, offered_proposal):
    client = client_for(mentor)
    response = post(client, f"{LIST}{offered_proposal.pk}/decline/", {"reason": ""})
    assert response.status_code == 400
    assert "reason" in response.json()
    response = post(client, f"{LIST}{offered_proposal.pk}/decline/", {"reason": "Away."})
    assert response.status_code == 200
    assert response.json()["status"] == "mentor_declined"
    offered_proposal.refresh_from_db()
    assert offered_proposal.decline_reason == "Away."


def test_a_mentee_declines_without_a_reason(client_for, mentee, mentee_offer):
    response = post(client_for(mentee), f"{LIST}{mentee_offer.pk}/decline/")
    assert response.status_code == 200
    assert response.json()["status"] == "mentee_declined"
    assert response.json()["status_label"] == "You said you would rather not"


def test_an_expired_offer_cannot_be_answered(client_for, mentor, offered_proposal):
    MatchProposal.objects.filter(pk=offered_proposal.pk).update(
        respond_by=timezone.now() - timedelta(minutes=1)
    )
    response = post(client_for(mentor), f"{LIST}{offered_proposal.pk}/accept/")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["This offer has expired."]}


def test_a_reason_that_is_too_long_is_refused(client_for, mentor, offered_proposal):
    response = post(
        client_for(mentor), f"{LIST}{offered_proposal.pk}/decline/", {"reason": "x" * 2001}
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    assert MatchProposal.objects.get().status == ProposalStatus.WITH_MENTOR
