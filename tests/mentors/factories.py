"""Factories for mentor records at every stage of the journey."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import SupportArea
from mentors.models import (
    MentorApplication,
    MentorProfile,
    Stage,
    TrainingModule,
)
from mentors.services.applications import hash_token
from tests.factories import OrganisationFactory


class SupportAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportArea
        django_get_or_create = ("organisation", "name")

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Iterator(["Anxiety", "Depression", "Grief", "Trauma", "Psychosis"])


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A sent application (stage NEW) unless told otherwise."""

    class Meta:
        model = MentorApplication

    organisation = factory.SubFactory(OrganisationFactory)
    stage = Stage.NEW
    resume_token_hash = factory.Sequence(lambda n: hash_token(f"token-{n}"))
    full_name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"applicant{n}@example.org")
    motivation = "I know how much it helped to talk to someone who had been there."
    formats = factory.LazyFunction(lambda: ["video", "phone"])
    consent_to_checks = True
    submitted_at = factory.LazyFunction(timezone.now)


class TrainingModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingModule

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Module {n}")
    content = "What a peer mentor is, and is not."
    min_minutes = 60
    required_before_matching = True
    position = factory.Sequence(lambda n: n)


class MentorProfileFactory(factory.django.DjangoModelFactory):
    """A certified mentor taking new mentees."""

    class Meta:
        model = MentorProfile

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory("tests.factories.UserFactory")
    application = factory.SubFactory(
        ApplicationFactory,
        organisation=factory.SelfAttribute("..organisation"),
        stage=Stage.CERTIFIED,
        user=factory.SelfAttribute("..user"),
    )
    display_name = factory.LazyAttribute(lambda o: o.user.name.split()[0])
    bio = "I have lived with anxiety for years and found my way through it."
    formats = factory.LazyFunction(lambda: ["video", "in_person"])
    capacity = 2
    is_available = True
    certified_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    certification_expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=335))
