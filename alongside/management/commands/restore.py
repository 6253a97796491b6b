"""Load a backup written by ``manage.py backup`` into a new, migrated, empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.backup import BackupError, read_backup, restore_backup


class Command(BaseCommand):
    help = (
        "Restores FILE (from 'manage.py backup') into this database, which must be migrated "
        "to at least the backup's migrations and hold no people, organisations or audit events "
        "yet. FIELD_ENCRYPTION_KEYS must include a key the backup was made with. Everything "
        "loads in one transaction; then every count is checked against the manifest and every "
        "encrypted value is decrypted once. Any difference rolls the whole restore back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The backup to restore.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            restored = restore_backup(read_backup(path))
        except (BackupError, OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {sum(restored.values())} rows into {len(restored)} tables from {path}; "
            "every count matches and every encrypted value decrypts."
        )
