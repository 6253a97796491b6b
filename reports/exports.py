"""Reports as CSV files that open safely in a spreadsheet.

A text cell that starts like a formula (``=``, ``+``, ``-``, ``@``) is made plain text, as the
audit log's export does, so a name typed into Alongside can never run in someone's spreadsheet.
Numbers are written as numbers, so they still add up once opened.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import HttpResponse

from alongside.spreadsheets import formula_safe


def csv_cell(value: object) -> object:
    """What a spreadsheet should see for ``value``: numbers as they are, nothing as an empty
    cell, anything else as formula-safe text."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return formula_safe(value)


def csv_response(filename: str, header: list[str], rows: Iterable[list[object]]) -> HttpResponse:
    """A download named ``filename`` with ``header`` then ``rows``, every cell made safe."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    writer = csv.writer(response)
    writer.writerow([csv_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return response
