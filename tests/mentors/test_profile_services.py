"""Services behind mentor profiles, approval of public changes and asking for a mentor."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Language
from audit.models import AuditEvent
from mentors.models import AvailabilitySlot, MentorRequest, MentorRequestStatus
from mentors.selectors import programme_settings
from mentors.services.profiles import (
    Slot,
    mentor_request_create,
    mentor_request_mark_noted,
    profile_changes_approve,
    profile_changes_reject,
    profile_set_availability,
    profile_set_available,
    profile_update,
    proposed_public_values,
)


def events(action):
    return AuditEvent.objects.filter(action=action)


# profile_update --------------------------------------------------------------------------------


def test_public_changes_wait_for_approval_and_private_ones_apply_at_once(mentor, mentor_profile):
    old_bio = mentor_profile.bio
    profile = profile_update(
        actor=mentor,
        profile=mentor_profile,
        data={"bio": "A new bio.", "area": "Leeds", "travel_km": 10, "capacity": 3},
    )
    profile.refresh_from_db()
    assert profile.bio == old_bio
    assert profile.pending_changes == {"bio": "A new bio."}
    assert profile.pending_since is not None
    assert (profile.area, profile.travel_km, profile.capacity) == ("Leeds", 10, 3)
    event = events("mentor_profile.updated").get()
    assert event.metadata == {"pending": True, "changed_now": 3}
    assert event.actor == mentor
    assert "A new bio." not in str(event.metadata)


def test_lived_experience_areas_wait_for_approval_as_ids(mentor, mentor_profile, areas):
    profile_update(
        actor=mentor, profile=mentor_profile, data={"lived_experience_areas": areas[1:3]}
    )
    mentor_profile.refresh_from_db()
    assert list(mentor_profile.lived_experience_areas.all()) == [areas[0]]
    assert mentor_profile.pending_changes == {
        "lived_experience_areas": sorted(a.pk for a in areas[1:3])
    }


def test_asking_for_what_is_already_shown_withdraws_the_pending_change(mentor, mentor_profile):
    shown = mentor_profile.bio
    profile_update(actor=mentor, profile=mentor_profile, data={"bio": "Something else."})
    profile_update(actor=mentor, profile=mentor_profile, data={"bio": shown})
    mentor_profile.refresh_from_db()
    assert mentor_profile.pending_changes == {}
    assert mentor_profile.pending_since is None


def test_saving_the_same_values_twice_changes_nothing_the_second_time(mentor, mentor_profile):
    data = {"bio": "A new bio.", "area": "Leeds"}
    profile_update(actor=mentor, profile=mentor_profile, data=data)
    first_since = type(mentor_profile).objects.get(pk=mentor_profile.pk).pending_since
    profile_update(actor=mentor, profile=mentor_profile, data=data)
    assert events("mentor_profile.updated").count() == 1
    assert type(mentor_profile).objects.get(pk=mentor_profile.pk).pending_since == first_since


def test_capacity_above_the_programme_limit_is_refused(mentor, mentor_profile, organisation):
    most = programme_settings(organisation).max_capacity
    with pytest.raises(ValidationError) as error:
        profile_update(actor=mentor, profile=mentor_profile, data={"capacity": most + 1})
    assert "capacity" in error.value.message_dict
    assert not events("mentor_profile.updated").exists()


def test_an_empty_display_name_is_refused(mentor, mentor_profile):
    with pytest.raises(ValidationError):
        profile_update(actor=mentor, profile=mentor_profile, data={"display_name": "  "})


def test_areas_of_another_organisation_are_ignored(mentor, mentor_profile, other_organisation):
    from tests.mentors.factories import SupportAreaFactory

    elsewhere = SupportAreaFactory(organisation=other_organisation, name="Elsewhere area")
    profile_update(
        actor=mentor, profile=mentor_profile, data={"lived_experience_areas": [elsewhere]}
    )
    mentor_profile.refresh_from_db()
    assert mentor_profile.pending_changes == {"lived_experience_areas": []}


def test_languages_and_formats_apply_at_once(mentor, mentor_profile):
    polish = Language.objects.get(code="pl")
    profile_update(
        actor=mentor, profile=mentor_profile, data={"languages": [polish], "formats": ["phone"]}
    )
    mentor_profile.refresh_from_db()
    assert list(mentor_profile.languages.all()) == [polish]
    assert mentor_profile.formats == ["phone"]
    assert mentor_profile.pending_changes == {}


# availability ---------------------------------------------------------------------------------


def test_weekly_slots_replace_the_old_ones_and_are_audited(mentor, mentor_profile):
    AvailabilitySlot.objects.create(
        profile=mentor_profile, weekday=0, starts_at=time(9), ends_at=time(10)
    )
    profile_set_availability(
        actor=mentor,
        profile=mentor_profile,
        slots=[Slot(2, time(18), time(20)), Slot(5, time(10), time(12))],
    )
    assert [str(slot) for slot in mentor_profile.availability_slots.all()] == [
        "Wednesday 18:00–20:00",
        "Saturday 10:00–12:00",
    ]
    assert events("mentor_profile.availability_set").get().metadata == {"slots": 2}


def test_overlapping_slots_on_one_day_are_refused(mentor, mentor_profile):
    with pytest.raises(ValidationError):
        profile_set_availability(
            actor=mentor,
            profile=mentor_profile,
            slots=[Slot(1, time(18), time(20)), Slot(1, time(19), time(21))],
        )
    assert not mentor_profile.availability_slots.exists()
    assert not events("mentor_profile.availability_set").exists()


def test_a_slot_ending_before_it_starts_is_refused(mentor, mentor_profile):
    with pytest.raises(ValidationError):
        profile_set_availability(
            actor=mentor, profile=mentor_profile, slots=[Slot(1, time(20), time(18))]
        )


def test_slots_back_to_back_on_one_day_are_fine(mentor, mentor_profile):
    profile_set_availability(
        actor=mentor,
        profile=mentor_profile,
        slots=[Slot(1, time(18), time(19)), Slot(1, time(19), time(20))],
    )
    assert mentor_profile.availability_slots.count() == 2


def test_saving_the_same_slots_again_is_not_audited_twice(mentor, mentor_profile):
    slots = [Slot(1, time(18), time(19))]
    profile_set_availability(actor=mentor, profile=mentor_profile, slots=slots)
    profile_set_availability(actor=mentor, profile=mentor_profile, slots=slots)
    assert events("mentor_profile.availability_set").count() == 1


def test_pausing_new_mentees_is_audited_once(mentor, mentor_profile):
    profile_set_available(actor=mentor, profile=mentor_profile, available=False)
    profile_set_available(actor=mentor, profile=mentor_profile, available=False)
    mentor_profile.refresh_from_db()
    assert mentor_profile.is_available is False
    event = events("mentor_profile.availability_switched").get()
    assert event.metadata == {"available": False}


# approval -------------------------------------------------------------------------------------


@pytest.fixture
def pending_profile(mentor, mentor_profile, areas):
    profile_update(
        actor=mentor,
        profile=mentor_profile,
        data={
            "bio": "A new bio.",
            "display_name": "Sam Alongside",
            "lived_experience_areas": areas[:2],
            "gender": "Woman",
            "show_gender": True,
        },
    )
    mentor_profile.refresh_from_db()
    return mentor_profile


def test_approval_shows_the_proposed_public_fields_and_tells_the_mentor(
    pending_profile, coordinator, areas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert profile_changes_approve(actor=coordinator, profile=pending_profile) is True
    pending_profile.refresh_from_db()
    assert (pending_profile.bio, pending_profile.display_name) == ("A new bio.", "Sam Alongside")
    assert (pending_profile.gender, pending_profile.show_gender) == ("Woman", True)
    assert set(pending_profile.lived_experience_areas.all()) == set(areas[:2])
    assert pending_profile.pending_changes == {}
    assert pending_profile.pending_since is None
    assert events("mentor_profile.changes_approved").get().metadata == {"fields": 5}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [pending_profile.user.email]
    assert "A new bio." not in mail.outbox[0].body


def test_approving_twice_is_harmless(pending_profile, coordinator):
    profile_changes_approve(actor=coordinator, profile=pending_profile)
    assert profile_changes_approve(actor=coordinator, profile=pending_profile) is False
    assert events("mentor_profile.changes_approved").count() == 1


def test_rejection_keeps_the_profile_and_emails_the_note_to_the_mentor(
    pending_profile, coordinator, django_capture_on_commit_callbacks
):
    old_bio = pending_profile.bio
    with django_capture_on_commit_callbacks(execute=True):
        rejected = profile_changes_reject(
            actor=coordinator, profile=pending_profile, note="Let's talk about the wording."
        )
    assert rejected is True
    pending_profile.refresh_from_db()
    assert pending_profile.bio == old_bio
    assert pending_profile.pending_changes == {}
    event = events("mentor_profile.changes_rejected").get()
    assert event.metadata == {"fields": 5, "with_note": True}
    assert len(mail.outbox) == 1
    assert "Let's talk about the wording." in mail.outbox[0].body


def test_rejecting_with_nothing_waiting_changes_nothing(mentor_profile, coordinator):
    assert profile_changes_reject(actor=coordinator, profile=mentor_profile) is False
    assert not events("mentor_profile.changes_rejected").exists()


def test_proposed_values_show_pending_changes_on_top_of_current_ones(pending_profile):
    proposed = proposed_public_values(pending_profile)
    assert proposed["bio"] == "A new bio."
    assert proposed["specialisms"] == pending_profile.specialisms


# asking for a mentor --------------------------------------------------------------------------


def test_a_mentee_asking_for_a_mentor_tells_coordinators_without_the_note(
    mentee, mentor_profile, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mentor_request, created = mentor_request_create(
            actor=mentee, profile=mentor_profile, note="I liked their bio about panic attacks."
        )
    assert created is True
    assert mentor_request.status == MentorRequestStatus.OPEN
    assert mentor_request.note == "I liked their bio about panic attacks."
    event = events("mentor_request.created").get()
    assert event.metadata == {"with_note": True}
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
    body = mail.outbox[0].body + mail.outbox[0].subject
    assert "panic" not in body
    assert mentor_profile.display_name not in body
    assert mentor_profile.user.email not in [to for m in mail.outbox for to in m.to]


def test_asking_twice_keeps_one_open_request(mentee, mentor_profile):
    first, _ = mentor_request_create(actor=mentee, profile=mentor_profile)
    second, created = mentor_request_create(actor=mentee, profile=mentor_profile, note="again")
    assert created is False
    assert second == first
    assert MentorRequest.objects.count() == 1
    assert events("mentor_request.created").count() == 1


def test_a_mentee_can_ask_again_after_the_first_request_was_noted(
    mentee, mentor_profile, coordinator
):
    first, _ = mentor_request_create(actor=mentee, profile=mentor_profile)
    mentor_request_mark_noted(actor=coordinator, mentor_request=first)
    _, created = mentor_request_create(actor=mentee, profile=mentor_profile)
    assert created is True


def test_an_expired_mentor_cannot_be_asked_for(mentee, mentor_profile):
    mentor_profile.certification_expires_at = timezone.now() - timedelta(days=1)
    mentor_profile.save()
    with pytest.raises(ValidationError):
        mentor_request_create(actor=mentee, profile=mentor_profile)
    assert not MentorRequest.objects.exists()


def test_a_paused_mentor_cannot_be_asked_for(mentee, mentor, mentor_profile):
    profile_set_available(actor=mentor, profile=mentor_profile, available=False)
    with pytest.raises(ValidationError):
        mentor_request_create(actor=mentee, profile=mentor_profile)


def test_only_mentees_of_the_organisation_can_ask(
    other_org_coordinator, other_mentor, mentor_profile
):
    for person in (other_org_coordinator, other_mentor):
        with pytest.raises(ValidationError):
            mentor_request_create(actor=person, profile=mentor_profile)
    assert not events("mentor_request.created").exists()


def test_marking_a_request_noted_records_who_and_is_harmless_twice(
    mentee, mentor_profile, coordinator
):
    mentor_request, _ = mentor_request_create(actor=mentee, profile=mentor_profile)
    mentor_request_mark_noted(actor=coordinator, mentor_request=mentor_request)
    mentor_request_mark_noted(actor=coordinator, mentor_request=mentor_request)
    mentor_request.refresh_from_db()
    assert mentor_request.status == MentorRequestStatus.NOTED
    assert mentor_request.handled_by == coordinator
    assert mentor_request.handled_at is not None
    assert events("mentor_request.noted").count() == 1
