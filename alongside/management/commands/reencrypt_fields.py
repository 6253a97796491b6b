"""Rewrite every encrypted value under the newest FIELD_ENCRYPTION_KEYS key.

Run after putting a new key first in FIELD_ENCRYPTION_KEYS; once it finishes, the old key can be
removed. Safe to re-run and to interrupt: each batch is its own transaction.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, models, transaction

from alongside.encryption import rotate_token
from alongside.fields import EncryptedTextField
from audit.services import audit_record

BATCH_SIZE = 500
# allauth keeps these MFA secrets encrypted through our adapter.
_AUTHENTICATOR_SECRET_KEYS = ("secret", "seed")


def encrypted_columns() -> list[tuple[type[models.Model], list[str]]]:
    found = []
    for model in apps.get_models():
        names = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
        ]
        if names:
            found.append((model, names))
    return found


def _rotate_model(model: type[models.Model], columns: list[str]) -> int:
    """Rotate the stored tokens as they are, in primary-key batches, without decrypting them
    through the field (the plaintext never needs to leave the database driver)."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    select = ", ".join(quote(c) for c in columns)
    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
    rotated = 0
    last_pk: Any = None
    while True:
        where = f"WHERE {pk} > %s " if last_pk is not None else ""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk}, {select} FROM {table} {where}ORDER BY {pk} LIMIT %s",  # noqa: S608
                [*([last_pk] if last_pk is not None else []), BATCH_SIZE],
            )
            rows = cursor.fetchall()
            for row_pk, *values in rows:
                new_values = [rotate_token(v) if v else v for v in values]
                cursor.execute(
                    f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                    [*new_values, row_pk],
                )
                rotated += 1
        if len(rows) < BATCH_SIZE:
            return rotated
        last_pk = rows[-1][0]


def _rotate_authenticators() -> int:
    rotated = 0
    for authenticator in Authenticator.objects.order_by("pk").iterator(chunk_size=BATCH_SIZE):
        data = dict(authenticator.data)
        changed = False
        for key in _AUTHENTICATOR_SECRET_KEYS:
            if isinstance(data.get(key), str):
                data[key] = rotate_token(data[key])
                changed = True
        if changed:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
            rotated += 1
    return rotated


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field and MFA secret under the newest key."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model, columns in encrypted_columns():
            count = _rotate_model(model, columns)
            total += count
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
        count = _rotate_authenticators()
        total += count
        self.stdout.write(f"MFA authenticators: {count} re-encrypted")
        with transaction.atomic():
            audit_record(actor=None, action="encryption.keys_rotated", metadata={"rows": total})
        self.stdout.write(self.style.SUCCESS(f"Done: {total} records now use the newest key."))
