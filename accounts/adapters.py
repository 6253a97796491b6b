"""How django-allauth behaves here: closed sign-up, emails sent by the worker, MFA secrets encrypted
with the project's field keys."""

from __future__ import annotations

from typing import Any

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.utils import is_mfa_enabled
from django.http import HttpRequest
from django.utils import timezone

from accounts.middleware import MFA_SET_UP_KEY, SESSION_STARTED_KEY, read_session_time
from alongside.email import send_email_after_commit
from alongside.encryption import decrypt_text, encrypt_text


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """People join through a referral or a mentor application, never an open sign-up form."""
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """A person setting up two-factor authentication for the first time, minutes after signing
        in (as staff are made to), is not asked for their password again to activate it or to see
        the recovery codes that follow. Every other sensitive change (email, password, removing or
        replacing MFA later) still asks again."""
        request = self.request
        if (
            app == "allauth.mfa"
            and request is not None
            and request.user.is_authenticated
            and _within(request, SESSION_STARTED_KEY)
            and (not is_mfa_enabled(request.user) or _within(request, MFA_SET_UP_KEY))
        ):
            return False
        return bool(super().is_reauthentication_required(app=app, **kwargs))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        message = self.render_mail(template_prefix, email, context)
        send_email_after_commit(message)


def _within(request: HttpRequest, session_key: str) -> bool:
    """Whether the moment stored under ``session_key`` was within allauth's re-authentication
    window."""
    moment = read_session_time(request.session, session_key)
    seconds = allauth_settings.REAUTHENTICATION_TIMEOUT
    return moment is not None and (timezone.now() - moment).total_seconds() < seconds


class MfaAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return encrypt_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text)

    def send_notification_mail(self, *args: Any, **kwargs: Any) -> None:
        # Uses the account adapter's send_mail, so it also goes through the worker.
        super().send_notification_mail(*args, **kwargs)
