"""Moments in a referral other parts of the programme act on. Sent inside the transaction
that made the change. Keyword arguments: ``referral`` and ``actor`` (None for the person
themselves, who has no account yet)."""

from __future__ import annotations

from django.dispatch import Signal

# Intake was completed: the person is on the waiting list with a mentee account (when they
# have an email address). Baseline measures are due now.
intake_completed = Signal()
