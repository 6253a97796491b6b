from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alongside.demo import demo_exists, load_demo


class Command(BaseCommand):
    help = "Load invented demo data (development only). Does nothing if it is already there."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("Demo data is never loaded in production.")
        if demo_exists():
            self.stdout.write("Demo data is already loaded.")
            return
        world = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {len(world.people)} demo people in {len(world.organisations)} "
                f"organisations. Password for every demo account: {settings.DEMO_PASSWORD}"
            )
        )
