"""Daily upkeep of offers: one reminder each for the mentor and the mentee, expiry that returns the
person to matching, and the daily command that runs it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from matching.models import MatchingSettings, MatchProposal, ProposalStatus
from matching.problem import organisation_problem
from matching.selectors import referrals_to_match
from matching.services.reminders import proposals_remind_and_expire
from matching.services.responses import proposal_mentor_respond
from matching.tasks_people import remind_and_expire_match_offers
from referrals.models import Referral, Status

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def offered(proposal, *, days, respond_in=7):
    """The offer reached the mentor ``days`` ago and had ``respond_in`` days to answer."""
    MatchProposal.objects.filter(pk=proposal.pk).update(
        approved_at=days_ago(days), respond_by=days_ago(days) + timedelta(days=respond_in)
    )
    proposal.refresh_from_db()
    return proposal


def run(capture, now=None):
    with capture(execute=True):
        return proposals_remind_and_expire(now=now)


def test_nothing_happens_before_the_reminder_is_due(
    offered_proposal, django_capture_on_commit_callbacks
):
    offered(offered_proposal, days=2)
    assert run(django_capture_on_commit_callbacks) == (0, 0)
    assert mail.outbox == []


def test_the_mentor_is_reminded_once(offered_proposal, mentor, django_capture_on_commit_callbacks):
    offered(offered_proposal, days=3)
    assert run(django_capture_on_commit_callbacks) == (1, 0)
    proposal = MatchProposal.objects.get()
    assert proposal.reminded_at is not None
    [message] = mail.outbox
    assert message.to == [mentor.email]
    assert message.subject == "Alongside: A match is waiting for your answer"
    assert f"/matching/offers/{proposal.pk}/" in message.body
    assert "Saying no is fine too" in message.body
    event = AuditEvent.objects.get(action="match.reminder_sent")
    assert event.metadata == {"to": "mentor"}

    assert run(django_capture_on_commit_callbacks) == (0, 0)
    assert len(mail.outbox) == 1


def test_the_mentee_gets_their_own_reminder_after_the_mentor_says_yes(
    offered_proposal, mentor, mentee, django_capture_on_commit_callbacks
):
    offered(offered_proposal, days=4)
    run(django_capture_on_commit_callbacks)
    proposal = proposal_mentor_respond(actor=mentor, proposal=offered_proposal, accept=True)
    mail.outbox.clear()

    assert run(django_capture_on_commit_callbacks, now=timezone.now() + timedelta(days=2)) == (
        0,
        0,
    )
    assert run(django_capture_on_commit_callbacks, now=timezone.now() + timedelta(days=3)) == (
        1,
        0,
    )
    [message] = mail.outbox
    assert message.to == [mentee.email]
    assert "/matching/my-match/" in message.body
    assert "no wrong answer" in message.body
    for private in ("anxiety", mentor.name, proposal.mentor.display_name):
        assert private.lower() not in message.body.lower()
    assert AuditEvent.objects.filter(action="match.reminder_sent").count() == 2


def test_a_mentee_who_does_not_want_email_is_not_reminded(
    mentee_offer, django_capture_on_commit_callbacks
):
    Referral.objects.filter(pk=mentee_offer.referral_id).update(email_ok=False)
    MatchProposal.objects.filter(pk=mentee_offer.pk).update(mentor_responded_at=days_ago(4))
    assert run(django_capture_on_commit_callbacks) == (0, 0)
    assert mail.outbox == []
    assert MatchProposal.objects.get().reminded_at is None


def test_the_reminder_day_follows_the_organisations_settings(
    offered_proposal, organisation, django_capture_on_commit_callbacks
):
    MatchingSettings.objects.create(organisation=organisation, reminder_days=5, response_days=10)
    offered(offered_proposal, days=4, respond_in=10)
    assert run(django_capture_on_commit_callbacks) == (0, 0)
    offered(offered_proposal, days=5, respond_in=10)
    assert run(django_capture_on_commit_callbacks) == (1, 0)


@pytest.mark.parametrize("fixture", ["offered_proposal", "mentee_offer"])
def test_an_offer_past_its_date_expires_and_the_person_returns_to_matching(
    fixture, request, coordinator, organisation, django_capture_on_commit_callbacks
):
    proposal = request.getfixturevalue(fixture)
    MatchProposal.objects.filter(pk=proposal.pk).update(respond_by=days_ago(0.01))
    assert run(django_capture_on_commit_callbacks) == (0, 1)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.EXPIRED
    assert Referral.objects.get(pk=proposal.referral_id).status == Status.WAITING
    assert list(referrals_to_match(organisation)) == [proposal.referral]
    [mentee] = organisation_problem(organisation).problem.mentees
    assert mentee.exclude == ()  # expiring is not declining: the pair may be proposed again
    event = AuditEvent.objects.get(action="match.expired")
    assert event.actor is None
    assert event.metadata["was_with"] == ("mentor" if fixture == "offered_proposal" else "mentee")

    [message] = mail.outbox
    assert message.to == [coordinator.email]
    assert message.subject == "Alongside: 1 match had no answer in time"
    assert "/matching/" in message.body
    assert proposal.referral.full_name.lower() not in message.body.lower()

    assert run(django_capture_on_commit_callbacks) == (0, 0)
    assert len(mail.outbox) == 1


def test_an_expired_offer_is_not_also_reminded(
    offered_proposal, django_capture_on_commit_callbacks
):
    offered(offered_proposal, days=8)
    assert run(django_capture_on_commit_callbacks) == (0, 1)
    assert not AuditEvent.objects.filter(action="match.reminder_sent").exists()


def test_answered_and_closed_offers_are_left_alone(
    offered_proposal, mentor, django_capture_on_commit_callbacks
):
    offered(offered_proposal, days=8)
    MatchProposal.objects.filter(pk=offered_proposal.pk).update(
        status=ProposalStatus.MENTOR_DECLINED
    )
    assert run(django_capture_on_commit_callbacks) == (0, 0)
    assert MatchProposal.objects.get().status == ProposalStatus.MENTOR_DECLINED


def test_the_task_and_the_daily_command_run_it(
    offered_proposal, django_capture_on_commit_callbacks, capsys
):
    offered(offered_proposal, days=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_and_expire_match_offers.call() == {"reminded": 1, "expired": 0}
    MatchProposal.objects.filter(pk=offered_proposal.pk).update(respond_by=days_ago(0.01))
    call_command("matching_daily", "--now")
    assert capsys.readouterr().out.strip() == "Match offers: 0 reminder(s) sent, 1 expired."
    call_command("matching_daily")
    assert "Queued" in capsys.readouterr().out


def test_daily_command_says_cron_runs_it_daily():
    from matching.management.commands.matching_daily import Command

    assert "Cron runs this once a day" in Command.help
