"""How django-allauth behaves here: closed sign-up, emails sent by the worker, MFA secrets encrypted
with the project's field keys."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest

from alongside.email import send_email_after_commit
from alongside.encryption import decrypt_text, encrypt_text


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """People join through a referral or a mentor application, never an open sign-up form."""
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        message = self.render_mail(template_prefix, email, context)
        send_email_after_commit(message)


class MfaAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return encrypt_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text)

    def send_notification_mail(self, *args: Any, **kwargs: Any) -> None:
        # Uses the account adapter's send_mail, so it also goes through the worker.
        super().send_notification_mail(*args, **kwargs)
