"""The directory shows at once when a mentor has no place left."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentoring.models import RelationshipStatus
from tests.factories import UserFactory
from tests.matching.factories import RelationshipFactory
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db

FULL = "No places free just now"


def _relationship(profile, status=RelationshipStatus.INTRODUCTION):
    return RelationshipFactory(
        referral=ReferralFactory(organisation=profile.organisation, mentee=UserFactory()),
        mentor=profile,
        status=status,
    )


def test_a_mentor_with_a_place_left_is_not_marked_full(client_for, mentee, matchable_profile):
    matchable_profile.capacity = 1
    matchable_profile.save()
    _relationship(matchable_profile, RelationshipStatus.ENDED)
    page = client_for(mentee).get(reverse("mentors:directory")).content.decode()
    assert matchable_profile.display_name in page
    assert FULL not in page


def test_a_mentor_whose_places_are_taken_is_marked_full_in_the_directory_and_profile(
    client_for, mentee, matchable_profile
):
    matchable_profile.capacity = 1
    matchable_profile.save()
    _relationship(matchable_profile)
    client = client_for(mentee)
    assert FULL in client.get(reverse("mentors:directory")).content.decode()
    profile_page = client.get(reverse("mentors:directory_profile", args=[matchable_profile.pk]))
    assert FULL in profile_page.content.decode()
