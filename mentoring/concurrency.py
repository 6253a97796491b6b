"""Two rules that keep what people type safe.

- A record two people can edit carries a ``version``. A form sends back the version it showed;
  if someone saved in between, the save is refused with ``STALE`` and the form is shown again
  with the person's typed text still in it.
- A form that creates something carries a one-time ``client_key``. Sending it twice (a
  double-click, a resent request) gives back the record the first send made.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ValidationError

from mentoring.models import ClientKeyed, Relationship, Versioned

STALE = (
    "Someone else saved a change to this while you were editing. Your text is still here: "
    "look at the latest version, then save again."
)

V = TypeVar("V", bound=Versioned)
K = TypeVar("K", bound=ClientKeyed)


def check_version(instance: Versioned, submitted: int | None) -> None:
    """Refuse a save made against an older version. ``None`` (an API call that sent no version)
    is taken as "the version I last read is the current one"."""
    if submitted is not None and submitted != instance.version:
        raise ValidationError({"version": STALE}, code="stale")


def locked(instance: V) -> V:
    """The row again, locked until the transaction ends (call inside ``transaction.atomic``), so
    the version check and the save cannot interleave with another save."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def check_and_bump(instance: Versioned, submitted: int | None) -> None:
    """``check_version``, then count this save. The caller saves (including ``version``)."""
    check_version(instance, submitted)
    instance.version += 1


def already_made(model: type[K], relationship: Relationship, client_key: str) -> K | None:
    """The record an earlier send of the same form made, if there was one."""
    if not client_key:
        return None
    return model._default_manager.filter(relationship=relationship, client_key=client_key).first()
