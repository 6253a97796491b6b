"""While people wait: check-ins, their availability, the daily reminder, the waiting list page and
the mentee's own page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from referrals.models import ContactAttempt, Referral, ReferralProgrammeSettings, Status, Urgency
from referrals.services.waiting import (
    check_in_reminders_send,
    waiting_check_in_record,
    waiting_update_availability,
)
from referrals.tasks import remind_waiting_check_ins
from tests.factories import MembershipFactory
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def waiting(organisation, days, *, spoke_days_ago=None, reminded_days_ago=None, **fields):
    now = timezone.now()
    return ReferralFactory(
        organisation=organisation,
        status=Status.WAITING,
        waiting_since=now - timedelta(days=days),
        last_contacted_at=(
            now - timedelta(days=spoke_days_ago) if spoke_days_ago is not None else None
        ),
        check_in_reminded_at=(
            now - timedelta(days=reminded_days_ago) if reminded_days_ago is not None else None
        ),
        **fields,
    )


# Check-ins ------------------------------------------------------------------------------------


def test_speaking_with_someone_waiting_is_logged_and_resets_the_clock(
    waiting_referral, coordinator
):
    attempt = waiting_check_in_record(
        actor=coordinator,
        referral=waiting_referral,
        method="phone",
        outcome="spoke",
        note="Doing OK, still keen.",
    )
    waiting_referral.refresh_from_db()
    assert attempt.by == coordinator and attempt.note == "Doing OK, still keen."
    assert waiting_referral.last_contacted_at == attempt.attempted_at
    event = AuditEvent.objects.get(action="referral.check_in_recorded")
    assert event.metadata == {"method": "phone", "outcome": "spoke"}


@pytest.mark.parametrize("outcome", ["left_message", "no_answer"])
def test_a_message_or_no_answer_is_logged_but_does_not_count_as_contact(
    waiting_referral, coordinator, outcome
):
    waiting_check_in_record(
        actor=coordinator, referral=waiting_referral, method="phone", outcome=outcome
    )
    waiting_referral.refresh_from_db()
    assert waiting_referral.last_contacted_at is None
    assert waiting_referral.contact_attempts.get().outcome == outcome


def test_the_same_check_in_sent_twice_is_logged_once(waiting_referral, coordinator):
    for _ in range(2):
        waiting_check_in_record(
            actor=coordinator, referral=waiting_referral, method="text", outcome="spoke", note="Hi"
        )
    assert ContactAttempt.objects.count() == 1
    assert AuditEvent.objects.filter(action="referral.check_in_recorded").count() == 1


def test_check_ins_are_only_for_people_waiting(new_referral, coordinator):
    with pytest.raises(ValidationError, match="for people on the waiting list"):
        waiting_check_in_record(
            actor=coordinator, referral=new_referral, method="phone", outcome="spoke"
        )
    assert not ContactAttempt.objects.exists()


def test_a_check_in_needs_a_check_in_outcome(waiting_referral, coordinator):
    with pytest.raises(ValidationError):
        waiting_check_in_record(
            actor=coordinator, referral=waiting_referral, method="phone", outcome="wrong_details"
        )


# Availability ---------------------------------------------------------------------------------


def test_the_mentee_updates_when_they_are_free(waiting_referral, mentee):
    waiting_update_availability(
        actor=mentee,
        referral=waiting_referral,
        slots=["sun_afternoon", "mon_morning"],
        notes=" Not in August. ",
    )
    waiting_referral.refresh_from_db()
    assert waiting_referral.availability_slots == ["mon_morning", "sun_afternoon"]
    assert waiting_referral.availability == "Not in August."
    event = AuditEvent.objects.get(action="referral.availability_updated")
    assert event.actor == mentee and event.metadata == {"slots": 2}


def test_saving_the_same_availability_again_changes_nothing(waiting_referral, mentee):
    for _ in range(2):
        waiting_update_availability(
            actor=mentee, referral=waiting_referral, slots=["mon_morning"], notes=""
        )
    assert AuditEvent.objects.filter(action="referral.availability_updated").count() == 1


def test_availability_needs_at_least_one_time(waiting_referral, mentee):
    with pytest.raises(ValidationError) as raised:
        waiting_update_availability(
            actor=mentee, referral=waiting_referral, slots=["not_a_slot"], notes=""
        )
    assert "availability_slots" in raised.value.message_dict


@pytest.mark.parametrize("status", [Status.WITHDRAWN, Status.MATCHED, Status.NEW])
def test_availability_cannot_change_outside_intake_or_waiting(organisation, mentee, status):
    referral = ReferralFactory(organisation=organisation, status=status, mentee=mentee)
    with pytest.raises(ValidationError, match="only be changed while waiting"):
        waiting_update_availability(
            actor=mentee, referral=referral, slots=["mon_morning"], notes=""
        )


# The daily check-in reminder ------------------------------------------------------------------


def test_reminder_includes_only_people_who_are_due(organisation, coordinator):
    due_never_spoken = waiting(organisation, 20)
    due_spoken_long_ago = waiting(organisation, 40, spoke_days_ago=15)
    waiting(organisation, 5)  # joined recently
    waiting(organisation, 40, spoke_days_ago=3)  # spoken to recently
    waiting(organisation, 5, spoke_days_ago=30)  # spoken to at triage, joined recently
    waiting(organisation, 20, reminded_days_ago=2)  # reminded already
    ReferralFactory(organisation=organisation, status=Status.INTAKE)
    ReferralFactory(
        organisation=organisation,
        status=Status.WITHDRAWN,
        waiting_since=timezone.now() - timedelta(days=50),
    )
    assert check_in_reminders_send() == 2
    reminded = set(Referral.objects.filter(check_in_reminded_at__isnull=False))
    assert {due_never_spoken, due_spoken_long_ago} <= reminded
    assert len(reminded) == 3  # the two, plus the one reminded earlier


def test_reminder_is_one_digest_per_organisation_without_names(
    organisation, other_organisation, coordinator, other_org_coordinator, admin,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    MembershipFactory(organisation=organisation, role="coordinator", user__email="c2@example.org")
    people = [waiting(organisation, 20 + n, full_name=f"Person Number{n}") for n in range(3)]
    waiting(other_organisation, 30, full_name="Elsewhere Waiting")
    with django_capture_on_commit_callbacks(execute=True):
        assert check_in_reminders_send() == 4
    assert len(mail.outbox) == 2
    ours = next(m for m in mail.outbox if coordinator.email in m.to)
    assert sorted(ours.to) == sorted([coordinator.email, "c2@example.org"])
    assert admin.email not in ours.to
    assert "3 people" in ours.subject + ours.body
    assert reverse("referrals:waiting_list") in ours.body
    for person in people:
        assert person.full_name not in ours.body
        assert person.email not in ours.body
    theirs = next(m for m in mail.outbox if other_org_coordinator.email in m.to)
    assert theirs.to == [other_org_coordinator.email]
    assert "1 person" in theirs.subject
    assert "Elsewhere Waiting" not in theirs.body
    assert AuditEvent.objects.filter(action="referral.check_in_reminder_sent").count() == 2


def test_running_twice_does_not_remind_about_the_same_people(
    organisation, coordinator, django_capture_on_commit_callbacks
):
    person = waiting(organisation, 20)
    with django_capture_on_commit_callbacks(execute=True):
        assert check_in_reminders_send() == 1
        assert check_in_reminders_send(now=timezone.now() + timedelta(hours=12)) == 0
    assert len(mail.outbox) == 1
    person.refresh_from_db()
    assert person.check_in_reminded_at is not None


def test_another_interval_without_contact_brings_another_reminder(organisation, coordinator):
    waiting(organisation, 20)
    assert check_in_reminders_send() == 1
    assert check_in_reminders_send(now=timezone.now() + timedelta(days=13)) == 0
    assert check_in_reminders_send(now=timezone.now() + timedelta(days=15)) == 1


def test_speaking_with_them_stops_reminders_until_the_next_interval(organisation, coordinator):
    person = waiting(organisation, 20)
    assert check_in_reminders_send() == 1
    waiting_check_in_record(actor=coordinator, referral=person, method="phone", outcome="spoke")
    assert check_in_reminders_send(now=timezone.now() + timedelta(days=13)) == 0
    assert check_in_reminders_send(now=timezone.now() + timedelta(days=15)) == 1


def test_the_interval_is_each_organisations_own(organisation, coordinator):
    ReferralProgrammeSettings.objects.create(organisation=organisation, check_in_interval_days=30)
    waiting(organisation, 20)
    assert check_in_reminders_send() == 0
    waiting(organisation, 31)
    assert check_in_reminders_send() == 1


def test_without_coordinators_nobody_is_marked_reminded(organisation, admin):
    person = waiting(organisation, 20)
    assert check_in_reminders_send() == 0
    person.refresh_from_db()
    assert person.check_in_reminded_at is None


def test_the_task_and_the_daily_command_send_the_reminders(organisation, coordinator, capsys):
    waiting(organisation, 20)
    assert remind_waiting_check_ins.call() == 1
    waiting(organisation, 25)
    call_command("referrals_daily", "--now")
    assert "1 person(s) on waiting lists included in check-in reminders." in (
        capsys.readouterr().out
    )
    waiting(organisation, 30)
    call_command("referrals_daily")
    assert "Queued" in capsys.readouterr().out
    assert Referral.objects.filter(check_in_reminded_at__isnull=True).count() == 0


def test_daily_command_says_cron_runs_it_daily():
    from referrals.management.commands.referrals_daily import Command

    assert "Cron runs this once a day" in Command.help


# The waiting list page ------------------------------------------------------------------------


@pytest.fixture
def staff_client(client_for, coordinator):
    return client_for(coordinator)


def test_waiting_list_orders_urgent_first_then_longest_waiting(
    organisation, other_org_referral, staff_client
):
    waiting(organisation, 10, full_name="Bea Routine")
    waiting(organisation, 50, full_name="Ash Longest", spoke_days_ago=20)
    waiting(organisation, 3, full_name="Cy Urgent", urgency=Urgency.URGENT)
    ReferralFactory(organisation=organisation, status=Status.INTAKE, full_name="Di Intake")
    page = staff_client.get(reverse("referrals:waiting_list")).content.decode()
    names = re.findall(r'<a href="/referrals/\d+/">([^<]+)</a>', page)
    assert names == ["Cy Urgent", "Ash Longest", "Bea Routine"]
    assert "Elsewhere Person" not in page
    assert "Di Intake" not in page


def test_waiting_list_shows_waits_contact_and_what_needs_attention_in_words(
    organisation, staff_client
):
    long_wait = waiting(organisation, 50, full_name="Ash Longest", spoke_days_ago=12)
    recent = waiting(organisation, 1, full_name="Bea Recent")
    waiting(organisation, 3, full_name="Cy Urgent", urgency=Urgency.URGENT, spoke_days_ago=1)
    page = staff_client.get(reverse("referrals:waiting_list")).content.decode()

    def card(referral):
        start = page.index(f'id="waiting-{referral.pk}"')
        return page[start : page.index("</li>", start)]

    ash = card(long_wait)
    assert "50 days" in ash
    assert "12 days ago" in ash
    assert "Waiting over 42 days" in ash
    assert "Needs a check-in" not in ash
    bea = card(recent)
    assert "1 day" in bea and "Never" in bea
    assert "Needs a check-in" not in bea and "Waiting over" not in bea
    assert "Urgent" in page and "Yesterday" in page
    assert page.count("Needs a check-in") == 0
    waiting(organisation, 20, full_name="Di Due")
    page = staff_client.get(reverse("referrals:waiting_list")).content.decode()
    assert page.count("Needs a check-in") == 1


def test_waiting_list_counts_at_the_top(organisation, staff_client):
    waiting(organisation, 50)
    waiting(organisation, 45, urgency=Urgency.URGENT)
    waiting(organisation, 2)
    page = staff_client.get(reverse("referrals:waiting_list")).content.decode()
    counts = re.findall(r'<span class="d-block">([^<]+)</span> <strong[^>]*>([^<]+)</strong>', page)
    assert ("Waiting", "3") in counts
    assert ("Urgent", "1") in counts
    assert ("Over 42 days", "2") in counts
    assert ("Longest wait", "50 days") in counts


def test_waiting_list_never_shows_contact_details(organisation, staff_client):
    person = waiting(organisation, 20, email="private.person@example.net", phone="07700 900999")
    page = staff_client.get(reverse("referrals:waiting_list")).content.decode()
    assert person.full_name in page
    assert "private.person@example.net" not in page
    assert "07700 900999" not in page
    assert person.hopes not in page


def test_empty_waiting_list_says_so(staff_client):
    page = staff_client.get(reverse("referrals:waiting_list")).content.decode()
    assert "Nobody is waiting right now" in page


# Session, person, membership, two-factor, settings, the summary, the page, the urgent
# safeguarding banner.
WAITING_LIST_QUERIES = 8


def test_waiting_list_queries_do_not_grow_with_the_list(
    organisation, staff_client, django_assert_max_num_queries
):
    ReferralProgrammeSettings.objects.create(organisation=organisation)
    waiting(organisation, 3)
    with django_assert_max_num_queries(WAITING_LIST_QUERIES):
        assert staff_client.get(reverse("referrals:waiting_list")).status_code == 200
    for days in range(20):
        waiting(organisation, days, urgency=Urgency.URGENT if days % 3 else Urgency.ROUTINE)
    with django_assert_max_num_queries(WAITING_LIST_QUERIES):
        assert staff_client.get(reverse("referrals:waiting_list")).status_code == 200


def test_logging_a_check_in_from_the_list(waiting_referral, staff_client, coordinator):
    prefix = f"check-in-{waiting_referral.pk}"
    response = staff_client.post(
        reverse("referrals:check_in", args=[waiting_referral.pk]),
        {f"{prefix}-method": "phone", f"{prefix}-outcome": "spoke", f"{prefix}-note": "Fine"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("referrals:waiting_list")
    assert "Check-in with" in response.content.decode()
    waiting_referral.refresh_from_db()
    assert waiting_referral.last_contacted_at is not None
    assert waiting_referral.contact_attempts.get().by == coordinator
    assert "Today" in response.content.decode()


def test_a_check_in_with_missing_answers_shows_the_list_with_the_errors(
    waiting_referral, staff_client
):
    prefix = f"check-in-{waiting_referral.pk}"
    response = staff_client.post(
        reverse("referrals:check_in", args=[waiting_referral.pk]),
        {f"{prefix}-method": "phone", f"{prefix}-note": "Kept this"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required" in page
    assert "Kept this" in page
    assert "<details open>" in page
    assert not ContactAttempt.objects.exists()


def check_in_controls(page, referral):
    """The names, ids and labels of one row's check-in form, as the page wrote them."""
    start = page.index(f'id="waiting-{referral.pk}"')
    row = page[start : page.index("</form>", start)]
    return {
        "row": row,
        "names": re.findall(r'<(?:select|input type="text") name="([^"]+)"', row),
        "ids": re.findall(r'<(?:select|input)[^>]* id="([^"]+)"', row),
        "labelled": re.findall(r'<label [^>]*for="([^"]+)"', row),
        "action": re.search(r'<form method="post" action="([^"]+)"', row).group(1),
    }


def test_each_row_has_its_own_labelled_check_in_controls(organisation, staff_client):
    people = [waiting(organisation, days) for days in (30, 20, 10)]
    page = staff_client.get(reverse("referrals:waiting_list")).content.decode()
    every_id = re.findall(r' id="([^"]+)"', page)
    assert len(every_id) == len(set(every_id))
    for person in people:
        controls = check_in_controls(page, person)
        prefix = f"check-in-{person.pk}"
        assert controls["names"] == [f"{prefix}-method", f"{prefix}-outcome", f"{prefix}-note"]
        assert controls["ids"] == [f"id_{name}" for name in controls["names"]]
        assert controls["labelled"] == controls["ids"]
        assert (
            f'Log check-in<span class="visually-hidden"> with {person.full_name}'
            in (controls["row"])
        )
        assert "<details>" in controls["row"]


def test_a_check_in_posted_with_the_names_the_page_wrote_is_logged(
    organisation, staff_client, coordinator
):
    person = waiting(organisation, 30, full_name="Row Person")
    page = staff_client.get(reverse("referrals:waiting_list")).content.decode()
    controls = check_in_controls(page, person)
    method, outcome, note = controls["names"]
    response = staff_client.post(
        controls["action"],
        {method: "text", outcome: "left_message", note: "Sent a text"},
        follow=True,
    )
    assert "Check-in with Row Person logged." in response.content.decode()
    attempt = person.contact_attempts.get()
    assert (attempt.method, attempt.outcome, attempt.note, attempt.by) == (
        "text",
        "left_message",
        "Sent a text",
        coordinator,
    )


def test_a_refused_check_in_shows_its_message_in_its_own_row_and_keeps_what_was_typed(
    organisation, staff_client
):
    first = waiting(organisation, 30, full_name="First Person")
    second = waiting(organisation, 20, full_name="Second Person")
    prefix = f"check-in-{second.pk}"
    response = staff_client.post(
        reverse("referrals:check_in", args=[second.pk]),
        {
            f"{prefix}-method": "email",
            f"{prefix}-outcome": "wrong_details",
            f"{prefix}-note": "Kept",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    refused = check_in_controls(page, second)["row"]
    assert "<details open>" in refused
    assert "Select a valid choice." in refused
    assert f'id="id_{prefix}-outcome_error"' in refused
    assert 'aria-invalid="true"' in refused
    assert re.search(r'<option value="email"\s+selected\s*>', refused)
    assert 'value="Kept"' in refused
    untouched = check_in_controls(page, first)["row"]
    assert "<details>" in untouched
    assert "Select a valid choice." not in untouched and "selected" not in untouched
    assert not ContactAttempt.objects.exists()


def test_names_on_the_list_are_escaped(organisation, staff_client):
    waiting(organisation, 30, full_name='<b>Bold</b> & "Co"')
    page = staff_client.get(reverse("referrals:waiting_list")).content.decode()
    assert "<b>Bold</b>" not in page
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;Co&quot;" in page


def test_a_blank_check_in_form_is_what_the_form_templates_write():
    from referrals.forms_intake import CheckInForm
    from referrals.templatetags.referral_lists import blank_check_in_fields

    def tidy(html):
        return re.sub(r">\s+", ">", re.sub(r"\s+", " ", str(html))).replace(" >", ">")

    form = CheckInForm(prefix="check-in-7")
    written = blank_check_in_fields("check-in-7")
    assert list(written) == list(form.fields)
    for name in form.fields:
        assert tidy(written[name]) == tidy(form[name].as_field_group())


def test_a_check_in_for_someone_no_longer_waiting_is_explained(new_referral, staff_client):
    prefix = f"check-in-{new_referral.pk}"
    response = staff_client.post(
        reverse("referrals:check_in", args=[new_referral.pk]),
        {f"{prefix}-method": "phone", f"{prefix}-outcome": "spoke"},
        follow=True,
    )
    assert "for people on the waiting list" in response.content.decode()
    assert not ContactAttempt.objects.exists()


# The mentee's own page ------------------------------------------------------------------------


def test_mentee_sees_they_are_waiting_gently(waiting_referral, client_for, mentee):
    page = client_for(mentee).get(reverse("referrals:my_referral")).content.decode()
    assert "You are on the waiting list" in page
    assert "about three weeks ago" in page
    assert "What happens next" in page
    assert "20 days" not in page
    assert "I would like to leave the waiting list" in page


def test_mentee_updates_availability(waiting_referral, client_for, mentee):
    response = client_for(mentee).post(
        reverse("referrals:my_referral"),
        {"availability_slots": ["wed_evening", "sat_morning"], "availability": "After 6pm"},
        follow=True,
    )
    assert "We have saved when you are free" in response.content.decode()
    waiting_referral.refresh_from_db()
    assert waiting_referral.availability_slots == ["wed_evening", "sat_morning"]
    assert waiting_referral.availability == "After 6pm"


def test_mentee_availability_without_a_time_keeps_what_they_typed(
    waiting_referral, client_for, mentee
):
    response = client_for(mentee).post(
        reverse("referrals:my_referral"), {"availability": "Only after 6pm"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose at least one time of the week that suits you." in page
    assert "Only after 6pm" in page
    waiting_referral.refresh_from_db()
    assert waiting_referral.availability != "Only after 6pm"


def test_mentee_withdraws_after_confirming(waiting_referral, client_for, mentee):
    client = client_for(mentee)
    first = client.post(reverse("referrals:my_referral_withdraw"))
    assert first.status_code == 200
    assert "Leave the waiting list?" in first.content.decode()
    waiting_referral.refresh_from_db()
    assert waiting_referral.status == Status.WAITING

    response = client.post(
        reverse("referrals:my_referral_withdraw"),
        {"confirm": "yes", "reason": "Feeling better"},
        follow=True,
    )
    page = response.content.decode()
    assert "You have left the waiting list" in page
    assert reverse("get_help_now") in page
    assert "I would like to leave" not in page
    waiting_referral.refresh_from_db()
    assert waiting_referral.status == Status.WITHDRAWN
    assert waiting_referral.closed_reason == "Feeling better"
    assert AuditEvent.objects.get(action="referral.withdrawn").actor == mentee


def test_withdrawing_twice_changes_nothing(waiting_referral, client_for, mentee):
    client = client_for(mentee)
    for _ in range(2):
        client.post(reverse("referrals:my_referral_withdraw"), {"confirm": "yes"})
    assert AuditEvent.objects.filter(action="referral.withdrawn").count() == 1


def test_another_mentee_sees_nothing_of_someone_elses_referral(
    waiting_referral, client_for, other_mentee
):
    client = client_for(other_mentee)
    page = client.get(reverse("referrals:my_referral")).content.decode()
    assert "There is nothing to show here yet" in page
    assert waiting_referral.full_name not in page
    assert client.post(reverse("referrals:my_referral_withdraw")).status_code == 404
    client.post(reverse("referrals:my_referral"), {"availability_slots": ["mon_morning"]})
    waiting_referral.refresh_from_db()
    assert waiting_referral.status == Status.WAITING
    assert waiting_referral.availability_slots == []
