"""What goes on the funder report: a page or two a funder can read at a glance.

Figures are picked by their keys in the dashboard's sections; a key a section does not have is
skipped, so the report never breaks when a figure is renamed, only grows shorter.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reports.tables import Headline, Section, Table

# Section key -> the headline keys to show, in order: what a funder asks first (how many were
# helped, how quickly, by how many volunteers, how safely, with what change). A section not
# named here shows all of its headlines.
HEADLINES: dict[str, tuple[str, ...]] = {
    "referrals": ("referrals_made", "waiting_now"),
    "matching": ("first_matches", "median_days_to_match"),
    "relationships": ("relationships_in_period", "relationships_started"),
    "sessions": ("sessions_held",),
    "endings": ("planned_ending_share",),
    "mentors": ("active_mentors", "mentor_hours", "mentor_retention"),
    "alerts": ("alerts_in_time",),
    "outcomes": ("outcomes_people",),
    "skills": ("skills_practices",),
}
# (section key, table key): the charts worth a funder's page, in order.
CHARTS: tuple[tuple[str, str], ...] = (
    ("referrals", "referrals_by_source"),
    ("sessions", "sessions_by_status"),
    ("endings", "endings_by_kind"),
)
OUTCOMES_SECTION = "outcomes"
# How the figures are counted, in a few lines; each figure's full definition is on the dashboard.
COUNTING = (
    "Figures “in the period” count what happened between its first and last day; figures "
    "“now” are as they stand today.",
    "Time to match runs from the referral to the start of the person's first mentoring "
    "relationship. Mentor retention is the share of mentors certified before the period "
    "began who were still active at its end.",
    "Change on questionnaires compares each person's first and latest scores, for people who "
    "agreed their answers may be used to evaluate the programme.",
)


@dataclass(frozen=True)
class FunderReport:
    # The dashboard's sections with only the headlines chosen for funders, and no tables.
    sections: tuple[Section, ...]
    charts: tuple[tuple[Section, Table], ...]
    outcomes: tuple[Table, ...]
    counting: tuple[str, ...] = COUNTING

    @property
    def headlines(self) -> tuple[Headline, ...]:
        return tuple(headline for section in self.sections for headline in section.headlines)


def _headlines(section: Section) -> tuple[Headline, ...]:
    keys = HEADLINES.get(section.key)
    if keys is None:
        return section.headlines
    return tuple(headline for key in keys for headline in section.headlines if headline.key == key)


def _table(sections: dict[str, Section], section_key: str, table_key: str) -> Table | None:
    section = sections.get(section_key)
    if section is None:
        return None
    return next((table for table in section.tables if table.key == table_key), None)


def funder_report(sections: list[Section]) -> FunderReport:
    """The funder's selection from the dashboard's ``sections``."""
    by_key = {section.key: section for section in sections}
    charts = tuple(
        (by_key[section_key], table)
        for section_key, table_key in CHARTS
        if (table := _table(by_key, section_key, table_key)) is not None
    )
    outcomes = by_key.get(OUTCOMES_SECTION)
    return FunderReport(
        sections=tuple(
            replace(section, headlines=_headlines(section), tables=()) for section in sections
        ),
        charts=charts,
        outcomes=outcomes.tables if outcomes is not None else (),
    )
