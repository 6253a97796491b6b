"""How django-allauth behaves here: closed sign-up, emails sent by the worker, MFA secrets encrypted
with the project's field keys."""

from __future__ import annotations

from typing import Any

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest
from django.utils import timezone

from accounts.middleware import SESSION_STARTED_KEY, read_session_time
from alongside.email import send_email_after_commit
from alongside.encryption import decrypt_text, encrypt_text


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """People join through a referral or a mentor application, never an open sign-up form."""
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Signing in counts as confirming who you are for a few minutes, so a staff member sent
        straight to two-factor setup after signing in is not asked for their password twice."""
        if _signed_in_within(self.request, seconds=allauth_settings.REAUTHENTICATION_TIMEOUT):
            return False
        return bool(super().is_reauthentication_required(app=app, **kwargs))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        message = self.render_mail(template_prefix, email, context)
        send_email_after_commit(message)


def _signed_in_within(request: HttpRequest | None, *, seconds: int) -> bool:
    if request is None or not request.user.is_authenticated:
        return False
    started = read_session_time(request.session, SESSION_STARTED_KEY)
    return started is not None and (timezone.now() - started).total_seconds() < seconds


class MfaAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return encrypt_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text)

    def send_notification_mail(self, *args: Any, **kwargs: Any) -> None:
        # Uses the account adapter's send_mail, so it also goes through the worker.
        super().send_notification_mail(*args, **kwargs)
