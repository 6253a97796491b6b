"""Screening services: interview, references, background check and the decision."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from accounts.models import Membership, Role, User
from audit.models import AuditEvent
from mentors.models import (
    BackgroundCheck,
    CheckOutcome,
    CheckType,
    Interview,
    InterviewAnswer,
    InterviewOutcome,
    InterviewQuestion,
    MentorApplication,
    Reference,
    ReferenceStatus,
    Stage,
)
from mentors.selectors import programme_settings
from mentors.services.applications import hash_token
from mentors.services.screening import (
    application_approve_to_train,
    application_decline,
    background_check_record,
    interview_question_create,
    interview_question_deactivate,
    interview_question_reactivate,
    interview_question_update,
    interview_record,
    reference_for_token,
    reference_is_usable,
    reference_request,
    reference_resend,
    reference_submit,
    screening_missing,
)
from tests.factories import UserFactory
from tests.mentors.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def application(applicant_application):
    return applicant_application


@pytest.fixture
def questions(organisation):
    return [
        InterviewQuestion.objects.create(
            organisation=organisation, text="What drew you to peer mentoring?", position=1
        ),
        InterviewQuestion.objects.create(
            organisation=organisation, text="How do you look after yourself?", position=2
        ),
    ]


def reload(application: MentorApplication) -> MentorApplication:
    return MentorApplication.objects.get(pk=application.pk)


def interview(application, actor, outcome=InterviewOutcome.PASSED, answers=None):
    return interview_record(
        actor=actor,
        application=application,
        held_on=TODAY() - timedelta(days=1),
        outcome=outcome,
        notes="Warm and thoughtful.",
        answers=answers or {},
    )


def ask(application, actor, name="Sam Referee", email="sam@example.net"):
    return reference_request(
        actor=actor,
        application=application,
        referee_name=name,
        referee_email=email,
        relationship="Manager for three years",
    )


GOOD_ANSWERS = {
    "known_for": "Five years, as their manager",
    "suitability": "Patient and kind with everyone.",
    "concerns": "",
    "recommendation": "yes",
}


def two_references(application, actor):
    for number in (1, 2):
        reference, _token = ask(application, actor, email=f"referee{number}@example.net")
        reference_submit(reference=reference, data=GOOD_ANSWERS)


def clear_check(application, actor, **overrides):
    values = {
        "check_type": CheckType.ENHANCED,
        "reference_number": "001234567890",
        "checked_on": TODAY() - timedelta(days=10),
        "expires_on": None,
        "outcome": CheckOutcome.CLEAR,
    }
    values.update(overrides)
    return background_check_record(actor=actor, application=application, **values)


def screened(application, actor):
    interview(application, actor)
    two_references(application, actor)
    clear_check(application, actor)
    return reload(application)


def audit_count(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# Standard interview questions ------------------------------------------------------------------


def test_a_new_question_goes_to_the_end_and_is_audited(organisation, coordinator, questions):
    question = interview_question_create(
        actor=coordinator, organisation=organisation, text="  What support would you want?  "
    )
    assert question.position == 3
    assert question.text == "What support would you want?"
    event = AuditEvent.objects.get(action="mentor_interview_question.created")
    assert event.actor == coordinator
    assert event.organisation == organisation


def test_a_question_without_words_is_refused(organisation, coordinator):
    with pytest.raises(ValidationError):
        interview_question_create(actor=coordinator, organisation=organisation, text="   ")
    assert not InterviewQuestion.objects.exists()


def test_updating_a_question_changes_its_words_and_order(coordinator, questions):
    interview_question_update(
        actor=coordinator, question=questions[0], text="Why mentoring, and why now?", position=5
    )
    questions[0].refresh_from_db()
    assert (questions[0].text, questions[0].position) == ("Why mentoring, and why now?", 5)
    assert audit_count("mentor_interview_question.updated") == 1


def test_deactivating_twice_changes_nothing_the_second_time(coordinator, questions):
    interview_question_deactivate(actor=coordinator, question=questions[0])
    interview_question_deactivate(actor=coordinator, question=questions[0])
    questions[0].refresh_from_db()
    assert not questions[0].is_active
    assert audit_count("mentor_interview_question.deactivated") == 1


def test_a_deactivated_question_can_be_asked_again(coordinator, questions):
    interview_question_deactivate(actor=coordinator, question=questions[0])
    interview_question_reactivate(actor=coordinator, question=questions[0])
    questions[0].refresh_from_db()
    assert questions[0].is_active
    assert audit_count("mentor_interview_question.reactivated") == 1


# Interview -------------------------------------------------------------------------------------


def test_recording_the_interview_keeps_answers_and_moves_on_to_references(
    application, coordinator, questions
):
    recorded = interview(
        application,
        coordinator,
        answers={questions[0].pk: "Their own mentor helped a lot.", questions[1].pk: ""},
    )
    assert recorded.interviewer == coordinator
    assert recorded.notes == "Warm and thoughtful."
    assert [a.notes for a in recorded.answers.all()] == ["Their own mentor helped a lot."]
    assert reload(application).stage == Stage.REFERENCES
    event = AuditEvent.objects.get(action="mentor_interview.recorded")
    assert event.metadata == {"outcome": "passed"}


def test_recording_again_corrects_the_one_interview(application, coordinator, admin, questions):
    interview(application, coordinator, answers={questions[0].pk: "First notes"})
    interview(
        application,
        admin,
        outcome=InterviewOutcome.CONCERNS,
        answers={questions[0].pk: "Corrected notes", questions[1].pk: "Walks daily"},
    )
    recorded = Interview.objects.get(application=application)
    assert recorded.outcome == InterviewOutcome.CONCERNS
    assert recorded.interviewer == admin
    assert sorted(a.notes for a in recorded.answers.all()) == ["Corrected notes", "Walks daily"]
    assert InterviewAnswer.objects.count() == 2
    assert audit_count("mentor_interview.updated") == 1


def test_answers_to_another_organisations_question_are_ignored(
    application, coordinator, other_organisation
):
    elsewhere = InterviewQuestion.objects.create(organisation=other_organisation, text="Hidden?")
    recorded = interview(application, coordinator, answers={elsewhere.pk: "Should not be kept"})
    assert not recorded.answers.exists()


def test_an_interview_dated_in_the_future_is_refused(application, coordinator):
    with pytest.raises(ValidationError) as refused:
        interview_record(
            actor=coordinator,
            application=application,
            held_on=TODAY() + timedelta(days=1),
            outcome=InterviewOutcome.PASSED,
            notes="",
            answers={},
        )
    assert "held_on" in refused.value.message_dict
    assert not Interview.objects.exists()


def test_a_not_suitable_interview_goes_straight_to_a_decision(application, coordinator):
    interview(application, coordinator, outcome=InterviewOutcome.NOT_SUITABLE)
    assert reload(application).stage == Stage.DECISION


def test_interview_notes_are_encrypted_at_rest(application, coordinator, questions):
    interview(application, coordinator, answers={questions[0].pk: "Private answer"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM mentors_interview")
        (stored,) = cursor.fetchone()
        cursor.execute("SELECT notes FROM mentors_interviewanswer")
        (answer,) = cursor.fetchone()
    assert "thoughtful" not in stored
    assert "Private" not in answer


@pytest.mark.parametrize("stage", [Stage.DECLINED, Stage.WITHDRAWN, Stage.TRAINING])
def test_screening_a_closed_or_approved_application_is_refused(organisation, coordinator, stage):
    application = ApplicationFactory(organisation=organisation, stage=stage)
    with pytest.raises(ValidationError):
        interview(application, coordinator)
    with pytest.raises(ValidationError):
        ask(application, coordinator)
    with pytest.raises(ValidationError):
        clear_check(application, coordinator)
    assert not AuditEvent.objects.exists()


# References ------------------------------------------------------------------------------------


def test_asking_for_a_reference_keeps_only_a_hash_and_emails_a_discreet_link(
    application, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reference, token = ask(application, coordinator)
    assert reference.token_hash == hash_token(token)
    assert token not in reference.token_hash
    assert reference.status == ReferenceStatus.REQUESTED
    expected_expiry = timezone.now() + timedelta(days=14)
    assert abs(reference.expires_at - expected_expiry) < timedelta(minutes=1)
    (message,) = mail.outbox
    assert message.to == ["sam@example.net"]
    assert f"/mentors/reference/{token}/" in message.body
    assert (
        "Robin Applicant has named you as a referee for a volunteering role with Riverside Peer "
        "Support" in message.body
    )
    for revealing in ("mental", "lived experience", "peer mentor", "anxiety", "depression"):
        assert revealing not in message.body.lower()
        assert revealing not in message.subject.lower()
    event = AuditEvent.objects.get(action="mentor_reference.requested")
    assert event.metadata == {"resent": False}
    assert event.actor == coordinator


def test_the_link_lasts_as_long_as_the_organisation_says(application, coordinator, organisation):
    settings = programme_settings(organisation)
    settings.reference_link_days = 5
    settings.save()
    reference, _token = ask(application, coordinator)
    assert abs(reference.expires_at - (timezone.now() + timedelta(days=5))) < timedelta(minutes=1)


def test_asking_the_same_referee_again_while_their_link_works_is_refused(application, coordinator):
    ask(application, coordinator)
    with pytest.raises(ValidationError) as refused:
        ask(application, coordinator, email="SAM@example.net")
    assert "referee_email" in refused.value.message_dict
    assert Reference.objects.count() == 1


def test_a_referee_who_has_answered_cannot_be_asked_again(application, coordinator):
    reference, _token = ask(application, coordinator)
    reference_submit(reference=reference, data=GOOD_ANSWERS)
    with pytest.raises(ValidationError):
        ask(application, coordinator)


def test_the_applicant_cannot_be_their_own_referee(application, coordinator):
    with pytest.raises(ValidationError):
        ask(application, coordinator, email=application.email.upper())


def test_sending_again_cancels_the_old_link_and_sends_a_new_one(
    application, coordinator, django_capture_on_commit_callbacks
):
    old, old_token = ask(application, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        new, new_token = reference_resend(actor=coordinator, reference=old)
    old.refresh_from_db()
    assert old.status == ReferenceStatus.CANCELLED
    assert new.status == ReferenceStatus.REQUESTED
    assert (new.referee_email, new.relationship) == (old.referee_email, old.relationship)
    assert new_token != old_token
    assert not reference_is_usable(reference_for_token(old_token))
    assert reference_is_usable(reference_for_token(new_token))
    assert f"/mentors/reference/{new_token}/" in mail.outbox[-1].body
    assert audit_count("mentor_reference.cancelled") == 1
    assert AuditEvent.objects.filter(metadata__resent=True).count() == 1


def test_sending_again_twice_is_refused_the_second_time(application, coordinator):
    old, _token = ask(application, coordinator)
    reference_resend(actor=coordinator, reference=old)
    with pytest.raises(ValidationError):
        reference_resend(actor=coordinator, reference=old)
    assert Reference.objects.count() == 2


def test_an_answered_reference_cannot_be_sent_again(application, coordinator):
    reference, _token = ask(application, coordinator)
    reference_submit(reference=reference, data=GOOD_ANSWERS)
    with pytest.raises(ValidationError):
        reference_resend(actor=coordinator, reference=reference)


def test_the_referees_answers_are_kept_and_the_application_moves_on(application, coordinator):
    interview(application, coordinator)
    first, _token = ask(application, coordinator, email="one@example.net")
    second, _token = ask(application, coordinator, email="two@example.net")
    reference_submit(reference=first, data=GOOD_ANSWERS)
    assert reload(application).stage == Stage.REFERENCES
    reference_submit(reference=second, data={**GOOD_ANSWERS, "concerns": "Can overcommit."})
    second.refresh_from_db()
    assert second.status == ReferenceStatus.RECEIVED
    assert second.received_at is not None
    assert second.concerns == "Can overcommit."
    assert second.recommendation == "yes"
    assert reload(application).stage == Stage.BACKGROUND_CHECK
    events = AuditEvent.objects.filter(action="mentor_reference.received")
    assert events.count() == 2
    assert all(event.actor is None for event in events)
    assert events.first().metadata == {"recommendation": "yes"}


def test_a_link_works_only_once(application, coordinator):
    reference, token = ask(application, coordinator)
    reference_submit(reference=reference, data=GOOD_ANSWERS)
    with pytest.raises(ValidationError):
        reference_submit(
            reference=reference_for_token(token), data={**GOOD_ANSWERS, "recommendation": "no"}
        )
    reference.refresh_from_db()
    assert reference.recommendation == "yes"
    assert audit_count("mentor_reference.received") == 1


def test_an_expired_link_is_refused(application, coordinator):
    reference, _token = ask(application, coordinator)
    Reference.objects.filter(pk=reference.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ValidationError):
        reference_submit(reference=reference, data=GOOD_ANSWERS)


def test_a_link_stops_working_once_the_application_is_closed(application, coordinator):
    reference, token = ask(application, coordinator)
    application_decline(actor=coordinator, application=application, reason="Not now")
    assert not reference_is_usable(reference_for_token(token))
    with pytest.raises(ValidationError):
        reference_submit(reference=reference, data=GOOD_ANSWERS)


def test_an_unknown_token_finds_nothing(db):
    assert reference_for_token("no-such-token") is None


# Background check ------------------------------------------------------------------------------


def test_a_clear_check_after_interview_and_references_makes_it_ready_for_decision(
    application, coordinator
):
    interview(application, coordinator)
    two_references(application, coordinator)
    check = clear_check(application, coordinator, expires_on=TODAY() + timedelta(days=300))
    assert check.recorded_by == coordinator
    assert reload(application).stage == Stage.DECISION
    event = AuditEvent.objects.get(action="mentor_background_check.recorded")
    assert event.metadata == {"check_type": "enhanced", "outcome": "clear"}


def test_a_check_dated_in_the_future_is_refused(application, coordinator):
    with pytest.raises(ValidationError) as refused:
        clear_check(application, coordinator, checked_on=TODAY() + timedelta(days=1))
    assert "checked_on" in refused.value.message_dict


def test_a_renewal_date_before_the_check_is_refused(application, coordinator):
    with pytest.raises(ValidationError) as refused:
        clear_check(
            application,
            coordinator,
            checked_on=TODAY() - timedelta(days=3),
            expires_on=TODAY() - timedelta(days=3),
        )
    assert "expires_on" in refused.value.message_dict
    assert not BackgroundCheck.objects.exists()


def test_recording_the_same_check_twice_keeps_one(application, coordinator):
    first = clear_check(application, coordinator)
    second = clear_check(application, coordinator)
    assert first == second
    assert BackgroundCheck.objects.count() == 1
    assert audit_count("mentor_background_check.recorded") == 1


# Decision --------------------------------------------------------------------------------------


def test_what_is_missing_is_listed_step_by_step(application, coordinator):
    assert screening_missing(reload(application)) == [
        "the interview",
        "2 more references",
        "a clear background check that has not expired",
    ]
    interview(application, coordinator)
    ask_one, _token = ask(application, coordinator)
    reference_submit(reference=ask_one, data=GOOD_ANSWERS)
    clear_check(application, coordinator, outcome=CheckOutcome.INFORMATION_DISCLOSED)
    assert screening_missing(reload(application)) == [
        "1 more reference",
        "a clear background check that has not expired",
    ]


def test_approving_creates_an_account_grants_the_mentor_role_and_emails_a_password_link(
    application, coordinator, organisation, django_capture_on_commit_callbacks
):
    application = screened(application, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        approved = application_approve_to_train(actor=coordinator, application=application)
    user = User.objects.get(email=application.email)
    assert user.name == "Robin Applicant"
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    assert Membership.objects.get(user=user, organisation=organisation).role == Role.MENTOR
    approved = reload(approved)
    assert approved.stage == Stage.TRAINING
    assert approved.user == user
    assert approved.decided_by == coordinator
    assert approved.decided_at is not None
    event = AuditEvent.objects.get(action="mentor_application.approved_to_train")
    assert event.metadata == {"account_created": True}
    (welcome,) = [m for m in mail.outbox if m.to == [application.email]]
    match = re.search(r"/accounts/password/reset/key/(\w+)-([\w-]+)/", welcome.body)
    assert match, welcome.body
    assert default_token_generator.check_token(user, match.group(2))
    assert "mental" not in welcome.body.lower()


def test_approving_reuses_an_existing_account(application, coordinator, organisation):
    existing = UserFactory(email=application.email.upper())
    application = screened(application, coordinator)
    application_approve_to_train(actor=coordinator, application=application)
    assert User.objects.filter(email__iexact=application.email).count() == 1
    assert reload(application).user == existing
    assert Membership.objects.get(user=existing, organisation=organisation).role == Role.MENTOR
    event = AuditEvent.objects.get(action="mentor_application.approved_to_train")
    assert event.metadata == {"account_created": False}


def test_approving_someone_who_holds_another_role_here_is_refused(
    organisation, coordinator, mentee
):
    application = ApplicationFactory(organisation=organisation, email=mentee.email)
    application = screened(application, coordinator)
    with pytest.raises(ValidationError) as refused:
        application_approve_to_train(actor=coordinator, application=application)
    assert "mentee role" in refused.value.messages[0]
    assert Membership.objects.get(user=mentee, organisation=organisation).role == Role.MENTEE
    assert reload(application).stage == Stage.DECISION


def test_approving_before_screening_is_complete_says_what_is_missing(application, coordinator):
    interview(application, coordinator)
    with pytest.raises(ValidationError) as refused:
        application_approve_to_train(actor=coordinator, application=application)
    assert "2 more references" in refused.value.messages[0]
    assert not User.objects.filter(email=application.email).exists()
    assert reload(application).stage == Stage.REFERENCES


def test_approving_with_an_expired_background_check_is_refused(application, coordinator):
    interview(application, coordinator)
    two_references(application, coordinator)
    clear_check(
        application,
        coordinator,
        checked_on=TODAY() - timedelta(days=400),
        expires_on=TODAY() - timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        application_approve_to_train(actor=coordinator, application=application)


def test_approving_twice_changes_nothing_the_second_time(application, coordinator):
    application = screened(application, coordinator)
    application_approve_to_train(actor=coordinator, application=application)
    application_approve_to_train(actor=coordinator, application=application)
    assert audit_count("mentor_application.approved_to_train") == 1
    assert audit_count("membership.granted") == 1


def test_a_declined_application_cannot_be_approved(application, coordinator):
    application = screened(application, coordinator)
    application_decline(actor=coordinator, application=application, reason="Timing")
    with pytest.raises(ValidationError):
        application_approve_to_train(actor=coordinator, application=application)
    assert reload(application).stage == Stage.DECLINED


def test_declining_keeps_the_reason_private_unless_shared(
    application, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application_decline(
            actor=coordinator, application=application, reason="Too soon after their own crisis"
        )
    declined = reload(application)
    assert declined.stage == Stage.DECLINED
    assert declined.decision_reason == "Too soon after their own crisis"
    assert declined.decided_by == coordinator
    (message,) = mail.outbox
    assert message.to == [application.email]
    assert "not able to take your application forward" in message.body
    assert "crisis" not in message.body
    event = AuditEvent.objects.get(action="mentor_application.declined")
    assert event.metadata == {"reason_shared": False}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT decision_reason FROM mentors_mentorapplication WHERE id = %s",
            [application.pk],
        )
        assert "crisis" not in cursor.fetchone()[0]


def test_declining_with_the_reason_shared_puts_it_in_the_email(
    application, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application_decline(
            actor=coordinator,
            application=application,
            reason="We have no places near you this year.",
            include_reason=True,
        )
    assert "We have no places near you this year." in mail.outbox[0].body
    assert AuditEvent.objects.get(action="mentor_application.declined").metadata == {
        "reason_shared": True
    }


def test_declining_without_a_reason_is_refused(application, coordinator):
    with pytest.raises(ValidationError) as refused:
        application_decline(actor=coordinator, application=application, reason="  ")
    assert "reason" in refused.value.message_dict
    assert reload(application).stage == Stage.NEW


def test_declining_twice_changes_nothing_the_second_time(application, coordinator):
    application_decline(actor=coordinator, application=application, reason="Timing")
    application_decline(actor=coordinator, application=application, reason="Other")
    assert reload(application).decision_reason == "Timing"
    assert audit_count("mentor_application.declined") == 1


def test_a_withdrawn_application_cannot_be_declined(organisation, coordinator):
    application = ApplicationFactory(organisation=organisation, stage=Stage.WITHDRAWN)
    with pytest.raises(ValidationError):
        application_decline(actor=coordinator, application=application, reason="Timing")
