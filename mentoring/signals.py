"""Moments in a relationship other parts of the programme act on (outcome measures are due
after sessions, at the ending and at follow-up). Sent inside the transaction that made the
change, so what receivers create commits or rolls back with it. Keyword arguments:
``relationship`` and ``actor`` (the person who made the change, or None for the system)."""

from __future__ import annotations

from django.dispatch import Signal

# A session was logged as held (once per session, not when a held session's log is edited).
session_held = Signal()
# The planned ending started (the relationship is now closing).
ending_started = Signal()
# The relationship ended, planned or not.
relationship_ended = Signal()
