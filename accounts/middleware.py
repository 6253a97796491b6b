"""Per-request account rules: session lifetime, the active organisation, and staff MFA."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from accounts.mfa_policy import mfa_setup_required
from accounts.selectors import active_memberships_for
from audit.context import reset_acting_as, set_acting_as

SESSION_STARTED_KEY = "alongside_session_started"
SESSION_SEEN_KEY = "alongside_session_seen"
MFA_SET_UP_KEY = "alongside_mfa_set_up"
ACTIVE_MEMBERSHIP_KEY = "alongside_active_membership"
_SEEN_WRITE_INTERVAL = timedelta(seconds=60)

Middleware = Callable[[HttpRequest], HttpResponse]


class SessionLifetimeMiddleware:
    """Signs a person out after inactivity and after an absolute lifetime, whichever comes first."""

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._enforce(request)
        return self.get_response(request)

    def _enforce(self, request: HttpRequest) -> None:
        now = timezone.now()
        session = request.session
        started = read_session_time(session, SESSION_STARTED_KEY) or now
        seen = read_session_time(session, SESSION_SEEN_KEY) or now
        idle_limit = timedelta(minutes=settings.SESSION_IDLE_TIMEOUT_MINUTES)
        absolute_limit = timedelta(hours=settings.SESSION_ABSOLUTE_LIFETIME_HOURS)
        if now - seen > idle_limit or now - started > absolute_limit:
            logout(request)
            messages.info(
                request,
                "You were signed out to keep your information private. Please sign in again.",
            )
            return
        session.setdefault(SESSION_STARTED_KEY, now.isoformat())
        if SESSION_SEEN_KEY not in session or now - seen > _SEEN_WRITE_INTERVAL:
            session[SESSION_SEEN_KEY] = now.isoformat()


def read_session_time(session: SessionBase, key: str) -> datetime | None:
    value = session.get(key)
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


class ActiveMembershipMiddleware:
    """Sets ``request.membership`` and ``request.organisation`` for the organisation in use.

    A person with one membership uses it; a person with several chooses one (kept in the session).
    The membership's role is also made known to the audit trail for the rest of the request.
    """

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        request.organisation = None  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            memberships = list(active_memberships_for(request.user))
            request.memberships = memberships  # type: ignore[attr-defined]
            chosen_id = request.session.get(ACTIVE_MEMBERSHIP_KEY)
            chosen = next((m for m in memberships if m.pk == chosen_id), None)
            if chosen is None and len(memberships) == 1:
                chosen = memberships[0]
            if chosen is not None:
                request.membership = chosen  # type: ignore[attr-defined]
                request.organisation = chosen.organisation  # type: ignore[attr-defined]
        else:
            request.memberships = []  # type: ignore[attr-defined]
        token = set_acting_as(request.membership)  # type: ignore[attr-defined]
        try:
            return self.get_response(request)
        finally:
            reset_acting_as(token)


# Pages a staff member without MFA may still open: signing in and out, account security, help.
_MFA_EXEMPT_PREFIXES = ("/accounts/", "/help/", "/static/", "/healthz")


# API paths that people open in a browser: they get the setup page, not a JSON refusal.
_API_PAGES = ("/api/v1/docs/",)


class StaffMfaRequiredMiddleware:
    """Staff cannot open any data page until two-factor authentication is set up."""

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_MFA_EXEMPT_PREFIXES)
            and mfa_setup_required(user, request.membership)  # type: ignore[attr-defined]
        ):
            if request.path.startswith("/api/") and not request.path.startswith(_API_PAGES):
                return JsonResponse(
                    {"detail": "Set up two-factor authentication before using the API."},
                    status=403,
                )
            messages.warning(
                request,
                "Your role lets you see other people's private information, so please set up "
                "two-factor authentication before you continue.",
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
