"""Making values safe to open in a spreadsheet."""

from __future__ import annotations


def formula_safe(value: object) -> str:
    """Spreadsheets run cells that start like a formula: make them plain text."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
