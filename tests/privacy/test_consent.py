"""Versioned consent: wording per organisation and purpose, people asked again when it changes,
withdrawal that takes effect at once at every place the programme uses it, every change
audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from mentoring.models import CheckIn, CheckInKind, CheckInStatus, EndReason, SessionStatus
from mentoring.services.lifecycle import relationship_end
from mentoring.services.session_reminders import session_reminders_send
from outcomes.models import MeasureRequest, Occasion, RequestStatus
from outcomes.selectors import programme_change
from outcomes.services.reminders import reminders_send
from privacy import consent as consent_module
from privacy.consent import (
    consent_give,
    consent_states,
    consent_version_for,
    consent_version_publish,
    consent_withdraw,
    has_consent,
    has_withdrawn,
    processing_allowed,
)
from privacy.models import ConsentRecord, ConsentVersion, Purpose
from tests.mentoring.factories import SessionFactory
from tests.outcomes.fixtures import make_response

pytestmark = pytest.mark.django_db

REMINDERS = Purpose.EMAIL_REMINDERS


def _agree(person, organisation, purpose=REMINDERS):
    version = consent_version_for(organisation, purpose)
    return consent_give(actor=person, person=person, consent_version=version)


# Versions and answers -----------------------------------------------------------------------------


def test_version_one_of_every_purpose_is_published_when_first_needed(organisation, mentee):
    assert not ConsentVersion.objects.exists()

    states = consent_states(mentee, organisation)
    consent_version_for(organisation, REMINDERS)

    assert [s.purpose for s in states] == []  # nothing published yet: nothing to show
    versions = ConsentVersion.objects.filter(organisation=organisation)
    assert sorted(versions.values_list("purpose", "version")) == sorted(
        (purpose.value, 1) for purpose in Purpose
    )


def test_agreeing_gives_consent_and_is_audited(organisation, mentee):
    record = _agree(mentee, organisation)

    assert has_consent(mentee, REMINDERS)
    assert not has_consent(mentee, Purpose.FOLLOW_UP)
    event = AuditEvent.objects.get(action="consent.given")
    assert (event.actor, event.object_id) == (mentee, str(record.pk))
    assert event.metadata == {"purpose": REMINDERS, "version": 1, "on_behalf": False}


def test_agreeing_twice_records_one_agreement(organisation, mentee):
    first = _agree(mentee, organisation)

    assert _agree(mentee, organisation) == first
    assert ConsentRecord.objects.count() == 1


def test_new_wording_asks_again_and_consent_no_longer_counts(organisation, mentee, admin):
    _agree(mentee, organisation)

    version = consent_version_publish(
        actor=admin, organisation=organisation, purpose=REMINDERS, wording="New words, longer."
    )

    assert version.version == 2
    assert not has_consent(mentee, REMINDERS)
    [state] = [s for s in consent_states(mentee, organisation) if s.purpose == REMINDERS]
    assert state.status == "asked_again"
    assert state.version == version
    event = AuditEvent.objects.get(action="consent.version_published", actor=admin)
    assert event.metadata == {"purpose": REMINDERS, "version": 2}
    # Agreeing to the new wording counts again.
    consent_give(actor=mentee, person=mentee, consent_version=version)
    assert has_consent(mentee, REMINDERS)


def test_withdrawing_stamps_the_record_and_takes_effect_at_once(organisation, mentee):
    record = _agree(mentee, organisation)

    withdrawn = consent_withdraw(actor=mentee, person=mentee, purpose=REMINDERS)

    record.refresh_from_db()
    assert withdrawn == 1
    assert record.withdrawn_at is not None
    assert not has_consent(mentee, REMINDERS)
    assert has_withdrawn(mentee, REMINDERS)
    assert not processing_allowed(mentee, REMINDERS)
    event = AuditEvent.objects.get(action="consent.withdrawn")
    assert event.metadata["purpose"] == REMINDERS
    assert event.metadata["withdrawn"] == 1


def test_saying_no_without_agreeing_first_is_kept_on_file(organisation, mentee):
    consent_withdraw(actor=mentee, person=mentee, purpose=REMINDERS, organisation=organisation)

    record = ConsentRecord.objects.get()
    assert record.withdrawn_at == record.given_at
    assert not processing_allowed(mentee, REMINDERS)
    assert AuditEvent.objects.get(action="consent.withdrawn").metadata["declined_without_agreeing"]


def test_agreeing_again_after_withdrawing_allows_processing_again(organisation, mentee):
    _agree(mentee, organisation)
    consent_withdraw(actor=mentee, person=mentee, purpose=REMINDERS)

    _agree(mentee, organisation)

    assert has_consent(mentee, REMINDERS)
    assert processing_allowed(mentee, REMINDERS)


def test_people_who_have_not_answered_keep_existing_processing(organisation, mentee):
    assert not has_consent(mentee, REMINDERS)
    assert processing_allowed(mentee, REMINDERS)


def test_an_opt_in_purpose_needs_agreement_to_the_current_wording(
    organisation, mentee, admin, monkeypatch
):
    monkeypatch.setattr(consent_module, "OPT_IN_PURPOSES", frozenset({REMINDERS}))
    assert not processing_allowed(mentee, REMINDERS)
    _agree(mentee, organisation)
    assert processing_allowed(mentee, REMINDERS)

    consent_version_publish(
        actor=admin, organisation=organisation, purpose=REMINDERS, wording="Changed wording."
    )

    assert not processing_allowed(mentee, REMINDERS)


# Where withdrawal takes effect ------------------------------------------------------------------


@pytest.fixture
def session_soon(active_relationship, mentor):
    return SessionFactory(
        relationship=active_relationship,
        scheduled_for=timezone.now() + timedelta(hours=2),
        status=SessionStatus.PLANNED,
        scheduled_by=mentor,
    )


def test_session_reminders_go_to_both_people_by_default(
    session_soon, mentee, mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert session_reminders_send() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentee.email, mentor.email])


def test_no_session_reminder_for_someone_who_withdrew(
    session_soon, organisation, mentee, mentor, django_capture_on_commit_callbacks
):
    _agree(mentee, organisation)
    consent_withdraw(actor=mentee, person=mentee, purpose=REMINDERS)

    with django_capture_on_commit_callbacks(execute=True):
        assert session_reminders_send() == 1

    assert [m.to for m in mail.outbox] == [[mentor.email]]


def test_questionnaire_reminders_stop_for_someone_who_withdrew(
    phq9_request, organisation, mentee, django_capture_on_commit_callbacks
):
    consent_withdraw(actor=mentee, person=mentee, purpose=REMINDERS, organisation=organisation)

    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send() == 0
    assert mail.outbox == []


def test_questionnaire_reminders_go_out_by_default(
    phq9_request, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send() == 1
    assert [m.to for m in mail.outbox] == [[mentee.email]]


def _two_scores(relationship):
    person = relationship.mentee
    earlier = timezone.now() - timedelta(days=60)
    make_response(person, "phq9", [2] * 9, relationship=relationship, completed_at=earlier)
    make_response(person, "phq9", [1] * 9, relationship=relationship)


def _people_counted(organisation) -> int:
    return next(c.people for c in programme_change(organisation) if c.instrument.key == "phq9")


def test_programme_figures_leave_out_people_who_withdrew(
    active_relationship, other_relationship, organisation, mentee
):
    _two_scores(active_relationship)
    _two_scores(other_relationship)
    assert _people_counted(organisation) == 2

    consent_withdraw(
        actor=mentee, person=mentee, purpose=Purpose.PROGRAMME_EVALUATION, organisation=organisation
    )

    assert _people_counted(organisation) == 1


def test_withdrawing_follow_up_calls_off_planned_follow_up_contact(
    active_relationship, organisation, mentee, coordinator
):
    relationship_end(
        actor=coordinator, relationship=active_relationship, reason=EndReason.GOALS_MET
    )
    follow_up = CheckIn.objects.get(relationship=active_relationship, kind=CheckInKind.FOLLOW_UP)
    requests = MeasureRequest.objects.filter(person=mentee, occasion=Occasion.FOLLOW_UP)
    assert requests.filter(status__in=RequestStatus.open()).exists()
    planned = requests.count()

    consent_withdraw(
        actor=mentee, person=mentee, purpose=Purpose.FOLLOW_UP, organisation=organisation
    )

    follow_up.refresh_from_db()
    assert follow_up.status == CheckInStatus.NOT_NEEDED
    assert set(requests.values_list("status", flat=True)) == {RequestStatus.CANCELLED}
    stopped = AuditEvent.objects.get(action="consent.withdrawn").metadata["follow_ups_stopped"]
    assert stopped == 1 + planned


def test_follow_up_is_planned_at_the_ending_by_default(
    active_relationship, mentee, coordinator, phq9
):
    relationship_end(
        actor=coordinator, relationship=active_relationship, reason=EndReason.GOALS_MET
    )

    assert CheckIn.objects.filter(
        relationship=active_relationship, kind=CheckInKind.FOLLOW_UP
    ).exists()
    assert MeasureRequest.objects.filter(person=mentee, occasion=Occasion.FOLLOW_UP).exists()


def test_no_follow_up_is_planned_for_someone_who_said_no(
    active_relationship, organisation, mentee, coordinator, phq9
):
    consent_withdraw(
        actor=mentee, person=mentee, purpose=Purpose.FOLLOW_UP, organisation=organisation
    )

    relationship_end(
        actor=coordinator, relationship=active_relationship, reason=EndReason.GOALS_MET
    )

    assert not CheckIn.objects.filter(
        relationship=active_relationship, kind=CheckInKind.FOLLOW_UP
    ).exists()
    assert not MeasureRequest.objects.filter(person=mentee, occasion=Occasion.FOLLOW_UP).exists()


# Pages --------------------------------------------------------------------------------------------


def test_the_consent_page_lists_every_purpose_with_its_wording(mentee, client_for):
    response = client_for(mentee).get(reverse("privacy:consent"))

    page = response.content.decode()
    assert response.status_code == 200
    for purpose in Purpose:
        assert str(purpose.label) in page or str(purpose.label).replace("'", "&#x27;") in page
    assert page.count("You have not answered yet.") == len(Purpose)


def test_a_mentee_agrees_then_withdraws_on_the_consent_page(organisation, mentee, client_for):
    client = client_for(mentee)
    client.get(reverse("privacy:consent"))
    url = reverse("privacy:consent_answer", args=[REMINDERS])

    client.post(url, {"answer": "agree", "version": 1})
    assert has_consent(mentee, REMINDERS)

    response = client.post(url, {"answer": "withdraw"}, follow=True)
    assert not has_consent(mentee, REMINDERS)
    assert "You said no on" in response.content.decode()


def test_agreeing_to_wording_that_changed_meanwhile_asks_to_read_it_again(
    organisation, mentee, admin, client_for
):
    client = client_for(mentee)
    client.get(reverse("privacy:consent"))
    consent_version_publish(
        actor=admin, organisation=organisation, purpose=REMINDERS, wording="Changed meanwhile."
    )

    response = client.post(
        reverse("privacy:consent_answer", args=[REMINDERS]),
        {"answer": "agree", "version": 1},
        follow=True,
    )

    assert "The wording changed while you were reading" in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_an_unknown_purpose_is_404(mentee, client_for):
    response = client_for(mentee).post(
        reverse("privacy:consent_answer", args=["marketing"]), {"answer": "agree"}
    )
    assert response.status_code == 404


def test_an_admin_publishes_new_wording(organisation, admin, client_for):
    client = client_for(admin)
    url = reverse("privacy:consent_wording", args=[REMINDERS])

    response = client.post(url, {"wording": "We email you before sessions. Stop any time."})

    assert response.status_code == 302
    assert consent_version_for(organisation, REMINDERS).version == 2
    assert AuditEvent.objects.filter(action="consent.version_published", actor=admin).exists()


def test_publishing_the_same_wording_is_refused_next_to_the_field(organisation, admin, client_for):
    current = consent_version_for(organisation, REMINDERS)

    response = client_for(admin).post(
        reverse("privacy:consent_wording", args=[REMINDERS]), {"wording": current.wording}
    )

    assert response.status_code == 200
    assert "This is the wording already in use" in response.content.decode()
    assert consent_version_for(organisation, REMINDERS).version == 1


def test_a_coordinator_cannot_change_the_wording(coordinator, client_for):
    response = client_for(coordinator).get(reverse("privacy:consent_wording", args=[REMINDERS]))
    assert response.status_code == 404
