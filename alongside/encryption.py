"""Encryption at rest for the most private text (notes, messages, MFA secrets).

FIELD_ENCRYPTION_KEYS is a comma-separated list of Fernet keys, newest first. New values are
encrypted with the newest key; any listed key decrypts, so keys can rotate without downtime.
``manage.py reencrypt_fields`` rewrites stored values under the newest key.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver


@cache
def _fernet() -> MultiFernet:
    keys = []
    for position, key in enumerate(settings.FIELD_ENCRYPTION_KEYS, start=1):
        try:
            keys.append(Fernet(key))
        except (ValueError, TypeError):
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS entry {position} is not a valid Fernet key "
                "(32 url-safe base64-encoded bytes; make one with "
                "`python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'`)."
            ) from None
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must list at least one key.")
    return MultiFernet(keys)


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: object) -> None:
    if setting == "FIELD_ENCRYPTION_KEYS":
        _fernet.cache_clear()


class DecryptionFailed(Exception):
    """A stored value could not be decrypted with any configured key."""


def encrypt_text(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise DecryptionFailed(
            "A stored value could not be decrypted: is its key missing from FIELD_ENCRYPTION_KEYS?"
        ) from None


def rotate_token(token: str) -> str:
    """Re-encrypt a stored token under the newest key (a no-op in meaning, new in bytes)."""
    try:
        return _fernet().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise DecryptionFailed("A stored value could not be decrypted for rotation.") from None


def check_keys() -> None:
    """Fail at start-up, not at first use, if a key is malformed."""
    _fernet()
