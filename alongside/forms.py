"""Form helpers shared by every app."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from alongside.concurrency import STALE, is_stale


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's refusal next to the field it is about, or at the top of the form, so the
    person sees it where they typed and nothing they typed is lost."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


# Hidden fields that keep what people type safe (see ``alongside.concurrency``). ---------------


class VersionField(forms.IntegerField):
    """The version of the record the form showed; sent back so a stale save can be refused."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, min_value=0, **kwargs)


class ClientKeyField(forms.CharField):
    """A fresh one-time key each time a blank form is shown; sent back as typed on a resend."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, max_length=64, **kwargs)


def new_client_key() -> str:
    return uuid.uuid4().hex


class KeyedForm(forms.Form):
    """A form that creates something: a blank one carries a fresh ``client_key``."""

    client_key = ClientKeyField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_key", new_client_key())


class SafeForm(KeyedForm):
    """Adds ``client_key`` (always) and ``version`` (when ``version=`` is given for an unbound
    form). After a refused (stale) save, the view shows the form again with the typed text, and
    ``refresh_version`` makes the next save count as made against the latest version."""

    version = VersionField()

    def __init__(self, *args: Any, version: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and version is not None:
            self.initial["version"] = version

    def refresh_version(self, version: int) -> None:
        """After a stale save: keep the typed data, but carry the latest version."""
        refresh_version(self, version)


def refresh_version(form: forms.BaseForm, version: int) -> None:
    """After a stale save: keep the typed data, but carry the latest version."""
    data = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
    data[form.add_prefix("version")] = str(version)
    form.data = data


def add_refusal(form: forms.BaseForm, error: ValidationError) -> bool:
    """``add_service_errors``, with a stale save's message at the top of the form (its version
    field is hidden). Returns True when the save was refused as stale."""
    if not is_stale(error):
        add_service_errors(form, error)
        return False
    form.add_error(None, STALE)
    others = {key: value for key, value in error.message_dict.items() if key != "version"}
    if others:
        add_service_errors(form, ValidationError(others))
    return True
