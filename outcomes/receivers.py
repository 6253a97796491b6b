"""Measures fall due when things happen elsewhere in the programme: intake completed
(baseline), sessions held, the planned ending started (closure), the relationship ended
(follow-up). Connected once, from ``OutcomesConfig.ready``."""

from __future__ import annotations


def connect() -> None:
    """Connect the receivers (filled in by the scheduling work)."""
