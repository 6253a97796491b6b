"""Reminders of measures waiting: the first when one falls due, then spaced by the
organisation's reminder days up to its maximum; one email per person however many are waiting;
never to people who have left; and never a word about what the questionnaire asks or scores."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Membership
from outcomes import instruments as engine
from outcomes.models import MeasureSettings, Occasion, RequestStatus
from outcomes.services.reminders import reminders_send
from outcomes.services.scheduling import request_extra
from tests.outcomes.fixtures import make_request, make_response

pytestmark = pytest.mark.django_db

INSTRUMENT_WORDS = [
    "PHQ",
    "GAD",
    "WHO-5",
    "Patient Health",
    "Anxiety",
    "Wellbeing Index",
    "depress",
    "anxiety",
    "mood",
    "score",
]


def send(capture, now=None) -> int:
    with capture(execute=True):
        return reminders_send(now=now or timezone.now())


def bodies() -> str:
    return "\n".join(f"{message.subject}\n{message.body}" for message in mail.outbox)


@pytest.fixture
def settings_row(organisation):
    return MeasureSettings.objects.create(
        organisation=organisation, reminder_days=3, max_reminders=2
    )


def test_a_measure_that_falls_due_is_reminded_once_at_first(
    phq9_request, settings_row, django_capture_on_commit_callbacks
):
    assert send(django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [phq9_request.person.email]
    assert "short questionnaire waiting in Alongside" in message.body
    assert "/outcomes/" in message.body
    phq9_request.refresh_from_db()
    assert phq9_request.reminders_sent == 1 and phq9_request.reminded_at is not None

    assert send(django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1


def test_a_measure_not_due_yet_is_not_reminded(
    active_relationship, settings_row, django_capture_on_commit_callbacks
):
    make_request(
        active_relationship.mentee,
        "phq9",
        relationship=active_relationship,
        due_on=timezone.localdate() + timedelta(days=1),
    )
    assert send(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


@pytest.mark.parametrize(("days_ago", "sent"), [(2, 0), (3, 1), (10, 1)])
def test_reminders_are_spaced_by_the_reminder_days(
    days_ago, sent, phq9_request, settings_row, django_capture_on_commit_callbacks
):
    now = timezone.now()
    phq9_request.reminded_at = now - timedelta(days=days_ago)
    phq9_request.reminders_sent = 1
    phq9_request.save()
    assert send(django_capture_on_commit_callbacks, now) == sent
    assert len(mail.outbox) == sent
    phq9_request.refresh_from_db()
    assert phq9_request.reminders_sent == 1 + sent


def test_no_more_than_the_maximum_reminders_are_sent(
    phq9_request, settings_row, django_capture_on_commit_callbacks
):
    phq9_request.reminded_at = timezone.now() - timedelta(days=30)
    phq9_request.reminders_sent = 2
    phq9_request.save()
    assert send(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_an_organisation_can_send_no_reminders(
    phq9_request, settings_row, django_capture_on_commit_callbacks
):
    settings_row.max_reminders = 0
    settings_row.save()
    assert send(django_capture_on_commit_callbacks) == 0


def test_over_several_days_the_reminders_follow_the_settings(
    phq9_request, settings_row, django_capture_on_commit_callbacks
):
    start = timezone.now()
    sent = [
        send(django_capture_on_commit_callbacks, start + timedelta(days=day)) for day in range(10)
    ]
    assert sent == [1, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert len(mail.outbox) == 2


def test_one_email_per_person_however_many_are_waiting(
    active_relationship,
    phq9_request,
    other_phq9_request,
    settings_row,
    django_capture_on_commit_callbacks,
):
    mentee = active_relationship.mentee
    gad7 = make_request(mentee, "gad7", relationship=active_relationship)
    who5 = make_request(mentee, "who5", relationship=active_relationship)

    assert send(django_capture_on_commit_callbacks) == 2

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [mentee.email, other_phq9_request.person.email]
    )
    for request in (phq9_request, gad7, who5):
        request.refresh_from_db()
        assert request.reminders_sent == 1


def test_a_new_measure_does_not_bring_the_next_reminder_forward(
    active_relationship, phq9_request, settings_row, django_capture_on_commit_callbacks
):
    now = timezone.now()
    phq9_request.reminded_at = now - timedelta(days=1)
    phq9_request.reminders_sent = 1
    phq9_request.save()
    make_request(active_relationship.mentee, "gad7", relationship=active_relationship)
    assert send(django_capture_on_commit_callbacks, now) == 1
    # The one email covered both; the next comes after the reminder days.
    assert send(django_capture_on_commit_callbacks, now + timedelta(days=1)) == 0
    assert send(django_capture_on_commit_callbacks, now + timedelta(days=3)) == 1


@pytest.mark.parametrize("status", [RequestStatus.COMPLETED, RequestStatus.EXPIRED, "cancelled"])
def test_closed_requests_are_not_reminded(
    status, phq9_request, settings_row, django_capture_on_commit_callbacks
):
    phq9_request.status = status
    phq9_request.save()
    assert send(django_capture_on_commit_callbacks) == 0


def test_a_started_measure_is_still_reminded(
    phq9_request, settings_row, django_capture_on_commit_callbacks
):
    phq9_request.status = RequestStatus.STARTED
    phq9_request.save()
    assert send(django_capture_on_commit_callbacks) == 1


def test_nobody_who_left_is_emailed(
    active_relationship,
    phq9_request,
    other_phq9_request,
    settings_row,
    django_capture_on_commit_callbacks,
):
    phq9_request.person.is_active = False
    phq9_request.person.save()
    Membership.objects.filter(user=other_phq9_request.person).update(is_active=False)
    assert send(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_the_email_says_nothing_about_the_questionnaire_or_scores(
    active_relationship, phq9_request, settings_row, django_capture_on_commit_callbacks
):
    mentee = active_relationship.mentee
    earlier = make_response(mentee, "phq9", [3, 3, 2, 2, 2, 2, 2, 1, 0], occasion=Occasion.BASELINE)
    make_request(mentee, "gad7", relationship=active_relationship)
    make_request(mentee, "who5", relationship=active_relationship)
    send(django_capture_on_commit_callbacks)
    text = bodies()
    for word in INSTRUMENT_WORDS:
        assert word not in text, word
    for key in engine.BUILTIN_KEYS:
        definition = engine.builtin(key)
        assert definition.name not in text and definition.short_name not in text
        assert definition.stem not in text
    assert str(earlier.total) not in text
    assert "Samira" not in text and "Sam " not in text and mentee.name not in text


def test_an_extra_measure_emails_the_person_at_once_without_saying_what_it_is(
    mentee, coordinator, organisation, phq9, settings_row, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = request_extra(
            actor=coordinator, person=mentee, instrument=phq9, organisation=organisation
        )
    assert [message.to for message in mail.outbox] == [[mentee.email]]
    assert "short questionnaire" in mail.outbox[0].body
    assert "PHQ" not in bodies() and "Patient Health" not in bodies()
    assert request.reminders_sent == 1
    # The daily run does not send a second email the same day.
    assert send(django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1


def test_asking_again_the_same_day_sends_one_email(
    mentee, coordinator, organisation, phq9, settings_row, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            request_extra(
                actor=coordinator, person=mentee, instrument=phq9, organisation=organisation
            )
    assert len(mail.outbox) == 1


def test_the_defaults_apply_when_the_organisation_never_chose(
    phq9_request, organisation, django_capture_on_commit_callbacks
):
    assert send(django_capture_on_commit_callbacks) == 1
    assert MeasureSettings.objects.get(organisation=organisation).reminder_days == 3
