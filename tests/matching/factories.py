"""Factories for matching: places, proposals at each step, and relationships."""

from __future__ import annotations

import factory
from django.utils import timezone

from matching.models import MatchProposal, Origin, Place, ProposalStatus
from mentoring.models import Relationship, RelationshipStatus
from tests.factories import OrganisationFactory


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Place {n}")
    latitude = 51.5
    longitude = -0.12


class MatchProposalFactory(factory.django.DjangoModelFactory):
    """A pair proposed by a matching run, waiting for the coordinator, unless told otherwise."""

    class Meta:
        model = MatchProposal

    organisation = factory.LazyAttribute(lambda o: o.referral.organisation)
    origin = Origin.ENGINE
    referral = factory.SubFactory("tests.referrals.factories.ReferralFactory")
    mentor = factory.SubFactory(
        "tests.mentors.factories.MentorProfileFactory",
        organisation=factory.SelfAttribute("..referral.organisation"),
    )
    score = 0.72
    reasons = factory.LazyFunction(
        lambda: ["Shares lived experience of anxiety", "Both free on Monday evenings"]
    )
    status = ProposalStatus.PROPOSED
    created_at = factory.LazyFunction(timezone.now)
    status_changed_at = factory.LazyFunction(timezone.now)


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    organisation = factory.LazyAttribute(lambda o: o.referral.organisation)
    referral = factory.SubFactory(
        "tests.referrals.factories.ReferralFactory",
        mentee=factory.SubFactory("tests.factories.UserFactory"),
    )
    mentee = factory.LazyAttribute(lambda o: o.referral.mentee)
    mentor = factory.SubFactory(
        "tests.mentors.factories.MentorProfileFactory",
        organisation=factory.SelfAttribute("..referral.organisation"),
    )
    status = RelationshipStatus.INTRODUCTION
