"""The outcomes app's daily upkeep, queued for the task worker (or run here with --now)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from outcomes.tasks import outcomes_upkeep


class Command(BaseCommand):
    help = (
        "Daily outcome-measure upkeep: asks for the measures due every N weeks of mentoring, "
        "closes measures past their closing day, and reminds mentees (without saying what it "
        "is about) of questionnaires waiting for them. Cron runs this once a day (for example "
        "'40 7 * * * manage.py outcomes_daily'); it queues the work for 'manage.py db_worker'. "
        "Use --now to run it here instead and print the counts. Running it twice sends nothing "
        "twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Run the work in this process, not the queue."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        task = outcomes_upkeep
        if options["now"]:
            counts = task.call()
            self.stdout.write(
                "Outcome measures: "
                + ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in counts.items())
                + "."
            )
        else:
            result = task.enqueue()
            self.stdout.write(f"Queued: {task.name} ({result.id}).")
