"""`Authorization: Token <key>` for partner systems, checked against a stored hash."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.request import Request

from accounts.models import ApiToken
from accounts.services import hash_api_key
from alongside.ratelimit import RETRY_AFTER_SECONDS, over_limit

_LAST_USED_WRITE_SECONDS = 60


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        """Wrong tokens are refused before throttling would run (DRF throttles after
        authenticating), so guesses are counted here per address and answered 429 when
        too many."""
        if not get_authorization_header(request).lower().startswith(b"token "):
            return None  # no token sent: the session may still authenticate
        if over_limit(request._request, "api_token_failed", count=False):
            raise exceptions.Throttled(wait=RETRY_AFTER_SECONDS)
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            over_limit(request._request, "api_token_failed")
            raise

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = (
            ApiToken.objects.select_related("user", "organisation")
            .filter(key_hash=hash_api_key(key), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active or not token.organisation.is_active:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        now = timezone.now()
        if (
            token.last_used_at is None
            or (now - token.last_used_at).total_seconds() > _LAST_USED_WRITE_SECONDS
        ):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
