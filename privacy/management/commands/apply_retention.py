"""Apply every organisation's retention policy. Cron runs it once a day."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from privacy.retention import apply_retention_everywhere
from privacy.tasks import privacy_apply_retention


class Command(BaseCommand):
    help = (
        "Anonymises what each organisation's retention policy says should go: mentees whose "
        "relationships all ended longer ago than the policy, declined or withdrawn mentor "
        "applications, and closed referrals. Writes a retention run and an audit event per "
        "organisation with the counts. Running it twice removes nothing twice. --dry-run only "
        "prints the counts. Audit events are never deleted here: on PostgreSQL the database "
        "refuses it; removing very old ones is a task for the database owner."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would go, change nothing."
        )
        parser.add_argument(
            "--queue", action="store_true", help="Queue the work for the task worker instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["queue"]:
            result = privacy_apply_retention.enqueue()
            self.stdout.write(f"Queued: {privacy_apply_retention.name} ({result.id}).")
            return
        dry_run = options["dry_run"]
        for organisation, counts in apply_retention_everywhere(dry_run=dry_run).items():
            summary = ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in counts.items())
            prefix = "Would anonymise" if dry_run else "Anonymised"
            self.stdout.write(f"{organisation.slug}: {prefix} {summary}.")
