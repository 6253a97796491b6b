from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Organisation
from safeguarding.models import CrisisResource


def crisis_resources_for(organisation: Organisation | None) -> QuerySet[CrisisResource]:
    if organisation is None:
        return CrisisResource.objects.none()
    return CrisisResource.objects.filter(organisation=organisation, is_active=True)
