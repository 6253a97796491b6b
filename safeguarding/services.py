from __future__ import annotations

from django.db import transaction

from accounts.models import Organisation, User
from audit.services import audit_record
from safeguarding.models import CrisisResource


@transaction.atomic
def crisis_resource_create(
    *, actor: User | None, organisation: Organisation, name: str, **details: object
) -> CrisisResource:
    resource = CrisisResource.objects.create(organisation=organisation, name=name, **details)
    audit_record(
        actor=actor,
        action="crisis_resource.created",
        organisation=organisation,
        target=resource,
    )
    return resource
