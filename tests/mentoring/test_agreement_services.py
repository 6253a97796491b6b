"""The agreement, strength notes and mentoring settings services: the rules, the versions,
acknowledgements and activation, double-clicks and stale saves, the audit trail and the
content-free emails."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from mentoring.concurrency import STALE
from mentoring.models import (
    Agreement,
    CheckIn,
    MentoringSettings,
    Milestone,
    MilestoneKind,
    RelationshipStatus,
    StrengthNote,
)
from mentoring.selectors import mentoring_settings
from mentoring.services.agreements import (
    AgreementTerms,
    agreement_acknowledge,
    agreement_save,
    milestones_seen,
)
from mentoring.services.settings import mentoring_settings_update
from mentoring.services.strengths import strength_add
from mentoring.statement import STATEMENT_VERSION
from safeguarding.models import Alert

pytestmark = pytest.mark.django_db

GOALS = "Feel able to go to the Wednesday group on my own."


def terms(**overrides) -> AgreementTerms:
    base = AgreementTerms(
        goals_in_own_words=GOALS,
        meeting_frequency="weekly",
        meeting_format="video",
        usual_slot="mon_evening",
        usual_slot_note="After six",
        contact_channels=["messages"],
        contact_days=[0, 1, 2, 3, 4],
        contact_from=time(9),
        contact_until=time(20),
        reply_within_hours=48,
        planned_sessions=12,
        planned_end_on=timezone.localdate() + timedelta(weeks=26),
        anything_else="",
    )
    return replace(base, **overrides)


def save(actor, relationship, based_on=None, change_note="", **overrides):
    return agreement_save(
        actor=actor,
        relationship=relationship,
        terms=terms(**overrides),
        based_on_version=based_on,
        change_note=change_note,
    )


def field_errors(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# Drafting ---------------------------------------------------------------------------------------


def test_the_mentor_drafts_the_first_version_and_the_mentee_is_asked_to_read_it(
    relationship, mentor, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        saved = save(mentor, relationship)
    agreement = saved.agreement
    assert saved.created and not saved.is_risk
    assert agreement.version == 1
    assert agreement.statement_version == STATEMENT_VERSION
    assert agreement.goals_in_own_words == GOALS
    assert agreement.created_by == mentor
    assert agreement.mentor_acknowledged_at is not None
    assert agreement.mentee_acknowledged_at is None
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.INTRODUCTION

    event = AuditEvent.objects.get(action="agreement.saved")
    assert event.metadata == {"relationship": relationship.pk, "version": 1, "by": "mentor"}
    [message] = mail.outbox
    assert message.to == [mentee.email]
    assert message.subject == "Alongside: Your mentoring agreement is ready to read"
    assert f"/mentoring/{relationship.pk}/agreement/" in message.body
    for private in ("Wednesday", "group", mentor.name, relationship.referral.full_name, "Sam"):
        assert private not in message.body


def test_the_mentee_can_draft_it_too_and_the_mentor_is_told(
    relationship, mentor, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        agreement = save(mentee, relationship).agreement
    assert agreement.mentee_acknowledged_at is not None
    assert agreement.mentor_acknowledged_at is None
    [message] = mail.outbox
    assert message.to == [mentor.email]


def test_a_mentee_who_does_not_want_email_is_not_emailed(
    relationship, mentor, django_capture_on_commit_callbacks
):
    relationship.referral.email_ok = False
    relationship.referral.save(update_fields=["email_ok"])
    with django_capture_on_commit_callbacks(execute=True):
        save(mentor, relationship)
    assert mail.outbox == []


def test_text_is_tidied_and_days_and_channels_are_kept_in_order(relationship, mentor):
    agreement = save(
        mentor,
        relationship,
        goals_in_own_words=f"  {GOALS}  ",
        contact_days=[4, 0, 0, 2],
        contact_channels=["session_calls", "messages"],
    ).agreement
    assert agreement.goals_in_own_words == GOALS
    assert agreement.contact_days == [0, 2, 4]
    assert agreement.contact_channels == ["messages", "session_calls"]


BAD_TERMS = [
    ({"goals_in_own_words": "   "}, "goals_in_own_words"),
    ({"goals_in_own_words": "x" * 2001}, "goals_in_own_words"),
    ({"meeting_frequency": "daily"}, "meeting_frequency"),
    ({"meeting_format": "carrier_pigeon"}, "meeting_format"),
    ({"usual_slot": "someday_maybe"}, "usual_slot"),
    ({"usual_slot_note": "x" * 201}, "usual_slot_note"),
    ({"contact_channels": []}, "contact_channels"),
    ({"contact_channels": ["whatsapp"]}, "contact_channels"),
    ({"contact_days": []}, "contact_days"),
    ({"contact_days": [7]}, "contact_days"),
    ({"contact_from": time(20), "contact_until": time(9)}, "contact_until"),
    ({"contact_from": time(9), "contact_until": time(9)}, "contact_until"),
    ({"reply_within_hours": 0}, "reply_within_hours"),
    ({"reply_within_hours": 169}, "reply_within_hours"),
    ({"planned_sessions": 0}, "planned_sessions"),
    ({"planned_sessions": 53}, "planned_sessions"),
    ({"planned_end_on": timezone.localdate()}, "planned_end_on"),
    ({"planned_end_on": timezone.localdate() + timedelta(days=731)}, "planned_end_on"),
    ({"anything_else": "x" * 2001}, "anything_else"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD_TERMS)
def test_bad_terms_are_refused_next_to_their_field(relationship, mentor, overrides, field):
    with pytest.raises(ValidationError) as excinfo:
        save(mentor, relationship, **overrides)
    assert field in field_errors(excinfo)
    assert not Agreement.objects.exists()


def test_the_longest_plan_and_the_widest_hours_are_allowed(relationship, mentor):
    agreement = save(
        mentor,
        relationship,
        planned_end_on=timezone.localdate() + timedelta(days=730),
        reply_within_hours=168,
        planned_sessions=52,
        usual_slot="",
    ).agreement
    assert agreement.planned_sessions == 52


def test_only_the_pair_may_write_it(relationship, coordinator, other_mentor):
    for actor in (coordinator, other_mentor):
        with pytest.raises(ValidationError):
            save(actor, relationship)
    assert not Agreement.objects.exists()


def test_nothing_changes_once_the_mentoring_has_ended(ended_relationship, mentee):
    with pytest.raises(ValidationError, match="has ended"):
        save(mentee, ended_relationship, based_on=1, change_note="More time")
    with pytest.raises(ValidationError, match="has ended"):
        agreement_acknowledge(actor=mentee, relationship=ended_relationship, version=1)


# Versions ---------------------------------------------------------------------------------------


def test_a_change_is_a_new_version_and_earlier_ones_are_kept(
    active_relationship, mentor, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        saved = save(
            mentee, active_relationship, based_on=1, change_note="Fortnightly", planned_sessions=8
        )
    assert saved.agreement.version == 2
    assert saved.agreement.change_note == "Fortnightly"
    assert saved.agreement.mentee_acknowledged_at is not None
    assert saved.agreement.mentor_acknowledged_at is None
    assert list(active_relationship.agreements.values_list("version", flat=True)) == [2, 1]
    [message] = mail.outbox
    assert message.to == [mentor.email]
    assert message.subject == "Alongside: Your mentoring agreement has been updated"
    # The relationship keeps the agreed length until both have agreed the new one.
    active_relationship.refresh_from_db()
    assert active_relationship.planned_sessions == 12


def test_a_later_version_needs_a_change_note(active_relationship, mentee):
    with pytest.raises(ValidationError) as excinfo:
        save(mentee, active_relationship, based_on=1, planned_sessions=8)
    assert "change_note" in field_errors(excinfo)


def test_saving_against_an_older_version_is_refused_as_stale(active_relationship, mentor, mentee):
    save(mentee, active_relationship, based_on=1, change_note="Fewer", planned_sessions=8)
    with pytest.raises(ValidationError) as excinfo:
        save(mentor, active_relationship, based_on=1, change_note="More", planned_sessions=16)
    assert field_errors(excinfo) == {"version": [STALE]}
    assert active_relationship.agreements.count() == 2


def test_a_first_draft_made_while_the_other_person_saved_theirs_is_stale(
    relationship, mentor, mentee
):
    save(mentee, relationship)
    with pytest.raises(ValidationError) as excinfo:
        save(mentor, relationship, based_on=None, planned_sessions=10)
    assert field_errors(excinfo) == {"version": [STALE]}
    assert relationship.agreements.count() == 1


def test_a_double_click_makes_one_version(relationship, mentor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = save(mentor, relationship)
        second = save(mentor, relationship)
    assert second.agreement.pk == first.agreement.pk
    assert second.created is False
    assert relationship.agreements.count() == 1
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="agreement.saved").count() == 1


def test_the_same_save_a_while_later_is_not_taken_as_a_double_click(relationship, mentor):
    first = save(mentor, relationship).agreement
    Agreement.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    with pytest.raises(ValidationError) as excinfo:
        save(mentor, relationship)
    assert field_errors(excinfo) == {"version": [STALE]}


def test_saving_with_nothing_changed_makes_no_new_version(active_relationship, mentor):
    current = active_relationship.agreements.get()
    saved = agreement_save(
        actor=mentor,
        relationship=active_relationship,
        terms=AgreementTerms.of(current),
        based_on_version=1,
        change_note="",
    )
    assert saved.created is False
    assert saved.agreement.pk == current.pk


# Acknowledging ----------------------------------------------------------------------------------


def test_when_both_acknowledge_the_first_version_mentoring_starts(relationship, mentor, mentee):
    agreement = save(mentor, relationship, planned_sessions=10).agreement
    agreement_acknowledge(actor=mentee, relationship=relationship, version=1)
    relationship.refresh_from_db()
    agreement.refresh_from_db()
    assert agreement.is_acknowledged
    assert relationship.status == RelationshipStatus.ACTIVE
    assert relationship.activated_at is not None
    assert relationship.planned_sessions == 10
    assert relationship.planned_end_on == agreement.planned_end_on
    assert CheckIn.objects.filter(relationship=relationship).count() == 4
    assert Milestone.objects.filter(relationship=relationship, kind=MilestoneKind.AGREEMENT).count()
    assert AuditEvent.objects.filter(action="relationship.activated").count() == 1
    event = AuditEvent.objects.get(action="agreement.acknowledged")
    assert event.metadata == {"relationship": relationship.pk, "version": 1, "by": "mentee"}


def test_acknowledging_twice_changes_nothing(relationship, mentor, mentee):
    save(mentor, relationship)
    first = agreement_acknowledge(actor=mentee, relationship=relationship, version=1)
    again = agreement_acknowledge(actor=mentee, relationship=relationship, version=1)
    assert again.mentee_acknowledged_at == first.mentee_acknowledged_at
    assert AuditEvent.objects.filter(action="agreement.acknowledged").count() == 1
    assert AuditEvent.objects.filter(action="relationship.activated").count() == 1
    assert CheckIn.objects.filter(relationship=relationship).count() == 4
    # The writer acknowledging what they wrote is harmless too.
    agreement_acknowledge(actor=mentor, relationship=relationship, version=1)
    assert AuditEvent.objects.filter(action="agreement.acknowledged").count() == 1


def test_acknowledging_an_old_version_is_refused(active_relationship, mentor, mentee):
    save(mentee, active_relationship, based_on=1, change_note="Fewer", planned_sessions=8)
    with pytest.raises(ValidationError) as excinfo:
        agreement_acknowledge(actor=mentor, relationship=active_relationship, version=1)
    assert "version" in field_errors(excinfo)
    assert active_relationship.agreements.get(version=2).mentor_acknowledged_at is None


def test_there_is_nothing_to_acknowledge_before_an_agreement(relationship, mentee):
    with pytest.raises(ValidationError, match="no agreement"):
        agreement_acknowledge(actor=mentee, relationship=relationship, version=1)


def test_outsiders_cannot_acknowledge(relationship, mentor, coordinator):
    save(mentor, relationship)
    with pytest.raises(ValidationError):
        agreement_acknowledge(actor=coordinator, relationship=relationship, version=1)


def test_a_new_version_both_agree_sets_the_new_planned_length(active_relationship, mentor, mentee):
    end = timezone.localdate() + timedelta(weeks=30)
    save(
        mentee,
        active_relationship,
        based_on=1,
        change_note="A little longer",
        planned_sessions=14,
        planned_end_on=end,
    )
    agreement_acknowledge(actor=mentor, relationship=active_relationship, version=2)
    active_relationship.refresh_from_db()
    assert (active_relationship.planned_sessions, active_relationship.planned_end_on) == (14, end)
    assert active_relationship.status == RelationshipStatus.ACTIVE
    assert AuditEvent.objects.filter(action="relationship.activated").count() == 0


def test_a_second_draft_before_starting_starts_mentoring_once_both_agree(
    relationship, mentor, mentee
):
    save(mentor, relationship)
    save(mentee, relationship, based_on=1, change_note="My words", goals_in_own_words="Sleep")
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.INTRODUCTION
    agreement_acknowledge(actor=mentor, relationship=relationship, version=2)
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.ACTIVE


# Safety -----------------------------------------------------------------------------------------


def test_words_that_suggest_risk_are_passed_on_without_the_words(
    relationship, mentee, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        saved = save(mentee, relationship, anything_else="Some days I want to die.")
    assert saved.is_risk
    alert = Alert.objects.get(person=mentee)
    assert (alert.source, alert.object_type) == ("agreement", "mentoring.agreement")
    assert alert.object_id == str(saved.agreement.pk)
    event = AuditEvent.objects.get(action="safeguarding.alert_raised")
    assert event.metadata["source"] == "agreement"
    warning = next(message for message in mail.outbox if supervisor.email in message.to)
    assert "die" not in warning.body


# Milestones -------------------------------------------------------------------------------------


def test_only_the_mentee_marks_their_celebrations_seen(active_relationship, mentor, mentee):
    from mentoring.milestones import milestone_reach

    milestone_reach(active_relationship, MilestoneKind.AGREEMENT)
    assert milestones_seen(actor=mentor, relationship=active_relationship) == 0
    assert Milestone.objects.filter(seen_at__isnull=True).count() == 1
    assert milestones_seen(actor=mentee, relationship=active_relationship) == 1
    assert Milestone.objects.filter(seen_at__isnull=True).count() == 0


# Strengths --------------------------------------------------------------------------------------


def test_the_mentor_writes_a_strength_note(active_relationship, mentor):
    added = strength_add(
        actor=mentor, relationship=active_relationship, text="  You keep going.  ", client_key="k1"
    )
    assert added.created and not added.is_risk
    assert added.note.text == "You keep going."
    assert added.note.written_by == mentor
    event = AuditEvent.objects.get(action="strength.added")
    assert event.metadata == {"relationship": active_relationship.pk}
    assert "keep going" not in str(event.metadata)


def test_the_same_strength_note_sent_twice_is_kept_once(active_relationship, mentor):
    first = strength_add(
        actor=mentor, relationship=active_relationship, text="Kind", client_key="a"
    )
    second = strength_add(
        actor=mentor, relationship=active_relationship, text="Kind", client_key="a"
    )
    assert second.note.pk == first.note.pk and second.created is False
    assert StrengthNote.objects.count() == 1
    strength_add(actor=mentor, relationship=active_relationship, text="Kind", client_key="b")
    assert StrengthNote.objects.count() == 2


@pytest.mark.parametrize("text", ["", "   ", "x" * 1001])
def test_a_strength_note_needs_words_and_not_too_many(active_relationship, mentor, text):
    with pytest.raises(ValidationError) as excinfo:
        strength_add(actor=mentor, relationship=active_relationship, text=text)
    assert "text" in field_errors(excinfo)


def test_only_the_mentor_writes_strength_notes(active_relationship, mentee, other_mentor):
    for actor in (mentee, other_mentor):
        with pytest.raises(ValidationError):
            strength_add(actor=actor, relationship=active_relationship, text="Kind")
    assert not StrengthNote.objects.exists()


def test_no_strength_notes_once_ended(ended_relationship, mentor):
    with pytest.raises(ValidationError, match="has ended"):
        strength_add(actor=mentor, relationship=ended_relationship, text="Kind")


def test_a_strength_note_with_worrying_words_is_checked(active_relationship, mentor):
    added = strength_add(
        actor=mentor, relationship=active_relationship, text="You said you felt suicidal"
    )
    assert added.is_risk
    sign = Alert.objects.get(person=active_relationship.mentee).signs.get()
    assert (sign.object_type, sign.object_id) == ("mentoring.strengthnote", str(added.note.pk))
    assert sign.source_label == "A strength, written by the mentor"
    assert AuditEvent.objects.filter(action="safeguarding.alert_raised").count() == 1


# Settings ---------------------------------------------------------------------------------------


def test_an_admin_changes_the_mentoring_settings(organisation, admin):
    settings = mentoring_settings_update(
        actor=admin, organisation=organisation, planned_sessions=10, contact_until=time(21)
    )
    assert (settings.planned_sessions, settings.contact_until) == (10, time(21))
    event = AuditEvent.objects.get(action="mentoring_settings.updated")
    assert event.metadata == {"fields": "contact_until,planned_sessions"}
    mentoring_settings_update(actor=admin, organisation=organisation, planned_sessions=10)
    assert AuditEvent.objects.filter(action="mentoring_settings.updated").count() == 1
    assert MentoringSettings.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"planned_sessions": 0}, "planned_sessions"),
        ({"planned_weeks": 105}, "planned_weeks"),
        ({"reply_within_hours": 169}, "reply_within_hours"),
        ({"session_reminder_hours": 0}, "session_reminder_hours"),
        ({"missed_sessions_alert": 11}, "missed_sessions_alert"),
        ({"follow_up_weeks": 0}, "follow_up_weeks"),
        ({"contact_from": time(20), "contact_until": time(8)}, "contact_until"),
    ],
)
def test_bad_settings_are_refused(organisation, admin, fields, field):
    with pytest.raises(ValidationError) as excinfo:
        mentoring_settings_update(actor=admin, organisation=organisation, **fields)
    assert field in field_errors(excinfo)
    assert mentoring_settings(organisation).planned_sessions == 12


def test_unknown_settings_are_refused(organisation, admin):
    with pytest.raises(ValidationError, match="Unknown"):
        mentoring_settings_update(actor=admin, organisation=organisation, colour="blue")
