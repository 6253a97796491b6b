"""Referral upkeep that runs in the background, started each day by
``manage.py referrals_daily``."""

from __future__ import annotations

from django_tasks import task

from referrals.services.waiting import check_in_reminders_send


@task()
def remind_waiting_check_ins() -> int:
    """Tell each organisation's coordinators, in one email, how many people on the waiting list
    are due a check-in. Returns how many people were included (none twice in one interval)."""
    return check_in_reminders_send()
