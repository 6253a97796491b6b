"""The mentors app's daily upkeep, queued for the task worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mentors.tasks import warn_expiring_certifications


class Command(BaseCommand):
    help = (
        "Daily mentor upkeep: warns mentors and coordinators before a certification ends. "
        "Cron runs this once a day (for example '15 7 * * * manage.py mentors_daily'); it "
        "queues the work for 'manage.py db_worker'. Use --now to run it here instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Run the work in this process, not the queue."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            warned = warn_expiring_certifications.call()
            self.stdout.write(f"Warned {warned} mentor(s) about certification ending soon.")
            return
        result = warn_expiring_certifications.enqueue()
        self.stdout.write(f"Queued the certification expiry check ({result.id}).")
