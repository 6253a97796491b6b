"""A mentee with something in every table that can hold their words, and a search of every
column of every table (raw, and decrypted) for a string, to prove what erasure leaves behind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import ExpressionWrapper, F
from django.utils import timezone

from accounts.models import User
from alongside.encryption import decrypt_text
from alongside.fields import EncryptedTextField
from mentoring.models import (
    ExitSurvey,
    Relationship,
    StepSuggestion,
    StrengthNote,
    WellbeingPlan,
)
from mentors.models import MentorRequest
from outcomes.models import Occasion
from referrals.models import ContactAttempt, ContactMethod, ContactOutcome
from safeguarding.models import AlertAction, AlertActionKind
from tests.mentoring.factories import (
    CheckInFactory,
    ConcernFactory,
    GoalFactory,
    MessageFactory,
    SessionFactory,
    StepFactory,
)
from tests.outcomes.fixtures import make_request, make_response
from tests.referrals.factories import IntakeFactory
from tests.safeguarding.fixtures import raise_for
from toolkit.models import CommunityResource, Practice, Recommendation, Skill, ToolkitEntry

UNIQUE_NAME = "Zephyrine Quillfeather"
UNIQUE_EMAIL = "zephyrine.quillfeather@example.org"
NEEDLES = ("zephyrine", "quillfeather")


@dataclass
class Populated:
    relationship: Relationship
    mentee: User


def populate_mentee(relationship: Relationship) -> Populated:
    """Give ``relationship``'s mentee a unique name and email, and write them into every kind
    of record a mentee's mentoring produces."""
    mentee = relationship.mentee
    mentor = relationship.mentor.user
    organisation = relationship.organisation
    EmailAddress.objects.filter(user=mentee).update(email=UNIQUE_EMAIL)
    mentee.name = UNIQUE_NAME
    mentee.email = UNIQUE_EMAIL
    mentee.save(update_fields=["name", "email"])
    referral = relationship.referral
    referral.full_name = UNIQUE_NAME
    referral.preferred_name = "Zephyrine"
    referral.email = UNIQUE_EMAIL
    referral.hopes = "Zephyrine hopes to sleep better."
    referral.save()
    said = f"{UNIQUE_NAME} said"
    IntakeFactory(referral=referral, goals=f"{said} she wants friends", gp_details=said)
    ContactAttempt.objects.create(
        referral=referral,
        method=ContactMethod.PHONE,
        outcome=ContactOutcome.SPOKE,
        note=f"Spoke to {UNIQUE_NAME}",
    )
    relationship.end_note = f"{said} goodbye"
    relationship.introduction_place = "Zephyrine's local café"
    relationship.save()
    agreement = relationship.agreements.first()
    if agreement is not None:
        agreement.goals_in_own_words = f"{said} she wants to go out"
        agreement.save()
    SessionFactory(
        relationship=relationship,
        scheduled_by=mentor,
        summary=f"{said} it was a good week",
        private_notes=f"{said} something private",
        mentee_reflection="Zephyrine felt heard",
        topics="Zephyrine's sleep",
    )
    goal = GoalFactory(relationship=relationship, title="Zephyrine's goal", why_it_matters=said)
    StepFactory(goal=goal, text="Zephyrine books the bus")
    StepSuggestion.objects.create(
        relationship=relationship, goal=goal, text="Zephyrine could walk", suggested_by=mentor
    )
    StrengthNote.objects.create(
        relationship=relationship, text="Zephyrine is kind", written_by=mentor
    )
    MessageFactory(relationship=relationship, sender=mentee, body=f"Hi, it is {UNIQUE_NAME}")
    MessageFactory(relationship=relationship, sender=mentor, body="Hello Zephyrine!")
    CheckInFactory(relationship=relationship, how_it_is_going=said, concerns="Zephyrine tired")
    ConcernFactory(relationship=relationship, raised_by=mentee, details=f"{said} a worry")
    WellbeingPlan.objects.create(
        relationship=relationship, what_helps="Zephyrine's dog", warning_signs=said
    )
    ExitSurvey.objects.create(
        relationship=relationship,
        respondent=mentee,
        role="mentee",
        what_helped="Zephyrine liked the walks",
    )
    request = make_request(mentee, "phq9", relationship=relationship, occasion=Occasion.BASELINE)
    make_response(
        mentee,
        "phq9",
        [2, 2, 2, 1, 1, 1, 1, 1, 0],
        relationship=relationship,
        occasion=Occasion.BASELINE,
        completed_at=timezone.now() - timedelta(days=30),
        request=request,
    )
    make_response(mentee, "phq9", [1, 1, 1, 0, 0, 0, 0, 0, 0], relationship=relationship)
    alert = raise_for(relationship, excerpt=f"{UNIQUE_NAME}: some days I want to die.")
    AlertAction.objects.create(
        alert=alert, kind=AlertActionKind.NOTE, note=f"Called {UNIQUE_NAME}", actor=mentor
    )
    skill = Skill.objects.create(
        organisation=organisation, title="Box breathing", why_it_helps="Calms", minutes=5
    )
    entry = ToolkitEntry.objects.create(
        person=mentee,
        skill=skill,
        organisation=organisation,
        shared_by=mentor,
        relationship=relationship,
        note="For Zephyrine at night",
    )
    Practice.objects.create(entry=entry, helpfulness=4, note="Zephyrine slept")
    resource = CommunityResource.objects.create(
        organisation=organisation, name="Walking group", offers="Walks", who_for="Anyone"
    )
    Recommendation.objects.create(
        resource=resource, person=mentee, relationship=relationship, note="Zephyrine would like it"
    )
    MentorRequest.objects.create(
        organisation=organisation,
        mentee=mentee,
        profile=relationship.mentor,
        note="Zephyrine asks for this mentor",
        status="noted",
    )
    LogEntry.objects.create(
        user=mentor,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(mentee.pk),
        object_repr=str(mentee),
        action_flag=CHANGE,
        change_message="Changed name.",
    )
    return Populated(relationship=relationship, mentee=mentee)


def raw_hits(needles: tuple[str, ...] = NEEDLES) -> list[str]:
    """Every table and column whose stored text contains a needle (encrypted columns hold
    ciphertext here, so this proves nothing about them: see ``decrypted_hits``)."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = value if isinstance(value, str) else str(value)
                    if any(needle in text.lower() for needle in needles):
                        hits.append(f"{table}.{column}")
    return sorted(set(hits))


def decrypted_hits(needles: tuple[str, ...] = NEEDLES) -> list[str]:
    """Every encrypted column whose decrypted text contains a needle."""
    hits = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, EncryptedTextField):
                continue
            stored = model._base_manager.annotate(
                stored=ExpressionWrapper(F(field.attname), output_field=models.TextField())
            ).values_list("stored", flat=True)
            for value in stored:
                if value and any(needle in decrypt_text(value).lower() for needle in needles):
                    hits.append(f"{model._meta.label_lower}.{field.name}")
    return sorted(set(hits))
