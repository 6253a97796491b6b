"""Set up a new organisation and its first administrator on a production install.

The administrator then chooses a password through "Forgotten your password?" on the sign-in
page, and sets up two-factor authentication before opening any data page.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.text import slugify

from accounts.models import Organisation, Role, User
from accounts.services import membership_grant, organisation_create, user_create


class Command(BaseCommand):
    help = "Create an organisation and give an existing or new person its admin role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="The organisation's name.")
        parser.add_argument("--slug", help="Short name for addresses (default: from the name).")
        parser.add_argument("--admin-email", required=True, help="The first administrator.")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["slug"] or slugify(options["name"])
        if not slug:
            raise CommandError("Give a --slug made of letters, numbers and hyphens.")
        if Organisation.objects.filter(slug=slug).exists():
            raise CommandError(f"An organisation with the slug '{slug}' already exists.")
        email = options["admin_email"].strip().lower()
        with transaction.atomic():
            organisation = organisation_create(actor=None, name=options["name"], slug=slug)
            admin = User.objects.filter(email__iexact=email).first() or user_create(
                actor=None, email=email, email_verified=True
            )
            membership_grant(actor=None, organisation=organisation, user=admin, role=Role.ADMIN)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created '{organisation.name}' ({slug}) with {email} as administrator. "
                "They can set a password with 'Forgotten your password?' on the sign-in page."
            )
        )
