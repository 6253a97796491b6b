"""Toolkit work that runs in the background, started once a week by ``manage.py toolkit_weekly``."""

from __future__ import annotations

from django_tasks import task

from toolkit.services.practice import weekly_nudges_send


@task()
def toolkit_weekly_nudge() -> dict[str, int]:
    """Weekly: email each mentee who wants it one idea from their own toolkit."""
    return {"nudges": weekly_nudges_send()}
