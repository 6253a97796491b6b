"""Add the starter skills library to an organisation (or to every organisation). Safe to run
again: skills it already has, edited or not, are left alone."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Organisation
from toolkit.services.skills import skills_load_starter
from toolkit.starter import StarterLibraryError


class Command(BaseCommand):
    help = "Add the starter skills library to an organisation, or to all of them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisation", metavar="SLUG", help="Only this organisation (default: all)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.order_by("name")
        if options["organisation"]:
            organisations = organisations.filter(slug=options["organisation"])
            if not organisations.exists():
                raise CommandError(f"No organisation with slug {options['organisation']!r}.")
        for organisation in organisations:
            try:
                added = skills_load_starter(actor=None, organisation=organisation)
            except StarterLibraryError as error:
                raise CommandError(str(error)) from error
            if added:
                plural = "s" if len(added) != 1 else ""
                self.stdout.write(f"{organisation.name}: added {len(added)} skill{plural}:")
                for skill in added:
                    self.stdout.write(f"  - {skill.title}")
            else:
                self.stdout.write(f"{organisation.name}: already has every starter skill.")
