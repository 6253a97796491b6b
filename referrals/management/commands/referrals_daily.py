"""The referrals app's daily upkeep, queued for the task worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from referrals.tasks import remind_waiting_check_ins

DAILY_TASKS = [
    (remind_waiting_check_ins, "person(s) on waiting lists included in check-in reminders"),
]


class Command(BaseCommand):
    help = (
        "Daily referrals upkeep: emails each organisation's coordinators one digest of how many "
        "people on the waiting list are due a check-in. Cron runs this once a day (for example "
        "'20 7 * * * manage.py referrals_daily'); it queues the work for 'manage.py db_worker'. "
        "Use --now to run it here instead. Running it twice in a day sends nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Run the work in this process, not the queue."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for task, description in DAILY_TASKS:
            if options["now"]:
                self.stdout.write(f"{task.call()} {description}.")
            else:
                result = task.enqueue()
                self.stdout.write(f"Queued: {task.name} ({result.id}).")
