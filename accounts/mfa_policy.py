"""Who must use two-factor authentication before opening any data page."""

from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings

from accounts.models import Membership, User


def is_demo_account(user: User) -> bool:
    return user.email.endswith("@" + settings.DEMO_EMAIL_DOMAIN)


def mfa_relaxed_for_demo(user: User) -> bool:
    """Development mode lets the invented demo accounts in without MFA (a banner says so)."""
    return settings.IS_DEVELOPMENT and is_demo_account(user)


def mfa_setup_required(user: User, membership: Membership | None) -> bool:
    """Staff see other people's records, and operators of the technical admin site can see
    everything, so both must set up MFA first."""
    staff = (
        user.is_staff or user.is_superuser or (membership is not None and membership.is_staff_role)
    )
    if not staff or mfa_relaxed_for_demo(user):
        return False
    return not is_mfa_enabled(user)
