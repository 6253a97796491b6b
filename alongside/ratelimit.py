"""Throttling for the public and partner forms (referrals, references, mentor applications).

Sign-in and password reset are throttled by django-allauth (ACCOUNT_RATE_LIMITS) and the API by
Django REST framework's throttles. The forms here, and wrong API tokens, reuse allauth's
cache-backed counter, so every throttle in the project finds a person's address the same way.
Rates live in ``settings.ALONGSIDE_RATE_LIMITS`` (``"10/h/ip"``: ten per hour per address;
``/user`` per person).

A throttled form is shown again with what the person typed and a 429 status, never an error page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.core.internal import ratelimit as allauth_ratelimit
from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse

TOO_MANY_ATTEMPTS = (
    "Too many attempts from your connection. Please wait a few minutes and try again."
)
RETRY_AFTER_SECONDS = 300
_THROTTLED = "_alongside_throttled"

View = Callable[..., HttpResponse]


def over_limit(request: HttpRequest, action: str, *, count: bool = True) -> bool:
    """Whether ``request`` is over the limit for ``action``; ``count`` records this attempt."""
    usage = allauth_ratelimit.consume(
        request,
        app="alongside",
        action=action,
        config=settings.ALONGSIDE_RATE_LIMITS,
        limit_get=True,
        dry_run=not count,
    )
    return usage is None


def form_throttled(request: HttpRequest, action: str, form: forms.BaseForm) -> bool:
    """Count one send of ``form`` for ``action``. Over the limit: adds a message to the form
    (which keeps what was typed) and returns True, so the view shows the form again."""
    if not over_limit(request, action):
        return False
    setattr(request, _THROTTLED, True)
    form.add_error(None, TOO_MANY_ATTEMPTS)
    return True


def answers_429_when_throttled(view: View) -> View:
    """Give the re-shown form of a throttled send the status 429 and a Retry-After header."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if getattr(request, _THROTTLED, False) and response.status_code == 200:
            response.status_code = 429
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    return wrapped
