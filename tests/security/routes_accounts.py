"""Signing in and out, passwords, email addresses and two-factor authentication (django-allauth),
and the account pages of our own."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress, EmailConfirmationHMAC

from tests.security.matrix import EVERYONE, OK, SIGNED_IN, Fixture, Route

# People who have set up two-factor authentication (the staff fixtures have).
WITH_MFA = frozenset({"supervisor", "coordinator", "admin", "other_org_coordinator"})
# Public forms that count attempts per address: the matrix asks from one address, so the later
# people may be told to slow down (429), which is the throttle working.
THROTTLED = OK | {429}


def _confirmation_key(f: Fixture) -> dict[str, Any]:
    """A real confirmation link: the key is the credential, whoever opens it."""
    address = EmailAddress.objects.create(
        user=f("outsider"), email="new.address@example.org", verified=False, primary=False
    )
    return {"key": EmailConfirmationHMAC(address).key}


ROUTES: dict[str, Route] = {
    # Our own account pages.
    "account_overview": Route(get=SIGNED_IN, write=None),
    "choose_organisation": Route(get=SIGNED_IN),
    # Public allauth pages (signed-in people are mostly sent on to their dashboard).
    "account_login": Route(get=EVERYONE),
    "account_logout": Route(get=EVERYONE),
    "account_signup": Route(
        get=EVERYONE, ok=THROTTLED, note="Sign-up is closed: the page says so to everyone."
    ),
    "account_inactive": Route(get=EVERYONE, write=None),
    "account_email_verification_sent": Route(get=EVERYONE, write=None),
    "account_confirm_email": Route(
        kwargs=_confirmation_key,
        get=EVERYONE,
        ok=OK | {3020},
        note="After confirming, anyone but the address's owner is sent to sign in (3020).",
    ),
    "account_reset_password": Route(get=EVERYONE, ok=THROTTLED),
    "account_reset_password_done": Route(get=EVERYONE, write=None),
    "account_reset_password_from_key": Route(
        kwargs=lambda f: {"uidb36": "1", "key": "not-a-real-key"},
        get=EVERYONE,
        ok=THROTTLED,
        note="A made-up key: everyone gets the 'link no longer works' page.",
    ),
    "account_reset_password_from_key_done": Route(get=EVERYONE, write=None),
    # Steps of a sign-in under way: without one, visitors are sent back to sign in and signed-in
    # people on to the site.
    "account_confirm_login_code": Route(get=SIGNED_IN),
    "mfa_authenticate": Route(get=SIGNED_IN),
    # Each person's own account.
    "account_change_password": Route(get=SIGNED_IN),
    "account_set_password": Route(get=SIGNED_IN),
    "account_email": Route(get=SIGNED_IN),
    "account_reauthenticate": Route(get=SIGNED_IN),
    "mfa_index": Route(get=SIGNED_IN, write=None),
    "mfa_activate_totp": Route(get=SIGNED_IN),
    "mfa_reauthenticate": Route(get=SIGNED_IN),
    "mfa_generate_recovery_codes": Route(get=SIGNED_IN),
    # Only for people who have two-factor authentication to remove or codes to see.
    "mfa_deactivate_totp": Route(get=WITH_MFA),
    "mfa_view_recovery_codes": Route(get=WITH_MFA, write=None),
    "mfa_download_recovery_codes": Route(get=WITH_MFA, write=None),
}
