"""The mentors app's daily upkeep, queued for the task worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mentors.tasks import warn_expiring_certifications
from mentors.tasks_supervision import remind_wellbeing_check_ins

DAILY_TASKS = [
    (warn_expiring_certifications, "mentor(s) warned that their certification ends soon"),
    (remind_wellbeing_check_ins, "mentor(s) reminded to do a wellbeing check-in"),
]


class Command(BaseCommand):
    help = (
        "Daily mentor upkeep: warns mentors and coordinators before a certification ends and "
        "reminds mentors whose wellbeing check-in is due. Cron runs this once a day (for "
        "example '15 7 * * * manage.py mentors_daily'); it queues the work for "
        "'manage.py db_worker'. Use --now to run it here instead. Running it twice in a day "
        "sends nothing twice."
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
