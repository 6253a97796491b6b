"""Charts drawn on the server as inline SVG: no scripts, no external fonts or files, nothing a
Content-Security-Policy would block (colours are presentation attributes, never ``style=``).

Every chart has a ``<title>`` and ``<desc>`` for screen readers, and the pages that show one
also give its figures as a table. Every label is escaped here, so callers may pass anything.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# The site's palette (alongside/static/alongside/site.css).
TEAL = "#0b5f5a"
TEAL_DARK = "#084744"
CALM = "#eef5f4"
INK = "#1f2933"
MUTED = "#4b5563"
GRID = "#c9d3d6"
GREY = "#6b7280"
WARM = "#a4262c"

WIDTH = 360
FONT = 13
# About how wide a bold figure's character is at FONT size, in the chart's units.
FIGURE_CHARACTER = 0.66 * FONT
SMALL = 12
BAND_FONT = 10
# Room on the right for band names, wrapped to this many characters a line.
GUTTER = 86.0
BAND_LINE = 14
HIGHER_NOTE = "Higher scores mean better wellbeing"
LOWER_NOTE = "Lower scores mean fewer difficulties"


@dataclass(frozen=True)
class Band:
    """A range of scores to shade behind a line chart, with its (staff) label, if any."""

    low: float
    high: float
    label: str = ""


@dataclass(frozen=True)
class Bar:
    """One bar of a bar chart; ``value`` None is a figure withheld, shown as ``text``."""

    label: str
    value: float | None
    colour: str = TEAL
    text: str = ""


def _number(value: float) -> str:
    """A figure as people write it, as the report tables and headline cards do: 12, 12.5, -3,
    21,851."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _id(kind: str, *parts: object) -> str:
    digest = hashlib.sha1(repr(parts).encode("utf-8"), usedforsecurity=False).hexdigest()
    return f"{kind}-{digest[:10]}"


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: int = SMALL,
    anchor: str = "middle",
    fill: str = MUTED,
    weight: str = "normal",
    halo: bool = False,
    css: str = "",
) -> str:
    extra = ' stroke="#ffffff" stroke-width="3" paint-order="stroke"' if halo else ""
    klass = f' class="{css}"' if css else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}" font-weight="{weight}"{extra}{klass}>{escape(content)}</text>'
    )


def _lines(label: str) -> list[str]:
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= BAND_LINE:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def _band_label(label: str, x: float, top: float, bottom: float) -> str:
    """A band's name beside the plot, wrapped, centred on its band; left out (it is in the
    table) if the band is too narrow for it."""
    lines = _lines(label)
    line_height = BAND_FONT + 1
    if not lines or len(lines) * line_height > bottom - top + 2:
        return ""
    first = (top + bottom) / 2 - (len(lines) - 1) * line_height / 2 + BAND_FONT / 2 - 1
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{first + index * line_height:.1f}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return f'<text class="chart-band-label" font-size="{BAND_FONT}" fill="{MUTED}">{spans}</text>'


def _step(span: float) -> float:
    """A round gap between gridlines giving about four to six of them."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500):
        if span / step <= 6:
            return step
    return 10 ** math.ceil(math.log10(span / 5))


def _open(kind: str, chart_id: str, title: str, description: str, height: float) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="inherit">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def line_chart(
    points: Sequence[tuple[str, float]],
    *,
    y_min: float,
    y_max: float,
    title: str,
    description: str,
    bands: Sequence[Band] | None = None,
    higher_is_better: bool,
    note: str | None = None,
    chart_id: str = "",
) -> SafeString:
    """Scores over time: ``points`` are (x label, value), oldest first, spaced evenly.

    ``bands`` (staff) shade score ranges, faintest at the better end, with their labels; without
    them the chart says which way is better (``note``, or a plain default for the direction).
    """
    chart_id = chart_id or _id("chart", title, tuple(points))
    if y_max <= y_min:
        y_max = y_min + 1
    if note is None and not bands:
        note = HIGHER_NOTE if higher_is_better else LOWER_NOTE
    labelled_bands = bool(bands) and any(band.label for band in bands or ())
    left, top = 34.0, 22.0
    right = GUTTER if labelled_bands else 10.0
    plot_height = 150.0
    bottom_axis = top + plot_height
    height = bottom_axis + 28 + (20 if note else 0)
    plot_width = WIDTH - left - right
    plot_right = left + plot_width

    def y_of(value: float) -> float:
        clamped = min(max(value, y_min), y_max)
        return bottom_axis - (clamped - y_min) / (y_max - y_min) * plot_height

    def x_of(index: int) -> float:
        if len(points) == 1:
            return left + plot_width / 2
        inset = 16.0
        return left + inset + index * (plot_width - 2 * inset) / (len(points) - 1)

    parts = _open("line", chart_id, title, description, height)
    parts.append('<g aria-hidden="true">')
    if bands:
        ordered = sorted(bands, key=lambda band: band.low)
        if not higher_is_better:
            ordered.reverse()
        # Ordered from the worse end to the better: shade the worse end a little deeper.
        for depth, band in zip(range(len(ordered), 0, -1), ordered, strict=False):
            low, high = max(band.low, y_min), min(band.high, y_max)
            if high <= low:
                continue
            parts.append(
                f'<rect class="chart-band" x="{left:.1f}" y="{y_of(high):.1f}" '
                f'width="{plot_width:.1f}" height="{y_of(low) - y_of(high):.1f}" '
                f'fill="{TEAL}" fill-opacity="{0.03 + 0.035 * (depth - 1):.3f}"/>'
            )
            parts.append(_band_label(band.label, plot_right + 6, y_of(high), y_of(low)))
    step = _step(y_max - y_min)
    tick = math.ceil(y_min / step) * step
    while tick <= y_max + 1e-9:
        y = y_of(tick)
        parts.append(
            f'<line x1="{left:.1f}" x2="{plot_right:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_text(left - 6, y + 4, _number(tick), anchor="end"))
        tick += step
    parts.append(
        f'<line x1="{left:.1f}" x2="{plot_right:.1f}" y1="{bottom_axis:.1f}" '
        f'y2="{bottom_axis:.1f}" stroke="{MUTED}" stroke-width="1"/>'
    )
    if len(points) > 1:
        coordinates = " ".join(
            f"{x_of(index):.1f},{y_of(value):.1f}" for index, (_, value) in enumerate(points)
        )
        parts.append(
            f'<polyline class="chart-line" points="{coordinates}" fill="none" '
            f'stroke="{TEAL}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>'
        )
    every = max(1, math.ceil(len(points) / 6))
    last = len(points) - 1
    for index, (label, value) in enumerate(points):
        x, y = x_of(index), y_of(value)
        parts.append(
            f'<circle class="chart-point" cx="{x:.1f}" cy="{y:.1f}" r="4.5" '
            f'fill="{TEAL_DARK}" stroke="#ffffff" stroke-width="1.5"/>'
        )
        labelled = index == last or (index % every == 0 and last - index >= every / 2)
        if labelled or len(points) <= 12:
            above = y - 9 if y - 9 > top - 8 else y + 18
            parts.append(
                _text(x, above, _number(value), size=FONT, fill=INK, weight="bold", halo=True)
            )
        if labelled:
            parts.append(_text(x, bottom_axis + 18, label))
    if note:
        parts.append(_text(left, height - 6, note, size=FONT, anchor="start", fill=INK))
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label above is escaped


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str,
    maximum: float = 100,
    unit: str = "%",
    chart_id: str = "",
) -> SafeString:
    """Horizontal bars, one a row, each with its label and figure; a withheld figure (value
    None) shows its ``text`` instead of a bar."""
    chart_id = chart_id or _id("bars", title, tuple(bars))
    label_width, row = 140.0, 30.0
    height = row * len(bars) + 8
    bar_left = label_width + 6
    # Room after the longest bar for its figure: "100%" fits in 44; "21,857" needs more.
    figures = [f"{_number(bar.value)}{unit}" for bar in bars if bar.value is not None]
    figure_room = max(44.0, FIGURE_CHARACTER * max(map(len, figures), default=0) + 8)
    bar_space = WIDTH - bar_left - figure_room
    parts = _open("bars", chart_id, title, description, height)
    parts.append('<g aria-hidden="true">')
    parts.append(
        f'<line x1="{bar_left:.1f}" x2="{bar_left:.1f}" y1="2" y2="{height - 4:.1f}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    )
    for index, bar in enumerate(bars):
        middle = 4 + row * index + row / 2
        parts.append(_text(label_width, middle + 4, bar.label, size=FONT, anchor="end", fill=INK))
        if bar.value is None:
            parts.append(_text(bar_left + 6, middle + 4, bar.text, anchor="start", fill=MUTED))
            continue
        share = min(max(bar.value / maximum, 0), 1) if maximum else 0
        width = bar_space * share
        parts.append(
            f'<rect class="chart-bar" x="{bar_left:.1f}" y="{middle - 9:.1f}" '
            f'width="{width:.1f}" height="18" fill="{bar.colour}"/>'
        )
        parts.append(
            _text(
                bar_left + width + 5,
                middle + 4,
                f"{_number(bar.value)}{unit}",
                size=FONT,
                anchor="start",
                fill=INK,
                weight="bold",
            )
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label above is escaped
