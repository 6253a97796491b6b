"""Write every table to one file, encrypted text still encrypted, with a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from alongside.backup import open_for_writing, write_backup


class Command(BaseCommand):
    help = (
        "Writes every table's rows to FILE (JSON; gzip-compressed when FILE ends in .gz), "
        "readable only by its owner. Encrypted text is copied as ciphertext, never decrypted. "
        "The manifest holds each model's row count, the migrations applied and a fingerprint "
        "of each encryption key (never the keys): back up FIELD_ENCRYPTION_KEYS separately, "
        "or the restored text cannot be read. Sessions are not backed up. On PostgreSQL, "
        "pg_dump is the production alternative. Restore with 'manage.py restore FILE'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Where to write the backup.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        with open_for_writing(path) as stream:
            manifest = write_backup(stream)
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Backed up {rows} rows from {len(manifest['counts'])} tables to {path} "
            f"({len(manifest['migrations'])} migrations, "
            f"{len(manifest['key_fingerprints'])} key fingerprints)."
        )
