"""Stop a person signing in, at once: ends their sessions and revokes their API tokens.

For platform operators (for example when a staff member leaves and nobody in their organisation
can do it); the change is audited like any other.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from accounts.services import user_deactivate


class Command(BaseCommand):
    help = "Deactivate a person's account, ending all their sessions and API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="The person's sign-in email address.")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account uses the email address '{email}'.")
        user_deactivate(actor=None, user=user)
        self.stdout.write(self.style.SUCCESS(f"{email} can no longer sign in."))
