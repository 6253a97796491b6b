"""The crisis resources an organisation shows behind "Get help now"."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from accounts.access import STAFF_ROLES
from accounts.models import Membership, Organisation, User
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


CRISIS_FIELDS = (
    "name",
    "description",
    "phone",
    "text_number",
    "text_keyword",
    "website",
    "hours",
    "is_emergency",
    "position",
    "is_active",
)
CRISIS_TEXT_FIELDS = tuple(
    name for name in CRISIS_FIELDS if name not in ("is_emergency", "position", "is_active")
)
CRISIS_NO_CONTACT = "Give at least a phone number, a number to text or a website."
CRISIS_NOT_STAFF = "Only coordinators and admins can change the crisis resources."
_CRISIS_PHONE = re.compile(r"^[0-9+() \-]{2,40}$")
_WEB = URLValidator(schemes=["http", "https"])


def crisis_resource_clean(fields: Mapping[str, object]) -> tuple[dict[str, Any], dict[str, str]]:
    """Tidy a crisis resource's details and say what is wrong, per field: a name, at least one
    way to reach it now, numbers that can be dialled, and a web address that is http(s)."""
    unknown = set(fields) - set(CRISIS_FIELDS)
    if unknown:
        raise TypeError(f"Not fields of a crisis resource: {', '.join(sorted(unknown))}")
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in CRISIS_TEXT_FIELDS:
        if name in fields:
            cleaned[name] = str(fields[name] or "").strip()
            limit = getattr(CrisisResource._meta.get_field(name), "max_length", None)
            if limit and len(cleaned[name]) > limit:
                errors[name] = f"Keep this to {limit} characters or fewer."
    if "name" in cleaned and not cleaned["name"]:
        errors["name"] = "Give the name of the service."
    for name in ("phone", "text_number"):
        if cleaned.get(name) and not _CRISIS_PHONE.match(cleaned[name]):
            errors.setdefault(name, "Enter a number using digits, spaces, brackets, + or -.")
    website = cleaned.get("website", "")
    if website:
        if not urlsplit(website).scheme and not website.startswith("//"):
            website = cleaned["website"] = f"https://{website}"
        try:
            _WEB(website)
        except ValidationError:
            errors.setdefault("website", "Enter a web address starting with https:// (or http://).")
    if cleaned.get("text_keyword") and not cleaned.get("text_number"):
        errors.setdefault("text_number", "Give the number to text the word to.")
    contact = ("phone", "text_number", "website")
    if all(name in cleaned for name in contact) and not any(cleaned[n] for n in contact):
        errors.setdefault("phone", CRISIS_NO_CONTACT)
    for name in ("is_emergency", "is_active"):
        if name in fields:
            cleaned[name] = bool(fields[name])
    if "position" in fields:
        try:
            cleaned["position"] = int(str(fields["position"]))
        except ValueError:
            errors["position"] = "Enter a whole number."
        else:
            if not 0 <= cleaned["position"] <= 32767:
                errors["position"] = "Enter a number from 0 to 32767."
    return cleaned, errors


def _check_crisis_staff(actor: User, organisation: Organisation) -> None:
    allowed = Membership.objects.filter(
        user=actor, organisation=organisation, role__in=STAFF_ROLES, is_active=True
    ).exists()
    if not allowed:
        raise ValidationError(CRISIS_NOT_STAFF, code="not_staff")


def _crisis_validated(fields: Mapping[str, object]) -> dict[str, Any]:
    cleaned, errors = crisis_resource_clean(fields)
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def crisis_resource_add(
    *, actor: User, organisation: Organisation, **fields: object
) -> CrisisResource:
    """A coordinator or admin adds a crisis resource (checked, unlike the seeding
    ``crisis_resource_create``)."""
    _check_crisis_staff(actor, organisation)
    fields = {"name": "", "phone": "", "text_number": "", "website": "", **fields}
    cleaned = _crisis_validated(fields)
    return crisis_resource_create(actor=actor, organisation=organisation, **cleaned)


@transaction.atomic
def crisis_resource_update(
    *, actor: User, resource: CrisisResource, **fields: object
) -> CrisisResource:
    """Change a crisis resource's details; saving the same details again changes nothing."""
    _check_crisis_staff(actor, resource.organisation)
    cleaned = _crisis_validated(fields)
    resource = CrisisResource.objects.select_for_update().get(pk=resource.pk)
    changed = [name for name, value in cleaned.items() if getattr(resource, name) != value]
    if not changed:
        return resource
    merged = {name: getattr(resource, name) for name in ("phone", "text_number", "website")}
    merged.update({k: v for k, v in cleaned.items() if k in merged})
    if not any(merged.values()):
        raise ValidationError({"phone": CRISIS_NO_CONTACT})
    for name in changed:
        setattr(resource, name, cleaned[name])
    resource.save(update_fields=changed)
    audit_record(
        actor=actor,
        action="crisis_resource.updated",
        organisation=resource.organisation,
        target=resource,
        metadata={"fields_changed": len(changed), "is_active": resource.is_active},
    )
    return resource
