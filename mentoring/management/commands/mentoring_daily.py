"""The mentoring app's daily upkeep, queued for the task worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mentoring.tasks import mentoring_upkeep


class Command(BaseCommand):
    help = (
        "Daily mentoring upkeep: reminds mentors and mentees of sessions coming up, schedules "
        "the next coordinator check-ins, emails coordinators a count of check-ins due or "
        "overdue, and celebrates mentees reaching the halfway point. Cron runs this once a day "
        "(for example '35 7 * * * manage.py mentoring_daily', or hourly for timelier session "
        "reminders); it queues the work for 'manage.py db_worker'. Use --now to run it here "
        "instead. Running it twice sends nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Run the work in this process, not the queue."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        task = mentoring_upkeep
        if options["now"]:
            counts = task.call()
            self.stdout.write(
                "Mentoring: "
                + ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in counts.items())
                + "."
            )
        else:
            result = task.enqueue()
            self.stdout.write(f"Queued: {task.name} ({result.id}).")
