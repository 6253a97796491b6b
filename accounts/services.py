"""Every change to people, organisations, roles and API tokens goes through here and is audited."""

from __future__ import annotations

import hashlib
import secrets
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
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


def _may_deactivate(actor: User | None, user: User) -> bool:
    """Platform operators (and the system, ``actor=None``) may deactivate anyone; a coordinator or
    admin only people who belong to one of their organisations."""
    if actor is None or actor.is_superuser or actor.is_staff:
        return True
    managed = Membership.objects.filter(
        user=actor, is_active=True, role__in=[Role.COORDINATOR, Role.ADMIN]
    ).values("organisation_id")
    return Membership.objects.filter(user=user, organisation_id__in=managed).exists()


def _only_organisation_of(user: User) -> Organisation | None:
    """The organisation an account-wide audit event belongs to when the page gives none: the
    person's one organisation, or none when they have several (or none)."""
    organisation_ids = set(user.memberships.values_list("organisation_id", flat=True))
    if len(organisation_ids) == 1:
        return Organisation.objects.get(pk=organisation_ids.pop())
    return None


def sessions_end_for(user: User) -> int:
    """Delete every live session of ``user`` from the session store (database and, with the
    cached_db engine, the cache). Returns how many were ended.

    Django keeps no index from person to session, so this decodes each unexpired session: O(n)
    in live sessions, which idle and absolute timeouts keep small, and only run on deactivation.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    user_key = str(user.pk)
    ended = 0
    live = Session.objects.filter(expire_date__gt=timezone.now()).only("session_key")
    for session in live.iterator(chunk_size=500):
        if str(session.get_decoded().get(SESSION_KEY, "")) == user_key:
            store(session_key=session.session_key).delete()
            ended += 1
    return ended


@transaction.atomic
def user_deactivate(
    *, actor: User | None, user: User, organisation: Organisation | None = None
) -> User:
    """Stop a person signing in: they lose access on their very next request.

    Sets ``is_active`` off (Django's backends then refuse the session), ends every session they
    have, and revokes their API tokens. Refused (``PermissionDenied``) unless ``actor`` manages an
    organisation the person belongs to, or operates the platform. ``organisation``: the one the
    audit event belongs to (the page passes the organisation it acts in).
    """
    if not _may_deactivate(actor, user):
        raise PermissionDenied
    if actor is not None and actor.pk == user.pk:
        raise PermissionDenied("People cannot deactivate their own account.")
    user.is_active = False
    user.save(update_fields=["is_active"])
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        api_token_revoke(actor=actor, token=token)
    ended = sessions_end_for(user)
    audit_record(
        actor=actor,
        action="user.deactivated",
        organisation=organisation or _only_organisation_of(user),
        target=user,
        metadata={"sessions_ended": ended, "api_tokens_revoked": len(tokens)},
    )
    return user


@transaction.atomic
def membership_set_data_protection_lead(
    *, actor: User | None, membership: Membership, value: bool
) -> Membership:
    """Make a member of staff a data protection lead (who may search the audit trail and is told
    about emergency access), or stop them being one. Only the organisation's administrators may."""
    administrators = Membership.objects.filter(
        organisation_id=membership.organisation_id, role=Role.ADMIN, is_active=True
    )
    if actor is not None and not administrators.filter(user=actor).exists():
        raise PermissionDenied
    if value and (not membership.is_active or membership.role not in Role.staff_roles()):
        raise ValidationError("Only active staff (supervisors, coordinators, administrators) can.")
    if membership.is_data_protection_lead != value:
        membership.is_data_protection_lead = value
        membership.save(update_fields=["is_data_protection_lead"])
    audit_record(
        actor=actor,
        action="membership.data_protection_lead_set",
        organisation=membership.organisation,
        target=membership,
        metadata={"value": value},
    )
    return membership


# Privacy erasure (privacy/erasure.py) gives an erased account an address that cannot receive mail.
ERASED_EMAIL_END = "@erased.invalid"


def _may_reactivate(actor: User | None, user: User) -> bool:
    """Switching an account back on is weightier than switching it off (a mistaken "on" gives an
    attacker back a stolen account), so only an administrator of one of the person's
    organisations, a platform operator or the system may."""
    if actor is None or actor.is_superuser or actor.is_staff:
        return True
    administered = Membership.objects.filter(user=actor, is_active=True, role=Role.ADMIN).values(
        "organisation_id"
    )
    return Membership.objects.filter(user=user, organisation_id__in=administered).exists()


@transaction.atomic
def user_reactivate(
    *, actor: User | None, user: User, organisation: Organisation | None = None
) -> User:
    """Let a switched-off person sign in again, with their own password, through the ordinary
    sign-in page. Nothing else comes back: their sessions stay ended and their revoked API tokens
    stay revoked (new ones must be issued). ``PermissionDenied`` unless ``actor`` may (see
    ``_may_reactivate``); ``ValidationError`` for an account erased on request, which has no
    password or address left to come back to."""
    if not _may_reactivate(actor, user):
        raise PermissionDenied
    if user.email.endswith(ERASED_EMAIL_END):
        raise ValidationError("This account was erased on request and cannot be switched on.")
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="user.reactivated",
        organisation=organisation or _only_organisation_of(user),
        target=user,
    )
    return user
