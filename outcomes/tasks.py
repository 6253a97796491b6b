"""Outcome-measure upkeep that runs in the background, started each day by
``manage.py outcomes_daily``."""

from __future__ import annotations

from django_tasks import task

from outcomes.services.reminders import reminders_send, requests_close_overdue
from outcomes.services.scheduling import requests_by_weeks


@task()
def outcomes_upkeep() -> dict[str, int]:
    """Daily: make the measures due every N weeks of mentoring, close those past their closing
    day, and remind people (content-free) of the ones waiting for them."""
    return {
        "weekly_measures_requested": requests_by_weeks(),
        "measures_closed": requests_close_overdue(),
        "people_reminded": reminders_send(),
    }
