"""Arranging the introduction meeting of a new match: the rules, the audit trail and the emails."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from matching.services.introductions import introduction_schedule
from matching.services.responses import proposal_mentee_respond
from mentoring.models import Relationship, RelationshipStatus
from referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def relationship(mentee_offer, mentee):
    proposal = proposal_mentee_respond(actor=mentee, proposal=mentee_offer, accept=True)
    assert proposal.relationship is not None
    return proposal.relationship


def next_week(hour=18):
    day = timezone.localdate() + timedelta(days=7)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 30))


def schedule(relationship, actor, **overrides):
    arguments = {
        "when": next_week(),
        "format": "video",
        "place": "https://meet.example.org/abc",
        "coordinator_present": True,
    }
    arguments.update(overrides)
    return introduction_schedule(actor=actor, relationship=relationship, **arguments)


def test_coordinator_arranges_the_introduction_and_both_are_told(
    relationship, coordinator, mentor, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        schedule(relationship, coordinator)
    relationship.refresh_from_db()
    assert relationship.introduction_at == next_week()
    assert relationship.introduction_format == "video"
    assert relationship.introduction_place == "https://meet.example.org/abc"
    assert relationship.coordinator_present is True
    event = AuditEvent.objects.get(action="match.introduction_scheduled")
    assert event.metadata == {"format": "video", "coordinator_present": True}

    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [mentor.email, mentee.email]
    )
    when = timezone.localtime(next_week())
    for message in mail.outbox:
        assert message.subject == "Alongside: Your introduction meeting is arranged"
        assert when.strftime("%A") in message.body
        assert "18:30" in message.body
        assert "https://meet.example.org/abc" in message.body
        assert "A coordinator will be there too." in message.body
        for private in ("anxiety", mentor.name, mentee.name, relationship.referral.full_name):
            assert private.lower() not in message.body.lower()
    [to_mentor] = [m for m in mail.outbox if mentor.email in m.to]
    assert f"/matching/offers/{relationship.proposal.pk}/" in to_mentor.body
    [to_mentee] = [m for m in mail.outbox if mentee.email in m.to]
    assert "/matching/my-match/" in to_mentee.body


def test_rescheduling_is_recorded_and_says_it_changed(
    relationship, coordinator, django_capture_on_commit_callbacks
):
    schedule(relationship, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        schedule(relationship, coordinator, when=next_week(hour=19), coordinator_present=False)
    relationship.refresh_from_db()
    assert relationship.introduction_at == next_week(hour=19)
    assert AuditEvent.objects.filter(action="match.introduction_rescheduled").count() == 1
    assert {m.subject for m in mail.outbox} == {"Alongside: Your introduction meeting has changed"}


def test_the_same_details_again_change_nothing(
    relationship, coordinator, django_capture_on_commit_callbacks
):
    schedule(relationship, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        schedule(relationship, coordinator)
    assert AuditEvent.objects.filter(action__startswith="match.introduction").count() == 1
    assert mail.outbox == []


def test_a_mentee_who_does_not_want_email_is_not_emailed(
    relationship, coordinator, mentor, django_capture_on_commit_callbacks
):
    Referral.objects.filter(pk=relationship.referral_id).update(email_ok=False)
    with django_capture_on_commit_callbacks(execute=True):
        schedule(relationship, coordinator)
    assert [message.to for message in mail.outbox] == [[mentor.email]]


def test_the_meeting_must_be_in_the_future(relationship, coordinator):
    with pytest.raises(ValidationError) as caught:
        schedule(relationship, coordinator, when=timezone.now() - timedelta(hours=1))
    assert "when" in caught.value.message_dict


@pytest.mark.parametrize(
    ("format", "field_message"),
    [("in_person", "Say where they will meet"), ("video", "Add the link")],
)
def test_in_person_and_video_need_a_place(relationship, coordinator, format, field_message):
    with pytest.raises(ValidationError) as caught:
        schedule(relationship, coordinator, format=format, place="  ")
    assert field_message in caught.value.message_dict["place"][0]


def test_a_phone_introduction_needs_no_place(relationship, coordinator):
    schedule(relationship, coordinator, format="phone", place="")
    relationship.refresh_from_db()
    assert relationship.introduction_format == "phone"


def test_an_unknown_format_is_refused(relationship, coordinator):
    with pytest.raises(ValidationError) as caught:
        schedule(relationship, coordinator, format="carrier_pigeon")
    assert "format" in caught.value.message_dict


@pytest.mark.parametrize("person", ["mentor", "mentee", "supervisor", "other_org_coordinator"])
def test_only_the_organisations_staff_arrange_it(relationship, person, request):
    with pytest.raises(ValidationError, match="Only a coordinator"):
        schedule(relationship, request.getfixturevalue(person))
    assert Relationship.objects.get().introduction_at is None


def test_admins_can_arrange_it_too(relationship, admin):
    schedule(relationship, admin)
    assert Relationship.objects.get().introduction_at is not None


def test_only_before_mentoring_starts(relationship, coordinator):
    Relationship.objects.filter(pk=relationship.pk).update(status=RelationshipStatus.ACTIVE)
    with pytest.raises(ValidationError, match="already started"):
        schedule(relationship, coordinator)
