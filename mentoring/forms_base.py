"""Hidden fields every mentoring form that edits or creates a record carries (shared with every
app in ``alongside.forms``)."""

from __future__ import annotations

from typing import Any

from alongside.forms import ClientKeyField, SafeForm, VersionField, new_client_key
from mentoring.models import Versioned

__all__ = ["ClientKeyField", "MentoringForm", "VersionField", "new_client_key"]


class MentoringForm(SafeForm):
    """Adds ``client_key`` (always) and ``version`` (when editing ``instance``).

    Views pass ``instance=`` to show an existing record's version. After a refused (stale)
    save, the view shows the form again with the typed text, and ``refresh_version`` makes the
    next save count as made against the latest version.
    """

    def __init__(self, *args: Any, instance: Versioned | None = None, **kwargs: Any) -> None:
        version = instance.version if instance is not None else None
        super().__init__(*args, version=version, **kwargs)

    def refresh_version(self, instance: Versioned | int) -> None:
        """After a stale save: keep the typed data, but carry the latest version."""
        super().refresh_version(instance if isinstance(instance, int) else instance.version)
