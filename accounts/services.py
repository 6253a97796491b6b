"""Every change to people, organisations, roles and API tokens goes through here and is audited."""

from __future__ import annotations

import hashlib
import secrets

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken, Membership, Organisation, Role, User
from audit.services import audit_record

API_TOKEN_PREFIX_LENGTH = 8


@transaction.atomic
def organisation_create(*, actor: User | None, name: str, slug: str) -> Organisation:
    organisation = Organisation.objects.create(name=name, slug=slug)
    audit_record(
        actor=actor, action="organisation.created", organisation=organisation, target=organisation
    )
    return organisation


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    email: str,
    name: str = "",
    password: str | None = None,
    email_verified: bool = False,
) -> User:
    """Create a person who can sign in. Without a password they set one through a reset link."""
    user = User.objects.create_user(email=email, password=password, name=name)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=email_verified)
    audit_record(actor=actor, action="user.created", target=user)
    return user


@transaction.atomic
def membership_grant(
    *, actor: User | None, organisation: Organisation, user: User, role: Role | str
) -> Membership:
    """Give a person a role in an organisation (one role per organisation)."""
    role = Role(role)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    if not created:
        membership.role = role
        membership.is_active = True
        membership.save(update_fields=["role", "is_active"])
    audit_record(
        actor=actor,
        action="membership.granted",
        organisation=organisation,
        target=membership,
        metadata={"role": role.value},
    )
    return membership


@transaction.atomic
def membership_revoke(*, actor: User | None, membership: Membership) -> Membership:
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="membership.revoked",
        organisation=membership.organisation,
        target=membership,
        metadata={"role": membership.role},
    )
    return membership


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor: User | None, user: User, organisation: Organisation, name: str
) -> tuple[ApiToken, str]:
    """Issue a token for a partner system. Returns the token and its key, which is never stored."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        organisation=organisation,
        name=name,
        prefix=key[:API_TOKEN_PREFIX_LENGTH],
        key_hash=hash_api_key(key),
    )
    audit_record(actor=actor, action="api_token.created", organisation=organisation, target=token)
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, action="api_token.revoked", organisation=token.organisation, target=token
        )
    return token
