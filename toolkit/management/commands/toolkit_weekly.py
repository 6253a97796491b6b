"""The toolkit's weekly upkeep (nudges and stale community resources), queued for the task
worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from toolkit.tasks import toolkit_weekly_upkeep


class Command(BaseCommand):
    help = (
        "Weekly toolkit upkeep: emails each mentee who has not turned it off one idea from their "
        "own toolkit (a skill that helped them, or one they have not tried yet), and tells "
        "coordinators how many community resources have not been checked for a year (at most "
        "once every 30 days). Cron runs this "
        "once a week (for example '40 9 * * 1 manage.py toolkit_weekly'); it queues the work "
        "for 'manage.py db_worker'. Use --now to run it here instead. Nobody is nudged twice "
        "within 6 days, however often it runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Run the work in this process, not the queue."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        task = toolkit_weekly_upkeep
        if options["now"]:
            counts = task.call()
            self.stdout.write(
                "Toolkit: "
                + ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in counts.items())
                + "."
            )
        else:
            result = task.enqueue()
            self.stdout.write(f"Queued: {task.name} ({result.id}).")
