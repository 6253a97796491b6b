"""The matching app's daily upkeep, queued for the task worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from matching.tasks_people import remind_and_expire_match_offers


class Command(BaseCommand):
    help = (
        "Daily matching upkeep: reminds mentors and mentees once about a match waiting for their "
        "answer, and closes offers nobody answered in time (the person stays on the waiting "
        "list). Cron runs this once a day (for example '25 7 * * * manage.py matching_daily'); "
        "it queues the work for 'manage.py db_worker'. Use --now to run it here instead. "
        "Running it twice in a day sends nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Run the work in this process, not the queue."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        task = remind_and_expire_match_offers
        if options["now"]:
            counts = task.call()
            self.stdout.write(
                f"Match offers: {counts['reminded']} reminder(s) sent, {counts['expired']} expired."
            )
        else:
            result = task.enqueue()
            self.stdout.write(f"Queued: {task.name} ({result.id}).")
