"""A portable backup of every table, for ``manage.py backup`` and ``manage.py restore``.

Encrypted fields are copied as the ciphertext stored in the database, never decrypted: a backup
file is no easier to read than the database itself, and it is useless without the keys in
``FIELD_ENCRYPTION_KEYS``, which must be backed up separately. The manifest lists each model's
row count, the migrations applied and a fingerprint of each key (a hash, never a key), so a
restore can refuse a database at a different schema or keys that cannot read the text.

On PostgreSQL, ``pg_dump`` is the production alternative (see README); this pair works on any
database Django supports and is what the tests prove.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import ExpressionWrapper, F
from django.utils import timezone

from alongside.encryption import decrypt_text
from alongside.fields import EncryptedTextField

FORMAT = "alongside-backup"
FORMAT_VERSION = 1
# Sessions are signed-in browsers, not records: restoring them would sign people back in.
NOT_BACKED_UP = {"sessions.session"}
# A restore goes only into a database with no people and no organisations yet.
MUST_BE_EMPTY = ("accounts.user", "accounts.organisation", "audit.auditevent")
BATCH = 500


class BackupError(Exception):
    """The backup cannot be written or restored; the message says why."""


class _Encoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, bytes | memoryview):
            return base64.b64encode(bytes(o)).decode("ascii")
        return super().default(o)


def key_fingerprint(key: str) -> str:
    """A name for a key that reveals nothing about it."""
    return hashlib.sha256(b"alongside-field-key:" + key.encode()).hexdigest()[:16]


def current_fingerprints() -> list[str]:
    return [key_fingerprint(key) for key in settings.FIELD_ENCRYPTION_KEYS]


def backed_up_models() -> list[type[models.Model]]:
    """Every table Django manages, including many-to-many tables, in a stable order."""
    found = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in NOT_BACKED_UP
    ]
    return sorted(found, key=lambda model: model._meta.label_lower)


def applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _raw_rows(model: type[models.Model]) -> tuple[list[models.Field], Iterator[tuple[Any, ...]]]:
    """The model's rows as stored: encrypted columns are read through a plain text expression,
    so the field never decrypts them."""
    fields = list(model._meta.concrete_fields)
    expressions: dict[str, Any] = {}
    names: list[str] = []
    for field in fields:
        if isinstance(field, EncryptedTextField):
            alias = f"stored__{field.attname}"
            expressions[alias] = ExpressionWrapper(
                F(field.attname), output_field=models.TextField()
            )
            names.append(alias)
        else:
            names.append(field.attname)
    queryset = model._base_manager.using(connection.alias).order_by("pk")
    if expressions:
        queryset = queryset.annotate(**expressions)
    return fields, queryset.values_list(*names).iterator(chunk_size=2000)


def write_backup(stream: IO[str]) -> dict[str, Any]:
    """Write every table and the manifest to ``stream``; returns the manifest."""
    tables: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    with transaction.atomic():
        for model in backed_up_models():
            fields, rows = _raw_rows(model)
            data = [list(row) for row in rows]
            counts[model._meta.label_lower] = len(data)
            tables.append(
                {
                    "model": model._meta.label_lower,
                    "columns": [field.column for field in fields],
                    "rows": data,
                }
            )
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database_vendor": connection.vendor,
            "migrations": applied_migrations(),
            "key_fingerprints": current_fingerprints(),
            "counts": counts,
        }
    json.dump({"manifest": manifest, "tables": tables}, stream, cls=_Encoder)
    return manifest


def open_for_writing(path: Path) -> IO[str]:
    """Only the owner may read a backup (it holds names and emails in the clear)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.chmod(path, 0o600)
    if path.suffix == ".gz":
        return gzip.open(path, "wt", encoding="utf-8")
    return path.open("w", encoding="utf-8")


def read_backup(path: Path) -> dict[str, Any]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as stream:
        data: dict[str, Any] = json.load(stream)
    manifest = data.get("manifest", {})
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{path} is not an Alongside backup this version can read.")
    return data


def _check_target(manifest: dict[str, Any]) -> None:
    missing = sorted(set(manifest["migrations"]) - set(applied_migrations()))
    if missing:
        raise BackupError(
            "This database is behind the backup: run `manage.py migrate` first "
            f"({len(missing)} migrations missing, e.g. {missing[0]})."
        )
    if not set(manifest["key_fingerprints"]) & set(current_fingerprints()):
        raise BackupError(
            "None of the keys in FIELD_ENCRYPTION_KEYS is one the backup was made with, so its "
            "encrypted text could not be read. Restore the keys from your key backup first."
        )
    for label in MUST_BE_EMPTY:
        if apps.get_model(label)._base_manager.exists():
            raise BackupError(
                f"The database is not empty ({label} has rows): restore into a new database, "
                "migrated and with nobody in it yet."
            )


def _convert(field: models.Field, value: Any) -> Any:
    if value is None or isinstance(field, EncryptedTextField):
        return value
    if isinstance(field, models.DurationField) and isinstance(value, int | float):
        value = timedelta(microseconds=value)
    return field.get_db_prep_save(field.to_python(value), connection)


def _insert(model: type[models.Model], columns: list[str], rows: list[list[Any]]) -> None:
    by_column = {field.column: field for field in model._meta.concrete_fields}
    unknown = [column for column in columns if column not in by_column]
    if unknown:
        raise BackupError(f"{model._meta.label_lower} has no column {unknown[0]} any more.")
    fields = [by_column[column] for column in columns]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (quoted model identifiers)
        quote(model._meta.db_table),
        ", ".join(quote(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            cursor.executemany(
                sql,
                [
                    [_convert(field, value) for field, value in zip(fields, row, strict=True)]
                    for row in batch
                ],
            )


def undecryptable_values() -> int:
    """How many stored encrypted values no configured key can read (0 after a good restore)."""
    failures = 0
    for model in backed_up_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, EncryptedTextField):
                continue
            stored = model._base_manager.annotate(
                stored=ExpressionWrapper(F(field.attname), output_field=models.TextField())
            ).values_list("stored", flat=True)
            for value in stored.iterator(chunk_size=2000):
                if value:
                    try:
                        decrypt_text(value)
                    except Exception:
                        failures += 1
    return failures


def restore_backup(data: dict[str, Any]) -> dict[str, int]:
    """Load a backup into this (empty, migrated) database in one transaction, then check every
    count and that every encrypted value can be decrypted; anything wrong rolls it all back."""
    manifest = data["manifest"]
    _check_target(manifest)
    restored: dict[str, int] = {}
    with transaction.atomic():
        loaded: list[type[models.Model]] = []
        with connection.constraint_checks_disabled():
            quote = connection.ops.quote_name
            tables = [(apps.get_model(table["model"]), table) for table in data["tables"]]
            with connection.cursor() as cursor:
                # Reference rows made by migrate (content types, languages...) are replaced.
                for model, _table in tables:
                    cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608
            for model, table in tables:
                _insert(model, table["columns"], table["rows"])
                restored[table["model"]] = len(table["rows"])
                loaded.append(model)
        connection.check_constraints(table_names=[model._meta.db_table for model in loaded])
        for statement in connection.ops.sequence_reset_sql(no_style(), loaded):
            with connection.cursor() as cursor:
                cursor.execute(statement)
        for label, expected in manifest["counts"].items():
            found = apps.get_model(label)._base_manager.count()
            if found != expected:
                raise BackupError(f"{label}: expected {expected} rows, found {found}.")
        failures = undecryptable_values()
        if failures:
            raise BackupError(f"{failures} encrypted values could not be decrypted.")
    return restored
