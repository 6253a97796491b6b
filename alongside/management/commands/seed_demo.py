from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.scale import (
    DEFAULT_SEED,
    DEFAULT_SLUG,
    MINIMUM_SCALE,
    OrganisationExists,
    SeedOptions,
    default_password,
    seed_programme,
)


class Command(BaseCommand):
    help = (
        "Create an organisation with a realistic, invented programme of N mentees (mentors, "
        "referrals, relationships, sessions, measures, alerts), written in bulk. For demos and "
        "benchmarks; never in production. See docs/demo-data.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            required=True,
            help=f"Number of mentees (at least {MINIMUM_SCALE}).",
        )
        parser.add_argument("--org", default=DEFAULT_SLUG, help="Slug of the new organisation.")
        parser.add_argument("--name", default="", help="Name of the new organisation.")
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="Random seed: the same seed, the same data.",
        )
        parser.add_argument(
            "--password",
            default="",
            help="Password for every account (default: the demo password).",
        )
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="Rows per INSERT (capped by the database)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("Demo data is never seeded in production.")
        password = options["password"] or default_password()
        seed_options = SeedOptions(
            scale=options["scale"],
            slug=options["org"],
            name=options["name"],
            seed=options["seed"],
            password=password,
            batch_size=options["batch_size"],
        )
        self.stdout.write(f"Seeding '{seed_options.slug}' with {seed_options.scale:,} mentees…")
        try:
            result = seed_programme(seed_options, progress=self.stdout.write)
        except (OrganisationExists, ValueError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write("\nRows written in bulk (setup through services not counted):")
        width = max(len(label) for label in result.counts)
        for label, count in sorted(result.counts.items()):
            self.stdout.write(f"  {label:<{width}}  {count:>10,}")
        self.stdout.write(
            f"  {'Total':<{width}}  {result.rows:>10,}\n"
            f"Done in {result.seconds:.1f} s ({result.cpu_seconds:.1f} s of this process's CPU "
            f"time): {result.mentees_per_minute(seed_options.scale):,.0f} mentees a minute."
        )
        self.stdout.write(self.style.SUCCESS(f"Sign in with password '{password}':"))
        for role, email in result.accounts:
            self.stdout.write(f"  {role:<14} {email}")
        self.stdout.write(
            f"Administrator, coordinator and supervisor have two-factor authentication set up "
            f"with the TOTP secret {result.totp_secret} (see docs/demo-data.md)."
        )
