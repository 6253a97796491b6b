"""Reads about referrals, scoped to what a person may see; 404 for anything else."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.http import Http404

from accounts.models import Organisation, User
from referrals.models import Referral, ReferralProgrammeSettings, Status, urgent_first


def referral_settings(organisation: Organisation) -> ReferralProgrammeSettings:
    """The organisation's settings, or the defaults (unsaved) until someone changes them: reading
    them never writes."""
    found = ReferralProgrammeSettings.objects.filter(organisation=organisation).first()
    return found or ReferralProgrammeSettings(organisation=organisation)


def referrals_for_staff(organisation: Organisation) -> QuerySet[Referral]:
    return Referral.objects.filter(organisation=organisation)


def get_referral_for_staff(organisation: Organisation, pk: int) -> Referral:
    try:
        return referrals_for_staff(organisation).get(pk=pk)
    except Referral.DoesNotExist:
        raise Http404 from None


def referrals_made_by(referrer: User, organisation: Organisation) -> QuerySet[Referral]:
    """A partner sees only the referrals it made, and (on its pages) only their status."""
    return Referral.objects.filter(referrer=referrer, organisation=organisation)


def get_referral_for_referrer(referrer: User, organisation: Organisation, pk: int) -> Referral:
    try:
        return referrals_made_by(referrer, organisation).get(pk=pk)
    except Referral.DoesNotExist:
        raise Http404 from None


def waiting_list(organisation: Organisation) -> QuerySet[Referral]:
    """Everyone waiting for a mentor: urgent first, then anyone waiting for a rematch, then
    longest waiting."""
    return (
        Referral.objects.filter(organisation=organisation, status=Status.WAITING)
        .annotate(urgency_rank=urgent_first())
        .order_by(
            "urgency_rank",
            F("rematch_requested_at").asc(nulls_last=True),
            "waiting_since",
            "pk",
        )
    )


def mentee_referral(user: User, organisation: Organisation) -> Referral | None:
    """The signed-in mentee's own current referral in this organisation."""
    return (
        Referral.objects.filter(mentee=user, organisation=organisation)
        .exclude(status=Status.MERGED)
        .order_by("-created_at")
        .first()
    )


def mentee_email(referral: Referral) -> str:
    """Where to email the person about their mentoring: their account's address, if they said
    email is fine. Without an account the pages are out of reach, so staff phone instead."""
    if not referral.email_ok or referral.mentee is None:
        return ""
    return referral.mentee.email
