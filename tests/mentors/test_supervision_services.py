"""Supervision and mentor wellbeing services: assigning supervisors, recording sessions, check-ins
that reach the right person, who is overdue, and the monthly reminder."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from accounts.services import membership_revoke
from audit.models import AuditEvent
from mentors.models import SupervisionKind, SupervisionSession, WellbeingCheckIn
from mentors.selectors import programme_settings
from mentors.services.supervision import (
    REMINDED_ACTION,
    mentors_overdue_for_supervision,
    profiles_due_a_wellbeing_reminder,
    supervision_group_session_record,
    supervision_overview,
    supervision_session_record,
    supervisor_assign,
    wellbeing_check_in_submit,
)
from mentors.tasks_supervision import remind_wellbeing_check_ins
from tests.conftest import make_member
from tests.mentors.factories import MentorProfileFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def second_supervisor(organisation):
    return make_member(organisation, Role.SUPERVISOR, "second.supervisor@example.org", mfa=True)


@pytest.fixture
def supervised_profile(mentor_profile, supervisor):
    mentor_profile.supervisor = supervisor
    mentor_profile.save(update_fields=["supervisor"])
    return mentor_profile


def _events(action):
    return AuditEvent.objects.filter(action=action)


# --- Assigning supervisors ---------------------------------------------------------------------


def test_coordinator_assigns_a_supervisor_and_it_is_audited(
    coordinator, mentor_profile, supervisor
):
    supervisor_assign(actor=coordinator, profile=mentor_profile, supervisor=supervisor)
    mentor_profile.refresh_from_db()
    assert mentor_profile.supervisor == supervisor
    event = _events("mentor_profile.supervisor_assigned").get()
    assert event.actor == coordinator
    assert event.object_id == str(mentor_profile.pk)
    assert event.metadata == {"supervisor_id": supervisor.pk}


@pytest.mark.parametrize("person", ["supervisor", "mentor", "other_org_coordinator"])
def test_only_the_organisations_coordinators_and_admins_assign(
    request, mentor_profile, supervisor, person
):
    with pytest.raises(PermissionDenied):
        supervisor_assign(
            actor=request.getfixturevalue(person), profile=mentor_profile, supervisor=supervisor
        )
    mentor_profile.refresh_from_db()
    assert mentor_profile.supervisor is None


def test_an_admin_may_assign_too(admin, mentor_profile, supervisor):
    supervisor_assign(actor=admin, profile=mentor_profile, supervisor=supervisor)
    mentor_profile.refresh_from_db()
    assert mentor_profile.supervisor == supervisor


def test_assigning_someone_who_is_not_a_supervisor_is_refused(coordinator, mentor_profile):
    with pytest.raises(ValidationError) as error:
        supervisor_assign(actor=coordinator, profile=mentor_profile, supervisor=coordinator)
    assert "supervisor" in error.value.message_dict
    mentor_profile.refresh_from_db()
    assert mentor_profile.supervisor is None
    assert not _events("mentor_profile.supervisor_assigned").exists()


def test_a_supervisor_from_another_organisation_is_refused(
    coordinator, mentor_profile, other_organisation
):
    elsewhere = make_member(other_organisation, Role.SUPERVISOR, "sup@elsewhere.example")
    with pytest.raises(ValidationError):
        supervisor_assign(actor=coordinator, profile=mentor_profile, supervisor=elsewhere)


def test_a_supervisor_whose_role_was_revoked_is_refused(coordinator, mentor_profile, supervisor):
    membership_revoke(actor=None, membership=supervisor.memberships.get())
    with pytest.raises(ValidationError):
        supervisor_assign(actor=coordinator, profile=mentor_profile, supervisor=supervisor)


def test_assigning_the_same_supervisor_twice_writes_one_event(
    coordinator, mentor_profile, supervisor
):
    supervisor_assign(actor=coordinator, profile=mentor_profile, supervisor=supervisor)
    supervisor_assign(actor=coordinator, profile=mentor_profile, supervisor=supervisor)
    assert _events("mentor_profile.supervisor_assigned").count() == 1


def test_removing_a_supervisor_is_audited(coordinator, supervised_profile):
    supervisor_assign(actor=coordinator, profile=supervised_profile, supervisor=None)
    supervised_profile.refresh_from_db()
    assert supervised_profile.supervisor is None
    assert _events("mentor_profile.supervisor_removed").get().metadata == {"supervisor_id": None}


# --- Recording sessions ------------------------------------------------------------------------


def test_supervisor_records_a_session_with_private_notes_and_an_audit_event(
    supervisor, supervised_profile
):
    session = supervision_session_record(
        actor=supervisor,
        profile=supervised_profile,
        held_on=TODAY(),
        kind=SupervisionKind.ONE_TO_ONE,
        topics="Boundaries with a mentee who messages late",
        actions="Agree contact hours",
        follow_up_on=TODAY() + timedelta(days=14),
    )
    session.refresh_from_db()
    assert session.supervisor == supervisor
    assert session.topics == "Boundaries with a mentee who messages late"
    event = _events("supervision_session.recorded").get()
    assert event.metadata == {"kind": "one_to_one", "profile_id": supervised_profile.pk}
    assert "Boundaries" not in str(event.metadata)


def test_another_supervisor_cannot_record_for_a_mentor_they_do_not_supervise(
    second_supervisor, supervised_profile
):
    with pytest.raises(PermissionDenied):
        supervision_session_record(
            actor=second_supervisor,
            profile=supervised_profile,
            held_on=TODAY(),
            kind=SupervisionKind.ONE_TO_ONE,
        )
    assert not SupervisionSession.objects.exists()


@pytest.mark.parametrize("person", ["mentor", "other_org_coordinator"])
def test_people_without_a_supervising_role_here_cannot_record(request, supervised_profile, person):
    with pytest.raises(PermissionDenied):
        supervision_session_record(
            actor=request.getfixturevalue(person),
            profile=supervised_profile,
            held_on=TODAY(),
            kind=SupervisionKind.ONE_TO_ONE,
        )


def test_a_coordinator_may_record_for_any_mentor_here(coordinator, mentor_profile):
    session = supervision_session_record(
        actor=coordinator, profile=mentor_profile, held_on=TODAY(), kind=SupervisionKind.GROUP
    )
    assert session.supervisor == coordinator


def test_a_session_in_the_future_is_refused(supervisor, supervised_profile):
    with pytest.raises(ValidationError) as error:
        supervision_session_record(
            actor=supervisor,
            profile=supervised_profile,
            held_on=TODAY() + timedelta(days=1),
            kind=SupervisionKind.ONE_TO_ONE,
        )
    assert "held_on" in error.value.message_dict
    assert not SupervisionSession.objects.exists()


def test_a_follow_up_on_or_before_the_session_is_refused(supervisor, supervised_profile):
    with pytest.raises(ValidationError) as error:
        supervision_session_record(
            actor=supervisor,
            profile=supervised_profile,
            held_on=TODAY(),
            kind=SupervisionKind.ONE_TO_ONE,
            follow_up_on=TODAY(),
        )
    assert "follow_up_on" in error.value.message_dict


def test_sending_the_same_session_twice_saves_it_once(supervisor, supervised_profile):
    details = {
        "actor": supervisor,
        "profile": supervised_profile,
        "held_on": TODAY(),
        "kind": SupervisionKind.ONE_TO_ONE,
        "topics": "Endings",
    }
    first = supervision_session_record(**details)
    second = supervision_session_record(**details)
    assert first == second
    assert SupervisionSession.objects.count() == 1
    assert _events("supervision_session.recorded").count() == 1


def test_a_different_session_on_the_same_day_is_saved(supervisor, supervised_profile):
    common = {"actor": supervisor, "profile": supervised_profile, "held_on": TODAY()}
    supervision_session_record(**common, kind=SupervisionKind.ONE_TO_ONE, topics="Endings")
    supervision_session_record(**common, kind=SupervisionKind.ONE_TO_ONE, topics="Self-care")
    assert SupervisionSession.objects.count() == 2


@pytest.fixture
def both_supervised(supervised_profile, other_mentor_profile, supervisor):
    other_mentor_profile.supervisor = supervisor
    other_mentor_profile.save(update_fields=["supervisor"])
    return [supervised_profile, other_mentor_profile]


def test_a_group_session_is_recorded_once_for_each_mentor(
    supervisor, supervised_profile, other_mentor_profile, both_supervised
):
    sessions = supervision_group_session_record(
        actor=supervisor,
        profiles=[supervised_profile, other_mentor_profile],
        held_on=TODAY(),
        topics="Peer reflection",
    )
    assert len(sessions) == 2
    assert {s.profile for s in sessions} == {supervised_profile, other_mentor_profile}
    assert all(s.kind == SupervisionKind.GROUP for s in sessions)
    assert _events("supervision_session.recorded").count() == 2


def test_a_group_session_without_mentors_is_refused(supervisor):
    with pytest.raises(ValidationError) as error:
        supervision_group_session_record(actor=supervisor, profiles=[], held_on=TODAY())
    assert "profiles" in error.value.message_dict


def test_a_group_session_with_someone_elses_mentor_saves_nothing(
    supervisor, supervised_profile, other_mentor_profile
):
    with pytest.raises(PermissionDenied):
        supervision_group_session_record(
            actor=supervisor,
            profiles=[supervised_profile, other_mentor_profile],
            held_on=TODAY(),
        )
    assert not SupervisionSession.objects.exists()


def test_a_group_session_in_the_future_saves_nothing(
    supervisor, supervised_profile, other_mentor_profile, both_supervised
):
    with pytest.raises(ValidationError):
        supervision_group_session_record(
            actor=supervisor,
            profiles=[supervised_profile, other_mentor_profile],
            held_on=TODAY() + timedelta(days=3),
        )
    assert not SupervisionSession.objects.exists()


def test_a_group_session_sent_twice_is_saved_once(
    supervisor, supervised_profile, other_mentor_profile, both_supervised
):
    for _ in range(2):
        supervision_group_session_record(
            actor=supervisor,
            profiles=[supervised_profile, other_mentor_profile],
            held_on=TODAY(),
        )
    assert SupervisionSession.objects.count() == 2


# --- Wellbeing check-ins -----------------------------------------------------------------------


def _check_in(profile, **changes):
    values = {"coping": 4, "load": 2, "wants_support": False, "note": ""}
    values.update(changes)
    return wellbeing_check_in_submit(actor=profile.user, profile=profile, **values)


def test_a_calm_check_in_is_saved_and_tells_nobody(
    supervised_profile, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        check_in = _check_in(supervised_profile, note="All fine")
    check_in.refresh_from_db()
    assert check_in.note == "All fine"
    assert check_in.supervisor_notified_at is None
    assert mail.outbox == []
    assert _events("mentor_wellbeing.checked_in").get().metadata == {"told": "nobody"}


def test_asking_for_support_emails_the_supervisor_without_the_note(
    supervised_profile, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        check_in = _check_in(
            supervised_profile, wants_support=True, note="My mentee's story brought things back"
        )
    assert check_in.supervisor_notified_at is not None
    [message] = mail.outbox
    assert message.to == [supervisor.email]
    assert f"/mentors/supervision/mentors/{supervised_profile.pk}/" in message.body
    assert "brought things back" not in message.body + message.subject
    assert supervised_profile.display_name not in message.body + message.subject
    event = _events("mentor_wellbeing.checked_in").get()
    assert event.actor == supervised_profile.user
    assert event.metadata == {"told": "supervisor"}


@pytest.mark.parametrize(("coping", "load"), [(2, 3), (1, 1), (4, 5)])
def test_a_low_score_emails_the_supervisor(
    supervised_profile, supervisor, coping, load, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        check_in = _check_in(supervised_profile, coping=coping, load=load)
    assert check_in.needs_attention
    assert [m.to for m in mail.outbox] == [[supervisor.email]]


def test_without_a_supervisor_the_coordinators_are_told(
    mentor_profile, coordinator, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        check_in = _check_in(mentor_profile, wants_support=True)
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert check_in.supervisor_notified_at is not None
    assert _events("mentor_wellbeing.checked_in").get().metadata == {"told": "coordinators"}


def test_a_supervisor_who_left_is_not_told_the_coordinators_are(
    supervised_profile, supervisor, coordinator, django_capture_on_commit_callbacks
):
    membership_revoke(actor=None, membership=supervisor.memberships.get())
    with django_capture_on_commit_callbacks(execute=True):
        _check_in(supervised_profile, wants_support=True)
    assert [m.to for m in mail.outbox] == [[coordinator.email]]


def test_nobody_can_check_in_for_someone_else(supervised_profile, other_mentor):
    with pytest.raises(PermissionDenied):
        wellbeing_check_in_submit(
            actor=other_mentor,
            profile=supervised_profile,
            coping=3,
            load=3,
            wants_support=False,
        )
    assert not WellbeingCheckIn.objects.exists()


def test_a_score_outside_one_to_five_is_refused(supervised_profile):
    with pytest.raises(ValidationError) as error:
        _check_in(supervised_profile, coping=0, load=6)
    assert set(error.value.message_dict) == {"coping", "load"}


def test_a_double_click_saves_one_check_in_and_sends_one_email(
    supervised_profile, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _check_in(supervised_profile, wants_support=True, note="Tired")
        second = _check_in(supervised_profile, wants_support=True, note="Tired")
    assert first == second
    assert WellbeingCheckIn.objects.count() == 1
    assert len(mail.outbox) == 1


# --- Who is due supervision --------------------------------------------------------------------


def _certified_days_ago(profile, days):
    profile.certified_at = timezone.now() - timedelta(days=days)
    profile.save(update_fields=["certified_at"])


def test_a_mentor_never_supervised_is_due_from_certification(supervised_profile, organisation):
    _certified_days_ago(supervised_profile, 45)
    [status] = mentors_overdue_for_supervision(organisation)
    assert status.profile == supervised_profile
    assert status.last_held_on is None
    assert status.next_due_on == timezone.localdate(supervised_profile.certified_at) + timedelta(
        days=30
    )


def test_a_recent_session_means_not_overdue(supervisor, supervised_profile, organisation):
    _certified_days_ago(supervised_profile, 90)
    supervision_session_record(
        actor=supervisor,
        profile=supervised_profile,
        held_on=TODAY() - timedelta(days=3),
        kind=SupervisionKind.ONE_TO_ONE,
    )
    assert mentors_overdue_for_supervision(organisation) == []
    [status] = supervision_overview(supervisor.memberships.get())
    assert status.last_held_on == TODAY() - timedelta(days=3)
    assert status.next_due_on == TODAY() + timedelta(days=27)


def test_the_interval_is_set_per_organisation(supervisor, supervised_profile, organisation):
    _certified_days_ago(supervised_profile, 20)
    assert mentors_overdue_for_supervision(organisation) == []
    settings = programme_settings(organisation)
    settings.supervision_interval_days = 14
    settings.save()
    assert [s.profile for s in mentors_overdue_for_supervision(organisation)] == [
        supervised_profile
    ]


def test_supervisor_sees_only_their_own_mentors_and_coordinator_sees_all(
    supervisor, coordinator, supervised_profile, other_mentor_profile
):
    assert [s.profile for s in supervision_overview(supervisor.memberships.get())] == [
        supervised_profile
    ]
    assert {s.profile for s in supervision_overview(coordinator.memberships.get())} == {
        supervised_profile,
        other_mentor_profile,
    }


def test_overdue_mentors_come_first(coordinator, supervised_profile, other_mentor_profile):
    _certified_days_ago(supervised_profile, 5)
    _certified_days_ago(other_mentor_profile, 60)
    statuses = supervision_overview(coordinator.memberships.get())
    assert [s.profile for s in statuses] == [other_mentor_profile, supervised_profile]
    assert [s.is_overdue for s in statuses] == [True, False]


def test_the_flag_comes_from_the_latest_check_in_only(coordinator, supervised_profile):
    _check_in(supervised_profile, wants_support=True)
    WellbeingCheckIn.objects.update(submitted_at=timezone.now() - timedelta(days=20))
    membership = coordinator.memberships.get()
    assert supervision_overview(membership)[0].wellbeing_flag == "Asked for support"
    _check_in(supervised_profile, coping=4, load=2)
    assert supervision_overview(membership)[0].wellbeing_flag == ""
    _check_in(supervised_profile, coping=1, load=2)
    assert supervision_overview(membership)[0].wellbeing_flag == "Low score"


def test_people_who_are_no_longer_mentors_are_not_overdue(
    supervised_profile, mentor, organisation, other_organisation
):
    _certified_days_ago(supervised_profile, 60)
    elsewhere = MentorProfileFactory(organisation=other_organisation)
    _certified_days_ago(elsewhere, 60)
    assert len(mentors_overdue_for_supervision(organisation)) == 1
    membership_revoke(actor=None, membership=mentor.memberships.get())
    assert mentors_overdue_for_supervision(organisation) == []


def test_the_overview_costs_the_same_queries_for_many_mentors(
    coordinator, organisation, django_assert_num_queries
):
    membership = coordinator.memberships.select_related("organisation").get()

    def add_mentors(count):
        for n in range(count):
            user = make_member(organisation, Role.MENTOR, f"many{n}-{count}@example.org")
            profile = MentorProfileFactory(organisation=organisation, user=user)
            _check_in(profile, wants_support=n % 2 == 0)

    add_mentors(2)
    programme_settings(organisation)
    with django_assert_num_queries(3):
        supervision_overview(membership)
    add_mentors(8)
    with django_assert_num_queries(3):
        assert len(supervision_overview(membership)) == 10


# --- Wellbeing reminders -----------------------------------------------------------------------


def test_reminder_goes_to_a_mentor_who_never_checked_in_only_once(
    mentor_profile, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_wellbeing_check_ins.call() == 1
        assert remind_wellbeing_check_ins.call() == 0
    [message] = mail.outbox
    assert message.to == [mentor_profile.user.email]
    assert "/mentors/wellbeing/" in message.body
    event = _events(REMINDED_ACTION).get()
    assert event.object_id == str(mentor_profile.pk)
    assert event.actor is None


def test_no_reminder_after_a_recent_check_in(mentor_profile):
    _check_in(mentor_profile)
    assert profiles_due_a_wellbeing_reminder() == []


def test_reminder_comes_again_once_the_interval_has_passed(mentor_profile):
    remind_wellbeing_check_ins.call()
    later = timezone.now() + timedelta(days=29)
    assert profiles_due_a_wellbeing_reminder(now=later) == []
    much_later = timezone.now() + timedelta(days=31)
    assert profiles_due_a_wellbeing_reminder(now=much_later) == [mentor_profile]


def test_reminder_is_due_when_the_last_check_in_is_older_than_the_interval(mentor_profile):
    _check_in(mentor_profile)
    WellbeingCheckIn.objects.update(submitted_at=timezone.now() - timedelta(days=31))
    assert profiles_due_a_wellbeing_reminder() == [mentor_profile]


def test_no_reminder_for_expired_or_departed_mentors(mentor_profile, mentor, other_mentor_profile):
    other_mentor_profile.certification_expires_at = timezone.now() - timedelta(days=1)
    other_mentor_profile.save(update_fields=["certification_expires_at"])
    membership_revoke(actor=None, membership=mentor.memberships.get())
    assert profiles_due_a_wellbeing_reminder() == []
