"""Toolkit work that runs in the background, started once a week by ``manage.py toolkit_weekly``."""

from __future__ import annotations

from django_tasks import task

from toolkit.services.practice import weekly_nudges_send
from toolkit.services.resources import stale_notify


@task()
def toolkit_weekly_upkeep() -> dict[str, int]:
    """Weekly: email each mentee who wants it one idea from their own toolkit, and tell
    coordinators when community resources have gone a year without being checked."""
    return {"nudges": weekly_nudges_send(), "stale_resource_notices": stale_notify()}
