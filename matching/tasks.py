"""Matching work that runs in the background (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from matching.services.runs import match_run_execute


@task()
def run_matching(run_id: int) -> str:
    """Run the engine for one queued matching run; returns the run's final status."""
    return match_run_execute(run_id).status
