"""Project-wide request handling: request ids, and keeping private pages out of caches."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from alongside.request_context import current_request_id, reset_request_id, set_request_id

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
Middleware = Callable[[HttpRequest], HttpResponse]


class RequestIdMiddleware:
    """Gives each request an id (or keeps a sane one from the proxy) for logs and audit events."""

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class PrivatePageMiddleware:
    """Nothing a signed-in person sees may be kept by a browser or proxy cache."""

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated or request.path.startswith("/accounts/"):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        )
        return response
