"""A report table drawn as a bar chart (inline SVG, outcomes/charts.py), one bar a row.

The table is always shown beside the chart as its alternative, so the chart can shorten long
labels; a withheld or missing figure is drawn as its words ("fewer than 5") instead of a bar.
"""

from __future__ import annotations

from django.utils.safestring import SafeString

from outcomes.charts import Bar, bar_chart
from reports.tables import Table, Value

LABEL_LENGTH = 17
PERCENT = "%"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1].rstrip() + "…"


def _cell(row: tuple[object, ...], column: int) -> object:
    return row[column] if column < len(row) else ""


def _bar(row: tuple[object, ...], column: int) -> Bar:
    cell = _cell(row, column)
    label = _short(str(row[0]))
    if isinstance(cell, Value):
        return Bar(label, None if cell.withheld else cell.number, text=cell.text)
    return Bar(label, None, text=str(cell))


def _unit(table: Table, values: list[Value]) -> str:
    """The unit after each bar's figure: "%" sits on the number, words need a space."""
    assert table.chart is not None
    unit = table.chart.unit or next((value.unit for value in values if value.unit), "")
    return unit if unit in ("", PERCENT) else f" {unit}"


def table_chart(table: Table, *, chart_id: str) -> SafeString | None:
    """The chart ``table.chart`` asks for, or None when it asks for none or there is nothing
    to draw (the table says it all)."""
    if table.chart is None or table.chart.kind != "bars" or not table.rows:
        return None
    column = table.chart.column
    cells = [_cell(row, column) for row in table.rows]
    bars = [_bar(row, column) for row in table.rows]
    numbers = [bar.value for bar in bars if bar.value is not None]
    if not any(numbers):
        return None  # nothing to draw: every figure is nought, withheld or missing
    unit = _unit(table, [cell for cell in cells if isinstance(cell, Value)])
    largest = max(numbers, default=0)
    maximum = 100.0 if unit == PERCENT and largest <= 100 else float(largest or 1)
    figures = "; ".join(f"{row[0]}: {cell}" for row, cell in zip(table.rows, cells, strict=True))
    return bar_chart(
        bars,
        title=table.caption,
        description=f"{figures}. The same figures are in the table.",
        maximum=maximum,
        unit=unit,
        chart_id=chart_id,
    )
