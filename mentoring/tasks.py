"""Mentoring upkeep that runs in the background, started each day by
``manage.py mentoring_daily`` (session reminders are also worth running hourly)."""

from __future__ import annotations

from django_tasks import task

from mentoring.milestones import halfway_check_all
from mentoring.services.checkins import check_in_reminders_send, check_ins_top_up
from mentoring.services.session_reminders import session_reminders_send


@task()
def send_session_reminders() -> int:
    """Remind both people once about a session coming up soon."""
    return session_reminders_send()


@task()
def mentoring_upkeep() -> dict[str, int]:
    """Daily: remind both people of sessions coming up, keep coordinator check-ins scheduled and
    tell coordinators which are due or overdue, and celebrate halfway points."""
    return {
        "session_reminders": session_reminders_send(),
        "check_ins_scheduled": check_ins_top_up(),
        "check_in_reminders": check_in_reminders_send(),
        "halfway_milestones": halfway_check_all(),
    }
