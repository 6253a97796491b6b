"""Privacy work for the task worker."""

from __future__ import annotations

from django_tasks import task

from privacy.retention import apply_retention_everywhere


@task()
def privacy_apply_retention() -> dict[str, dict[str, int]]:
    """Apply every organisation's retention policy (what ``manage.py apply_retention`` does)."""
    return {
        organisation.slug: counts for organisation, counts in apply_retention_everywhere().items()
    }
