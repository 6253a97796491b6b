"""The membership the current request acts through, so audit events can record the actor's role
without every call site passing it (set by ``accounts.middleware.ActiveMembershipMiddleware``)."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accounts.models import Membership


@dataclass(frozen=True)
class ActingAs:
    user_id: int
    role: str
    organisation_id: int


_acting_as: contextvars.ContextVar[ActingAs | None] = contextvars.ContextVar(
    "audit_acting_as", default=None
)


def set_acting_as(membership: Membership | None) -> contextvars.Token[ActingAs | None]:
    acting = None
    if membership is not None:
        acting = ActingAs(membership.user_id, membership.role, membership.organisation_id)
    return _acting_as.set(acting)


def reset_acting_as(token: contextvars.Token[ActingAs | None]) -> None:
    _acting_as.reset(token)


def current_acting_as() -> ActingAs | None:
    return _acting_as.get()


def current_role_of(user_id: int | None) -> str:
    """The role ``user_id`` holds in this request's organisation; blank if they are not the
    person making the request (a system task, another person, no request at all)."""
    acting = _acting_as.get()
    if acting is None or user_id is None or acting.user_id != user_id:
        return ""
    return acting.role
