"""Escalate safeguarding alerts nobody has responded to by their deadline. Cron runs it every
minute; it works in this process so a busy task queue cannot delay it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safeguarding.services.escalation import escalate_overdue
from safeguarding.tasks import safeguarding_escalate


class Command(BaseCommand):
    help = (
        "Escalates safeguarding alerts that nobody has said they are responding to by their "
        "deadline: each moves up one tier (every safeguarding lead and coordinator, then the "
        "admins too), and the people newly told get an email that does not say who it is "
        "about. Cron runs this every minute ('* * * * * manage.py safeguarding_escalate'). It "
        "runs here, not on the task queue, so it stays on time, and prints what it did. "
        "Running it twice, or two at once, escalates nothing twice. Use --queue to hand the "
        "work to 'manage.py db_worker' instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue", action="store_true", help="Queue the work for the task worker instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["queue"]:
            result = safeguarding_escalate.enqueue()
            self.stdout.write(f"Queued: {safeguarding_escalate.name} ({result.id}).")
            return
        counts = escalate_overdue()
        self.stdout.write(
            "Safeguarding alerts: "
            + ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in counts.items())
            + "."
        )
        if counts["failed"]:
            self.stderr.write(
                f"{counts['failed']} could not be escalated (see the log); the next run tries "
                "again."
            )
