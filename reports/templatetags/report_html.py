"""The repeated parts of report pages (tables, headline cards, lists of gaps) written in one
pass in Python: a template loop looks up every cell's attributes one at a time, and a national
programme's report has hundreds of them. The HTML is the same the templates wrote."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

from alongside.widgets import escape_text
from reports.standards_base import Gap
from reports.tables import Cell, Headline, Table, Value

register = template.Library()

NOTHING_TO_COUNT = "Nothing to count in this period."
FIGURE_CLASS = ' class="text-end"'


def _cell(cell: Cell) -> str:
    withheld = " text-body-secondary" if isinstance(cell, Value) and cell.withheld else ""
    return f'<td class="text-end text-nowrap{withheld}">{escape_text(str(cell))}</td>'


def _row(row: Iterable[Cell]) -> str:
    cells = iter(row)
    first = next(cells, None)
    heading = (
        "" if first is None else f'<th scope="row" class="fw-normal">{escape_text(str(first))}</th>'
    )
    return f"<tr>{heading}{''.join(_cell(cell) for cell in cells)}</tr>"


@register.simple_tag
def report_table(table: Table, quiet_caption: object = False) -> SafeString:
    """A report table, scrolling sideways on small screens; ``quiet_caption`` hides its caption
    (still read by screen readers) when a chart's caption just above already names it."""
    caption = escape_text(table.caption)
    columns = "".join(
        f'<th scope="col"{"" if index == 0 else FIGURE_CLASS}>{escape_text(column)}</th>'
        for index, column in enumerate(table.columns)
    )
    if table.rows:
        body = "\n".join(_row(row) for row in table.rows)
    else:
        body = f'<tr><td colspan="{len(table.columns)}">{NOTHING_TO_COUNT}</td></tr>'
    small = " small" if len(table.columns) > 3 else ""
    caption_class = "visually-hidden" if quiet_caption else "fw-semibold text-body"
    return mark_safe(  # noqa: S308 - every caption, heading and cell is escaped
        f'<div class="table-responsive" tabindex="0" role="region" '
        f'aria-label="{caption} (scrolls sideways on small screens)">\n'
        f'<table class="table table-sm caption-top mb-1{small}">\n'
        f'<caption class="{caption_class}">{caption}</caption>\n'
        f"<thead><tr>{columns}</tr></thead>\n"
        f"<tbody>\n{body}\n</tbody>\n"
        f"</table>\n</div>"
    )


@register.simple_tag
def report_headlines(
    headlines: Iterable[Headline],
    columns: str = "col-6 col-lg-4 col-xl-3",
    padding: str = "p-3",
    size: str = "fs-4",
    compact: object = False,
) -> SafeString:
    """Headline figures as a grid of cards: what is counted, then the figure (and its note,
    unless ``compact``); nothing at all when there are none."""
    cards = []
    for headline in headlines:
        value = headline.value
        emphasis = "text-body-secondary" if value.withheld else f"{escape_text(size)} fw-semibold"
        note = (
            f'<p class="small text-body-secondary mb-0 mt-1">{escape_text(headline.note)}</p>'
            if headline.note and not compact
            else ""
        )
        cards.append(
            f'<li class="{escape_text(columns)}"><div class="card card-calm h-100 report-headline">'
            f'<div class="card-body {escape_text(padding)}">'
            f'<p class="small mb-1">{escape_text(headline.label)}</p>'
            f'<p class="mb-0 {emphasis}">{escape_text(value.text)}</p>{note}</div></div></li>'
        )
    if not cards:
        return SafeString("")
    return mark_safe(  # noqa: S308 - every class, label, figure and note is escaped
        '<ul class="row g-3 list-unstyled mb-3">\n' + "\n".join(cards) + "\n</ul>"
    )


@register.simple_tag
def gap_items(gaps: Iterable[Gap], printing: object = False) -> SafeString:
    """One list item a gap: who (a link to their record, except on paper) and what is missing."""
    items = []
    for gap in gaps:
        label = escape_text(gap.label)
        name = (
            f'<span class="fw-semibold">{label}</span>'
            if printing
            else f'<a class="fw-semibold" href="{escape_text(gap.url)}">{label}</a>'
        )
        items.append(
            '<li class="border-start border-3 border-warning ps-2 mb-2">'
            f'{name}\n<span class="d-block">{escape_text(gap.detail)}</span></li>'
        )
    return mark_safe("\n".join(items))  # noqa: S308 - every label, address and detail is escaped
