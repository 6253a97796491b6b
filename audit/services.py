"""Writing audit events. Call these inside the transaction that makes the change being recorded,
so the change and its audit row commit — or roll back — together."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from alongside.request_context import current_request_id
from audit.models import AuditEvent

if TYPE_CHECKING:
    from accounts.models import Organisation, User

# Metadata holds labels and counts, never free text someone typed: keep values short and simple.
_METADATA_VALUE_TYPES = (str, int, float, bool, type(None))
_METADATA_MAX_STRING = 80


def _check_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    for key, value in metadata.items():
        if not isinstance(value, _METADATA_VALUE_TYPES):
            raise ValueError(f"Audit metadata {key!r} must be a simple value, not {type(value)}.")
        if isinstance(value, str) and len(value) > _METADATA_MAX_STRING:
            raise ValueError(f"Audit metadata {key!r} is too long to be a label.")
    return metadata


def audit_record(
    *,
    actor: User | None,
    action: str,
    organisation: Organisation | None = None,
    target: models.Model | None = None,
    metadata: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. ``action`` is a dotted verb such as ``membership.granted``."""
    object_type = object_id = ""
    if target is not None:
        object_type = target._meta.label_lower
        object_id = str(target.pk)
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        organisation=organisation,
        action=action,
        object_type=object_type,
        object_id=object_id,
        request_id=current_request_id(),
        metadata=_check_metadata(dict(metadata or {})),
    )
