"""Writing audit events. Call these inside the transaction that makes the change being recorded,
so the change and its audit row commit — or roll back — together."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import HttpRequest

from alongside.request_context import current_request_id
from audit.context import current_acting_as, current_role_of
from audit.models import AuditEvent
from audit.subjects import subject_person_id

if TYPE_CHECKING:
    from rest_framework.request import Request

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
    """Append one event. ``action`` is a dotted verb such as ``membership.granted``.

    The actor's role comes from the request being served (blank for the system or anonymous
    people); the person the target is about comes from ``audit.subjects``.
    """
    return _append(
        actor=actor,
        action=action,
        organisation_id=organisation.pk if organisation is not None else None,
        target=target,
        metadata=metadata,
    )


def audit_read(
    request_or_user: HttpRequest | Request | User,
    action: str,
    target: models.Model,
    *,
    metadata: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that someone was shown a sensitive record (``mentoring.session_notes_viewed``).

    Call it only where the content is actually shown to this viewer. The organisation is the one
    the request acts in, or else the target's own.
    """
    user: Any = getattr(request_or_user, "user", request_or_user)
    actor: User | None = user if user.is_authenticated else None
    return _append(
        actor=actor,
        action=action,
        organisation_id=_acting_organisation_id(actor) or getattr(target, "organisation_id", None),
        target=target,
        metadata=metadata,
    )


def audit_access_refused(*, actor: User, route: str, status: int, method: str) -> AuditEvent:
    """Record that a signed-in person asked for a page or endpoint and was turned away.

    Only labels are kept (the route's name, the status), never the URL, its query string or ids.
    """
    return _append(
        actor=actor,
        action="access.refused",
        organisation_id=_acting_organisation_id(actor),
        target=None,
        metadata={"route": route[:_METADATA_MAX_STRING], "status": status, "method": method},
    )


def _acting_organisation_id(actor: User | None) -> int | None:
    acting = current_acting_as()
    if acting is not None and actor is not None and acting.user_id == actor.pk:
        return acting.organisation_id
    return None


def _append(
    *,
    actor: User | None,
    action: str,
    organisation_id: int | None,
    target: models.Model | None,
    metadata: dict[str, Any] | None,
) -> AuditEvent:
    if actor is not None and not actor.is_authenticated:
        actor = None
    object_type = object_id = ""
    person_id = None
    if target is not None:
        object_type = target._meta.label_lower
        object_id = str(target.pk)
        person_id = subject_person_id(target)
    return AuditEvent.objects.create(
        actor=actor,
        role=current_role_of(actor.pk if actor is not None else None),
        organisation_id=organisation_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        person_id=person_id,
        request_id=current_request_id(),
        metadata=_check_metadata(dict(metadata or {})),
    )
