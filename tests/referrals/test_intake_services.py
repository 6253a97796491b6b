"""Intake: saving a draft, completing it, the mentee account it brings, and the welcome email."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Language, Membership, Role, User
from audit.models import AuditEvent
from referrals.models import Intake, Referral, Status, Urgency
from referrals.services.intake import ANOTHER_ROLE, intake_complete, intake_save
from safeguarding.models import Alert
from tests.factories import MembershipFactory, UserFactory
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db

GOALS = "Go to the park café on my own by the spring."


@pytest.fixture
def at_intake(organisation, areas):
    referral = ReferralFactory(
        organisation=organisation,
        status=Status.INTAKE,
        full_name="Jamie Intake",
        email="jamie@example.net",
        hopes="To feel less alone.",
    )
    referral.support_areas.set(areas[:1])
    return referral


def answers(areas, **overrides):
    data = {
        "support_areas": areas[1:3],
        "goals": GOALS,
        "languages": list(Language.objects.filter(code__in=["en", "pl"])),
        "formats": ["phone"],
        "availability_slots": ["tue_evening", "sat_morning"],
        "availability": "Not in school holidays.",
        "area": "Leeds",
        "mentor_gender": "Woman",
        "mentor_gender_importance": "must",
        "mentor_age_min": 30,
        "mentor_age_max": 60,
        "mentor_age_importance": "nice",
        "shared_experience_importance": "nice",
        "accessibility_needs": "Step-free access.",
        "emergency_contact": "Sam (sister), 07700 900123",
        "gp_details": "Northgate Surgery, Leeds",
        "notes": "Prefers calls after 5pm.",
    }
    data.update(overrides)
    return data


def complete(referral, actor, data, capture):
    with capture(execute=True):
        return intake_complete(actor=actor, referral=referral, data=data)


# Saving a draft -------------------------------------------------------------------------------


def test_saving_a_draft_keeps_intake_and_confirmed_details_and_stays_at_intake(
    at_intake, areas, coordinator
):
    intake = intake_save(actor=coordinator, referral=at_intake, data=answers(areas))
    referral = Referral.objects.get(pk=at_intake.pk)
    assert referral.status == Status.INTAKE
    assert intake.goals == GOALS
    assert intake.emergency_contact == "Sam (sister), 07700 900123"
    assert intake.notes == "Prefers calls after 5pm."
    assert intake.completed_at is None
    assert set(referral.support_areas.all()) == set(areas[1:3])
    assert {language.code for language in referral.languages.all()} == {"en", "pl"}
    assert referral.formats == ["phone"]
    assert referral.availability_slots == ["tue_evening", "sat_morning"]
    assert referral.mentor_gender_importance == "must"
    assert (referral.mentor_age_min, referral.mentor_age_max) == (30, 60)
    assert referral.area == "Leeds"
    event = AuditEvent.objects.get(action="referral.intake_saved")
    assert event.actor == coordinator
    assert event.metadata == {"by_person": False}


def test_a_draft_only_changes_what_it_was_given(at_intake, coordinator):
    at_intake.area = "York"
    at_intake.save()
    intake_save(actor=coordinator, referral=at_intake, data={"goals": "First draft"})
    referral = Referral.objects.get(pk=at_intake.pk)
    assert referral.area == "York"
    assert referral.formats == ["video", "phone"]
    assert Intake.objects.get(referral=referral).goals == "First draft"


def test_the_person_cannot_write_staff_notes(at_intake, areas):
    intake_save(actor=None, referral=at_intake, data=answers(areas, notes="I typed here"))
    assert Intake.objects.get(referral=at_intake).notes == ""
    assert AuditEvent.objects.get(action="referral.intake_saved").metadata == {"by_person": True}


def test_slots_that_do_not_exist_are_dropped(at_intake, coordinator):
    intake_save(
        actor=coordinator,
        referral=at_intake,
        data={"availability_slots": ["mon_evening", "someday_never"]},
    )
    assert Referral.objects.get(pk=at_intake.pk).availability_slots == ["mon_evening"]


def test_support_areas_of_another_organisation_are_ignored(at_intake, coordinator, areas):
    from tests.mentors.factories import SupportAreaFactory

    elsewhere = SupportAreaFactory(organisation=ReferralFactory().organisation, name="Elsewhere")
    intake_save(
        actor=coordinator, referral=at_intake, data={"support_areas": [areas[0], elsewhere]}
    )
    assert list(Referral.objects.get(pk=at_intake.pk).support_areas.all()) == [areas[0]]


@pytest.mark.parametrize("status", [Status.NEW, Status.CONTACTING, Status.WAITING, Status.DECLINED])
def test_intake_cannot_be_saved_outside_intake(organisation, coordinator, status):
    referral = ReferralFactory(organisation=organisation, status=status)
    with pytest.raises(ValidationError, match="only be changed while the referral is at intake"):
        intake_save(actor=coordinator, referral=referral, data={"goals": "x"})
    assert not Intake.objects.exists()
    assert not AuditEvent.objects.filter(action="referral.intake_saved").exists()


# Completing -----------------------------------------------------------------------------------


def test_completing_makes_a_mentee_account_and_puts_them_on_the_waiting_list(
    at_intake, areas, coordinator, django_capture_on_commit_callbacks
):
    referral = complete(at_intake, coordinator, answers(areas), django_capture_on_commit_callbacks)
    referral.refresh_from_db()
    assert referral.status == Status.WAITING
    assert referral.waiting_since is not None
    user = User.objects.get(email="jamie@example.net")
    assert referral.mentee == user
    assert user.name == "Jamie Intake"
    assert not user.has_usable_password()
    assert not EmailAddress.objects.get(user=user).verified
    membership = Membership.objects.get(user=user, organisation=at_intake.organisation)
    assert membership.role == Role.MENTEE and membership.is_active
    intake = Intake.objects.get(referral=referral)
    assert intake.completed_at is not None and intake.completed_by == coordinator
    event = AuditEvent.objects.get(action="referral.intake_completed")
    assert event.actor == coordinator
    assert event.metadata["account_created"] is True
    assert event.metadata["has_account"] is True


def test_the_welcome_email_says_nothing_about_health_and_its_link_sets_a_password(
    at_intake, areas, coordinator, django_capture_on_commit_callbacks
):
    complete(at_intake, coordinator, answers(areas), django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.to == ["jamie@example.net"]
    text = message.subject + message.body
    for private in (
        GOALS,
        "To feel less alone",
        "Step-free",
        "Sam (sister)",
        "Northgate",
        "Prefers calls",
        *(area.name for area in areas),
        "mental",
        "waiting list",
    ):
        assert private not in text
    link = re.search(r"https?://\S+(/accounts/password/reset/key/\S+)", message.body)
    assert link, message.body
    assert "2 hours" in message.body
    response = Client().get(link.group(1), follow=True)
    assert response.status_code == 200
    assert b'name="password1"' in response.content


def test_an_existing_account_without_a_role_here_becomes_the_mentee(
    at_intake, areas, coordinator, other_organisation, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="Jamie@Example.net")
    MembershipFactory(user=existing, organisation=other_organisation, role=Role.MENTOR)
    referral = complete(at_intake, coordinator, answers(areas), django_capture_on_commit_callbacks)
    assert referral.mentee == existing
    assert User.objects.filter(email__iexact="jamie@example.net").count() == 1
    assert Membership.objects.get(user=existing, organisation=at_intake.organisation).role == (
        Role.MENTEE
    )
    assert AuditEvent.objects.get(action="referral.intake_completed").metadata[
        "account_created"
    ] is (False)
    (message,) = mail.outbox
    assert "/accounts/login/" in message.body
    assert "/password/reset/key/" not in message.body


@pytest.mark.parametrize("role", [Role.MENTOR, Role.COORDINATOR, Role.REFERRER])
def test_an_email_that_belongs_to_another_role_here_is_refused(
    at_intake, areas, coordinator, organisation, role, django_capture_on_commit_callbacks
):
    MembershipFactory(user__email="jamie@example.net", organisation=organisation, role=role)
    with pytest.raises(ValidationError) as raised:
        complete(at_intake, coordinator, answers(areas), django_capture_on_commit_callbacks)
    assert raised.value.messages == [ANOTHER_ROLE]
    referral = Referral.objects.get(pk=at_intake.pk)
    assert referral.status == Status.INTAKE
    assert referral.mentee is None
    assert Membership.objects.get(user__email="jamie@example.net").role == role
    assert not mail.outbox


def test_an_ended_role_here_does_not_block_becoming_a_mentee(
    at_intake, areas, coordinator, organisation, django_capture_on_commit_callbacks
):
    membership = MembershipFactory(
        user__email="jamie@example.net", organisation=organisation, role=Role.MENTOR
    )
    membership.is_active = False
    membership.save()
    complete(at_intake, coordinator, answers(areas), django_capture_on_commit_callbacks)
    membership.refresh_from_db()
    assert membership.role == Role.MENTEE and membership.is_active


@pytest.mark.parametrize(
    ("missing", "field", "message"),
    [
        ({"goals": "  "}, "goals", "own words"),
        ({"languages": []}, "languages", "at least one language"),
        ({"formats": []}, "formats", "at least one way of meeting"),
        ({"availability_slots": []}, "availability_slots", "at least one time of the week"),
    ],
)
def test_completing_needs_goals_a_language_a_format_and_a_time(
    at_intake, areas, coordinator, missing, field, message
):
    with pytest.raises(ValidationError) as raised:
        intake_complete(actor=coordinator, referral=at_intake, data=answers(areas, **missing))
    assert list(raised.value.message_dict) == [field]
    assert message in raised.value.message_dict[field][0]
    assert Referral.objects.get(pk=at_intake.pk).status == Status.INTAKE
    assert not User.objects.filter(email="jamie@example.net").exists()
    assert not AuditEvent.objects.filter(action="referral.intake_completed").exists()


def test_every_missing_part_is_named_at_once(at_intake, coordinator):
    at_intake.formats = []
    at_intake.save()
    with pytest.raises(ValidationError) as raised:
        intake_complete(actor=coordinator, referral=at_intake, data={})
    assert set(raised.value.message_dict) == {
        "goals",
        "languages",
        "formats",
        "availability_slots",
    }


def test_someone_with_only_a_phone_number_waits_without_an_account(
    organisation, areas, coordinator, django_capture_on_commit_callbacks
):
    referral = ReferralFactory(organisation=organisation, status=Status.INTAKE, email="")
    users_before = User.objects.count()
    referral = complete(referral, coordinator, answers(areas), django_capture_on_commit_callbacks)
    assert referral.status == Status.WAITING
    assert referral.mentee is None
    assert User.objects.count() == users_before
    assert not mail.outbox
    metadata = AuditEvent.objects.get(action="referral.intake_completed").metadata
    assert metadata["has_account"] is False and metadata["account_created"] is False


def test_completing_twice_changes_nothing_more(
    at_intake, areas, coordinator, django_capture_on_commit_callbacks
):
    first = complete(at_intake, coordinator, answers(areas), django_capture_on_commit_callbacks)
    again = complete(
        first, coordinator, answers(areas, goals="Changed"), django_capture_on_commit_callbacks
    )
    assert again.waiting_since == first.waiting_since
    assert Intake.objects.get(referral=at_intake).goals == GOALS
    assert AuditEvent.objects.filter(action="referral.intake_completed").count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("status", [Status.NEW, Status.WITHDRAWN, Status.MATCHED])
def test_intake_cannot_be_completed_from_another_step(organisation, areas, coordinator, status):
    referral = ReferralFactory(organisation=organisation, status=status)
    with pytest.raises(ValidationError, match="only be changed while the referral is at intake"):
        intake_complete(actor=coordinator, referral=referral, data=answers(areas))
    assert Referral.objects.get(pk=referral.pk).status == status


def test_the_person_can_complete_it_themselves(
    at_intake, areas, django_capture_on_commit_callbacks
):
    referral = complete(at_intake, None, answers(areas), django_capture_on_commit_callbacks)
    assert referral.status == Status.WAITING
    intake = Intake.objects.get(referral=referral)
    assert intake.completed_by is None and intake.completed_at is not None
    assert intake.notes == ""
    assert referral.urgency == Urgency.ROUTINE
    event = AuditEvent.objects.get(action="referral.intake_completed")
    assert event.actor is None and event.metadata["by_person"] is True
    assert [message.to for message in mail.outbox] == [["jamie@example.net"]]


def test_risk_words_in_an_online_intake_make_it_urgent_and_tell_coordinators(
    at_intake, areas, coordinator, django_capture_on_commit_callbacks
):
    referral = complete(
        at_intake,
        None,
        answers(areas, goals="Some days I want to kill myself."),
        django_capture_on_commit_callbacks,
    )
    assert referral.status == Status.WAITING
    assert referral.urgency == Urgency.URGENT
    assert "risk words in their intake" in referral.urgency_reasons
    urgent = [message for message in mail.outbox if "needs a call today" in message.subject]
    assert len(urgent) == 1 and urgent[0].to == [coordinator.email]
    assert "kill myself" not in urgent[0].body
    assert "Jamie" not in urgent[0].body
    assert AuditEvent.objects.get(action="referral.intake_completed").metadata["flagged_urgent"]
    # A safeguarding alert about the person's new account, pointing at the referral.
    alert = Alert.objects.get()
    assert alert.person == referral.mentee and alert.person is not None
    assert (alert.source, alert.object_id) == ("intake", str(referral.pk))
    assert alert.source_label == "Intake, written by the person themselves"
    assert alert.path == reverse("referrals:detail", args=[referral.pk])
    notices = [message for message in mail.outbox if "safeguarding alert" in message.subject]
    assert len(notices) == 1 and notices[0].to == [coordinator.email]
    assert all("kill myself" not in message.body for message in mail.outbox)


def test_risk_words_in_intake_with_a_coordinator_raise_an_alert_but_the_coordinator_judges(
    at_intake, areas, coordinator, django_capture_on_commit_callbacks
):
    referral = complete(
        at_intake,
        coordinator,
        answers(areas, goals="Says: I've taken an overdose before and might again."),
        django_capture_on_commit_callbacks,
    )
    assert referral.urgency == Urgency.ROUTINE
    assert not any("needs a call today" in message.subject for message in mail.outbox)
    alert = Alert.objects.get()
    assert alert.source_label == "Intake, written by staff with the person"
    assert AuditEvent.objects.get(action="safeguarding.alert_raised").actor == coordinator


def test_saving_a_draft_raises_no_alert(at_intake, areas, coordinator):
    intake_save(
        actor=coordinator,
        referral=at_intake,
        data=answers(areas, goals="Some days I want to kill myself."),
    )
    assert not Alert.objects.exists()


def test_ordinary_intake_raises_no_alert(at_intake, areas, django_capture_on_commit_callbacks):
    complete(
        at_intake,
        None,
        answers(areas, goals="We talked about my job search."),
        django_capture_on_commit_callbacks,
    )
    assert not Alert.objects.exists()
