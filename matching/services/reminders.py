"""Daily upkeep of offers waiting for an answer: one gentle reminder, then, when the time to answer
has passed, the offer closes and the person simply stays on the waiting list."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from accounts.selectors import coordinator_emails
from alongside.email import send_templated_email
from audit.services import audit_record
from matching.models import MatchProposal, ProposalStatus
from matching.selectors import matching_settings
from referrals.selectors import mentee_email


def proposals_remind_and_expire(*, now: datetime | None = None) -> tuple[int, int]:
    """Remind whoever has an offer waiting ``reminder_days`` after it reached them (once per
    offer, and once more for the mentee when it moves on), and close offers past their answer
    date. Returns (reminders sent, offers expired); running it again repeats neither."""
    now = now or timezone.now()
    reminded = expired = 0
    organisations = Organisation.objects.filter(
        match_proposals__status__in=ProposalStatus.holding_capacity()
    ).distinct()
    for organisation in organisations:
        counts = _upkeep_for(organisation, now)
        reminded += counts[0]
        expired += counts[1]
    return reminded, expired


@transaction.atomic
def _upkeep_for(organisation: Organisation, now: datetime) -> tuple[int, int]:
    settings = matching_settings(organisation)
    waiting = list(
        MatchProposal.objects.select_for_update(of=("self",))
        .select_related("organisation", "mentor__user", "referral__mentee")
        .filter(organisation=organisation, status__in=ProposalStatus.holding_capacity())
        .filter(Q(respond_by__lte=now) | Q(reminded_at__isnull=True))
        .order_by("pk")
    )
    expired = [p for p in waiting if p.respond_by is not None and p.respond_by <= now]
    for proposal in expired:
        _expire(proposal, now)
    if expired:
        send_templated_email(
            "matching/email/reminder_expired_staff",
            to=coordinator_emails(organisation),
            context={
                "organisation": organisation,
                "count": len(expired),
                "path": reverse("matching:overview"),
            },
        )
    due_after = timedelta(days=settings.reminder_days)
    reminded = 0
    for proposal in waiting:
        if proposal in expired or proposal.reminded_at is not None:
            continue
        offered_at = (
            proposal.approved_at
            if proposal.status == ProposalStatus.WITH_MENTOR
            else proposal.mentor_responded_at
        )
        if offered_at is not None and now - offered_at >= due_after:
            reminded += _remind(proposal, now)
    return reminded, len(expired)


def _expire(proposal: MatchProposal, now: datetime) -> None:
    """No answer in time. Not a decline: the pair may be proposed again in a later run."""
    was_with = "mentor" if proposal.status == ProposalStatus.WITH_MENTOR else "mentee"
    proposal.status = ProposalStatus.EXPIRED
    proposal.status_changed_at = now
    proposal.save(update_fields=["status", "status_changed_at"])
    audit_record(
        actor=None,
        action="match.expired",
        organisation=proposal.organisation,
        target=proposal,
        metadata={"was_with": was_with},
    )


def _remind(proposal: MatchProposal, now: datetime) -> int:
    if proposal.status == ProposalStatus.WITH_MENTOR:
        to, who = proposal.mentor.user.email, "mentor"
        path = reverse("matching:mentor_offer", args=[proposal.pk])
    else:
        to, who = mentee_email(proposal.referral), "mentee"
        path = reverse("matching:mentee_offer")
    if not to:
        return 0  # nobody to remind online; the coordinator is in touch with them by phone
    proposal.reminded_at = now
    proposal.save(update_fields=["reminded_at"])
    audit_record(
        actor=None,
        action="match.reminder_sent",
        organisation=proposal.organisation,
        target=proposal,
        metadata={"to": who},
    )
    send_templated_email(
        f"matching/email/reminder_{who}",
        to=[to],
        context={
            "organisation": proposal.organisation,
            "path": path,
            "respond_by": timezone.localtime(proposal.respond_by) if proposal.respond_by else None,
        },
    )
    return 1
