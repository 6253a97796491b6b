"""Order statistics worked out by the database, the same way on SQLite and PostgreSQL.

``percentiles`` asks one query: the rows numbered in order of the value, with how many there
are, keeping only the one or two rows either side of each percentile's position. It then
interpolates between them as PostgreSQL's ``percentile_cont`` does. Rows never come into
Python beyond those few, the rows are filtered and sorted once, and the number of queries is
fixed (one).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Expression, F, Q, QuerySet, Window
from django.db.models.functions import Floor, RowNumber


def _near(point: float) -> Q:
    """The two rows either side of ``point``'s position, and one more on each side, so that
    rounding in the database cannot leave one out (Python picks the exact two)."""
    position = Floor((F("_rows") - 1) * point)
    return Q(_rank__gte=position) & Q(_rank__lte=position + 3)


def percentiles(
    queryset: QuerySet[Any], expression: Expression | F | str, points: Sequence[float]
) -> tuple[int, dict[float, Any]]:
    """How many rows have a value, and each percentile (0 to 1) of ``expression`` among them
    (None when there are none). Values may be numbers or durations."""
    if isinstance(expression, str):
        expression = F(expression)
    ordered = [F("_value").asc()]
    rows = (
        queryset.order_by()
        .annotate(_value=expression)
        .filter(_value__isnull=False)
        .annotate(_rank=Window(RowNumber(), order_by=ordered), _rows=Window(Count("pk")))
        .filter(reduce(or_, (_near(point) for point in points)))
        .values_list("_rank", "_value", "_rows")
    )
    found_rows = list(rows)
    count = found_rows[0][2] if found_rows else 0
    by_rank = {rank: value for rank, value, _rows in found_rows}
    found: dict[float, Any] = {}
    for point in points:
        if not count:
            found[point] = None
            continue
        position = (count - 1) * point
        low = math.floor(position)
        pair = [by_rank[rank] for rank in (low + 1, low + 2) if rank in by_rank]
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
