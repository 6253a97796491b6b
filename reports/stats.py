"""Order statistics worked out by the database, the same way on SQLite and PostgreSQL.

``percentiles`` counts the rows once, then asks for the one or two rows either side of each
percentile's position (``ORDER BY value LIMIT 2 OFFSET k``) and interpolates between them as
PostgreSQL's ``percentile_cont`` does. Rows never come into Python beyond those two, so the
number of queries is fixed (1 + one per percentile) and the work stays in the database.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db.models import Expression, F, QuerySet


def percentiles(
    queryset: QuerySet[Any], expression: Expression | F | str, points: Sequence[float]
) -> tuple[int, dict[float, Any]]:
    """How many rows have a value, and each percentile (0 to 1) of ``expression`` among them
    (None when there are none). Values may be numbers or durations."""
    if isinstance(expression, str):
        expression = F(expression)
    values = (
        queryset.annotate(_value=expression)
        .filter(_value__isnull=False)
        .order_by("_value")
        .values_list("_value", flat=True)
    )
    count = values.count()
    found: dict[float, Any] = {}
    for point in points:
        if not count:
            found[point] = None
            continue
        position = (count - 1) * point
        low = math.floor(position)
        pair = list(values[low : low + 2])
        fraction = position - low
        if len(pair) == 1 or fraction == 0:
            found[point] = pair[0]
        else:
            found[point] = pair[0] + (pair[1] - pair[0]) * fraction
    return count, found


def as_days(value: Any) -> float | None:
    """A duration (or a number of microseconds, as SQLite may give it) in days."""
    if value is None:
        return None
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    return float(value) / 86_400_000_000
