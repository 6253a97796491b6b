"""Model fields shared by every app."""

from __future__ import annotations

from typing import Any

from django.db import models

from alongside.encryption import decrypt_text, encrypt_text


class EncryptedTextField(models.TextField):
    """Text encrypted at rest with the organisation's field keys.

    Encrypted values cannot be searched or ordered by the database; keep such text out of
    filters. Empty strings are stored as they are, so "no note" stays cheap to check.
    """

    description = "Text encrypted at rest"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise TypeError(f"Encrypted text cannot be filtered with '{lookup_name}'.")
        return super().get_lookup(lookup_name)
