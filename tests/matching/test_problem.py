"""The database seen as the engine's problem: who has room, who is waiting, what they need."""

from __future__ import annotations

import pytest

from matching.engine import solve
from matching.models import ProposalStatus
from matching.problem import mentee_key, mentor_key, organisation_problem
from mentoring.models import RelationshipStatus
from referrals.models import Importance
from tests.factories import UserFactory
from tests.matching.factories import MatchProposalFactory, PlaceFactory, RelationshipFactory
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def test_a_waiting_mentee_and_a_mentor_with_room_are_matched(
    organisation, matchable_referral, matchable_profile
):
    built = organisation_problem(organisation)
    (mentor,) = built.problem.mentors
    (mentee,) = built.problem.mentees
    assert mentor.id == mentor_key(matchable_profile.pk)
    assert mentor.capacity == 2
    assert "mon_evening" in mentor.availability
    assert mentee.id == mentee_key(matchable_referral.pk)
    assert mentee.needs == ("Anxiety",)
    assert 19 <= mentee.waiting_days <= 21
    (assignment,) = solve(built.problem).assignments
    assert assignment.mentor == mentor.id


def test_current_relationships_and_live_proposals_use_up_places(
    organisation, matchable_referral, matchable_profile
):
    RelationshipFactory(
        referral=ReferralFactory(organisation=organisation, mentee=UserFactory()),
        mentor=matchable_profile,
    )
    MatchProposalFactory(
        referral=ReferralFactory(organisation=organisation),
        mentor=matchable_profile,
        status=ProposalStatus.WITH_MENTEE,
    )
    assert organisation_problem(organisation).problem.mentors == ()
    RelationshipFactory(
        referral=ReferralFactory(organisation=organisation, mentee=UserFactory()),
        mentor=matchable_profile,
        status=RelationshipStatus.ENDED,
    )
    assert organisation_problem(organisation).problem.mentors == ()


def test_someone_with_a_proposal_on_its_way_is_not_matched_again(organisation, offered_proposal):
    assert organisation_problem(organisation).problem.mentees == ()


def test_declined_pairs_are_excluded(organisation, matchable_referral, matchable_profile):
    MatchProposalFactory(
        referral=matchable_referral,
        mentor=matchable_profile,
        status=ProposalStatus.MENTOR_DECLINED,
    )
    built = organisation_problem(organisation)
    (mentee,) = built.problem.mentees
    assert mentee.exclude == (mentor_key(matchable_profile.pk),)
    assert solve(built.problem).assignments == ()


def test_preferences_and_places_reach_the_engine(
    organisation, matchable_referral, matchable_profile
):
    PlaceFactory(organisation=organisation, name="Riverside", latitude=51.5, longitude=-0.1)
    matchable_referral.area = "riverside "
    matchable_referral.mentor_gender = "Woman"
    matchable_referral.mentor_gender_importance = Importance.MUST
    matchable_referral.shared_experience_importance = Importance.NICE
    matchable_referral.save()
    matchable_profile.area = "Riverside"
    matchable_profile.gender = "woman"
    matchable_profile.save()
    built = organisation_problem(organisation)
    (mentee,) = built.problem.mentees
    (mentor,) = built.problem.mentors
    assert mentee.location is not None and mentor.location is not None
    assert mentee.preferences.mentor_gender.values == ("woman",)
    assert mentee.preferences.mentor_gender.required
    assert not mentee.preferences.shared_experience.required
    assert mentee.preferences.age_range is None
    assert len(solve(built.problem).assignments) == 1


def test_other_organisations_are_never_in_the_problem(
    other_organisation, matchable_referral, matchable_profile
):
    built = organisation_problem(other_organisation)
    assert built.problem.mentors == () and built.problem.mentees == ()
