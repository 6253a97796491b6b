"""Refused accesses go on the audit trail: a signed-in person who asked for a real page or
endpoint and got "not found" or "forbidden" may be probing for records that are not theirs."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from audit.services import audit_access_refused

_REFUSED = frozenset({403, 404})


class RefusedAccessAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        # No match: the URL names no route at all (a typo, a scanner); nothing to record.
        if response.status_code in _REFUSED and match is not None and _is_signed_in(request):
            with transaction.atomic():
                audit_access_refused(
                    actor=request.user,  # type: ignore[arg-type]
                    route=match.view_name,
                    status=response.status_code,
                    method=request.method or "",
                )
        return response


def _is_signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated
