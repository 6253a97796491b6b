"""One way to say "only these roles may open this", for pages and API views alike.

Anyone else gets a 404, never a 403, so a page's existence says nothing about what is behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from accounts.models import Membership, Role, User
from audit.context import set_acting_as

View = Callable[..., HttpResponse]


def membership_with_role(request: HttpRequest, roles: tuple[Role, ...]) -> Membership:
    """The person's membership in the organisation in use, if it has one of ``roles``; else 404."""
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None or membership.role not in roles:
        raise Http404
    return membership


def role_required(*roles: Role) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            membership_with_role(request, roles)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


STAFF_ROLES = (Role.COORDINATOR, Role.ADMIN)


class HasRole(BasePermission):
    """DRF permission: the caller's membership (session or token organisation) has one of
    ``roles``. Refusals are 404s, as on pages."""

    roles: tuple[Role, ...] = STAFF_ROLES

    def has_permission(self, request: Any, view: Any) -> bool:
        membership = api_membership(request)
        if membership is None or membership.role not in self.roles:
            raise NotFound
        return True

    @classmethod
    def of(cls, *roles: Role) -> type[HasRole]:
        return type(f"HasRole_{'_'.join(roles)}", (cls,), {"roles": roles})


def api_membership(request: Any) -> Membership | None:
    """The membership an API call acts through: the token's organisation, or the session's."""
    from accounts.models import ApiToken

    token = getattr(request, "auth", None)
    if isinstance(token, ApiToken):
        membership = (
            Membership.objects.select_related("organisation")
            .filter(user=token.user, organisation=token.organisation, is_active=True)
            .first()
        )
        set_acting_as(membership)  # the audit trail records the role a token acts in
        return membership
    return getattr(request._request, "membership", None)


def signed_in_user(request: HttpRequest) -> User:
    """The person behind a request that a role check has already let through."""
    user = request.user
    assert isinstance(user, User)
    return user
