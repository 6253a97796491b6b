"""Upkeep of match offers that runs in the background, started each day by
``manage.py matching_daily``."""

from __future__ import annotations

from django_tasks import task

from matching.services.reminders import proposals_remind_and_expire


@task()
def remind_and_expire_match_offers() -> dict[str, int]:
    """Remind people with an offer waiting for their answer (once), and close offers whose time
    to answer has passed, returning those people to matching."""
    reminded, expired = proposals_remind_and_expire()
    return {"reminded": reminded, "expired": expired}
