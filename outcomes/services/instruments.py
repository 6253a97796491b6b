"""The instruments a programme can use: the shipped ones, kept in step with their definition
files, and the organisation's own, added by uploading a definition."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from accounts.models import Organisation, User
from audit.services import audit_record
from outcomes import instruments as engine
from outcomes.models import Instrument


def sync_builtin_instruments(**_: Any) -> None:
    """Create or update the shipped instruments (run after every migrate)."""
    for key in engine.BUILTIN_KEYS:
        definition = engine.builtin(key)
        Instrument.objects.update_or_create(
            organisation=None,
            key=key,
            defaults={
                "name": definition.name,
                "short_name": definition.short_name,
                "version": definition.version,
                "definition": dict(definition.definition),
            },
        )


@lru_cache(maxsize=256)
def _parsed(pk: int, version: int, updated: str) -> engine.Instrument:
    row = Instrument.objects.get(pk=pk)
    return engine.load(row.definition)


def definition_of(instrument: Instrument) -> engine.Instrument:
    """The scoring rules of a stored instrument (parsed once per version)."""
    if instrument.organisation_id is None and instrument.key in engine.BUILTIN_KEYS:
        return engine.builtin(instrument.key)
    return _parsed(instrument.pk, instrument.version, instrument.updated_at.isoformat())


def instruments_for(organisation: Organisation) -> QuerySet[Instrument]:
    """Instruments the organisation may schedule: the shipped ones and its own."""
    return Instrument.objects.filter(
        Q(organisation__isnull=True) | Q(organisation=organisation), is_active=True
    )


def builtin_instrument(key: str) -> Instrument:
    """The stored row of a shipped instrument (creating the rows if a test database lacks them)."""
    found = Instrument.objects.filter(organisation__isnull=True, key=key).first()
    if found is None:
        sync_builtin_instruments()
        found = Instrument.objects.get(organisation__isnull=True, key=key)
    return found


@transaction.atomic
def instrument_add(*, actor: User, organisation: Organisation, text: str) -> Instrument:
    """Add (or replace with a new version) one of the organisation's own instruments from its
    JSON definition. Problems with the definition come back as a ``definition`` error."""
    try:
        parsed = engine.parse(text)
    except engine.DefinitionError as error:
        raise ValidationError({"definition": error.problems}) from None
    if parsed.key in engine.BUILTIN_KEYS:
        raise ValidationError(
            {
                "definition": f"'{parsed.key}' is the key of an instrument Alongside ships; "
                "choose another."
            }
        )
    existing = Instrument.objects.filter(organisation=organisation, key=parsed.key).first()
    if existing is None:
        instrument = Instrument.objects.create(
            organisation=organisation,
            key=parsed.key,
            name=parsed.name,
            short_name=parsed.short_name,
            version=parsed.version,
            definition=dict(parsed.definition),
            added_by=actor,
        )
    else:
        if len(parsed.items) != len(definition_of(existing).items):
            raise ValidationError(
                {
                    "definition": "A new version must keep the same number of questions, so "
                    "earlier answers still fit. Give a changed questionnaire a new key."
                }
            )
        existing.name = parsed.name
        existing.short_name = parsed.short_name
        existing.version = existing.version + 1
        existing.definition = dict(parsed.definition)
        existing.is_active = True
        existing.save()
        instrument = existing
    audit_record(
        actor=actor,
        action="instrument.added" if existing is None else "instrument.updated",
        organisation=organisation,
        target=instrument,
        metadata={"key": instrument.key, "version": instrument.version},
    )
    return instrument
