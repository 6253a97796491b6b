"""Messages between the pair: only the two of them; agreed hours and when to expect a reply;
the safeguarding check; one content-free email per run of unread messages; the thread page."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from mentoring.models import Agreement, MentoringSettings, Message
from mentoring.services.messages import (
    MESSAGE_MAX,
    contact_hours,
    message_send,
    messages_mark_read,
    thread,
)
from safeguarding.models import AlertSign, CrisisResource
from tests.mentoring.access import PAIR, PEOPLE, check_page, client_as
from tests.mentoring.factories import MessageFactory

pytestmark = pytest.mark.django_db

RISKY = "I can't do this any more, I want to die"
# Monday 2 March 2026, in the service's time zone.
MONDAY = datetime(2026, 3, 2)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(MONDAY + timedelta(days=day, hours=hour, minutes=minute))


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def set_hours(relationship, days, start, end, reply_within=48):
    Agreement.objects.filter(relationship=relationship).update(
        contact_days=days, contact_from=start, contact_until=end, reply_within_hours=reply_within
    )


@pytest.fixture
def always_open(active_relationship):
    """Hours that are open at any moment, so page tests do not depend on the clock."""
    set_hours(active_relationship, list(range(7)), time(0), time(0))
    return active_relationship


@pytest.fixture
def closed_now(active_relationship):
    """Hours that are closed right now: one hour on a day that is not today."""
    other_day = (timezone.localdate().weekday() + 3) % 7
    set_hours(active_relationship, [other_day], time(9), time(10))
    return active_relationship


# Contact hours ----------------------------------------------------------------------------------


def test_hours_come_from_the_agreement(active_relationship):
    hours = contact_hours(active_relationship)
    assert hours.agreed
    assert hours.text == "Mon–Fri 9:00–20:00"
    assert hours.reply_within_hours == 48


def test_before_an_agreement_the_organisation_defaults_apply_on_weekdays(relationship):
    MentoringSettings.objects.create(
        organisation=relationship.organisation,
        contact_from=time(10),
        contact_until=time(18),
        reply_within_hours=24,
    )
    hours = contact_hours(relationship)
    assert not hours.agreed
    assert hours.text == "Mon–Fri 10:00–18:00"
    assert hours.reply_within_hours == 24


# Sending ----------------------------------------------------------------------------------------


def test_a_message_inside_the_hours(active_relationship, mentee):
    message = message_send(
        actor=mentee, relationship=active_relationship, body=" Thanks! ", now=local(0, 10)
    )
    assert message.body == "Thanks!"
    assert not message.outside_hours and message.reply_expected_by is None
    assert message.risk_level == "none"
    event = AuditEvent.objects.get(action="mentoring.message_sent")
    assert "Thanks" not in str(event.metadata)


def test_a_message_late_at_night_says_when_to_expect_a_reply(active_relationship, mentee):
    message = message_send(
        actor=mentee, relationship=active_relationship, body="Can't sleep", now=local(4, 23)
    )
    assert message.outside_hours
    # Friday 23:00: hours open Monday 9:00, plus 48 hours.
    assert message.reply_expected_by == local(9, 9)


def test_the_same_form_sent_twice_makes_one_message(active_relationship, mentee):
    first = message_send(actor=mentee, relationship=active_relationship, body="Hi", client_key="k")
    second = message_send(actor=mentee, relationship=active_relationship, body="Hi", client_key="k")
    assert first == second
    assert Message.objects.count() == 1


def test_a_key_the_other_person_used_is_refused_not_a_crash(active_relationship, mentee, mentor):
    message_send(actor=mentee, relationship=active_relationship, body="Hi", client_key="1")
    with pytest.raises(ValidationError) as error:
        message_send(actor=mentor, relationship=active_relationship, body="Hi", client_key="1")
    assert "client_key" in error.value.message_dict


@pytest.mark.parametrize("body", ["", "   \n ", "x" * (MESSAGE_MAX + 1)])
def test_empty_or_too_long_messages_are_refused(active_relationship, mentee, body):
    with pytest.raises(ValidationError) as error:
        message_send(actor=mentee, relationship=active_relationship, body=body)
    assert "body" in error.value.message_dict
    assert not Message.objects.exists()


def test_only_the_pair_send_and_not_after_the_end(
    active_relationship, coordinator, supervisor, other_mentee
):
    for person in (coordinator, supervisor, other_mentee):
        with pytest.raises(ValidationError):
            message_send(actor=person, relationship=active_relationship, body="Hello")
    assert not Message.objects.exists()


def test_no_messages_after_the_end(ended_relationship, mentee):
    with pytest.raises(ValidationError):
        message_send(actor=mentee, relationship=ended_relationship, body="Still there?")


def test_every_message_goes_through_the_safeguarding_check(
    active_relationship, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send(actor=mentee, relationship=active_relationship, body=RISKY)
    sign = AlertSign.objects.get()
    assert (sign.object_type, sign.object_id) == ("mentoring.message", str(message.pk))
    assert sign.source_label == "A message, written by the mentee"
    assert message.risk_level == sign.level != "none"
    message.refresh_from_db()
    assert message.risk_level == sign.level
    notices = [email for email in mail.outbox if "safeguarding alert" in email.subject]
    assert len(notices) == 1
    assert "want to die" not in notices[0].body


# The email to the other person -------------------------------------------------------------------


def test_the_other_person_gets_one_content_free_email_per_unread_run(
    active_relationship, mentee, mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = message_send(
            actor=mentee, relationship=active_relationship, body="Secret words here"
        )
        second = message_send(actor=mentee, relationship=active_relationship, body="And more")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [mentor.email]
    assert email.subject == "Alongside: You have a new message"
    assert f"/mentoring/{active_relationship.pk}/messages/" in email.body
    for private in ("Secret", "Samira", "Quinlan", mentee.email):
        assert private not in email.body and private not in email.subject
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.notified_at is not None and second.notified_at is None

    messages_mark_read(actor=mentor, relationship=active_relationship)
    with django_capture_on_commit_callbacks(execute=True):
        message_send(actor=mentee, relationship=active_relationship, body="Next run")
    assert len(mail.outbox) == 2


def test_each_direction_is_counted_on_its_own(
    active_relationship, mentee, mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message_send(actor=mentee, relationship=active_relationship, body="Hello")
        message_send(actor=mentor, relationship=active_relationship, body="Hello back")
    assert [email.to for email in mail.outbox] == [[mentor.email], [mentee.email]]


def test_a_mentee_who_does_not_want_email_is_not_emailed(
    active_relationship, mentor, django_capture_on_commit_callbacks
):
    referral = active_relationship.referral
    referral.email_ok = False
    referral.save(update_fields=["email_ok"])
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send(actor=mentor, relationship=active_relationship, body="Hi")
    assert mail.outbox == []
    assert message.notified_at is None


def test_reading_marks_only_the_other_persons_messages(active_relationship, mentee, mentor):
    mine = MessageFactory(relationship=active_relationship, sender=mentee)
    theirs = MessageFactory(relationship=active_relationship, sender=mentor)
    assert messages_mark_read(actor=mentee, relationship=active_relationship) == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is None and theirs.read_at is not None
    assert messages_mark_read(actor=mentee, relationship=active_relationship) == 0


def test_the_thread_pages_back_fifty_at_a_time(active_relationship, mentee):
    made = [
        MessageFactory(relationship=active_relationship, sender=mentee, body=f"Message {n}")
        for n in range(60)
    ]
    latest = thread(active_relationship)
    assert [m.body for m in latest.messages] == [f"Message {n}" for n in range(10, 60)]
    assert latest.has_older
    older = thread(active_relationship, before=latest.oldest_id)
    assert older.messages == made[:10] and not older.has_older


# Session, user, membership, the relationship, marking read (in its own savepoint), the
# thread, the agreement (for the hours); the mentor's menu adds two (application, profile),
# and one more asks whether the mentee wrote something serious lately (the mentor's prompt).
# Each includes one insert: reading the thread is audited (mentoring.messages_viewed).
THREAD_QUERIES = {"mentee": 10, "mentor": 12}


# The page ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
def test_page_access(person, request, client_for, active_relationship):
    response = client_as(person, request, client_for).get(
        f"/mentoring/{active_relationship.pk}/messages/"
    )
    check_page(response, person, PAIR)


@pytest.mark.parametrize("person", PEOPLE)
def test_send_access(person, request, client_for, active_relationship):
    response = client_as(person, request, client_for).post(
        f"/mentoring/{active_relationship.pk}/messages/", {"body": "Hello", "client_key": "k"}
    )
    check_page(response, person, PAIR, ok=302)
    assert Message.objects.count() == (1 if person in PAIR else 0)


def test_the_mentor_of_an_ended_relationship_gets_404(client_for, mentor, ended_relationship):
    url = f"/mentoring/{ended_relationship.pk}/messages/"
    assert client_for(mentor).get(url).status_code == 404


def test_the_mentee_of_an_ended_relationship_reads_but_cannot_send(
    client_for, mentee, mentor, ended_relationship
):
    MessageFactory(relationship=ended_relationship, sender=mentor, body="Take care of yourself")
    client = client_for(mentee)
    url = f"/mentoring/{ended_relationship.pk}/messages/"
    page = text_of(client.get(url))
    assert "Take care of yourself" in page
    assert "Send message" not in page
    assert client.post(url, {"body": "Hello?"}).status_code == 404
    assert Message.objects.count() == 1


def test_the_thread_shows_both_sides_newest_at_the_bottom_and_marks_read(
    client_for, mentee, mentor, always_open
):
    MessageFactory(relationship=always_open, sender=mentor, body="How did Wednesday go?")
    MessageFactory(relationship=always_open, sender=mentee, body="I went in!")
    page = text_of(client_for(mentee).get(f"/mentoring/{always_open.pk}/messages/"))
    assert page.index("How did Wednesday go?") < page.index("I went in!")
    assert Message.objects.get(sender=mentor).read_at is not None
    assert Message.objects.get(sender=mentee).read_at is None


def test_contact_details_never_appear(client_for, mentee, mentor, always_open):
    referral = always_open.referral
    referral.phone = "07700 900123"
    referral.save(update_fields=["phone"])
    MessageFactory(relationship=always_open, sender=mentor, body="Hi")
    for viewer, other in ((mentee, mentor), (mentor, mentee)):
        page = text_of(client_for(viewer).get(f"/mentoring/{always_open.pk}/messages/"))
        assert other.email not in page
        assert "07700 900123" not in page


def test_the_hours_are_shown_above_the_form(client_for, mentee, active_relationship):
    page = text_of(client_for(mentee).get(f"/mentoring/{active_relationship.pk}/messages/"))
    assert "Your agreed contact hours: Mon–Fri 9:00–20:00." in re.sub(r"<[^>]+>", "", page)
    assert page.index("Mon–Fri 9:00–20:00") < page.index("Send message")


def test_sending_outside_the_hours_tells_the_sender_plainly(client_for, mentee, closed_now):
    client = client_for(mentee)
    url = f"/mentoring/{closed_now.pk}/messages/"
    response = client.post(url, {"body": "Are you around?", "client_key": "k"})
    message = Message.objects.get()
    assert response.status_code == 302 and f"sent={message.pk}" in response.url
    assert message.outside_hours and message.reply_expected_by is not None
    page = text_of(client.get(response.url))
    hours = contact_hours(closed_now).text
    mentor_name = closed_now.mentor.display_name
    assert (
        f"Your message has been sent. {mentor_name}'s contact hours are {hours}, so you can "
        "expect a reply by"
    ) in page
    assert "If you need help now, use" in page and "Get help now" in page


def test_sending_inside_the_hours_just_says_sent(client_for, mentee, always_open):
    client = client_for(mentee)
    response = client.post(
        f"/mentoring/{always_open.pk}/messages/", {"body": "Hello", "client_key": "k"}
    )
    page = text_of(client.get(response.url))
    assert "Your message has been sent." in page
    assert "contact hours are" not in page


def test_an_empty_message_is_refused_next_to_the_field(client_for, mentee, always_open):
    response = client_for(mentee).post(
        f"/mentoring/{always_open.pk}/messages/", {"body": "   ", "client_key": "k"}
    )
    assert response.status_code == 200
    assert "Write your message before sending it." in text_of(response)
    assert not Message.objects.exists()


def test_a_too_long_message_keeps_the_typed_text(client_for, mentee, always_open):
    long_text = "word " * 900
    response = client_for(mentee).post(
        f"/mentoring/{always_open.pk}/messages/", {"body": long_text, "client_key": "k"}
    )
    assert response.status_code == 200
    assert "4,000 characters or fewer" in text_of(response)
    assert long_text.strip() in response.content.decode()
    assert not Message.objects.exists()


def test_a_double_click_sends_one_message(client_for, mentee, always_open):
    client = client_for(mentee)
    url = f"/mentoring/{always_open.pk}/messages/"
    client.post(url, {"body": "Hello", "client_key": "same"})
    client.post(url, {"body": "Hello", "client_key": "same"})
    assert Message.objects.count() == 1


def test_risky_words_show_the_sender_where_to_get_help(
    client_for, mentee, always_open, organisation
):
    CrisisResource.objects.create(organisation=organisation, name="Samaritans", phone="116 123")
    client = client_for(mentee)
    response = client.post(
        f"/mentoring/{always_open.pk}/messages/", {"body": RISKY, "client_key": "k"}
    )
    page = text_of(client.get(response.url))
    assert "If you need help now" in page and "Samaritans" in page


def test_someone_elses_sent_notice_is_not_shown(client_for, mentee, mentor, always_open):
    theirs = MessageFactory(relationship=always_open, sender=mentor, outside_hours=True)
    page = text_of(
        client_for(mentee).get(f"/mentoring/{always_open.pk}/messages/?sent={theirs.pk}")
    )
    assert "Your message has been sent" not in page


def test_older_messages_are_a_link_away(client_for, mentee, always_open):
    for number in range(55):
        MessageFactory(relationship=always_open, sender=mentee, body=f"Note {number}.")
    client = client_for(mentee)
    url = f"/mentoring/{always_open.pk}/messages/"
    page = text_of(client.get(url))
    assert "Note 54." in page and "Note 4." not in page and "Older messages" in page
    oldest_shown = Message.objects.order_by("pk")[5].pk
    older = text_of(client.get(f"{url}?before={oldest_shown}"))
    assert "Note 4." in older and "Note 5." not in older
    assert "Back to the latest messages" in older
    assert client.get(f"{url}?before=nonsense").status_code == 200


@pytest.mark.parametrize("person", list(THREAD_QUERIES))
def test_the_thread_costs_the_same_for_one_or_many_messages(
    person, request, client_for, always_open, mentee, mentor, django_assert_num_queries
):
    client = client_as(person, request, client_for)
    url = f"/mentoring/{always_open.pk}/messages/"
    MessageFactory(relationship=always_open, sender=mentee)
    client.get(url)
    with django_assert_num_queries(THREAD_QUERIES[person]):
        client.get(url)
    for number in range(30):
        MessageFactory(relationship=always_open, sender=mentee if number % 2 else mentor)
    client.get(url)  # the other person's new messages are marked read (and audited) once
    with django_assert_num_queries(THREAD_QUERIES[person]):
        client.get(url)


def test_the_reply_by_note_stays_until_the_other_person_replies(
    client_for, mentee, mentor, always_open
):
    MessageFactory(
        relationship=always_open,
        sender=mentee,
        body="Late one",
        outside_hours=True,
        reply_expected_by=timezone.now() + timedelta(days=2),
    )
    client = client_for(mentee)
    url = f"/mentoring/{always_open.pk}/messages/"
    assert "reply expected by" in text_of(client.get(url))
    MessageFactory(relationship=always_open, sender=mentor, body="Here now")
    assert "reply expected by" not in text_of(client.get(url))
