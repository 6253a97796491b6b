"""Places: the towns and districts a programme works in, with coordinates, so that matching can
check the distance between people who want to meet in person."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Organisation, User
from audit.services import audit_record
from matching.models import Place

_NAME_LENGTH = Place._meta.get_field("name").max_length or 100


def _check(organisation: Organisation, name: str, latitude: float, longitude: float) -> None:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Give the place a name, as people write it (for example: Hackney)."
    elif len(name) > _NAME_LENGTH:
        errors["name"] = f"Use at most {_NAME_LENGTH} characters."
    elif Place.objects.filter(organisation=organisation, name__iexact=name).exists():
        errors["name"] = f"There is already a place called {name}."
    if not (math.isfinite(latitude) and -90 <= latitude <= 90):
        errors["latitude"] = "Latitude must be between -90 and 90 (London is about 51.5)."
    if not (math.isfinite(longitude) and -180 <= longitude <= 180):
        errors["longitude"] = "Longitude must be between -180 and 180 (London is about -0.13)."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def place_create(
    *, actor: User, organisation: Organisation, name: str, latitude: float, longitude: float
) -> Place:
    name = " ".join(name.split())
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    _check(organisation, name, latitude, longitude)
    place = Place.objects.create(
        organisation=organisation, name=name, latitude=latitude, longitude=longitude
    )
    audit_record(actor=actor, action="place.created", organisation=organisation, target=place)
    return place


@transaction.atomic
def place_delete(*, actor: User, place: Place) -> None:
    """Remove a place; people in it no longer have a location for in-person distance checks.
    Deleting one that is already gone changes nothing."""
    locked = Place.objects.select_for_update().filter(pk=place.pk).first()
    if locked is None:
        return
    audit_record(
        actor=actor,
        action="place.deleted",
        organisation=locked.organisation,
        target=locked,
        metadata={"name": locked.name[:80]},
    )
    locked.delete()
