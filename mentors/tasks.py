"""Mentor upkeep that runs in the background, started each day by ``manage.py mentors_daily``."""

from __future__ import annotations

from django_tasks import task

from accounts.models import Organisation
from mentors.services.training import certification_expiry_warn, profiles_due_expiry_warning


@task()
def warn_expiring_certifications() -> int:
    """Warn each mentor (and their coordinators) once before their certification ends.

    Expired mentors already drop out of matching and the directory by themselves
    (``selectors.certified_available_profiles``); this makes sure nobody is surprised by it.
    Returns how many mentors were warned.
    """
    warned = 0
    for organisation in Organisation.objects.filter(mentor_profiles__isnull=False).distinct():
        for profile in profiles_due_expiry_warning(organisation):
            if certification_expiry_warn(profile=profile):
                warned += 1
    return warned
