"""Safeguarding work that can run on the task worker. Escalation normally runs in its own
process every minute (``manage.py safeguarding_escalate``), where a busy queue cannot delay it;
``--queue`` hands it to the worker instead."""

from __future__ import annotations

from django_tasks import task

from safeguarding.services.escalation import escalate_overdue


@task()
def safeguarding_escalate() -> dict[str, int]:
    """Escalate the alerts nobody has responded to by their deadline."""
    return escalate_overdue()
