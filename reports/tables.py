"""The shape every report takes, whatever it measures: sections of headline figures and tables.

Pages, printable pages, CSV files and the API all draw from these, so a figure computed once
reads the same everywhere. Counts of 1 to 4 people, and anything worked out from a group that
small (a percentage, a median), are withheld: ``Value.withheld`` is set and ``text`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

MIN_GROUP = 5
WITHHELD = "fewer than 5"
NONE = "none"
NOT_AVAILABLE = "–"


def is_small(count: int | None) -> bool:
    """A group between 1 and 4: too small to show without risking who is in it."""
    return count is not None and 0 < count < MIN_GROUP


def withheld_keys(counts: dict[str, int]) -> set[str]:
    """Which counts of a whole to withhold: every small one and, when exactly one is small, the
    smallest of the rest too — otherwise the whole minus the shown counts would give it away."""
    small = {key for key, count in counts.items() if is_small(count)}
    if len(small) == 1:
        shown = [key for key, count in counts.items() if key not in small and count]
        if shown:
            small.add(min(shown, key=lambda key: counts[key]))
    return small


@dataclass(frozen=True)
class Value:
    """One figure: ``number`` for charts, CSV and the API (None when withheld or not
    available), ``text`` as a person reads it."""

    number: float | None
    text: str
    withheld: bool = False
    unit: str = ""

    @classmethod
    def withheld_value(cls, unit: str = "") -> Value:
        return cls(None, WITHHELD, withheld=True, unit=unit)

    @classmethod
    def missing(cls, unit: str = "") -> Value:
        return cls(None, NOT_AVAILABLE, unit=unit)

    @classmethod
    def count(cls, count: int, *, of_people: bool = True) -> Value:
        """A number of people (or of things about people, when ``of_people``): 1 to 4 is
        withheld. Counts of things not about a group (hours, sessions) pass ``of_people=False``."""
        if of_people and is_small(count):
            return cls.withheld_value()
        return cls(count, f"{count:,}")

    @classmethod
    def share(cls, count: int, of: int) -> Value:
        """``count`` of ``of`` as a percentage, withheld when either side is a small group (the
        rest, ``of - count``, too: it could be worked out)."""
        if is_small(of) or is_small(count) or is_small(of - count):
            return cls.withheld_value("%")
        if not of:
            return cls.missing("%")
        percent = round(count * 100 / of)
        return cls(percent, f"{percent}% ({count:,} of {of:,})", unit="%")

    @classmethod
    def measure(cls, number: float | None, group: int, *, unit: str = "", places: int = 1) -> Value:
        """A figure worked out from ``group`` people or things (a mean, a median): withheld for
        a small group, not available for none."""
        if is_small(group):
            return cls.withheld_value(unit)
        if number is None or not group:
            return cls.missing(unit)
        rounded = round(float(number), places)
        shown = f"{rounded:,.{places}f}" if places else f"{round(rounded):,}"
        text = f"{shown}%" if unit == "%" else f"{shown} {unit}".strip()
        return cls(rounded, text, unit=unit)

    @classmethod
    def days(cls, duration: timedelta | None, group: int) -> Value:
        if duration is None:
            return cls.measure(None, group, unit="days")
        return cls.measure(duration.total_seconds() / 86400, group, unit="days")

    def __str__(self) -> str:
        return self.text


Cell = str | Value


@dataclass(frozen=True)
class Chart:
    """How a table is best drawn: ``kind`` "bars" draws one bar a row from ``column`` (an
    index into the row); the table itself is always shown too, as the chart's alternative."""

    kind: str = "bars"
    column: int = 1
    unit: str = ""


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    # The first column names the row; the rest hold Values.
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    chart: Chart | None = None
    note: str = ""


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    value: Value
    note: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    headlines: tuple[Headline, ...] = ()
    tables: tuple[Table, ...] = ()
    # What the figures count and over which period, in a sentence or two.
    note: str = ""
    # For example: "Not split by team: people waiting have no mentor yet."
    filter_note: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    def headline(self, key: str) -> Headline:
        return next(headline for headline in self.headlines if headline.key == key)
