"""Helpers shared by the triage page tests (test_triage_*.py): a referral as the database now
has it, and a page's HTML."""

from __future__ import annotations

from referrals.models import Referral


def fresh(referral: Referral) -> Referral:
    return Referral.objects.get(pk=referral.pk)


def page_of(response) -> str:
    return response.content.decode()
