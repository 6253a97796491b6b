"""Factories for referrals at every step from first contact to the waiting list."""

from __future__ import annotations

import factory
from django.utils import timezone

from referrals import consent
from referrals.models import Intake, Referral, Source, Status
from tests.factories import OrganisationFactory


class ReferralFactory(factory.django.DjangoModelFactory):
    """A new self-referral with consent, unless told otherwise."""

    class Meta:
        model = Referral

    organisation = factory.SubFactory(OrganisationFactory)
    status = Status.NEW
    source = Source.SELF
    full_name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"person{n}@example.net")
    phone = factory.Sequence(lambda n: f"07700 900{n:03d}")
    email_ok = True
    hopes = "To feel less alone and get out of the house more."
    formats = factory.LazyFunction(lambda: ["video", "phone"])
    consent_version = consent.CURRENT_VERSION
    consent_given_at = factory.LazyFunction(timezone.now)


class IntakeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intake

    referral = factory.SubFactory(ReferralFactory)
    goals = "Go to the park café on my own by the spring."
