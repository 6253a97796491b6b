"""Figures worked out over a whole programme, kept for a few minutes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone

T = TypeVar("T")


def kept(key: str, seconds: int, work_out: Callable[[], T]) -> tuple[T, datetime]:
    """What ``work_out`` gives, and when it was worked out: from the cache when that was less
    than ``seconds`` ago."""
    found = cache.get(key)
    if found is not None:
        return found
    made = (work_out(), timezone.now())
    cache.set(key, made, seconds)
    return made
