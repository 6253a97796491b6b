"""Challenges: either of the pair raises a concern privately with the coordinator, the
coordinator records what came of it, and a rematch ends the relationship and puts the mentee
back at the top of the waiting list."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from audit.models import AuditEvent
from mentoring.access import relationship_access
from mentoring.models import (
    Concern,
    ConcernOutcome,
    ConcernRequest,
    EndReason,
    RelationshipStatus,
)
from mentoring.services.concerns import concern_raise, concern_resolve, relationship_rematch
from referrals.models import Status, Urgency
from referrals.selectors import waiting_list
from safeguarding.models import Alert
from tests.mentoring.factories import ConcernFactory
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db

DETAILS = "My mentor keeps messaging late at night and I find it hard to say so."


def raise_concern(person, relationship, capture=None, **overrides):
    arguments = {
        "actor": person,
        "relationship": relationship,
        "topic": "boundaries",
        "request": "talk",
        "details": DETAILS,
        "client_key": "",
        **overrides,
    }
    if capture is None:
        return concern_raise(**arguments)
    with capture(execute=True):
        return concern_raise(**arguments)


# Raising a concern -------------------------------------------------------------------------------


def test_the_mentee_raises_a_concern_and_coordinators_are_told_without_content(
    active_relationship, mentee, coordinator, django_capture_on_commit_callbacks
):
    raised = raise_concern(mentee, active_relationship, django_capture_on_commit_callbacks)
    concern = raised.concern
    assert raised.created and not raised.possible_risk
    assert (concern.raised_by, concern.raised_by_role, concern.topic, concern.request) == (
        mentee,
        "mentee",
        "boundaries",
        "talk",
    )
    assert concern.details == DETAILS and concern.is_open
    [message] = mail.outbox
    assert message.to == [coordinator.email]
    assert f"/mentoring/{active_relationship.pk}/concerns/{concern.pk}/" in message.body
    words = set(re.findall(r"\w+", (message.subject + " " + message.body).lower()))
    for private in ("late", "samira", "boundaries", "mentee", "mentor"):
        assert private not in words
    event = AuditEvent.objects.get(action="concern.raised")
    assert event.metadata == {
        "relationship": active_relationship.pk,
        "role": "mentee",
        "topic": "boundaries",
        "request": "talk",
    }


def test_the_mentor_can_raise_one_too(active_relationship, mentor):
    concern = raise_concern(mentor, active_relationship, request="rematch").concern
    assert concern.raised_by_role == "mentor"


def test_a_concern_sent_twice_is_raised_once(
    active_relationship, mentee, coordinator, django_capture_on_commit_callbacks
):
    first = raise_concern(
        mentee, active_relationship, django_capture_on_commit_callbacks, client_key="abc"
    )
    again = raise_concern(
        mentee, active_relationship, django_capture_on_commit_callbacks, client_key="abc"
    )
    assert again.concern.pk == first.concern.pk and not again.created
    assert Concern.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_concern_needs_a_topic_a_request_and_details(active_relationship, mentee):
    with pytest.raises(ValidationError) as refused:
        raise_concern(mentee, active_relationship, topic="x", request="y", details="  ")
    assert set(refused.value.message_dict) == {"topic", "request", "details"}
    assert not Concern.objects.exists()


def test_nothing_can_be_raised_once_the_mentoring_has_ended(ended_relationship, mentee):
    with pytest.raises(ValidationError, match="has ended"):
        raise_concern(mentee, ended_relationship)


@pytest.mark.parametrize("person", ["coordinator", "supervisor", "other_mentee"])
def test_only_the_pair_can_raise_a_concern(active_relationship, person, request):
    with pytest.raises(ValidationError):
        raise_concern(request.getfixturevalue(person), active_relationship)


def test_words_that_suggest_risk_reach_the_safeguarding_check(
    active_relationship, mentee, coordinator, supervisor, django_capture_on_commit_callbacks
):
    raised = raise_concern(
        mentee,
        active_relationship,
        django_capture_on_commit_callbacks,
        details="Some days I want to die and I cannot tell my mentor.",
    )
    assert raised.possible_risk
    alert = Alert.objects.get(person=mentee)
    assert (alert.object_type, alert.object_id) == ("mentoring.concern", str(raised.concern.pk))
    assert AuditEvent.objects.filter(action="safeguarding.alert_raised").exists()
    recipients = {address for message in mail.outbox for address in message.to}
    assert {coordinator.email, supervisor.email} <= recipients
    assert all("want to die" not in message.body for message in mail.outbox)


# Resolving ---------------------------------------------------------------------------------------


@pytest.fixture
def open_concern(active_relationship, mentee):
    return ConcernFactory(relationship=active_relationship, raised_by=mentee)


def test_the_coordinator_records_the_outcome(open_concern, coordinator):
    resolved = concern_resolve(
        actor=coordinator,
        concern=open_concern,
        outcome=ConcernOutcome.TALKED_THROUGH,
        note="Agreed messages end at 8pm.",
    )
    assert not resolved.is_open
    assert (resolved.outcome, resolved.outcome_note, resolved.resolved_by) == (
        "talked_through",
        "Agreed messages end at 8pm.",
        coordinator,
    )
    assert AuditEvent.objects.get(action="concern.resolved").metadata == {
        "relationship": open_concern.relationship_id,
        "outcome": "talked_through",
    }


def test_resolving_twice_with_the_same_answer_changes_nothing(open_concern, coordinator, admin):
    concern_resolve(actor=coordinator, concern=open_concern, outcome="no_action")
    concern_resolve(actor=coordinator, concern=open_concern, outcome="no_action")
    assert AuditEvent.objects.filter(action="concern.resolved").count() == 1
    with pytest.raises(ValidationError, match="already been resolved"):
        concern_resolve(actor=admin, concern=open_concern, outcome="mediation_held")
    open_concern.refresh_from_db()
    assert open_concern.resolved_by == coordinator


def test_an_outcome_is_needed_and_rematched_only_by_rematching(open_concern, coordinator):
    with pytest.raises(ValidationError) as refused:
        concern_resolve(actor=coordinator, concern=open_concern, outcome="")
    assert set(refused.value.message_dict) == {"outcome"}
    with pytest.raises(ValidationError, match="Rematch"):
        concern_resolve(actor=coordinator, concern=open_concern, outcome="rematched")
    assert Concern.objects.get().is_open


@pytest.mark.parametrize("person", ["mentee", "mentor", "supervisor", "other_org_coordinator"])
def test_only_staff_resolve_concerns(open_concern, person, request):
    with pytest.raises(ValidationError):
        concern_resolve(
            actor=request.getfixturevalue(person), concern=open_concern, outcome="no_action"
        )


# Rematch -----------------------------------------------------------------------------------------


def test_a_rematch_puts_the_mentee_first_on_the_waiting_list_after_anyone_urgent(
    active_relationship, organisation, mentee, coordinator, django_capture_on_commit_callbacks
):
    long_waiting = ReferralFactory(
        organisation=organisation,
        status=Status.WAITING,
        waiting_since=timezone.now() - timedelta(days=200),
    )
    urgent = ReferralFactory(
        organisation=organisation,
        status=Status.WAITING,
        urgency=Urgency.URGENT,
        waiting_since=timezone.now() - timedelta(days=1),
    )
    asked = ConcernFactory(
        relationship=active_relationship, raised_by=mentee, request=ConcernRequest.REMATCH
    )
    talk = ConcernFactory(relationship=active_relationship, raised_by=mentee)

    with django_capture_on_commit_callbacks(execute=True):
        ended = relationship_rematch(
            actor=coordinator, relationship=active_relationship, note="Different hours suit."
        )

    assert (ended.status, ended.end_reason, ended.end_note) == (
        RelationshipStatus.ENDED,
        EndReason.REMATCH,
        "Different hours suit.",
    )
    referral = ended.referral
    referral.refresh_from_db()
    assert referral.status == Status.WAITING
    assert referral.rematch_requested_at is not None
    assert list(waiting_list(organisation)) == [urgent, referral, long_waiting]
    asked.refresh_from_db()
    assert (asked.outcome, asked.resolved_by) == (ConcernOutcome.REMATCHED, coordinator)
    talk.refresh_from_db()
    assert talk.is_open  # only a request for a rematch is answered by one
    assert AuditEvent.objects.filter(action="relationship.ended").exists()
    assert len(mail.outbox) == 2  # the exit surveys


def test_after_a_rematch_the_mentor_cannot_open_the_relationship(
    active_relationship, mentor, coordinator
):
    relationship_rematch(actor=coordinator, relationship=active_relationship)
    membership = mentor.memberships.get()
    with pytest.raises(Http404):
        relationship_access(mentor, membership, active_relationship.pk)


def test_a_relationship_is_rematched_once(active_relationship, coordinator):
    relationship_rematch(actor=coordinator, relationship=active_relationship)
    with pytest.raises(ValidationError, match="already ended"):
        relationship_rematch(actor=coordinator, relationship=active_relationship)


@pytest.mark.parametrize("person", ["mentee", "mentor", "supervisor", "other_org_coordinator"])
def test_only_staff_rematch(active_relationship, person, request):
    with pytest.raises(ValidationError):
        relationship_rematch(
            actor=request.getfixturevalue(person), relationship=active_relationship
        )
    active_relationship.refresh_from_db()
    assert active_relationship.status == RelationshipStatus.ACTIVE
