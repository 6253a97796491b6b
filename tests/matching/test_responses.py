"""The mentor, then the mentee, answer a match: every way through, every refusal, the audit trail
and the (content-free) emails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent
from matching.models import MatchingSettings, MatchProposal, ProposalStatus
from matching.problem import mentor_key, organisation_problem
from matching.selectors import places_left, profiles_with_room
from matching.services.responses import (
    EXPIRED,
    NO_ACCOUNT,
    proposal_mentee_respond,
    proposal_mentor_respond,
)
from mentoring.models import Relationship, RelationshipStatus
from mentors.models import MentorRequest, MentorRequestStatus
from referrals.models import Referral, Status
from tests.matching.factories import MatchProposalFactory

pytestmark = pytest.mark.django_db

HEALTH_WORDS = ("anxiety", "depression", "grief", "self-harm", "mental", "lived experience")


def private_words(proposal: MatchProposal) -> list[str]:
    """What no email about this match may contain: health words, names, reasons."""
    referral = proposal.referral
    words = [*HEALTH_WORDS, referral.full_name, referral.full_name.split()[0]]
    words += [proposal.mentor.display_name, proposal.mentor.user.name]
    words += [reason.lower() for reason in proposal.reasons]
    if referral.preferred_name:
        words.append(referral.preferred_name)
    return [word.lower() for word in words if word]


def assert_content_free(proposal: MatchProposal) -> None:
    assert mail.outbox, "expected an email"
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}".lower()
        for word in private_words(proposal):
            assert word not in text, f"{word!r} in email to {message.to}: {message.subject}"


def sent_to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


def answer_as_mentor(proposal, *, accept=True, reason="", actor=None, capture=None):
    actor = actor or proposal.mentor.user
    if capture is None:
        return proposal_mentor_respond(actor=actor, proposal=proposal, accept=accept, reason=reason)
    with capture(execute=True):
        return proposal_mentor_respond(actor=actor, proposal=proposal, accept=accept, reason=reason)


def answer_as_mentee(proposal, actor, *, accept=True, reason="", on_behalf=False, capture=None):
    def call():
        return proposal_mentee_respond(
            actor=actor, proposal=proposal, accept=accept, reason=reason, on_behalf=on_behalf
        )

    if capture is None:
        return call()
    with capture(execute=True):
        return call()


# The mentor says yes ----------------------------------------------------------------------------


def test_mentor_saying_yes_passes_the_offer_to_the_mentee(
    offered_proposal, mentee, coordinator, django_capture_on_commit_callbacks
):
    before = timezone.now()
    proposal = answer_as_mentor(offered_proposal, capture=django_capture_on_commit_callbacks)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITH_MENTEE
    assert proposal.mentor_responded_at >= before
    assert proposal.status_changed_at == proposal.mentor_responded_at
    expected = proposal.mentor_responded_at + timedelta(days=7)
    assert proposal.respond_by == expected
    assert proposal.reminded_at is None
    event = AuditEvent.objects.get(action="match.mentor_accepted")
    assert event.actor == offered_proposal.mentor.user
    assert event.object_id == str(proposal.pk)

    [to_mentee] = sent_to(mentee.email)
    assert to_mentee.subject == "Alongside: You have a new match to look at"
    assert "/matching/my-match/" in to_mentee.body
    [to_staff] = sent_to(coordinator.email)
    assert "The mentor said yes" in to_staff.body
    assert f"/matching/proposals/{proposal.pk}/" in to_staff.body
    assert_content_free(proposal)


def test_the_mentees_time_to_answer_follows_the_organisations_settings(
    offered_proposal, organisation
):
    MatchingSettings.objects.create(organisation=organisation, response_days=10)
    proposal = answer_as_mentor(offered_proposal)
    assert proposal.respond_by == proposal.mentor_responded_at + timedelta(days=10)


def test_a_reminder_already_sent_to_the_mentor_is_reset_for_the_mentee(offered_proposal):
    offered_proposal.reminded_at = timezone.now() - timedelta(days=1)
    offered_proposal.save(update_fields=["reminded_at"])
    proposal = answer_as_mentor(offered_proposal)
    proposal.refresh_from_db()
    assert proposal.reminded_at is None


def test_saying_yes_twice_changes_nothing(offered_proposal, django_capture_on_commit_callbacks):
    first = answer_as_mentor(offered_proposal)
    with django_capture_on_commit_callbacks(execute=True):
        again = answer_as_mentor(first)
    assert again.mentor_responded_at == first.mentor_responded_at
    assert AuditEvent.objects.filter(action="match.mentor_accepted").count() == 1
    assert mail.outbox == []


def test_a_mentee_who_cannot_be_emailed_is_left_to_the_coordinator(
    offered_proposal, mentee, coordinator, django_capture_on_commit_callbacks
):
    Referral.objects.filter(pk=offered_proposal.referral_id).update(email_ok=False)
    answer_as_mentor(offered_proposal, capture=django_capture_on_commit_callbacks)
    assert sent_to(mentee.email) == []
    [to_staff] = sent_to(coordinator.email)
    assert "please ask them by phone" in to_staff.body
    assert f"/matching/proposals/{offered_proposal.pk}/respond-for-mentee/" in to_staff.body


# The mentor says not this time ------------------------------------------------------------------


def test_mentor_declining_keeps_the_reason_and_never_pairs_them_again(
    offered_proposal, coordinator, django_capture_on_commit_callbacks
):
    proposal = answer_as_mentor(
        offered_proposal,
        accept=False,
        reason="  I am moving house this month.  ",
        capture=django_capture_on_commit_callbacks,
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.MENTOR_DECLINED
    assert proposal.decline_reason == "I am moving house this month."
    assert proposal.mentor_responded_at is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT decline_reason FROM matching_matchproposal WHERE id = %s", [proposal.pk]
        )
        stored = cursor.fetchone()[0]
    assert "moving house" not in stored  # encrypted at rest

    referral = Referral.objects.get(pk=proposal.referral_id)
    assert referral.status == Status.WAITING
    event = AuditEvent.objects.get(action="match.mentor_declined")
    assert "moving" not in str(event.metadata)

    built = organisation_problem(proposal.organisation)
    [mentee] = built.problem.mentees
    assert mentee.exclude == (mentor_key(proposal.mentor_id),)

    [to_staff] = sent_to(coordinator.email)
    assert "not this time" in to_staff.body
    assert "moving" not in to_staff.body
    assert_content_free(proposal)


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_mentor_gives_a_reason_for_declining(offered_proposal, reason):
    with pytest.raises(ValidationError) as caught:
        answer_as_mentor(offered_proposal, accept=False, reason=reason)
    assert "reason" in caught.value.message_dict
    assert MatchProposal.objects.get().status == ProposalStatus.WITH_MENTOR


def test_declining_twice_changes_nothing(offered_proposal):
    answer_as_mentor(offered_proposal, accept=False, reason="Too busy")
    answer_as_mentor(offered_proposal, accept=False, reason="Still too busy")
    proposal = MatchProposal.objects.get()
    assert proposal.decline_reason == "Too busy"
    assert AuditEvent.objects.filter(action="match.mentor_declined").count() == 1


def test_after_saying_yes_the_mentor_cannot_then_decline(offered_proposal):
    answer_as_mentor(offered_proposal)
    with pytest.raises(ValidationError, match="already been answered"):
        answer_as_mentor(offered_proposal, accept=False, reason="Changed my mind")


# Who may answer, and when ----------------------------------------------------------------------


@pytest.mark.parametrize("person", ["other_mentor", "mentee", "coordinator"])
def test_only_the_offered_mentor_can_answer(offered_proposal, person, request):
    with pytest.raises(ValidationError, match="Only the mentor"):
        answer_as_mentor(offered_proposal, actor=request.getfixturevalue(person))
    assert MatchProposal.objects.get().status == ProposalStatus.WITH_MENTOR
    assert not AuditEvent.objects.filter(action__startswith="match.").exists()


def test_an_offer_past_its_answer_date_has_expired(offered_proposal):
    offered_proposal.respond_by = timezone.now() - timedelta(minutes=1)
    offered_proposal.save(update_fields=["respond_by"])
    with pytest.raises(ValidationError) as caught:
        answer_as_mentor(offered_proposal)
    assert caught.value.messages == [EXPIRED]


def test_a_pair_still_with_the_coordinator_cannot_be_answered(proposal):
    with pytest.raises(ValidationError, match="already been answered"):
        answer_as_mentor(proposal)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (ProposalStatus.EXPIRED, EXPIRED),
        (ProposalStatus.UNDONE, "Your coordinator has withdrawn this match."),
    ],
)
def test_a_closed_offer_says_why_it_cannot_be_answered(offered_proposal, status, message):
    MatchProposal.objects.filter(pk=offered_proposal.pk).update(status=status)
    with pytest.raises(ValidationError) as caught:
        answer_as_mentor(offered_proposal)
    assert caught.value.messages == [message]


def test_someone_no_longer_waiting_cannot_be_matched(offered_proposal):
    Referral.objects.filter(pk=offered_proposal.referral_id).update(status=Status.WITHDRAWN)
    with pytest.raises(ValidationError, match="no longer waiting"):
        answer_as_mentor(offered_proposal)


# The mentee says yes ----------------------------------------------------------------------------


def test_mentee_saying_yes_makes_one_relationship_and_ends_the_wait(
    matchable_referral,
    matchable_profile,
    mentee,
    coordinator,
    django_capture_on_commit_callbacks,
):
    profile = matchable_profile
    assert places_left(profiles_with_room(profile.organisation).get(pk=profile.pk)) == 2
    now = timezone.now()
    offer = MatchProposalFactory(
        referral=matchable_referral,
        mentor=profile,
        status=ProposalStatus.WITH_MENTEE,
        approved_at=now - timedelta(days=2),
        mentor_responded_at=now - timedelta(days=1),
        respond_by=now + timedelta(days=6),
    )
    proposal = answer_as_mentee(offer, mentee, capture=django_capture_on_commit_callbacks)

    relationship = Relationship.objects.get()
    assert relationship.status == RelationshipStatus.INTRODUCTION
    assert relationship.organisation == profile.organisation
    assert relationship.mentor == profile
    assert relationship.mentee == mentee
    assert relationship.referral == matchable_referral
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.relationship == relationship
    assert proposal.mentee_responded_at is not None
    matchable_referral.refresh_from_db()
    assert matchable_referral.status == Status.MATCHED
    assert places_left(profiles_with_room(profile.organisation).get(pk=profile.pk)) == 1
    event = AuditEvent.objects.get(action="match.mentee_accepted")
    assert event.actor == mentee
    assert event.metadata == {"on_behalf": False, "with_reason": False}

    [to_mentor] = sent_to(profile.user.email)
    assert to_mentor.subject == "Alongside: Your match is confirmed"
    assert "introduction" in to_mentor.body
    [to_staff] = sent_to(coordinator.email)
    assert "arrange their introduction" in to_staff.body
    assert f"/matching/relationships/{relationship.pk}/introduction/" in to_staff.body
    assert sent_to(mentee.email) == []
    assert_content_free(proposal)


def test_saying_yes_twice_makes_only_one_relationship(mentee_offer, mentee):
    answer_as_mentee(mentee_offer, mentee)
    answer_as_mentee(mentee_offer, mentee)
    assert Relationship.objects.count() == 1
    assert AuditEvent.objects.filter(action="match.mentee_accepted").count() == 1


def test_their_open_requests_for_a_mentor_are_marked_noted(
    mentee_offer, mentee, other_mentor_profile
):
    asked = MentorRequest.objects.create(
        organisation=mentee_offer.organisation, mentee=mentee, profile=other_mentor_profile
    )
    answer_as_mentee(mentee_offer, mentee)
    asked.refresh_from_db()
    assert asked.status == MentorRequestStatus.NOTED
    assert asked.handled_at is not None
    assert AuditEvent.objects.filter(action="mentor_request.noted").count() == 1


def test_the_mentee_cannot_answer_before_the_mentor_has(offered_proposal, mentee):
    with pytest.raises(ValidationError):
        answer_as_mentee(offered_proposal, mentee)
    assert not Relationship.objects.exists()


def test_someone_else_cannot_answer_for_the_mentee(mentee_offer, other_mentee, mentor):
    for person in (other_mentee, mentor):
        with pytest.raises(ValidationError, match="Only the person"):
            answer_as_mentee(mentee_offer, person)
    assert MatchProposal.objects.get().status == ProposalStatus.WITH_MENTEE


def test_the_mentee_has_until_the_answer_date(mentee_offer, mentee):
    mentee_offer.respond_by = timezone.now() - timedelta(seconds=1)
    mentee_offer.save(update_fields=["respond_by"])
    with pytest.raises(ValidationError) as caught:
        answer_as_mentee(mentee_offer, mentee)
    assert caught.value.messages == [EXPIRED]


def test_a_yes_needs_an_account_to_make_the_relationship(mentee_offer, coordinator):
    Referral.objects.filter(pk=mentee_offer.referral_id).update(mentee=None)
    with pytest.raises(ValidationError) as caught:
        answer_as_mentee(mentee_offer, coordinator, on_behalf=True)
    assert caught.value.messages == [NO_ACCOUNT]
    assert not Relationship.objects.exists()
    assert MatchProposal.objects.get().status == ProposalStatus.WITH_MENTEE


# The mentee would rather not -------------------------------------------------------------------


def test_mentee_declining_keeps_their_place_and_never_pairs_them_again(
    mentee_offer, mentee, coordinator, django_capture_on_commit_callbacks
):
    proposal = answer_as_mentee(
        mentee_offer, mentee, accept=False, capture=django_capture_on_commit_callbacks
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.MENTEE_DECLINED
    assert proposal.decline_reason == ""
    assert Referral.objects.get(pk=proposal.referral_id).status == Status.WAITING
    assert not Relationship.objects.exists()
    event = AuditEvent.objects.get(action="match.mentee_declined")
    assert event.metadata == {"on_behalf": False, "with_reason": False}
    [mentee_key_found] = organisation_problem(proposal.organisation).problem.mentees
    assert mentee_key_found.exclude == (mentor_key(proposal.mentor_id),)

    [to_mentor] = sent_to(proposal.mentor.user.email)
    assert "not a judgement of you" in to_mentor.body
    [to_staff] = sent_to(coordinator.email)
    assert "decided not to go ahead" in to_staff.body
    assert_content_free(proposal)


def test_a_mentees_reason_is_kept_when_they_give_one(mentee_offer, mentee):
    answer_as_mentee(mentee_offer, mentee, accept=False, reason="I would prefer someone older.")
    proposal = MatchProposal.objects.get()
    assert proposal.decline_reason == "I would prefer someone older."
    assert AuditEvent.objects.get(action="match.mentee_declined").metadata["with_reason"]


# A coordinator records the answer given by phone ------------------------------------------------


@pytest.mark.parametrize("person", ["coordinator", "admin"])
def test_staff_can_record_the_mentees_answer(mentee_offer, person, request, mentee):
    staff = request.getfixturevalue(person)
    answer_as_mentee(mentee_offer, staff, on_behalf=True)
    relationship = Relationship.objects.get()
    assert relationship.mentee == mentee
    event = AuditEvent.objects.get(action="match.mentee_accepted")
    assert event.actor == staff
    assert event.metadata["on_behalf"] is True


def test_staff_can_record_a_no_for_someone_without_an_account(mentee_offer, coordinator):
    Referral.objects.filter(pk=mentee_offer.referral_id).update(mentee=None)
    answer_as_mentee(mentee_offer, coordinator, accept=False, on_behalf=True)
    assert MatchProposal.objects.get().status == ProposalStatus.MENTEE_DECLINED


@pytest.mark.parametrize("person", ["other_org_coordinator", "mentor", "supervisor", "referrer"])
def test_only_the_organisations_staff_can_answer_on_their_behalf(mentee_offer, person, request):
    with pytest.raises(ValidationError):
        answer_as_mentee(mentee_offer, request.getfixturevalue(person), on_behalf=True)
    assert not Relationship.objects.exists()


def test_a_coordinator_without_on_behalf_is_not_the_mentee(mentee_offer, coordinator):
    with pytest.raises(ValidationError, match="Only the person"):
        answer_as_mentee(mentee_offer, coordinator)
