"""Hidden fields every mentoring form that edits or creates a record carries."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.http import QueryDict

from mentoring.models import Versioned


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, min_value=1, **kwargs)


class ClientKeyField(forms.CharField):
    """A fresh one-time key each time a blank form is shown; sent back as typed on a resend."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, max_length=64, **kwargs)


def new_client_key() -> str:
    return uuid.uuid4().hex


class MentoringForm(forms.Form):
    """Adds ``client_key`` (always) and ``version`` (when editing ``instance``).

    Views pass ``instance=`` to show an existing record's version. After a refused (stale)
    save, the view shows the form again with the typed text, and ``refresh_version`` makes the
    next save count as made against the latest version.
    """

    client_key = ClientKeyField()
    version = VersionField()

    def __init__(self, *args: Any, instance: Versioned | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_key", new_client_key())
            if instance is not None:
                self.initial["version"] = instance.version

    def refresh_version(self, instance: Versioned) -> None:
        """After a stale save: keep the typed data, but carry the latest version."""
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data[self.add_prefix("version")] = str(instance.version)
        self.data = data
