"""Measures fall due when things happen elsewhere in the programme: intake completed
(baseline), sessions held, the planned ending started (closure), the relationship ended
(follow-up). Connected once, from ``OutcomesConfig.ready``. The signals are sent inside the
transaction that made the change, so the requests made here commit or roll back with it."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from mentoring import signals as mentoring_signals
from mentoring.models import Relationship
from outcomes.services import scheduling
from referrals import signals as referral_signals
from referrals.models import Referral


def _intake_completed(sender: Any, *, referral: Referral, actor: User | None, **_: Any) -> None:
    scheduling.requests_at_intake(referral=referral, actor=actor)


def _session_held(sender: Any, *, relationship: Relationship, actor: User | None, **_: Any) -> None:
    scheduling.requests_after_session(relationship=relationship, actor=actor)


def _ending_started(
    sender: Any, *, relationship: Relationship, actor: User | None, **_: Any
) -> None:
    scheduling.requests_at_closure(relationship=relationship, actor=actor)


def _relationship_ended(
    sender: Any, *, relationship: Relationship, actor: User | None, **_: Any
) -> None:
    scheduling.requests_at_end(relationship=relationship, actor=actor)


def connect() -> None:
    """Connect the receivers (``dispatch_uid`` keeps each connected once)."""
    referral_signals.intake_completed.connect(
        _intake_completed, dispatch_uid="outcomes.requests_at_intake"
    )
    mentoring_signals.session_held.connect(
        _session_held, dispatch_uid="outcomes.requests_after_session"
    )
    mentoring_signals.ending_started.connect(
        _ending_started, dispatch_uid="outcomes.requests_at_closure"
    )
    mentoring_signals.relationship_ended.connect(
        _relationship_ended, dispatch_uid="outcomes.requests_at_end"
    )
