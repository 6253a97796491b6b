"""The concurrency rules (see ``alongside.concurrency``) as mentoring uses them: client keys are
unique per relationship."""

from __future__ import annotations

from typing import TypeVar

from alongside.concurrency import STALE, check_and_bump, check_version, locked
from alongside.concurrency import already_made as already_made_in
from mentoring.models import ClientKeyed, Relationship

__all__ = ["STALE", "already_made", "check_and_bump", "check_version", "locked"]

K = TypeVar("K", bound=ClientKeyed)


def already_made(model: type[K], relationship: Relationship, client_key: str) -> K | None:
    """The record an earlier send of the same form made, if there was one."""
    return already_made_in(model, client_key, relationship=relationship)
