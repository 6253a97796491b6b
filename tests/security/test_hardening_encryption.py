"""Every encrypted field of every model holds ciphertext in the database, and key rotation with
``manage.py reencrypt_fields`` leaves every one of them readable with the new key alone.

The models are found, not listed: a new ``EncryptedTextField`` anywhere is checked without
touching this file. Rows are made generically: filler values for required columns, and a real
row (made the same way) behind every required foreign key.
"""

from __future__ import annotations

import datetime
import decimal
import itertools
import uuid
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import decrypt
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models
from django.utils import timezone

from alongside.fields import EncryptedTextField

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
SECRET_TOTP = "JBSWY3DPEHPK3PXP"


def encrypted_models() -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    found = []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if fields and not model._meta.proxy:
            found.append((model, fields))
    return found


def marker(model: type[models.Model], field: models.Field) -> str:
    return f"plain marker {model._meta.label}.{field.name} — private words"


_moments = itertools.count()


def _filler(field: models.Field) -> Any:
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        return None  # set through attname below
    if isinstance(field, models.EmailField):
        return f"{uuid.uuid4().hex[:10]}@example.org"
    if isinstance(field, models.SlugField):
        return uuid.uuid4().hex[:10]
    if isinstance(field, models.CharField):
        return uuid.uuid4().hex[: min(field.max_length or 10, 10)]
    if isinstance(field, models.TextField):
        return "filler"
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField):
        return decimal.Decimal("1")
    if isinstance(field, models.IntegerField | models.FloatField):
        return 1
    if isinstance(field, models.DateTimeField):
        # Each moment later than the last, so "ends after it starts" constraints hold.
        return timezone.now() + datetime.timedelta(seconds=next(_moments))
    if isinstance(field, models.DateField):
        return timezone.localdate()
    if isinstance(field, models.TimeField):
        return datetime.time(10, 0)
    if isinstance(field, models.DurationField):
        return datetime.timedelta(minutes=30)
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.JSONField):
        return {}
    raise AssertionError(f"No filler for {field!r}: teach _filler this field type.")


def make_row(
    model: type[models.Model],
    fields: list[EncryptedTextField],
    made: dict[type[models.Model], models.Model] | None = None,
) -> models.Model:
    """A row of ``model`` whose encrypted fields hold their markers, saved without signals.
    ``made`` reuses one row per related model, so a whole world is built only once."""
    made = {} if made is None else made
    values: dict[str, Any] = {}
    uniquely_tied = {
        name
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        for name in constraint.fields
    }
    for field in model._meta.concrete_fields:
        if field.primary_key or field.has_default() or field.null:
            continue
        if isinstance(field, models.ForeignKey):
            target = field.related_model
            if target not in made or field.unique or field.name in uniquely_tied:
                made[target] = make_row(target, [], made)
            values[field.attname] = made[target].pk
        elif not field.blank or isinstance(field, models.BooleanField):
            values[field.name] = _filler(field)
    for field in fields:
        values[field.name] = marker(model, field)
    (row,) = model._base_manager.bulk_create([model(**values)])
    return row


def raw_value(model: type[models.Model], field: models.Field, pk: Any) -> str:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(field.column)} FROM {quote(model._meta.db_table)} "  # noqa: S608
            f"WHERE {quote(model._meta.pk.column)} = %s",
            [pk],
        )
        return cursor.fetchone()[0]


def test_the_project_has_encrypted_fields_in_every_app_that_holds_private_text():
    apps_with_encryption = {model._meta.app_label for model, _ in encrypted_models()}
    assert {
        "mentoring",
        "mentors",
        "referrals",
        "safeguarding",
        "toolkit",
        "outcomes",
        "matching",
    } <= apps_with_encryption


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "fields"),
    encrypted_models(),
    ids=[model._meta.label for model, _ in encrypted_models()],
)
def test_every_encrypted_column_holds_ciphertext_that_decrypts_to_what_was_saved(
    settings, model, fields
):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    row = make_row(model, fields)
    for field in fields:
        stored = raw_value(model, field, row.pk)
        assert marker(model, field) not in stored
        assert "private words" not in stored
        assert Fernet(OLD_KEY.encode()).decrypt(stored.encode()).decode() == marker(model, field)
        reread = model._base_manager.filter(pk=row.pk).values_list(field.name, flat=True).get()
        assert reread == marker(model, field)


@pytest.mark.django_db
def test_mfa_secrets_are_stored_encrypted(settings, coordinator):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    Authenticator.objects.filter(user=coordinator).delete()
    TOTP.activate(coordinator, SECRET_TOTP)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data FROM mfa_authenticator WHERE user_id = %s AND type = 'totp'",
            [coordinator.pk],
        )
        stored = cursor.fetchone()[0]
    assert SECRET_TOTP not in str(stored)


@pytest.mark.django_db
def test_after_rotation_every_encrypted_column_decrypts_with_the_new_key_alone(
    settings, coordinator
):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    made: dict[type[models.Model], models.Model] = {}
    rows = [(model, fields, make_row(model, fields, made)) for model, fields in encrypted_models()]
    Authenticator.objects.filter(user=coordinator).delete()
    TOTP.activate(coordinator, SECRET_TOTP)

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    call_command("reencrypt_fields", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]  # the old key is gone

    new = Fernet(NEW_KEY.encode())
    for model, fields, row in rows:
        for field in fields:
            stored = raw_value(model, field, row.pk)
            assert new.decrypt(stored.encode()).decode() == marker(model, field), model
            reread = model._base_manager.filter(pk=row.pk).values_list(field.name, flat=True)
            assert reread.get() == marker(model, field)
    authenticator = Authenticator.objects.get(user=coordinator, type="totp")
    assert decrypt(authenticator.data["secret"]) == SECRET_TOTP
