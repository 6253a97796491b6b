"""Factories for the records of a mentoring relationship."""

from __future__ import annotations

from datetime import time, timedelta

import factory
from django.utils import timezone

from mentoring.models import (
    Agreement,
    CheckIn,
    Concern,
    ConcernRequest,
    ConcernTopic,
    Goal,
    MeetingFrequency,
    MentoringSession,
    Message,
    Step,
)
from mentoring.statement import STATEMENT_VERSION


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    goals_in_own_words = "Feel able to go to the Wednesday support group on my own."
    meeting_frequency = MeetingFrequency.WEEKLY
    meeting_format = "video"
    usual_slot = "mon_evening"
    contact_channels = factory.LazyFunction(lambda: ["messages"])
    contact_days = factory.LazyFunction(lambda: [0, 1, 2, 3, 4])
    contact_from = time(9)
    contact_until = time(20)
    reply_within_hours = 48
    planned_sessions = 12
    planned_end_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=26))
    statement_version = STATEMENT_VERSION


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringSession

    scheduled_for = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    format = "video"
    place = "https://meet.example.org/riverside-room"


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    title = "Go to the support group on Wednesday"


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    goal = factory.SubFactory(GoalFactory)
    relationship = factory.SelfAttribute("goal.relationship")
    text = "Look up the bus times"


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    body = "Thanks for today, see you next week."


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    organisation = factory.LazyAttribute(lambda check_in: check_in.relationship.organisation)
    person = "mentee"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concern

    raised_by_role = "mentee"
    topic = ConcernTopic.COMMUNICATION
    request = ConcernRequest.TALK
    details = "Replies take longer than we agreed."
