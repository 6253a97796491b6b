"""Typed readers for environment variables that fail loudly on bad values.

Settings must never silently fall back to something unsafe, so every helper either returns a
value of the right type or raises ImproperlyConfigured naming the variable and what was wrong.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_MISSING = object()


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str | object | None = _MISSING) -> str:
    """A string; without a default the variable is required."""
    value = _raw(name)
    if value is not None:
        return value
    if default is _MISSING or default is None:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    assert isinstance(default, str)
    return default


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (got {value!r}).")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {value!r}).") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum} (got {number}).")
    return number


def env_list(name: str, default: Iterable[str] | None = None) -> list[str]:
    """A comma-separated list; without a default the variable is required and must not be empty."""
    value = _raw(name)
    if value is not None:
        items = [item.strip() for item in value.split(",") if item.strip()]
        if items:
            return items
    if default is None:
        raise ImproperlyConfigured(f"Set the environment variable {name} (comma-separated).")
    return list(default)


def env_choice(name: str, choices: Iterable[str], default: str) -> str:
    allowed = list(choices)
    value = _raw(name) or default
    if value not in allowed:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(allowed)} (got {value!r}).")
    return value
