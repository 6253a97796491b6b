"""Two rules that keep what people type safe, for every app.

- A record two people can edit carries a ``version``. A form sends back the version it showed;
  if someone saved in between, the save is refused with ``STALE`` and the form is shown again
  with the person's typed text still in it.
- A form that creates something carries a one-time ``client_key``. Sending it twice (a
  double-click, a resent request) gives back the record the first send made.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

STALE = (
    "Someone else saved a change to this while you were editing. Your text is still here: "
    "look at the latest version, then save again."
)


class Versioned(models.Model):
    """A record two people might edit at once. Each save adds one to ``version``; a form sends
    back the version it showed, and a save against an older one is refused so nobody's words
    are silently overwritten."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class ClientKeyed(models.Model):
    """A record made by a form: the form carries a one-time key, and the same key sent twice
    (a double-click, a resent request) gives back the first record instead of a second one."""

    client_key = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        abstract = True


def one_per_client_key(*scope: str, name: str) -> models.UniqueConstraint:
    """The database's promise behind ``already_made``: one record per key within ``scope``."""
    return models.UniqueConstraint(
        fields=[*scope, "client_key"], condition=~models.Q(client_key=""), name=name
    )


class HasVersion(Protocol):
    version: int


M = TypeVar("M", bound=models.Model)


def is_stale(error: ValidationError) -> bool:
    """Whether a service refused a save because it was made against an older version."""
    return hasattr(error, "error_dict") and "version" in error.error_dict


def check_version(instance: HasVersion, submitted: int | None) -> None:
    """Refuse a save made against an older version. ``None`` (an API call that sent no version)
    is taken as "the version I last read is the current one"."""
    if submitted is not None and submitted != instance.version:
        raise ValidationError({"version": STALE}, code="stale")


def locked(instance: M) -> M:
    """The row again, locked until the transaction ends (call inside ``transaction.atomic``), so
    the version check and the save cannot interleave with another save."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def check_and_bump(instance: HasVersion, submitted: int | None) -> None:
    """``check_version``, then count this save. The caller saves (including ``version``)."""
    check_version(instance, submitted)
    instance.version += 1


def already_made(model: type[M], client_key: str, **scope: Any) -> M | None:
    """The record an earlier send of the same form made within ``scope`` (for example
    ``alert=alert``), if there was one. Call it after locking the parent row, so two sends
    cannot both miss it."""
    if not client_key:
        return None
    return model._default_manager.filter(client_key=client_key, **scope).first()
