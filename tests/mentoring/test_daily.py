"""The daily upkeep command: session reminders, check-ins kept scheduled and reminded, halfway
milestones; running it twice sends nothing twice."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from mentoring.models import CheckIn, MilestoneKind, Relationship
from tests.mentoring.factories import SessionFactory

pytestmark = pytest.mark.django_db


def run_daily(capture) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("mentoring_daily", "--now", stdout=out)
    return out.getvalue()


def test_daily_upkeep_reminds_once_and_marks_halfway(
    active_relationship, coordinator, django_capture_on_commit_callbacks
):
    SessionFactory(
        relationship=active_relationship, scheduled_for=timezone.now() + timedelta(hours=20)
    )
    CheckIn.objects.filter(relationship=active_relationship).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    Relationship.objects.filter(pk=active_relationship.pk).update(
        activated_at=timezone.now() - timedelta(weeks=14),
        planned_end_on=timezone.localdate() + timedelta(weeks=10),
    )

    first = run_daily(django_capture_on_commit_callbacks)

    assert "session reminders 1" in first
    assert "check in reminders 1" in first
    assert "halfway milestones 1" in first
    assert active_relationship.milestones.filter(kind=MilestoneKind.HALFWAY).exists()
    sent = len(mail.outbox)
    assert sent == 3  # the mentor and the mentee about the session; the coordinator's digest
    assert all("Samira" not in message.body for message in mail.outbox)

    second = run_daily(django_capture_on_commit_callbacks)

    assert "session reminders 0" in second
    assert "check in reminders 0" in second
    assert "halfway milestones 0" in second
    assert len(mail.outbox) == sent


def test_without_now_the_upkeep_is_queued_for_the_worker(db):
    out = StringIO()
    call_command("mentoring_daily", stdout=out)
    assert out.getvalue().startswith("Queued: ")
