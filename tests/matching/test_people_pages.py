"""The mentor's and mentee's match pages, the coordinator recording a mentee's answer, and the
introduction page: who may open them, what they show (and never show), and each action."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Language
from matching import dashboard
from matching.models import MatchProposal, Origin, ProposalStatus
from matching.services.introductions import introduction_schedule
from matching.services.responses import proposal_mentee_respond, proposal_mentor_respond
from mentoring.models import Relationship
from referrals.models import Referral, Status
from tests.factories import UserFactory
from tests.matching.factories import MatchProposalFactory, RelationshipFactory
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db

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
STAFF = ["coordinator", "admin"]

PRIVATE_REASONS = [
    "Waiting 35 days — prioritised",
    "Mentor's age (41) is in the preferred range 30–50",
    "Preference not met: mentor gender woman (mentor: man)",
]


def client_as(person, request, client_for):
    if person == "anonymous":
        return Client()
    return client_for(request.getfixturevalue(person))


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def relationship(organisation, mentor_profile):
    return RelationshipFactory(
        referral=ReferralFactory(
            organisation=organisation,
            status=Status.MATCHED,
            full_name="Robin Matched",
            mentee=UserFactory(),
        ),
        mentor=mentor_profile,
    )


@pytest.fixture
def detailed_offer(offered_proposal, english, areas):
    """The mentor's offer with what a mentor may see, and things they must never see."""
    referral = offered_proposal.referral
    Referral.objects.filter(pk=referral.pk).update(
        full_name="Samira Quinlan-Hart",
        preferred_name="Sam",
        phone="07700 900123",
        email="samira@example.net",
        area="Northgate",
        hopes="To feel brave enough to go back to the allotment.",
        formats=["video", "in_person"],
        availability_slots=["mon_evening", "sat_morning"],
    )
    referral.languages.set([english, Language.objects.get(code="pl")])
    offered_proposal.reasons = [
        "Shares lived experience of Anxiety",
        "Both free on Monday evenings",
        *PRIVATE_REASONS,
    ]
    offered_proposal.save(update_fields=["reasons"])
    return offered_proposal


# Access ----------------------------------------------------------------------------------------

GET_PAGES = {
    "/matching/offers/": ["mentor", "other_mentor"],
    "/matching/offers/{offer}/": ["mentor"],
    "/matching/my-match/": ["mentee", "other_mentee"],
    "/matching/proposals/{offer}/respond-for-mentee/": STAFF,
    "/matching/relationships/{relationship}/introduction/": STAFF,
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", list(GET_PAGES))
def test_page_access(path, person, request, client_for, mentee_offer, relationship):
    url = path.format(offer=mentee_offer.pk, relationship=relationship.pk)
    response = client_as(person, request, client_for).get(url)
    if person == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response.url
    else:
        expected = 200 if person in GET_PAGES[path] else 404
        assert response.status_code == expected, f"{person} opening {url}"


POST_ACTIONS = {
    # path: (who may, the fixture in the right state, the form)
    "/matching/offers/{offer}/": (["mentor"], "offered_proposal", {"answer": "accept"}),
    "/matching/my-match/": (["mentee"], "mentee_offer", {"answer": "accept", "offer": "{offer}"}),
    "/matching/proposals/{offer}/respond-for-mentee/": (
        STAFF,
        "mentee_offer",
        {"answer": "decline", "reason": ""},
    ),
    "/matching/relationships/{relationship}/introduction/": (
        STAFF,
        "relationship",
        {"date": "2099-03-02", "time": "18:00", "format": "phone", "place": ""},
    ),
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", list(POST_ACTIONS))
def test_action_access(path, person, request, client_for, relationship):
    allowed, fixture, data = POST_ACTIONS[path]
    target = request.getfixturevalue(fixture)
    offer = target.pk if isinstance(target, MatchProposal) else 0
    url = path.format(offer=offer, relationship=relationship.pk)
    data = {key: value.format(offer=offer) for key, value in data.items()}
    response = client_as(person, request, client_for).post(url, data)
    if person == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response.url
    else:
        expected = 302 if person in allowed else 404
        assert response.status_code == expected, f"{person} posting to {url}"
    if person not in allowed and isinstance(target, MatchProposal):
        assert MatchProposal.objects.get(pk=target.pk).status == target.status


def test_pages_refuse_other_methods(client_for, mentor, offered_proposal):
    assert client_for(mentor).delete(f"/matching/offers/{offered_proposal.pk}/").status_code == 405
    assert client_for(mentor).post("/matching/offers/").status_code == 405


def test_a_mentor_cannot_open_or_answer_another_mentors_offer(
    client_for, other_mentor, other_mentor_profile, offered_proposal
):
    client = client_for(other_mentor)
    assert client.get(f"/matching/offers/{offered_proposal.pk}/").status_code == 404
    response = client.post(f"/matching/offers/{offered_proposal.pk}/", {"answer": "accept"})
    assert response.status_code == 404
    assert MatchProposal.objects.get().status == ProposalStatus.WITH_MENTOR


def test_a_pair_the_coordinator_has_not_sent_is_not_shown_to_the_mentor(
    client_for, mentor, proposal
):
    client = client_for(mentor)
    assert client.get(f"/matching/offers/{proposal.pk}/").status_code == 404
    MatchProposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.REJECTED)
    assert client.get(f"/matching/offers/{proposal.pk}/").status_code == 404
    assert "A match with" not in text_of(client.get("/matching/offers/"))


# The mentor's offers ---------------------------------------------------------------------------


def test_the_mentor_sees_the_offer_waiting_first_then_earlier_ones(
    client_for, mentor, matchable_profile, organisation, django_assert_max_num_queries
):
    now = timezone.now()
    for name, status in [
        ("Ada", ProposalStatus.MENTOR_DECLINED),
        ("Bea", ProposalStatus.ACCEPTED),
        ("Cai", ProposalStatus.EXPIRED),
    ]:
        MatchProposalFactory(
            referral=ReferralFactory(organisation=organisation, full_name=f"{name} Example"),
            mentor=matchable_profile,
            status=status,
            approved_at=now - timedelta(days=10),
        )
    waiting = MatchProposalFactory(
        referral=ReferralFactory(
            organisation=organisation,
            full_name="Dev Example",
            status=Status.WAITING,
            phone="07700 900999",
        ),
        mentor=matchable_profile,
        status=ProposalStatus.WITH_MENTOR,
        approved_at=now,
        respond_by=now + timedelta(days=7),
    )
    client = client_for(mentor)
    with django_assert_max_num_queries(6):
        response = client.get("/matching/offers/")
    page = text_of(response)
    assert page.index("A match with Dev") < page.index("Earlier matches")
    assert f"/matching/offers/{waiting.pk}/" in page
    for name in ("Ada", "Bea", "Cai"):
        assert page.index("Earlier matches") < page.index(name)
    assert "You said not this time" in page and "Match confirmed" in page
    assert "Dev Example" not in page and "07700" not in page


def test_the_offer_page_shows_what_the_mentor_needs_and_nothing_more(
    client_for, mentor, detailed_offer
):
    page = text_of(client_for(mentor).get(f"/matching/offers/{detailed_offer.pk}/"))
    assert '<h1 class="h2 mb-1">A possible match with Sam</h1>' in page
    for shown in (
        "Anxiety",
        "English, Polish",
        "Video call, In person",
        "Monday evening, Saturday morning",
        "Northgate",
        "Shares lived experience of Anxiety",
        "Both free on Monday evenings",
        "You are not mentoring anyone at the moment",
        "would make it 1 of the 2",
        detailed_offer.respond_by.strftime("%A"),
        "Saying no is fine, and it does not count against you",
    ):
        assert shown in page, shown
    for hidden in (
        "Samira",
        "Quinlan",
        "07700",
        "samira@example.net",
        "allotment",
        *PRIVATE_REASONS,
    ):
        assert hidden not in page, hidden


def test_mentor_says_yes_on_the_page(client_for, mentor, offered_proposal):
    client = client_for(mentor)
    url = f"/matching/offers/{offered_proposal.pk}/"
    response = client.post(url, {"answer": "accept"})
    assert response.status_code == 302 and response.url == url
    offered_proposal.refresh_from_db()
    assert offered_proposal.status == ProposalStatus.WITH_MENTEE
    page = text_of(client.get(url))
    assert "Thank you for saying yes" in page
    assert "What happens next" in page
    assert "We will email you either way" in page
    assert 'value="accept"' not in page


def test_mentor_says_not_this_time_with_a_reason(client_for, mentor, offered_proposal):
    client = client_for(mentor)
    url = f"/matching/offers/{offered_proposal.pk}/"
    response = client.post(url, {"answer": "decline", "reason": "Away for most of March."})
    assert response.status_code == 302
    offered_proposal.refresh_from_db()
    assert offered_proposal.status == ProposalStatus.MENTOR_DECLINED
    assert offered_proposal.decline_reason == "Away for most of March."
    page = text_of(client.get(url))
    assert "They keep their place on the waiting list" in page
    assert "Away for most of March." in page


def test_declining_without_a_reason_asks_for_one_next_to_the_field(
    client_for, mentor, offered_proposal
):
    response = client_for(mentor).post(
        f"/matching/offers/{offered_proposal.pk}/", {"answer": "decline", "reason": " "}
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Some answers need another look" in page
    assert 'aria-invalid="true"' in page
    assert MatchProposal.objects.get().status == ProposalStatus.WITH_MENTOR


def test_a_too_long_reason_is_kept_for_the_mentor_to_shorten(client_for, mentor, offered_proposal):
    typed = "Busy. " * 400
    response = client_for(mentor).post(
        f"/matching/offers/{offered_proposal.pk}/", {"answer": "decline", "reason": typed}
    )
    assert response.status_code == 200
    assert typed.strip()[:60] in response.content.decode()
    assert "at most 2000 characters" in text_of(response)


def test_an_unknown_answer_changes_nothing(client_for, mentor, offered_proposal):
    response = client_for(mentor).post(f"/matching/offers/{offered_proposal.pk}/", {"answer": "?"})
    assert response.status_code == 200
    assert MatchProposal.objects.get().status == ProposalStatus.WITH_MENTOR


def test_an_expired_offer_says_so(client_for, mentor, offered_proposal):
    MatchProposal.objects.filter(pk=offered_proposal.pk).update(
        respond_by=timezone.now() - timedelta(hours=1)
    )
    client = client_for(mentor)
    url = f"/matching/offers/{offered_proposal.pk}/"
    page = text_of(client.get(url))
    assert 'value="accept"' not in page
    assert "no longer open" in page
    response = client.post(url, {"answer": "accept"}, follow=True)
    assert "This offer has expired." in text_of(response)


# The mentee's page -----------------------------------------------------------------------------


def test_the_mentee_sees_nothing_before_the_mentor_says_yes(client_for, mentee, offered_proposal):
    page = text_of(client_for(mentee).get("/matching/my-match/"))
    assert "There is nothing here yet" in page
    assert offered_proposal.mentor.display_name not in page


def test_the_mentee_sees_the_mentors_public_profile(client_for, mentee, mentee_offer, mentor):
    mentee_offer.reasons = ["Speaks English", *PRIVATE_REASONS]
    mentee_offer.save(update_fields=["reasons"])
    profile = mentee_offer.mentor
    profile.gender = "Woman"
    profile.specialisms = "Getting out and about"
    profile.save(update_fields=["gender", "specialisms"])
    page = text_of(client_for(mentee).get("/matching/my-match/"))
    assert "A mentor has been suggested for you" in page
    for shown in (
        profile.display_name,
        "I have lived with anxiety for years",
        "Getting out and about",
        "Anxiety",
        "English",
        "Video call, In person",
        "Speaks English",
        mentee_offer.respond_by.strftime("%A"),
        "You do not have to give a reason",
        "You keep your place on the waiting list",
    ):
        assert shown in page, shown
    for hidden in ("Woman", mentor.email, mentor.name, *PRIVATE_REASONS):
        assert hidden not in page, hidden

    profile.show_gender = True
    profile.save(update_fields=["show_gender"])
    assert "Woman" in text_of(client_for(mentee).get("/matching/my-match/"))


def test_a_mentee_who_asked_for_this_mentor_is_reminded_of_it(client_for, mentee, mentee_offer):
    MatchProposal.objects.filter(pk=mentee_offer.pk).update(origin=Origin.REQUEST)
    page = text_of(client_for(mentee).get("/matching/my-match/"))
    assert f"You asked for {mentee_offer.mentor.display_name}" in page


def test_mentee_says_yes_on_the_page(client_for, mentee, mentee_offer):
    client = client_for(mentee)
    response = client.post(
        "/matching/my-match/", {"answer": "accept", "offer": str(mentee_offer.pk)}
    )
    assert response.status_code == 302 and response.url == "/matching/my-match/"
    assert Relationship.objects.count() == 1
    page = text_of(client.get("/matching/my-match/"))
    assert "Your match is confirmed" in page
    assert '<h1 class="h2 mb-3">Your mentor</h1>' in page
    assert "Your coordinator will be in touch to arrange a first meeting" in page


def test_mentee_would_rather_not_and_needs_no_reason(client_for, mentee, mentee_offer):
    client = client_for(mentee)
    response = client.post(
        "/matching/my-match/", {"answer": "decline", "offer": str(mentee_offer.pk), "reason": ""}
    )
    assert response.status_code == 302
    mentee_offer.refresh_from_db()
    assert mentee_offer.status == ProposalStatus.MENTEE_DECLINED
    page = text_of(client.get("/matching/my-match/"))
    assert "That is completely fine" in page
    assert "You keep your place on the waiting list" in page
    assert 'value="accept"' not in page


def test_a_mentee_cannot_answer_someone_elses_offer(client_for, other_mentee, mentee_offer):
    response = client_for(other_mentee).post(
        "/matching/my-match/", {"answer": "accept", "offer": str(mentee_offer.pk)}
    )
    assert response.status_code == 404
    assert not Relationship.objects.exists()


def test_a_missing_offer_number_is_a_404(client_for, mentee, mentee_offer):
    response = client_for(mentee).post("/matching/my-match/", {"answer": "accept", "offer": "x"})
    assert response.status_code == 404


def test_the_mentee_sees_the_arranged_introduction(client_for, mentee, mentee_offer, coordinator):
    client_for(mentee).post(
        "/matching/my-match/", {"answer": "accept", "offer": str(mentee_offer.pk)}
    )
    relationship = Relationship.objects.get()
    client_for(coordinator).post(
        f"/matching/relationships/{relationship.pk}/introduction/",
        {
            "date": "2099-03-02",
            "time": "18:00",
            "format": "in_person",
            "place": "The Riverside Café",
            "coordinator_present": "on",
        },
    )
    page = text_of(client_for(mentee).get("/matching/my-match/"))
    assert "Monday 2 March 2099, 18:00" in page
    assert "The Riverside Café" in page
    assert "Will be there too" in page


# A coordinator records the mentee's answer -----------------------------------------------------


def test_coordinator_records_a_yes_and_goes_on_to_the_introduction(
    client_for, coordinator, mentee_offer
):
    client = client_for(coordinator)
    url = f"/matching/proposals/{mentee_offer.pk}/respond-for-mentee/"
    page = text_of(client.get(url))
    assert f"Record {mentee_offer.referral.full_name}'s answer" in page
    assert f"/referrals/{mentee_offer.referral_id}/" in page
    response = client.post(url, {"answer": "accept", "reason": ""})
    relationship = Relationship.objects.get()
    assert response.status_code == 302
    assert response.url == f"/matching/relationships/{relationship.pk}/introduction/"


def test_coordinator_records_a_no(client_for, coordinator, mentee_offer):
    client = client_for(coordinator)
    url = f"/matching/proposals/{mentee_offer.pk}/respond-for-mentee/"
    client.post(url, {"answer": "decline", "reason": "Wants to wait until after the summer."})
    mentee_offer.refresh_from_db()
    assert mentee_offer.status == ProposalStatus.MENTEE_DECLINED
    page = text_of(client.get(url))
    assert "Nothing to record" in page
    assert "Wants to wait until after the summer." in page


def test_recording_needs_an_answer(client_for, coordinator, mentee_offer):
    response = client_for(coordinator).post(
        f"/matching/proposals/{mentee_offer.pk}/respond-for-mentee/", {"reason": "Kept"}
    )
    assert response.status_code == 200
    assert "Some answers need another look" in text_of(response)
    assert "Kept" in text_of(response)


def test_a_yes_for_someone_without_an_account_is_explained(client_for, coordinator, mentee_offer):
    Referral.objects.filter(pk=mentee_offer.referral_id).update(mentee=None)
    client = client_for(coordinator)
    url = f"/matching/proposals/{mentee_offer.pk}/respond-for-mentee/"
    assert "has no account yet" in text_of(client.get(url))
    response = client.post(url, {"answer": "accept"})
    assert response.status_code == 200
    assert "a coordinator needs to add an email address first" in text_of(response)


def test_nothing_to_record_while_the_mentor_decides(client_for, coordinator, offered_proposal):
    page = text_of(
        client_for(coordinator).get(
            f"/matching/proposals/{offered_proposal.pk}/respond-for-mentee/"
        )
    )
    assert "The mentor has not answered yet" in page
    assert 'name="answer"' not in page


# The introduction ------------------------------------------------------------------------------


def test_coordinator_arranges_then_changes_the_introduction(client_for, coordinator, relationship):
    client = client_for(coordinator)
    url = f"/matching/relationships/{relationship.pk}/introduction/"
    assert "Arrange the introduction" in text_of(client.get(url))
    response = client.post(
        url,
        {"date": "2099-03-02", "time": "18:00", "format": "video", "place": "https://v.example/1"},
        follow=True,
    )
    page = text_of(response)
    assert "The introduction is arranged." in page
    assert "https://v.example/1" in page
    assert 'value="2099-03-02"' in page and 'value="18:00"' in page
    relationship.refresh_from_db()
    assert timezone.localtime(relationship.introduction_at).hour == 18

    response = client.post(
        url,
        {"date": "2099-03-03", "time": "10:00", "format": "phone", "place": ""},
        follow=True,
    )
    assert "The introduction is changed." in text_of(response)


def test_introduction_problems_are_shown_next_to_the_fields_with_values_kept(
    client_for, coordinator, relationship
):
    client = client_for(coordinator)
    url = f"/matching/relationships/{relationship.pk}/introduction/"
    response = client.post(
        url, {"date": "2001-01-01", "time": "09:15", "format": "in_person", "place": ""}
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Choose a date and time in the future." in page
    assert "Say where they will meet" in page
    assert 'value="2001-01-01"' in page and 'value="09:15"' in page
    assert page.count('aria-invalid="true"') >= 2
    assert Relationship.objects.get().introduction_at is None


def test_introduction_needs_a_date_and_time(client_for, coordinator, relationship):
    response = client_for(coordinator).post(
        f"/matching/relationships/{relationship.pk}/introduction/",
        {"date": "", "time": "", "format": "phone"},
    )
    assert response.status_code == 200
    assert "Some answers need another look" in text_of(response)


def test_a_started_relationship_has_no_introduction_form(client_for, coordinator, relationship):
    Relationship.objects.filter(pk=relationship.pk).update(status="active")
    page = text_of(
        client_for(coordinator).get(f"/matching/relationships/{relationship.pk}/introduction/")
    )
    assert "can no longer be changed" in page
    assert 'name="date"' not in page


def test_a_mentees_too_long_note_is_kept_for_them_to_shorten(client_for, mentee, mentee_offer):
    typed = "Not now. " * 300
    response = client_for(mentee).post(
        "/matching/my-match/",
        {"answer": "decline", "offer": str(mentee_offer.pk), "reason": typed},
    )
    assert response.status_code == 200
    assert typed.strip()[:60] in response.content.decode()
    assert "at most 2000 characters" in text_of(response)
    assert MatchProposal.objects.get().status == ProposalStatus.WITH_MENTEE


# For the home pages ----------------------------------------------------------------------------


def test_dashboard_helpers_count_what_waits_for_each_person(
    mentor, mentee, organisation, offered_proposal, coordinator
):
    assert dashboard.mentor_offer_count(mentor, organisation) == 1
    assert dashboard.mentee_offer(mentee, organisation) is None  # not before the mentor says yes

    proposal_mentor_respond(actor=mentor, proposal=offered_proposal, accept=True)
    assert dashboard.mentor_offer_count(mentor, organisation) == 0
    assert dashboard.mentee_offer(mentee, organisation) == offered_proposal

    proposal = proposal_mentee_respond(actor=mentee, proposal=offered_proposal, accept=True)
    assert dashboard.mentee_offer(mentee, organisation) is None
    assert dashboard.upcoming_introductions(mentee, organisation) == []
    relationship = proposal.relationship
    introduction_schedule(
        actor=coordinator,
        relationship=relationship,
        when=timezone.now() + timedelta(days=3),
        format="phone",
        place="",
        coordinator_present=False,
    )
    assert dashboard.upcoming_introductions(mentee, organisation) == [relationship]
    assert dashboard.upcoming_introductions(mentor, organisation) == [relationship]


def test_an_offer_past_its_date_is_not_counted(mentor, organisation, offered_proposal):
    MatchProposal.objects.filter(pk=offered_proposal.pk).update(
        respond_by=timezone.now() - timedelta(minutes=1)
    )
    assert dashboard.mentor_offer_count(mentor, organisation) == 0
