from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mentoring.models import SessionStatus
from tests.mentoring.factories import SessionFactory

NOTES = "Talked about the hard week at home."


@pytest.fixture
def held(active_relationship, mentor):
    """A session of the active relationship that the mentor logged, with private notes."""
    return SessionFactory(
        relationship=active_relationship,
        scheduled_for=timezone.now() - timedelta(days=2),
        status=SessionStatus.HELD,
        summary="We practised box breathing.",
        private_notes=NOTES,
        mood_before=3,
        mood_after=6,
        logged_at=timezone.now() - timedelta(days=1),
        logged_by=mentor,
    )
