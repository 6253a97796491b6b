"""Coordinator check-ins: recording one (and the next being scheduled), correcting one without
overwriting a colleague, extra check-ins, the daily digest for coordinators and the daily
safety net that keeps a check-in scheduled for everyone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent
from mentoring.concurrency import STALE
from mentoring.models import (
    CheckIn,
    CheckInKind,
    CheckInPerson,
    CheckInStatus,
    EndReason,
    RelationshipStatus,
)
from mentoring.services.checkins import (
    check_in_add,
    check_in_record,
    check_in_reminders_send,
    check_ins_top_up,
)
from mentoring.services.lifecycle import relationship_end
from tests.mentoring.factories import CheckInFactory

pytestmark = pytest.mark.django_db

NOTES = {
    "method": "phone",
    "how_it_is_going": "Samira says the walks are helping.",
    "concerns": "Finds evening sessions tiring.",
    "actions": "Try a Saturday morning slot.",
}


def due(relationship, person=CheckInPerson.MENTEE):
    return relationship.check_ins.filter(person=person, status=CheckInStatus.DUE).order_by("due_on")


def record(coordinator, check_in, **overrides):
    return check_in_record(actor=coordinator, check_in=check_in, **{**NOTES, **overrides})


# Recording -------------------------------------------------------------------------------------


def test_an_active_relationship_has_two_check_ins_each_in_the_first_month(active_relationship):
    today = timezone.localdate()
    for person in CheckInPerson:
        assert [c.due_on for c in due(active_relationship, person)] == [
            today + timedelta(days=14),
            today + timedelta(days=28),
        ]


def test_recording_the_first_check_in_keeps_the_second_in_the_first_month(
    active_relationship, coordinator
):
    first = due(active_relationship).first()
    recorded = record(coordinator, first)
    assert recorded.status == CheckInStatus.DONE
    assert recorded.done_by == coordinator
    assert recorded.done_at is not None
    assert recorded.how_it_is_going == NOTES["how_it_is_going"]
    assert recorded.version == 2
    assert due(active_relationship).count() == 1  # nothing new while the second is still due


def test_recording_the_last_due_check_in_schedules_the_next_a_month_later(
    active_relationship, coordinator
):
    for check_in in list(due(active_relationship)):
        record(coordinator, check_in)
    [next_one] = due(active_relationship)
    assert next_one.kind == CheckInKind.REGULAR
    assert next_one.due_on == timezone.localdate() + timedelta(days=28 + 30)
    assert due(active_relationship, CheckInPerson.MENTOR).count() == 2  # the mentor's untouched


def test_recording_is_audited_without_the_notes(active_relationship, coordinator):
    check_in = record(coordinator, due(active_relationship).first())
    event = AuditEvent.objects.get(action="check_in.recorded")
    assert event.object_id == str(check_in.pk)
    assert event.metadata == {
        "relationship": active_relationship.pk,
        "person": "mentee",
        "kind": "regular",
        "method": "phone",
    }


def test_the_notes_are_encrypted_in_the_database(active_relationship, coordinator):
    check_in = record(coordinator, due(active_relationship).first())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT how_it_is_going, concerns, actions FROM mentoring_checkin WHERE id = %s",
            [check_in.pk],
        )
        stored = cursor.fetchone()
    for raw, typed in zip(stored, ["how_it_is_going", "concerns", "actions"], strict=True):
        assert raw and NOTES[typed] not in raw


def test_a_correction_saved_against_an_old_version_is_refused(
    active_relationship, coordinator, admin
):
    check_in = record(coordinator, due(active_relationship).first())
    shown_version = check_in.version
    record(admin, check_in, how_it_is_going="Admin's correction.", version=shown_version)
    with pytest.raises(ValidationError) as refused:
        record(coordinator, check_in, how_it_is_going="My correction.", version=shown_version)
    assert refused.value.message_dict == {"version": [STALE]}
    check_in.refresh_from_db()
    assert check_in.how_it_is_going == "Admin's correction."


def test_a_correction_keeps_who_recorded_it_and_schedules_nothing_more(
    active_relationship, coordinator, admin
):
    check_in = record(coordinator, due(active_relationship).first())
    record(admin, check_in, actions="Call again in a week.", version=check_in.version)
    check_in.refresh_from_db()
    assert (check_in.actions, check_in.done_by, check_in.version) == (
        "Call again in a week.",
        coordinator,
        3,
    )
    assert AuditEvent.objects.filter(action="check_in.updated").count() == 1
    assert due(active_relationship).count() == 1


def test_two_coordinators_recording_the_same_due_check_in_do_not_overwrite(
    active_relationship, coordinator, admin
):
    check_in = due(active_relationship).first()
    record(coordinator, check_in, version=1)
    with pytest.raises(ValidationError) as refused:
        record(admin, check_in, how_it_is_going="Mine too.", version=1)
    assert "version" in refused.value.message_dict


def test_the_same_record_sent_twice_is_saved_once(active_relationship, coordinator):
    check_in = due(active_relationship).first()
    record(coordinator, check_in, version=1)
    again = record(coordinator, check_in, version=1)  # a double-click on the same form
    assert again.version == 2
    assert AuditEvent.objects.filter(action__startswith="check_in.").count() == 1


@pytest.mark.parametrize("person", ["mentor", "mentee", "supervisor", "other_org_coordinator"])
def test_only_the_organisations_staff_record_check_ins(active_relationship, person, request):
    with pytest.raises(ValidationError):
        record(request.getfixturevalue(person), due(active_relationship).first())
    assert not CheckIn.objects.filter(status=CheckInStatus.DONE).exists()


def test_how_it_is_going_and_the_method_are_needed(active_relationship, coordinator):
    with pytest.raises(ValidationError) as refused:
        record(coordinator, due(active_relationship).first(), method="fax", how_it_is_going=" ")
    assert set(refused.value.message_dict) == {"method", "how_it_is_going"}


def test_a_check_in_no_longer_needed_cannot_be_recorded(active_relationship, coordinator):
    check_in = due(active_relationship).first()
    CheckIn.objects.filter(pk=check_in.pk).update(status=CheckInStatus.NOT_NEEDED)
    check_in.refresh_from_db()
    with pytest.raises(ValidationError, match="no longer needed"):
        record(coordinator, check_in)


def test_the_follow_up_after_the_ending_is_the_last(active_relationship, coordinator):
    relationship_end(
        actor=coordinator, relationship=active_relationship, reason=EndReason.GOALS_MET
    )
    follow_up = CheckIn.objects.get(kind=CheckInKind.FOLLOW_UP)
    assert follow_up.person == CheckInPerson.MENTEE
    assert not active_relationship.check_ins.filter(
        kind=CheckInKind.REGULAR, status=CheckInStatus.DUE
    ).exists()
    record(coordinator, follow_up)
    assert not CheckIn.objects.filter(status=CheckInStatus.DUE).exists()


# Extra check-ins -------------------------------------------------------------------------------


def test_an_extra_check_in_is_recorded_once_however_often_it_is_sent(
    active_relationship, coordinator
):
    made = [
        check_in_add(
            actor=coordinator,
            relationship=active_relationship,
            person="mentor",
            client_key="key-1",
            **NOTES,
        )
        for _ in range(2)
    ]
    assert made[0].pk == made[1].pk
    extra = CheckIn.objects.get(client_key="key-1")
    assert (extra.status, extra.person, extra.due_on, extra.done_by) == (
        CheckInStatus.DONE,
        "mentor",
        timezone.localdate(),
        coordinator,
    )
    assert AuditEvent.objects.filter(action="check_in.added").count() == 1
    assert due(active_relationship, CheckInPerson.MENTOR).count() == 2  # the schedule stays


def test_an_extra_check_in_schedules_the_next_when_none_is_due(active_relationship, coordinator):
    due(active_relationship, CheckInPerson.MENTOR).update(status=CheckInStatus.DONE)
    check_in_add(
        actor=coordinator,
        relationship=active_relationship,
        person="mentor",
        client_key="k",
        **NOTES,
    )
    [next_one] = due(active_relationship, CheckInPerson.MENTOR)
    assert next_one.due_on == timezone.localdate() + timedelta(days=28 + 30)


def test_an_extra_check_in_needs_a_person_and_staff(active_relationship, coordinator, mentor):
    with pytest.raises(ValidationError) as refused:
        check_in_add(actor=coordinator, relationship=active_relationship, person="cat", **NOTES)
    assert set(refused.value.message_dict) == {"person"}
    with pytest.raises(ValidationError):
        check_in_add(actor=mentor, relationship=active_relationship, person="mentor", **NOTES)


# The daily digest ------------------------------------------------------------------------------


def remind(capture, now=None):
    with capture(execute=True):
        return check_in_reminders_send(now=now)


def make_overdue(relationship, days=3):
    """The first-month check-ins of ``relationship`` were due ``days`` ago (two of them)."""
    first_ones = relationship.check_ins.filter(due_on=timezone.localdate() + timedelta(days=14))
    first_ones.update(due_on=timezone.localdate() - timedelta(days=days))
    return first_ones


def test_nothing_is_sent_when_nothing_is_due(
    active_relationship, coordinator, django_capture_on_commit_callbacks
):
    assert remind(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_coordinators_get_one_content_free_digest_a_day(
    active_relationship,
    other_relationship,
    coordinator,
    admin,
    django_capture_on_commit_callbacks,
):
    make_overdue(active_relationship)
    make_overdue(other_relationship, days=0)  # due today counts too
    assert remind(django_capture_on_commit_callbacks) == 1
    [message] = mail.outbox
    assert message.to == [coordinator.email]
    assert message.subject == "Alongside: 4 check-ins are due or overdue"
    assert "/mentoring/check-ins/" in message.body
    for private in ("Samira", "Quinlan", "Olu", active_relationship.mentor.display_name):
        assert private not in message.body
    assert CheckIn.objects.filter(reminded_at__isnull=False).count() == 4
    assert AuditEvent.objects.get(action="check_in.reminder_sent").metadata == {
        "count": 4,
        "recipients": 1,
    }

    assert remind(django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1


def test_the_digest_comes_again_the_next_day_while_they_are_still_due(
    active_relationship, coordinator, django_capture_on_commit_callbacks
):
    make_overdue(active_relationship)
    remind(django_capture_on_commit_callbacks)
    assert remind(django_capture_on_commit_callbacks, now=timezone.now() + timedelta(days=1)) == 1
    assert len(mail.outbox) == 2


def test_check_ins_due_later_are_not_in_the_digest(
    active_relationship, coordinator, django_capture_on_commit_callbacks
):
    make_overdue(active_relationship, days=-1)  # due tomorrow
    assert remind(django_capture_on_commit_callbacks) == 0
    assert not CheckIn.objects.filter(reminded_at__isnull=False).exists()


def test_each_organisation_gets_its_own_digest(
    active_relationship,
    other_org_relationship,
    coordinator,
    other_org_coordinator,
    django_capture_on_commit_callbacks,
):
    make_overdue(active_relationship)
    make_overdue(other_org_relationship)
    other_org_relationship.check_ins.filter(person="mentor").update(status=CheckInStatus.DONE)
    assert remind(django_capture_on_commit_callbacks) == 2
    sent = {tuple(message.to): message.subject for message in mail.outbox}
    assert sent == {
        (coordinator.email,): "Alongside: 2 check-ins are due or overdue",
        (other_org_coordinator.email,): "Alongside: 1 check-in is due or overdue",
    }


# The daily safety net --------------------------------------------------------------------------


def test_top_up_schedules_the_next_check_in_where_it_was_missed(active_relationship):
    # Both of the mentor's were recorded, but the next was never scheduled.
    due(active_relationship, CheckInPerson.MENTOR).update(status=CheckInStatus.DONE)
    assert check_ins_top_up() == 1
    [next_one] = due(active_relationship, CheckInPerson.MENTOR)
    assert next_one.due_on == timezone.localdate() + timedelta(days=28 + 30)
    assert AuditEvent.objects.get(action="check_in.scheduled").metadata["by"] == "top_up"
    assert check_ins_top_up() == 0


def test_top_up_leaves_alone_people_with_one_due_and_relationships_not_active(
    active_relationship, relationship_factory_ended
):
    assert check_ins_top_up() == 0


@pytest.fixture
def relationship_factory_ended(other_relationship, coordinator):
    """Another pair whose relationship ended: their regular check-ins are no longer needed."""
    other_relationship.check_ins.update(status=CheckInStatus.DONE)
    other_relationship.status = RelationshipStatus.ENDED
    other_relationship.save(update_fields=["status"])
    return other_relationship


def test_top_up_does_not_schedule_past_the_planned_end(active_relationship):
    active_relationship.planned_end_on = timezone.localdate() + timedelta(days=40)
    active_relationship.save(update_fields=["planned_end_on"])
    due(active_relationship, CheckInPerson.MENTEE).update(status=CheckInStatus.DONE)
    assert check_ins_top_up() == 0


def test_top_up_needs_the_last_check_in_to_have_been_done(active_relationship):
    due(active_relationship, CheckInPerson.MENTEE).update(status=CheckInStatus.NOT_NEEDED)
    CheckInFactory(
        relationship=active_relationship,
        person="mentee",
        kind=CheckInKind.FOLLOW_UP,
        status=CheckInStatus.DONE,
    )
    assert check_ins_top_up() == 0


# Whose check-ins ---------------------------------------------------------------------------------


def test_every_check_in_made_carries_its_relationships_organisation(
    active_relationship, coordinator
):
    """Scheduled on activation, added by staff, scheduled after one is recorded, and the
    follow-up after the ending: each keeps the relationship's organisation, which the staff
    list and its count read (mentoring/selectors_staff.py)."""
    check_in_add(
        actor=coordinator,
        relationship=active_relationship,
        person="mentor",
        client_key="k",
        **NOTES,
    )
    for check_in in due(active_relationship):
        record(coordinator, check_in)
    relationship_end(
        actor=coordinator, relationship=active_relationship, reason=EndReason.GOALS_MET
    )
    made = CheckIn.objects.filter(relationship=active_relationship)
    assert made.count() >= 6
    assert set(made.values_list("organisation_id", flat=True)) == {
        active_relationship.organisation_id
    }
    assert made.filter(kind=CheckInKind.FOLLOW_UP).exists()
