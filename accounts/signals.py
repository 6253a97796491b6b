"""Security events from Django and allauth, written to the audit trail.

These are the only audited changes that do not start in a service of ours: allauth and Django's
auth framework make them, and we record them here in the same request.
"""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.account.models import EmailAddress
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from accounts.middleware import MFA_SET_UP_KEY, SESSION_SEEN_KEY, SESSION_STARTED_KEY
from accounts.models import User
from audit.services import audit_record


@receiver(auth_signals.user_logged_in)
def _signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = timezone.now().isoformat()
        request.session[SESSION_STARTED_KEY] = now
        request.session[SESSION_SEEN_KEY] = now
    with transaction.atomic():
        audit_record(actor=user, action="account.signed_in", target=user)


@receiver(auth_signals.user_logged_out)
def _signed_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        with transaction.atomic():
            audit_record(actor=user, action="account.signed_out", target=user)


@receiver(auth_signals.user_login_failed)
def _sign_in_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # The typed email is personal data and may belong to nobody: record only a matching account.
    email = str(credentials.get("email") or credentials.get("username") or "")
    target = User.objects.filter(email__iexact=email).first() if email else None
    with transaction.atomic():
        audit_record(actor=None, action="account.sign_in_failed", target=target)


@receiver(account_signals.password_reset)
def _reset_link_proves_the_address(
    sender: Any, request: HttpRequest, user: User, **kwargs: Any
) -> None:
    """The reset link went to the account's address, so using it proves the address is theirs:
    people given an account by a coordinator are not asked to confirm it a second time."""
    EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=False).update(
        verified=True
    )


@receiver(account_signals.password_changed)
@receiver(account_signals.password_reset)
@receiver(account_signals.password_set)
def _password_changed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    with transaction.atomic():
        audit_record(actor=user, action="account.password_changed", target=user)


@receiver(account_signals.email_confirmed)
def _email_confirmed(sender: Any, request: HttpRequest, email_address: Any, **kwargs: Any) -> None:
    with transaction.atomic():
        audit_record(
            actor=email_address.user, action="account.email_verified", target=email_address.user
        )


@receiver(mfa_signals.authenticator_added)
@receiver(mfa_signals.authenticator_removed)
@receiver(mfa_signals.authenticator_reset)
def _authenticator_changed(
    sender: Any, request: HttpRequest, user: User, authenticator: Any, signal: Any, **kwargs: Any
) -> None:
    if signal is mfa_signals.authenticator_added and hasattr(request, "session"):
        request.session[MFA_SET_UP_KEY] = timezone.now().isoformat()
    verb = {
        mfa_signals.authenticator_added: "added",
        mfa_signals.authenticator_removed: "removed",
        mfa_signals.authenticator_reset: "reset",
    }[signal]
    with transaction.atomic():
        audit_record(
            actor=user,
            action=f"mfa.authenticator_{verb}",
            target=user,
            metadata={"type": authenticator.type},
        )
