"""The coordinator's decisions on a match: proposing a mentor by hand, approving, rejecting,
swapping and undoing, and the places used for distances. Each transition, each refusal, the
audit rows and the (content-free) emails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from matching.models import MatchingSettings, MatchProposal, Origin, Place, ProposalStatus
from matching.services.places import place_create, place_delete
from matching.services.proposals import (
    SWAPPED,
    mentor_fit,
    proposal_approve,
    proposal_create,
    proposal_reject,
    proposal_swap,
    proposal_undo,
    suggestions_for,
)
from mentoring.models import RelationshipStatus
from mentors.models import MentorRequest, MentorRequestStatus
from referrals.models import Status
from tests.matching.factories import PlaceFactory, RelationshipFactory
from tests.matching.test_runs import make_mentor

pytestmark = pytest.mark.django_db


def fresh(proposal: MatchProposal) -> MatchProposal:
    return MatchProposal.objects.get(pk=proposal.pk)


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


@pytest.fixture
def second_mentor(organisation, english):
    """Another certified mentor who also fits the shared mentee (English, Monday evening)."""
    return make_mentor(organisation, "Sasha", languages=["en"], slots=["mon_evening"])


@pytest.fixture
def polish_only_mentor(organisation):
    return make_mentor(organisation, "Marek", languages=["pl"], slots=["mon_evening"])


@pytest.fixture
def mentor_request(organisation, mentee, matchable_profile):
    return MentorRequest.objects.create(
        organisation=organisation, mentee=mentee, profile=matchable_profile
    )


# Proposing by hand ----------------------------------------------------------------------------


def test_the_best_mentors_for_one_person_come_from_the_engine(
    matchable_referral, matchable_profile, second_mentor, polish_only_mentor
):
    found = suggestions_for(matchable_referral)
    assert {fit.profile for fit in found} == {matchable_profile, second_mentor}
    assert all(fit.possible and fit.reasons and 0 < fit.score <= 1 for fit in found)


def test_a_coordinator_proposes_a_mentor_from_the_suggestions(
    coordinator, matchable_referral, matchable_profile
):
    proposal = proposal_create(
        actor=coordinator, referral=matchable_referral, mentor=matchable_profile
    )
    expected = mentor_fit(matchable_referral, matchable_profile)
    assert proposal.status == ProposalStatus.PROPOSED
    assert proposal.origin == Origin.SUGGESTION
    assert proposal.created_by == coordinator
    assert proposal.score == pytest.approx(expected.score, abs=1e-4)
    assert proposal.reasons == list(expected.reasons)
    assert "Both free on Monday evenings" in proposal.reasons
    event = AuditEvent.objects.get(action="match.proposed")
    assert event.metadata == {"origin": "suggestion"}


def test_proposing_the_mentor_the_mentee_asked_for_records_the_request(
    coordinator, matchable_referral, matchable_profile, mentor_request
):
    proposal = proposal_create(
        actor=coordinator,
        referral=matchable_referral,
        mentor=matchable_profile,
        mentor_request=mentor_request,
    )
    assert proposal.origin == Origin.REQUEST
    assert proposal.mentor_request == mentor_request


def test_a_request_from_someone_else_is_refused(
    coordinator, matchable_referral, second_mentor, mentor_request
):
    with pytest.raises(ValidationError, match="different person or mentor"):
        proposal_create(
            actor=coordinator,
            referral=matchable_referral,
            mentor=second_mentor,
            mentor_request=mentor_request,
        )


def test_a_mentor_the_engine_would_not_allow_is_refused_with_the_reason(
    coordinator, matchable_referral, polish_only_mentor
):
    with pytest.raises(ValidationError) as refused:
        proposal_create(actor=coordinator, referral=matchable_referral, mentor=polish_only_mentor)
    assert refused.value.messages == [
        "This mentor cannot be matched with this person: they do not share a language."
    ]
    assert not MatchProposal.objects.exists()


def test_a_mentor_with_no_places_left_is_refused(
    coordinator, organisation, matchable_referral, matchable_profile
):
    matchable_profile.capacity = 1
    matchable_profile.save()
    RelationshipFactory(mentor=matchable_profile, referral__organisation=organisation)
    with pytest.raises(ValidationError, match="they have no places left"):
        proposal_create(actor=coordinator, referral=matchable_referral, mentor=matchable_profile)


def test_a_mentor_not_taking_mentees_is_refused(coordinator, matchable_referral, matchable_profile):
    matchable_profile.is_available = False
    matchable_profile.save()
    with pytest.raises(ValidationError, match="not taking new mentees"):
        proposal_create(actor=coordinator, referral=matchable_referral, mentor=matchable_profile)


def test_another_organisations_mentor_is_refused(
    coordinator, matchable_referral, other_organisation
):
    elsewhere = make_mentor(other_organisation, "Far", languages=["en"], slots=["mon_evening"])
    with pytest.raises(ValidationError, match="not taking new mentees"):
        proposal_create(actor=coordinator, referral=matchable_referral, mentor=elsewhere)


def test_someone_with_a_match_on_its_way_cannot_get_another(coordinator, proposal, second_mentor):
    with pytest.raises(ValidationError, match="already has a match on its way"):
        proposal_create(actor=coordinator, referral=proposal.referral, mentor=second_mentor)


def test_proposing_the_same_pair_twice_is_one_proposal(coordinator, proposal):
    again = proposal_create(actor=coordinator, referral=proposal.referral, mentor=proposal.mentor)
    assert again == proposal
    assert MatchProposal.objects.count() == 1


def test_someone_not_waiting_cannot_be_proposed(coordinator, matchable_referral, matchable_profile):
    matchable_referral.status = Status.INTAKE
    matchable_referral.save()
    with pytest.raises(ValidationError, match="no longer on the waiting list"):
        proposal_create(actor=coordinator, referral=matchable_referral, mentor=matchable_profile)


# Approving ------------------------------------------------------------------------------------


def test_approving_offers_the_match_to_the_mentor_by_a_content_free_email(
    coordinator, organisation, proposal, django_capture_on_commit_callbacks
):
    MatchingSettings.objects.create(organisation=organisation, response_days=5)
    with django_capture_on_commit_callbacks(execute=True):
        approved = proposal_approve(actor=coordinator, proposal=proposal)

    assert approved.status == ProposalStatus.WITH_MENTOR
    assert approved.approved_by == coordinator
    assert approved.respond_by - approved.approved_at == timedelta(days=5)
    assert fresh(proposal).status == ProposalStatus.WITH_MENTOR
    assert actions() == ["match.approved"]

    (message,) = mail.outbox
    assert message.to == [proposal.mentor.user.email]
    assert message.subject == "Alongside: You have a new match to look at"
    assert f"/matching/offers/{proposal.pk}/" in message.body
    assert "5 days" in message.body
    referral = proposal.referral
    for private in (referral.full_name, "anxiety", "Anxiety", "Monday", *proposal.reasons):
        assert private not in message.body
        assert private not in message.subject


def test_approving_a_requested_match_marks_the_request_noted(
    coordinator, matchable_referral, matchable_profile, mentor_request
):
    proposal = proposal_create(
        actor=coordinator,
        referral=matchable_referral,
        mentor=matchable_profile,
        mentor_request=mentor_request,
    )
    proposal_approve(actor=coordinator, proposal=proposal)
    mentor_request.refresh_from_db()
    assert mentor_request.status == MentorRequestStatus.NOTED
    assert mentor_request.handled_by == coordinator
    assert mentor_request.handled_at is not None


def test_approving_twice_changes_nothing(coordinator, proposal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = proposal_approve(actor=coordinator, proposal=proposal)
        again = proposal_approve(actor=coordinator, proposal=proposal)
    assert again.approved_at == first.approved_at
    assert len(mail.outbox) == 1
    assert actions() == ["match.approved"]


@pytest.mark.parametrize(
    "status",
    [ProposalStatus.REJECTED, ProposalStatus.SUPERSEDED, ProposalStatus.WITH_MENTEE],
)
def test_only_a_proposal_waiting_for_review_can_be_approved(coordinator, proposal, status):
    proposal.status = status
    proposal.save()
    with pytest.raises(ValidationError, match="already been decided"):
        proposal_approve(actor=coordinator, proposal=proposal)


def test_a_match_for_someone_no_longer_waiting_cannot_be_approved(coordinator, proposal):
    proposal.referral.status = Status.WITHDRAWN
    proposal.referral.save()
    with pytest.raises(ValidationError, match="no longer on the waiting list"):
        proposal_approve(actor=coordinator, proposal=proposal)
    assert fresh(proposal).status == ProposalStatus.PROPOSED


def test_a_match_with_a_mentor_who_paused_cannot_be_approved(coordinator, proposal):
    proposal.mentor.is_available = False
    proposal.mentor.save()
    with pytest.raises(ValidationError, match="not taking new mentees"):
        proposal_approve(actor=coordinator, proposal=proposal)


# Rejecting ------------------------------------------------------------------------------------


def test_rejecting_needs_a_reason(coordinator, proposal):
    with pytest.raises(ValidationError) as refused:
        proposal_reject(actor=coordinator, proposal=proposal, reason="   ")
    assert "reason" in refused.value.message_dict
    assert fresh(proposal).status == ProposalStatus.PROPOSED


def test_a_rejected_pair_is_kept_with_its_reason_and_never_proposed_again(coordinator, proposal):
    proposal_reject(actor=coordinator, proposal=proposal, reason="  They are neighbours. ")
    rejected = fresh(proposal)
    assert rejected.status == ProposalStatus.REJECTED
    assert rejected.decline_reason == "They are neighbours."
    assert actions() == ["match.rejected"]
    assert "They are neighbours" not in str(AuditEvent.objects.get().metadata)

    fit = mentor_fit(proposal.referral, proposal.mentor)
    assert fit.why_not == "this pair was turned down before"
    with pytest.raises(ValidationError, match="turned down before"):
        proposal_create(actor=coordinator, referral=proposal.referral, mentor=proposal.mentor)


def test_rejecting_twice_changes_nothing(coordinator, proposal):
    proposal_reject(actor=coordinator, proposal=proposal, reason="Not right.")
    proposal_reject(actor=coordinator, proposal=proposal, reason="Still not right.")
    assert fresh(proposal).decline_reason == "Not right."
    assert actions() == ["match.rejected"]


def test_an_offered_match_is_undone_not_rejected(coordinator, offered_proposal):
    with pytest.raises(ValidationError, match="undo it instead"):
        proposal_reject(actor=coordinator, proposal=offered_proposal, reason="Changed my mind.")


# Swapping -------------------------------------------------------------------------------------


def test_swapping_rejects_the_pair_and_proposes_the_new_mentor(
    coordinator, proposal, second_mentor
):
    new = proposal_swap(actor=coordinator, proposal=proposal, mentor=second_mentor)

    old = fresh(proposal)
    assert old.status == ProposalStatus.REJECTED
    assert old.decline_reason == SWAPPED
    assert new.status == ProposalStatus.PROPOSED
    assert new.mentor == second_mentor
    assert new.referral == proposal.referral
    assert new.origin == Origin.SUGGESTION
    assert new.reasons
    assert actions() == ["match.rejected", "match.proposed"]


def test_swapping_twice_returns_the_same_new_proposal(coordinator, proposal, second_mentor):
    first = proposal_swap(actor=coordinator, proposal=proposal, mentor=second_mentor)
    again = proposal_swap(actor=coordinator, proposal=proposal, mentor=second_mentor)
    assert again == first
    assert MatchProposal.objects.count() == 2


def test_swapping_to_a_mentor_who_does_not_fit_changes_nothing(
    coordinator, proposal, polish_only_mentor
):
    with pytest.raises(ValidationError, match="do not share a language"):
        proposal_swap(actor=coordinator, proposal=proposal, mentor=polish_only_mentor)
    assert fresh(proposal).status == ProposalStatus.PROPOSED
    assert MatchProposal.objects.count() == 1


def test_swapping_to_the_same_mentor_is_refused(coordinator, proposal):
    with pytest.raises(ValidationError, match="different mentor"):
        proposal_swap(actor=coordinator, proposal=proposal, mentor=proposal.mentor)


def test_an_offered_match_cannot_be_swapped(coordinator, offered_proposal, second_mentor):
    with pytest.raises(ValidationError, match="already been decided"):
        proposal_swap(actor=coordinator, proposal=offered_proposal, mentor=second_mentor)


# Undoing --------------------------------------------------------------------------------------


def test_undoing_a_proposal_nobody_was_told_about_sends_nothing(
    coordinator, proposal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal_undo(actor=coordinator, proposal=proposal)
    assert fresh(proposal).status == ProposalStatus.UNDONE
    assert mail.outbox == []
    event = AuditEvent.objects.get(action="match.undone")
    assert event.metadata == {"from_status": "proposed"}


def test_undoing_an_offer_tells_the_mentor_only(
    coordinator, offered_proposal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal_undo(actor=coordinator, proposal=offered_proposal)
    (message,) = mail.outbox
    assert message.to == [offered_proposal.mentor.user.email]
    assert message.subject == "Alongside: A match will not go ahead"
    assert offered_proposal.referral.full_name not in message.body


def test_undoing_an_offer_with_the_mentee_tells_both(
    coordinator, mentee, mentee_offer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal_undo(actor=coordinator, proposal=mentee_offer)
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        [mentee_offer.mentor.user.email, mentee.email]
    )
    for message in mail.outbox:
        assert mentee_offer.mentor.display_name not in message.body
        assert mentee_offer.referral.full_name not in message.body


def test_a_mentee_who_does_not_want_email_is_not_emailed(
    coordinator, mentee_offer, django_capture_on_commit_callbacks
):
    mentee_offer.referral.email_ok = False
    mentee_offer.referral.save()
    with django_capture_on_commit_callbacks(execute=True):
        proposal_undo(actor=coordinator, proposal=mentee_offer)
    assert [m.to for m in mail.outbox] == [[mentee_offer.mentor.user.email]]


def test_undoing_an_accepted_match_before_the_introduction_puts_them_back_in_their_place(
    coordinator, mentee_offer
):
    referral = mentee_offer.referral
    waiting_since = referral.waiting_since
    relationship = RelationshipFactory(
        referral=referral, mentee=referral.mentee, mentor=mentee_offer.mentor
    )
    mentee_offer.status = ProposalStatus.ACCEPTED
    mentee_offer.relationship = relationship
    mentee_offer.mentee_responded_at = timezone.now()
    mentee_offer.save()
    referral.status = Status.MATCHED
    referral.save()

    proposal_undo(actor=coordinator, proposal=mentee_offer)

    assert fresh(mentee_offer).status == ProposalStatus.UNDONE
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.ENDED
    assert relationship.ended_at is not None
    referral.refresh_from_db()
    assert referral.status == Status.WAITING
    assert referral.waiting_since == waiting_since


def test_a_match_whose_mentoring_started_cannot_be_undone(coordinator, mentee_offer):
    relationship = RelationshipFactory(
        referral=mentee_offer.referral,
        mentee=mentee_offer.referral.mentee,
        mentor=mentee_offer.mentor,
        status=RelationshipStatus.ACTIVE,
    )
    mentee_offer.status = ProposalStatus.ACCEPTED
    mentee_offer.relationship = relationship
    mentee_offer.save()
    with pytest.raises(ValidationError, match="mentoring has started"):
        proposal_undo(actor=coordinator, proposal=mentee_offer)


@pytest.mark.parametrize(
    "status", [ProposalStatus.REJECTED, ProposalStatus.MENTOR_DECLINED, ProposalStatus.EXPIRED]
)
def test_a_closed_match_cannot_be_undone(coordinator, proposal, status):
    proposal.status = status
    proposal.save()
    with pytest.raises(ValidationError, match="already closed"):
        proposal_undo(actor=coordinator, proposal=proposal)


def test_undoing_twice_changes_nothing(
    coordinator, offered_proposal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal_undo(actor=coordinator, proposal=offered_proposal)
        proposal_undo(actor=coordinator, proposal=offered_proposal)
    assert len(mail.outbox) == 1
    assert actions() == ["match.undone"]


def test_an_undone_pair_may_be_proposed_again(coordinator, proposal):
    proposal_undo(actor=coordinator, proposal=proposal)
    again = proposal_create(actor=coordinator, referral=proposal.referral, mentor=proposal.mentor)
    assert again.pk != proposal.pk


# Places ---------------------------------------------------------------------------------------


def test_a_place_is_added_and_audited(coordinator, organisation):
    place = place_create(
        actor=coordinator,
        organisation=organisation,
        name="  Hackney   Wick ",
        latitude=51.5433,
        longitude=-0.0255,
    )
    assert place.name == "Hackney Wick"
    event = AuditEvent.objects.get(action="place.created")
    assert event.object_id == str(place.pk)


def test_place_names_are_unique_in_an_organisation_whatever_the_case(
    coordinator, organisation, other_organisation
):
    PlaceFactory(organisation=organisation, name="Hackney")
    with pytest.raises(ValidationError) as refused:
        place_create(
            actor=coordinator, organisation=organisation, name="HACKNEY", latitude=1, longitude=1
        )
    assert "already a place called HACKNEY" in refused.value.message_dict["name"][0]
    place_create(
        actor=coordinator, organisation=other_organisation, name="Hackney", latitude=1, longitude=1
    )


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [(91, 0, "latitude"), (-90.5, 0, "latitude"), (0, 180.1, "longitude"), (0, -200, "longitude")],
)
def test_coordinates_must_be_on_the_map(coordinator, organisation, latitude, longitude, field):
    with pytest.raises(ValidationError) as refused:
        place_create(
            actor=coordinator,
            organisation=organisation,
            name="Nowhere",
            latitude=latitude,
            longitude=longitude,
        )
    assert set(refused.value.message_dict) == {field}
    assert not Place.objects.exists()


def test_a_place_without_a_name_is_refused(coordinator, organisation):
    with pytest.raises(ValidationError) as refused:
        place_create(
            actor=coordinator, organisation=organisation, name=" ", latitude=1, longitude=1
        )
    assert set(refused.value.message_dict) == {"name"}


def test_deleting_a_place_is_audited_and_twice_is_harmless(coordinator, organisation):
    place = PlaceFactory(organisation=organisation, name="Leeds")
    place_delete(actor=coordinator, place=place)
    place_delete(actor=coordinator, place=place)
    assert not Place.objects.exists()
    event = AuditEvent.objects.get(action="place.deleted")
    assert event.metadata == {"name": "Leeds"}


def test_a_place_lets_the_engine_check_in_person_distances(
    coordinator, organisation, matchable_referral, matchable_profile
):
    matchable_profile.formats = ["in_person"]
    matchable_profile.area = "Hackney"
    matchable_profile.travel_km = 5
    matchable_profile.save()
    matchable_referral.formats = ["in_person"]
    matchable_referral.area = "Leeds"
    matchable_referral.save()
    place_create(
        actor=coordinator,
        organisation=organisation,
        name="Hackney",
        latitude=51.54,
        longitude=-0.05,
    )
    place_create(
        actor=coordinator, organisation=organisation, name="Leeds", latitude=53.8, longitude=-1.55
    )
    assert "too far away" in mentor_fit(matchable_referral, matchable_profile).why_not
