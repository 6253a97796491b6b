"""Showing the data download's ISO dates and times in words on the readable page."""

from __future__ import annotations

from datetime import date, datetime, time

from django import template
from django.utils import dateformat

register = template.Library()


@register.filter
def when(value: object) -> str:
    """``2026-05-01`` → "1 May 2026"; with a time, "1 May 2026, 14:30"; a time alone, "14:30"."""
    if not isinstance(value, str) or not value:
        return ""
    for parse, pattern in (
        (datetime.fromisoformat, "j F Y, H:i"),
        (date.fromisoformat, "j F Y"),
        (time.fromisoformat, "H:i"),
    ):
        try:
            parsed = parse(value)
        except ValueError:
            continue
        if isinstance(parsed, datetime) and len(value) == 10:
            return dateformat.format(parsed.date(), "j F Y")
        return dateformat.format(parsed, pattern)
    return value
